-- Migration 2: every version of the internal statement; the board's index.
--
-- v2: internal statements keep every version (the first statement matters, and so
-- does each correction), and the board's query gets an index.

CREATE TABLE statements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX statements_by_incident ON statements (incident_id, id);
CREATE INDEX incidents_open_board ON incidents (resolved_at, severity, detected_at);
