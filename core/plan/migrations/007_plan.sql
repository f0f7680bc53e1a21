-- Migration 7: the plan's tasks (step 4).
--
-- One row per task. ``position`` orders the tasks of an incident (gaps are fine;
-- moving a task swaps two positions). ``version`` is per task, so two operators
-- editing different tasks never collide, while two editing the same task do. The
-- partial index serves the board's overdue count without scanning finished tasks.

CREATE TABLE plan_tasks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('subscriber-action', 'internal-fix',
                    'compensation', 'process-change')),
    owner_role  TEXT NOT NULL,
    owner       TEXT,
    due_at      TEXT,
    status      TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in-progress',
                    'done', 'dropped')),
    source      TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX plan_tasks_by_incident ON plan_tasks (incident_id, position, id);
CREATE INDEX plan_tasks_open_due ON plan_tasks (due_at, incident_id)
    WHERE status IN ('todo', 'in-progress') AND due_at IS NOT NULL;
