"""Migration 7: the plan's tasks (step 4)."""

from __future__ import annotations

# Owned by the plan work; refined before it ships.
MIGRATION = """
CREATE TABLE plan_tasks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    title       TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'todo',
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
"""
