-- Migration 4: the affected audience (imported lists and their addresses).
--
-- One row per imported file in ``audience_lists`` (at most one ``affected`` list per
-- incident, any number of ``suppressed`` ones), and its distinct, lower-cased
-- addresses in ``audience_addresses``. That table is keyed by (list, address) and
-- has no rowid, so deduplication is the primary key itself, and the apology audience
-- is an anti-join on that key without a temporary index.

CREATE TABLE audience_lists (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    role        TEXT NOT NULL CHECK (role IN ('affected', 'suppressed')),
    file_name   TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    operator    TEXT NOT NULL,
    encoding    TEXT NOT NULL DEFAULT '',
    delimiter   TEXT NOT NULL DEFAULT '',
    rows        INTEGER NOT NULL DEFAULT 0,
    addresses   INTEGER NOT NULL DEFAULT 0,
    invalid     INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audience_lists_by_incident ON audience_lists (incident_id, role, id);
CREATE UNIQUE INDEX audience_one_affected_list ON audience_lists (incident_id)
    WHERE role = 'affected';
CREATE TABLE audience_addresses (
    list_id INTEGER NOT NULL REFERENCES audience_lists(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    PRIMARY KEY (list_id, address)
) WITHOUT ROWID;
