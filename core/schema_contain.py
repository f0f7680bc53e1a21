"""Migration 5: containment actions (step 2) and escalations."""

from __future__ import annotations

# Owned by the containment work; refined before it ships.
MIGRATION = """
CREATE TABLE contain_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    action_id   TEXT NOT NULL,
    title       TEXT NOT NULL,
    owner       TEXT,
    status      TEXT NOT NULL DEFAULT 'todo',
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
"""
