"""The SQLite store: file safety, pragmas, refusing foreign files, locks, backups."""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

import pytest

import email_crisis.core.store.database as store_module
from email_crisis.core.base.clock import frozen
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseTooNew,
    ForeignDatabase,
    NotADatabase,
    NotFound,
    StoreError,
)
from email_crisis.core.base.files import OutputExists
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import BUSY_TIMEOUT_MS, Store
from email_crisis.core.store.schema import APPLICATION_ID, SCHEMA_VERSION
from tests.conftest import FROZEN_NOW
from tests.core.support import NOBODY, as_user, raw, snapshot, table


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def pragma(store: Store, name: str) -> object:
    return store._conn.execute(f"PRAGMA {name}").fetchone()[0]


def fill(store: Store, count: int = 3) -> list[Incident]:
    """Declare ``count`` incidents, acknowledge the first, give it a statement."""
    made = [
        ops.declare(store, title=f"Incident number {n}", kind="other", operator="sam")
        for n in range(count)
    ]
    first = ops.acknowledge(store, made[0], operator="lea")
    ops.write_statement(store, first, "We are on it.", operator="lea")
    return made


# -- creating and opening ------------------------------------------------------------


def test_new_database_is_private_and_its_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "incidents.db"
    with Store.open(path, clock=frozen(FROZEN_NOW)) as store:
        assert path.parent.is_dir()
        assert mode(path.parent) == 0o700 & ~_umask()
        assert mode(path) == 0o600
        ops.declare(store, title="A write creates the WAL", kind="other", operator="sam")
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert mode(wal) == 0o600
        assert mode(shm) == 0o600


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_pragmas_on_the_store_connection(store: Store) -> None:
    assert pragma(store, "journal_mode") == "wal"
    assert pragma(store, "foreign_keys") == 1
    assert pragma(store, "busy_timeout") == BUSY_TIMEOUT_MS
    assert pragma(store, "busy_timeout") > 0
    assert pragma(store, "synchronous") == 1  # NORMAL
    assert pragma(store, "application_id") == APPLICATION_ID
    assert pragma(store, "user_version") == SCHEMA_VERSION
    assert store.schema_version() == SCHEMA_VERSION


def test_busy_timeout_is_read_when_the_store_opens(
    monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 1234)
    with Store.open(db_path) as store:
        assert pragma(store, "busy_timeout") == 1234


def test_application_id_is_written_to_the_file(db_path: Path) -> None:
    Store.open(db_path).close()  # closing checkpoints the WAL into the main file
    conn = raw(db_path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        conn.close()
    # The header holds it big-endian at offset 68, where `file(1)` looks for it.
    assert db_path.read_bytes()[68:72] == b"ECIS"


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store._conn.execute(
            "INSERT INTO events (incident_id, at, operator, type) VALUES (999, 'x', 'y', 'z')"
        )


def test_reopen_keeps_everything(db_path: Path) -> None:
    with Store.open(db_path, clock=frozen(FROZEN_NOW)) as store:
        made = fill(store)
        events_before = store.count_events()
    with Store.open(db_path, clock=frozen(FROZEN_NOW)) as again:
        assert [i.id for i in again.list_incidents()] == [i.id for i in made]
        assert again.count_events() == events_before
        assert again.get_incident(made[0].id).is_acknowledged
        assert [s.body for s in again.statements(made[0].id)] == ["We are on it."]
        assert again.schema_version() == SCHEMA_VERSION


def test_open_without_create_refuses_a_missing_file(db_path: Path) -> None:
    with pytest.raises(StoreError, match="there is no database at"):
        Store.open(db_path, create=False)
    assert not db_path.exists()


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def test_missing_incident_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="no incident 42"):
        store.get_incident(42)


# -- files that are not ours are left alone -------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        random.Random(1).randbytes(8192),
        b"meeting notes\nnot a database at all\n" * 200,
        b"hello\n",
    ],
    ids=["random-bytes", "text-file", "tiny-text-file"],
)
def test_not_a_database_is_refused_and_untouched(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    before = snapshot(db_path)
    with pytest.raises(NotADatabase) as caught:
        Store.open(db_path)
    assert str(db_path) in str(caught.value)
    assert "not an SQLite database" in str(caught.value)
    assert "left untouched" in str(caught.value)
    assert snapshot(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def _foreign(path: Path, *, application_id: int = 0, with_table: bool = True) -> None:
    conn = raw(path)
    if with_table:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT)")
        conn.execute("INSERT INTO customers (email) VALUES ('a@example.com')")
    conn.execute(f"PRAGMA application_id = {application_id}")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


@pytest.mark.parametrize(
    ("application_id", "with_table"),
    [(0, True), (0x12345678, True), (0x12345678, False)],
    ids=["tables-no-app-id", "other-app-id", "other-app-id-empty"],
)
def test_database_of_another_program_is_refused_and_untouched(
    db_path: Path, application_id: int, with_table: bool
) -> None:
    _foreign(db_path, application_id=application_id, with_table=with_table)
    before = snapshot(db_path)
    time.sleep(0.01)  # so that any write would show in the mtime
    with pytest.raises(ForeignDatabase, match="some other program; it was left untouched"):
        Store.open(db_path)
    assert snapshot(db_path) == before
    if with_table:
        assert table(db_path, "customers") == [(1, "a@example.com")]


def test_database_from_a_newer_release_is_refused_and_untouched(db_path: Path) -> None:
    with Store.open(db_path) as store:
        fill(store, 1)
    conn = raw(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = snapshot(db_path)
    time.sleep(0.01)
    with pytest.raises(DatabaseTooNew) as caught:
        Store.open(db_path)
    message = str(caught.value)
    assert f"schema version {SCHEMA_VERSION + 1}" in message
    assert f"up to {SCHEMA_VERSION}" in message
    assert "Upgrade email-crisis" in message
    assert snapshot(db_path) == before


# -- damage, locks, read-only files ---------------------------------------------------


def _corrupt_incidents_root(path: Path) -> None:
    """Overwrite the cell pointers of the incidents table's root page (after its header)."""
    conn = raw(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'incidents'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    assert data[start] == 0x05, "setup: the incidents root should be an interior b-tree page"
    data[start + 12 : start + 400] = b"\xff" * 388  # 12 bytes: interior page header
    path.write_bytes(bytes(data))


def test_corrupt_database_opens_but_the_first_read_says_damaged(db_path: Path) -> None:
    """Opening only reads the header and sqlite_master; damage shows on the first read."""
    with Store.open(db_path, clock=frozen(FROZEN_NOW)) as store:
        for n in range(60):
            ops.declare(store, title=f"{'Long title ' * 14} {n}", kind="other", operator="sam")
    _corrupt_incidents_root(db_path)
    before = db_path.read_bytes()

    store = Store.open(db_path, clock=frozen(FROZEN_NOW))
    try:
        with pytest.raises(DatabaseCorrupt) as caught:
            store.list_incidents()
        message = str(caught.value)
        assert str(db_path) in message
        assert "is damaged" in message
        assert "Restore it from a backup" in message
        with pytest.raises(DatabaseCorrupt):
            ops.declare(store, title="One more", kind="other", operator="sam")
    finally:
        store.close()
    assert db_path.read_bytes() == before


def test_locked_database_refuses_a_write_quickly_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    store = Store.open(db_path, clock=frozen(FROZEN_NOW))
    try:
        incident = ops.declare(store, title="Before the lock", kind="other", operator="sam")
        events_before = store.count_events()
        other = raw(db_path)
        other.execute("BEGIN EXCLUSIVE")
        try:
            started = time.monotonic()
            with pytest.raises(DatabaseLocked, match="locked by another process"):
                ops.declare(store, title="During the lock", kind="other", operator="sam")
            with pytest.raises(DatabaseLocked, match="nothing was written"):
                ops.acknowledge(store, incident, operator="lea")
            assert time.monotonic() - started < 3
            # Readers are not blocked in WAL mode.
            assert [i.title for i in store.list_incidents()] == ["Before the lock"]
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.count_events() == events_before
        assert [i.title for i in store.list_incidents()] == ["Before the lock"]
        assert not store.get_incident(incident.id).is_acknowledged
        # The store is usable again once the lock is gone.
        ops.acknowledge(store, incident, operator="lea")
    finally:
        store.close()


def _can_switch_user() -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    try:
        with as_user():
            pass
    except OSError:
        return False
    return True


@pytest.fixture
def reachable_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path sits in a 0700 folder)."""
    with tempfile.TemporaryDirectory(prefix="email-crisis-test-") as name:
        folder = Path(name)
        folder.chmod(0o755)
        yield folder


@pytest.fixture
def read_only_setup(reachable_dir: Path) -> tuple[Path, bool]:
    """A database the test cannot write; (path, whether to switch to another user).

    As root chmod does not stop writes, so the file is handed to ``nobody`` and the
    test switches its effective user id to ``nobody`` around the calls.
    """
    folder = reachable_dir / "shared"
    folder.mkdir()
    path = folder / "incidents.db"
    with Store.open(path, clock=frozen(FROZEN_NOW)) as store:
        ops.declare(store, title="Written before", kind="other", operator="sam")
    if os.geteuid() != 0:
        path.chmod(0o444)
        return path, False
    if not _can_switch_user():
        pytest.skip("running as root without the right to switch to another user")
    os.chown(folder, NOBODY, NOBODY)
    os.chown(path, NOBODY, NOBODY)
    path.chmod(0o444)
    return path, True


def test_read_only_file_can_be_read_but_a_write_says_read_only(
    read_only_setup: tuple[Path, bool],
) -> None:
    path, switch = read_only_setup
    before = path.read_bytes()
    with as_user() if switch else nullcontext():
        store = Store.open(path, clock=frozen(FROZEN_NOW))
        try:
            assert [i.title for i in store.list_incidents()] == ["Written before"]
            with pytest.raises(DatabaseReadOnly, match="cannot be written"):
                ops.declare(store, title="Refused", kind="other", operator="sam")
        finally:
            store.close()
    assert path.read_bytes() == before


def test_read_only_folder_is_refused_on_open(reachable_dir: Path) -> None:
    """The WAL needs a -shm file next to the database; a folder we cannot write is fatal."""
    if not _can_switch_user():
        pytest.skip("needs root to act as another user")
    path = reachable_dir / "incidents.db"
    with Store.open(path) as store:
        fill(store, 1)
    path.chmod(0o644)  # readable by nobody, writable only by root, as is the folder
    before = path.read_bytes()
    with as_user(), pytest.raises(DatabaseReadOnly, match="read-only file or folder"):
        Store.open(path)
    assert path.read_bytes() == before


def test_database_of_another_user_is_a_store_error(reachable_dir: Path) -> None:
    """Databases are created 0600, so a colleague's file cannot even be read."""
    if not _can_switch_user():
        pytest.skip("needs root to act as another user")
    path = reachable_dir / "incidents.db"
    with Store.open(path) as store:
        fill(store, 1)
    before = snapshot(path)
    with as_user(), pytest.raises(StoreError) as caught:
        Store.open(path)
    assert f"cannot open {path}" in str(caught.value)
    assert snapshot(path) == before


def test_parent_that_is_a_file_gives_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        Store.open(blocker / "incidents.db")


# -- backups --------------------------------------------------------------------------


def test_backup_is_a_private_consistent_copy(store: Store, db_path: Path, tmp_path: Path) -> None:
    made = fill(store)
    # An uncommitted write in another connection must not reach the copy.
    other = raw(db_path)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO events (incident_id, at, operator, type) VALUES (?, 'x', 'ghost', 'note')",
        (made[0].id,),
    )
    try:
        dest = store.backup(tmp_path / "backups" / "copy.db")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert dest == tmp_path / "backups" / "copy.db"
    assert mode(dest) == 0o600
    with Store.open(dest, create=False) as copy:
        assert copy.list_incidents(include_resolved=True) == store.list_incidents(
            include_resolved=True
        )
        for incident in made:
            assert copy.events(incident.id) == store.events(incident.id)
            assert copy.statements(incident.id) == store.statements(incident.id)
        assert copy.count_events() == store.count_events()
        assert copy._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy._conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert all(e.operator != "ghost" for e in store.events(made[0].id))


def test_backup_refuses_an_existing_destination(store: Store, tmp_path: Path) -> None:
    fill(store, 1)
    dest = tmp_path / "exists.db"
    dest.write_bytes(b"precious")
    with pytest.raises(OutputExists, match="already exists"):
        store.backup(dest)
    assert dest.read_bytes() == b"precious"


def test_backup_into_a_folder_gets_a_time_stamped_name(store: Store, tmp_path: Path) -> None:
    fill(store, 1)
    folder = tmp_path / "backups"
    folder.mkdir()
    dest = store.backup(folder)
    assert dest == folder / "incidents-20261127-093000.db"  # the store's clock, local (UTC)
    assert mode(dest) == 0o600
    with Store.open(dest, create=False) as copy:
        assert len(copy.list_incidents()) == 1


def test_backups_into_a_folder_never_fail_on_a_second_run(store: Store, tmp_path: Path) -> None:
    """A nightly job: same folder every time; here even within the same second."""
    fill(store, 1)
    first, second, third = (store.backup(tmp_path) for _ in range(3))
    assert [p.name for p in (first, second, third)] == [
        "incidents-20261127-093000.db",
        "incidents-20261127-093000-2.db",
        "incidents-20261127-093000-3.db",
    ]
    store.clock = frozen(FROZEN_NOW + timedelta(days=1))
    assert store.backup(tmp_path).name == "incidents-20261128-093000.db"


def test_backup_of_a_store_in_use_keeps_working(store: Store, tmp_path: Path) -> None:
    incident = fill(store, 1)[0]
    store.backup(tmp_path / "one.db")
    ops.set_commander(store, store.get_incident(incident.id), "priya", operator="lea")
    store.backup(tmp_path / "two.db")
    with Store.open(tmp_path / "one.db") as one, Store.open(tmp_path / "two.db") as two:
        assert one.get_incident(incident.id).commander is None
        assert two.get_incident(incident.id).commander == "priya"
        assert two.get_incident(incident.id).step == "contain"


def test_data_version_changes_when_another_connection_commits(store: Store, db_path: Path) -> None:
    incident = fill(store, 1)[0]
    before = store.data_version()
    assert store.data_version() == before
    with Store.open(db_path, clock=frozen(FROZEN_NOW + timedelta(minutes=1))) as other:
        other.append_event(incident.id, operator="lea", type_="note", details={"text": "hi"})
    assert store.data_version() != before


def test_schema_refuses_unknown_kinds_and_steps(store: Store) -> None:
    """The file itself guards the vocabulary, whoever writes to it."""
    from email_crisis.core.store.database import NewIncident

    with pytest.raises(StoreError, match="CHECK constraint"):
        store.create_incidents([NewIncident("x", "typo-kind", "SEV3", FROZEN_NOW, "op")])
    (incident_id,) = store.create_incidents([NewIncident("x", "other", "SEV3", FROZEN_NOW, "op")])
    with pytest.raises(StoreError, match="CHECK constraint"):
        store.update_incident(
            incident_id,
            expected_version=1,
            operator="op",
            changes={"step": "dance"},
            events=[("step_advanced", {})],
        )
    assert store.get_incident(incident_id).step == "own"
    assert [e.type for e in store.events(incident_id)] == ["declared"]
