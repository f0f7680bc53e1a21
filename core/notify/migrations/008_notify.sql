-- Migration 8: apology drafts (step 5), every version kept, and the exports made of them.
--
-- A draft version is history: the version that was approved and exported must still
-- read the same later, so versions are only ever appended (enforced by triggers).

CREATE TABLE notify_drafts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id  INTEGER NOT NULL REFERENCES incidents(id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    saved_at     TEXT NOT NULL,
    operator     TEXT NOT NULL,
    from_address TEXT NOT NULL DEFAULT '',
    reply_to     TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL DEFAULT '',
    preheader    TEXT NOT NULL DEFAULT '',
    template     TEXT NOT NULL DEFAULT '',
    language     TEXT NOT NULL DEFAULT 'en',
    body         TEXT NOT NULL DEFAULT '',
    UNIQUE (incident_id, version)
);
CREATE TRIGGER notify_drafts_are_never_updated BEFORE UPDATE ON notify_drafts
BEGIN
    SELECT RAISE(ABORT, 'apology draft versions are append-only');
END;
CREATE TRIGGER notify_drafts_are_never_deleted BEFORE DELETE ON notify_drafts
BEGIN
    SELECT RAISE(ABORT, 'apology draft versions are append-only');
END;
CREATE TABLE notify_exports (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id     INTEGER NOT NULL REFERENCES incidents(id),
    draft_version   INTEGER NOT NULL,
    exported_at     TEXT NOT NULL,
    operator        TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    audience_file   TEXT,
    audience_count  INTEGER,
    override_reason TEXT,
    FOREIGN KEY (incident_id, draft_version) REFERENCES notify_drafts(incident_id, version)
);
CREATE INDEX notify_exports_by_incident ON notify_exports (incident_id, id);
