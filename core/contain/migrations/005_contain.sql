-- Migration 5: containment (step 2): actions, their notes, ESP calls, escalations.
--
-- contain_setups says which playbook an incident's actions came from (and that they
-- were created: ensure_actions is idempotent on it). Notes, ESP calls and
-- escalations are records of what happened, so like the event log they are
-- append-only.

CREATE TABLE contain_setups (
    incident_id INTEGER PRIMARY KEY REFERENCES incidents(id),
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE TABLE contain_actions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id   INTEGER NOT NULL REFERENCES incidents(id),
    action_id     TEXT NOT NULL,
    position      INTEGER NOT NULL,
    title         TEXT NOT NULL,
    owner_role    TEXT,
    owner_person  TEXT,
    stops_harm    INTEGER NOT NULL DEFAULT 0 CHECK (stops_harm IN (0, 1)),
    esp_operation TEXT,
    guidance      TEXT,
    custom        INTEGER NOT NULL DEFAULT 0 CHECK (custom IN (0, 1)),
    status        TEXT NOT NULL DEFAULT 'todo'
                  CHECK (status IN ('todo', 'in-progress', 'done', 'skipped', 'failed')),
    reason        TEXT,
    manual        INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    started_at    TEXT,
    finished_at   TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (incident_id, action_id),
    CHECK (status NOT IN ('skipped', 'failed') OR reason IS NOT NULL)
);
CREATE INDEX contain_actions_in_order ON contain_actions (incident_id, position);
CREATE TABLE contain_notes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    action_pk INTEGER NOT NULL REFERENCES contain_actions(id),
    at        TEXT NOT NULL,
    operator  TEXT NOT NULL,
    body      TEXT NOT NULL
);
CREATE INDEX contain_notes_by_action ON contain_notes (action_pk, id);
CREATE TABLE contain_executions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    action_pk   INTEGER NOT NULL REFERENCES contain_actions(id),
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    esp         TEXT NOT NULL,
    operation   TEXT NOT NULL,
    ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
    status_code INTEGER,
    message     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contain_executions_by_action ON contain_executions (action_pk, id);
CREATE TABLE escalations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    to_role     TEXT NOT NULL,
    contact     TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX escalations_by_incident ON escalations (incident_id, id);
CREATE TRIGGER contain_notes_are_kept BEFORE UPDATE ON contain_notes
BEGIN
    SELECT RAISE(ABORT, 'action notes are append-only');
END;
CREATE TRIGGER contain_notes_are_never_deleted BEFORE DELETE ON contain_notes
BEGIN
    SELECT RAISE(ABORT, 'action notes are append-only');
END;
CREATE TRIGGER contain_executions_are_kept BEFORE UPDATE ON contain_executions
BEGIN
    SELECT RAISE(ABORT, 'ESP call records are append-only');
END;
CREATE TRIGGER contain_executions_are_never_deleted BEFORE DELETE ON contain_executions
BEGIN
    SELECT RAISE(ABORT, 'ESP call records are append-only');
END;
CREATE TRIGGER escalations_are_kept BEFORE UPDATE ON escalations
BEGIN
    SELECT RAISE(ABORT, 'escalations are append-only');
END;
CREATE TRIGGER escalations_are_never_deleted BEFORE DELETE ON escalations
BEGIN
    SELECT RAISE(ABORT, 'escalations are append-only');
END;
