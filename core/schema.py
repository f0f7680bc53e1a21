"""The database schema as a list of forward-only migrations.

``MIGRATIONS[n]`` takes a database from ``PRAGMA user_version`` n to n + 1.
Never edit a migration that has shipped: append a new one.
"""

from __future__ import annotations

from . import (
    schema_assess,
    schema_audience,
    schema_contain,
    schema_metrics,
    schema_notify,
    schema_plan,
)

APPLICATION_ID = 0x45434953  # "ECIS": marks the file as an email-crisis database

_V1 = """
CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('wrong-content', 'broken-personalization',
                        'wrong-segment', 'suppression-list-send', 'malformed',
                        'data-breach', 'other')),
    severity        TEXT NOT NULL CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    step            TEXT NOT NULL CHECK (step IN ('own', 'contain', 'assess', 'plan',
                        'notify', 'monitor')),
    commander       TEXT,
    detected_at     TEXT NOT NULL,
    acknowledged_at TEXT,
    contained_at    TEXT,
    notified_at     TEXT,
    resolved_at     TEXT,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    type        TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_incident ON events (incident_id, id);
CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_are_never_replaced BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
"""

# v2: internal statements keep every version (the first statement matters, and so
# does each correction), and the board's query gets an index.
_V2 = """
CREATE TABLE statements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX statements_by_incident ON statements (incident_id, id);
CREATE INDEX incidents_open_board ON incidents (resolved_at, severity, detected_at);
"""

MIGRATIONS: tuple[str, ...] = (
    _V1,
    _V2,
    schema_assess.MIGRATION,
    schema_audience.MIGRATION,
    schema_contain.MIGRATION,
    schema_metrics.MIGRATION,
    schema_plan.MIGRATION,
    schema_notify.MIGRATION,
)

SCHEMA_VERSION = len(MIGRATIONS)
