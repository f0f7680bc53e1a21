-- Migration 3: the impact assessment (step 3) and apology-lock overrides.
--
-- ``assessments.data`` is the JSON of ``core.assess.assessment.to_json`` (answers only, with a
-- ``format`` number); ``version`` guards concurrent saves. The assessment holds counts,
-- categories, regions and times, never a subscriber's personal data.

CREATE TABLE assessments (
    incident_id INTEGER PRIMARY KEY REFERENCES incidents(id),
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
);
CREATE TABLE apology_overrides (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX apology_overrides_by_incident ON apology_overrides (incident_id, id);
