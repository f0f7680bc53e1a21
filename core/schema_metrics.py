"""Migration 6: deliverability signals over time (step 6)."""

from __future__ import annotations

# Owned by the monitoring work; refined before it ships.
MIGRATION = """
CREATE TABLE metric_points (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER REFERENCES incidents(id),
    domain      TEXT,
    metric      TEXT NOT NULL,
    at          TEXT NOT NULL,
    value       REAL NOT NULL,
    source      TEXT NOT NULL
);
"""
