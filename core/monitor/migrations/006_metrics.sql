-- Migration 6: deliverability signals over time (step 6, monitor).
--
-- One table of points. A point belongs to an incident, or only to a sending domain
-- (``incident_id`` NULL, ``domain`` set). A *series* is everything but the time and the
-- value: (incident or none, domain, subject, metric, source). ``subject`` tells apart
-- several series of one metric from one source, such as the sending IPs of an SNDS
-- export; it is '' when there is only one.
--
-- - ``metric_points_key`` makes imports idempotent: the same series at the same time
--   is one point, so importing a file twice adds nothing (an upsert updates the value
--   when a corrected export says otherwise).
-- - ``ts`` is ``at`` as Unix seconds (written together): charts and time buckets use
--   it without parsing 100,000 timestamps on every redraw.
-- - ``metric_points_window`` serves the timeline: one incident, one metric, a time
--   range, already in time order (100,000 points stay cheap).
-- - ``is_latest`` marks the newest point of each series (kept up to date by every
--   write, in the same transaction); the partial index on it lets the incident board
--   compute its badge from a handful of rows.
-- - ``metric_imports`` keeps one row per imported file: counts and the file name only.
--   ESP events carry recipient addresses; they are aggregated on the way in and never
--   reach the database.

CREATE TABLE metric_imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER REFERENCES incidents(id),
    domain      TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    source      TEXT NOT NULL,
    records     INTEGER NOT NULL CHECK (records >= 0),
    added       INTEGER NOT NULL CHECK (added >= 0),
    updated     INTEGER NOT NULL CHECK (updated >= 0),
    unchanged   INTEGER NOT NULL CHECK (unchanged >= 0),
    skipped     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX metric_imports_by_incident ON metric_imports (incident_id, id);
CREATE TABLE metric_points (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER REFERENCES incidents(id),
    domain      TEXT NOT NULL DEFAULT '',
    subject     TEXT NOT NULL DEFAULT '',
    metric      TEXT NOT NULL,
    at          TEXT NOT NULL,
    ts          INTEGER NOT NULL,
    value       REAL NOT NULL,
    qualifier   TEXT NOT NULL DEFAULT '' CHECK (qualifier IN ('', '<', '>')),
    source      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    import_id   INTEGER REFERENCES metric_imports(id),
    is_latest   INTEGER NOT NULL DEFAULT 0 CHECK (is_latest IN (0, 1)),
    CHECK (incident_id IS NOT NULL OR domain <> '')
);
CREATE UNIQUE INDEX metric_points_key
    ON metric_points (ifnull(incident_id, 0), domain, subject, metric, source, at);
CREATE INDEX metric_points_window ON metric_points (incident_id, metric, at);
CREATE INDEX metric_points_domain ON metric_points (domain, metric, at) WHERE domain <> '';
CREATE INDEX metric_points_latest ON metric_points (incident_id) WHERE is_latest = 1;
