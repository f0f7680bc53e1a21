"""Forward-only schema migrations: every earlier version upgrades with its data intact."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import email_crisis.core.store.database as store_module
from email_crisis.core.base.clock import frozen
from email_crisis.core.base.errors import StoreError
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store, _statements
from email_crisis.core.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from tests.conftest import FROZEN_NOW
from tests.core.support import build_at_version, raw, table

# sha256 of each migration that has shipped. A migration is never edited once it has
# shipped: change the schema by appending one. Add the new hash here when releasing.
SHIPPED = (
    "236dca0a110a1346c0b67f68976f6fab97d2257d05c535e6a334747fa9564ecd",
    "995861e369e582c616c345b83287a0ad7aa76f603e6b0d59d6d71204bca5b2c9",
)

OLD_AT = "2026-11-20T08:00:00+00:00"


def seed(path: Path, version: int) -> None:
    """Insert rows that are valid at ``version`` (nothing for an empty file)."""
    conn = raw(path)
    try:
        if version >= 1:
            conn.execute(
                "INSERT INTO incidents (id, title, kind, severity, step, commander, detected_at, "
                "acknowledged_at, created_by, updated_at, version) VALUES "
                "(7, 'Old incident', 'malformed', 'SEV2', 'contain', 'priya', ?, ?, 'sam', ?, 3)",
                (OLD_AT, OLD_AT, OLD_AT),
            )
            conn.execute(
                "INSERT INTO events (incident_id, at, operator, type, details) "
                "VALUES (7, ?, 'sam', 'declared', ?)",
                (OLD_AT, json.dumps({"title": "Old incident", "kind": "malformed"})),
            )
        if version >= 2:
            conn.execute(
                "INSERT INTO statements (incident_id, at, operator, body) "
                "VALUES (7, ?, 'priya', 'First statement')",
                (OLD_AT,),
            )
    finally:
        conn.close()


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_every_older_version_migrates_to_the_latest(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.db"
    path.touch(mode=0o600)  # version 0 is an empty file
    build_at_version(path, version)
    seed(path, version)

    with Store.open(path, clock=frozen(FROZEN_NOW)) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store._conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if version >= 1:
            old = store.get_incident(7)
            assert (old.title, old.kind, old.severity, old.step) == (
                "Old incident",
                "malformed",
                "SEV2",
                "contain",
            )
            assert (old.commander, old.version) == ("priya", 3)
            assert old.detected_at.isoformat() == OLD_AT
            assert [e.type for e in store.events(7)] == ["declared"]
            assert store.events(7)[0].details == {"title": "Old incident", "kind": "malformed"}
            expected_statements = ["First statement"] if version >= 2 else []
            assert [s.body for s in store.statements(7)] == expected_statements
        # The newest features work on the migrated file.
        fresh = ops.declare(store, title="After the upgrade", kind="other", operator="lea")
        ops.write_statement(store, fresh, "Written after the upgrade.", operator="lea")
        assert [s.body for s in store.statements(fresh.id)] == ["Written after the upgrade."]

    with Store.open(path) as again:  # reopening migrates nothing more
        assert again.schema_version() == SCHEMA_VERSION


def test_latest_schema_has_the_expected_objects(store: Store) -> None:
    names = {
        row[0]
        for row in store._conn.execute(
            "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        )
    }
    assert {
        "incidents",
        "events",
        "statements",
        "events_by_incident",
        "statements_by_incident",
        "incidents_open_board",
        "events_are_never_updated",
        "events_are_never_deleted",
    } <= names


def test_shipped_migrations_are_never_edited() -> None:
    assert len(MIGRATIONS) >= len(SHIPPED)
    for index, expected in enumerate(SHIPPED):
        digest = hashlib.sha256(MIGRATIONS[index].encode()).hexdigest()
        assert digest == expected, f"migration {index + 1} changed after it shipped"


def test_schema_version_is_the_number_of_migrations() -> None:
    assert len(MIGRATIONS) == SCHEMA_VERSION


def test_a_failing_migration_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    """Each migration runs in one transaction with its version bump."""
    with Store.open(db_path, clock=frozen(FROZEN_NOW)) as store:
        ops.declare(store, title="Kept", kind="other", operator="sam")
    broken = "CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="no such table"):
        Store.open(db_path)
    conn = raw(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert (
            conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall() == []
        )
    finally:
        conn.close()
    monkeypatch.undo()
    with Store.open(db_path) as store:
        assert [i.title for i in store.list_incidents()] == ["Kept"]


def test_statement_splitter_keeps_trigger_bodies_whole() -> None:
    parts = list(_statements(MIGRATIONS[0]))
    triggers = [p for p in parts if p.startswith("CREATE TRIGGER")]
    assert len(triggers) == 3
    assert all(t.endswith("END;") and "RAISE(ABORT" in t for t in triggers)
    assert len(parts) == 6


def test_statement_splitter_rejects_an_unfinished_statement() -> None:
    with pytest.raises(ValueError, match="incomplete SQL statement"):
        list(_statements("CREATE TABLE a (id INTEGER);\nCREATE TABLE b (id INTEGER)\n"))


def test_two_stores_migrating_a_new_file_at_once(
    monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    """Another process migrates the file right after this one read its version."""
    db_path.touch(mode=0o600)
    original = Store.schema_version
    raced = False

    def read_then_lose_the_race(self: Store) -> int:
        nonlocal raced
        value = original(self)
        if not raced:
            raced = True
            build_at_version(db_path, SCHEMA_VERSION)  # the other process wins the lock
        return value

    monkeypatch.setattr(Store, "schema_version", read_then_lose_the_race)
    with Store.open(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
    assert table(db_path, "incidents") == []
