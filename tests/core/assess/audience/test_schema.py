"""Migration 4: the audience tables and the rules the schema itself enforces."""

from __future__ import annotations

import sqlite3

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.store.database import Store


def _add_list(store: Store, incident_id: int, role: str) -> int:
    cursor = store._conn.execute(
        "INSERT INTO audience_lists (incident_id, role, file_name, imported_at, operator) "
        "VALUES (?, ?, 'f.csv', '2026-11-27T09:30:00+00:00', 'x')",
        (incident_id, role),
    )
    return int(cursor.lastrowid or 0)


def test_one_affected_list_per_incident(store: Store, incident: Incident) -> None:
    _add_list(store, incident.id, "affected")
    _add_list(store, incident.id, "suppressed")
    _add_list(store, incident.id, "suppressed")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        _add_list(store, incident.id, "affected")


def test_roles_and_keys_are_checked(store: Store, incident: Incident) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        _add_list(store, incident.id, "victims")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        _add_list(store, 999, "affected")
    list_id = _add_list(store, incident.id, "affected")
    store._conn.execute("INSERT INTO audience_addresses VALUES (?, 'a@example.com')", (list_id,))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        store._conn.execute(
            "INSERT INTO audience_addresses VALUES (?, 'a@example.com')", (list_id,)
        )


def test_addresses_are_keyed_without_rowid(store: Store) -> None:
    (sql,) = store._conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'audience_addresses'"
    ).fetchone()
    assert "PRIMARY KEY (list_id, address)" in sql and sql.rstrip().endswith("WITHOUT ROWID")
