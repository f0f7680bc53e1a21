"""Migration 8: apology drafts (step 5), every version kept."""

from __future__ import annotations

# Owned by the notify work; refined before it ships.
MIGRATION = """
CREATE TABLE notify_drafts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    version     INTEGER NOT NULL,
    saved_at    TEXT NOT NULL,
    operator    TEXT NOT NULL,
    fields      TEXT NOT NULL DEFAULT '{}',
    UNIQUE (incident_id, version)
);
"""
