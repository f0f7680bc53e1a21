-- Migration 1: incidents and their append-only event log.

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
