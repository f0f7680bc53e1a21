"""Migration 4: the affected audience (imports and their addresses)."""

from __future__ import annotations

# Owned by the audience builder; refined before it ships.
MIGRATION = """
CREATE TABLE audience_imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    role        TEXT NOT NULL CHECK (role IN ('affected', 'suppressed')),
    file_name   TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    operator    TEXT NOT NULL,
    stats       TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE audience_addresses (
    import_id INTEGER NOT NULL REFERENCES audience_imports(id) ON DELETE CASCADE,
    address   TEXT NOT NULL,
    PRIMARY KEY (import_id, address)
) WITHOUT ROWID;
"""
