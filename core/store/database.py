"""The SQLite store: the only module that writes SQL.

One file, WAL mode, a busy timeout, foreign keys on, created with mode 0600.
Every change to an incident appends to the event log in the same transaction,
and incident updates are compare-and-swap on a per-incident version so that two
operators never silently overwrite each other.

The step rules run at the end of every write transaction, before it commits: each
incident that got an event is handed to the function installed with
``install_step_rules`` (``email_crisis.core.steps.machine.install`` installs the step
machine), which may move it on to its next step in the same transaction. The store
cannot import the step machine (it sits above every step), so the machine registers
itself; a write that touches an incident before it did is refused, never committed
without its step rules.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from email_crisis.core.base.clock import Clock, from_iso, to_iso, utc_now
from email_crisis.core.base.domain import Event, Incident
from email_crisis.core.base.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseTooNew,
    DiskFull,
    ForeignDatabase,
    NotADatabase,
    NotFound,
    StaleIncident,
    StoreError,
)
from email_crisis.core.base.files import check_output, database_files, partial_for, publish
from email_crisis.core.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 5000

_INCIDENT_COLUMNS = (
    "id, title, kind, severity, step, commander, detected_at, acknowledged_at, "
    "contained_at, notified_at, resolved_at, created_by, updated_at, version"
)
_UPDATABLE = frozenset(
    {
        "title",
        "kind",
        "severity",
        "step",
        "commander",
        "acknowledged_at",
        "contained_at",
        "notified_at",
        "resolved_at",
    }
)


@dataclass(frozen=True)
class Touch:
    """The last event a write transaction appended for one incident: who and when."""

    operator: str
    at: str  # ISO 8601, as stored


StepRules = Callable[["Store", Mapping[int, Touch]], None]
"""Called inside every write transaction that appended events, before it commits."""

_step_rules: StepRules | None = None


def install_step_rules(rules: StepRules) -> None:
    """Make ``rules`` run at the end of every write transaction (once per process)."""
    global _step_rules
    _step_rules = rules


@dataclass(frozen=True)
class Statement:
    """One version of an incident's internal statement."""

    id: int
    incident_id: int
    at: datetime
    operator: str
    body: str


@dataclass(frozen=True)
class NewIncident:
    """What it takes to declare an incident (used for single and bulk inserts)."""

    title: str
    kind: str
    severity: str
    detected_at: datetime
    operator: str


def translate(error: sqlite3.Error, path: Path) -> StoreError:
    """Turn an sqlite3 exception into an error an operator can act on."""
    text = str(error).lower()
    if "not a database" in text or "file is encrypted" in text:
        return NotADatabase(f"{path} is not an SQLite database; it was left untouched.")
    if "malformed" in text or "corrupt" in text:
        return DatabaseCorrupt(
            f"{path} is damaged ({error}). Restore it from a backup "
            "(email-crisis backup makes one); nothing was written."
        )
    if "locked" in text or "busy" in text:
        return DatabaseLocked(
            f"{path} is locked by another process (waited {BUSY_TIMEOUT_MS / 1000:g} s); "
            "nothing was written. Try again in a moment."
        )
    if "disk is full" in text:
        return DiskFull(
            f"{path}: the disk is full (the database's disk, or the temporary folder SQLite "
            "works in for large imports: $SQLITE_TMPDIR, else $TMPDIR or /tmp); nothing was "
            "written. Free some space and try again."
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseReadOnly(f"{path} cannot be written (read-only file or folder).")
    if "unable to open" in text:
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            return StoreError(f"cannot open {path}: permission denied (owner or mode of the file).")
        return StoreError(f"cannot open {path}: check that the folder exists and is writable.")
    return StoreError(f"database error on {path}: {error}")


def _create_private_file(path: Path, *, exclusive: bool = False) -> None:
    """Create ``path`` with mode 0600 (its folder 0700); ``exclusive`` refuses an existing one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        if exclusive:
            raise
        return
    except OSError as error:
        raise StoreError(f"cannot create {path}: {error.strerror}") from None
    os.close(fd)


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (trigger bodies hold semicolons)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending!r}")


def _at(text: str) -> datetime:
    moment = from_iso(text)
    assert moment is not None
    return moment


def _incident(row: Mapping[str, Any]) -> Incident:
    return Incident(
        id=row["id"],
        title=row["title"],
        kind=row["kind"],
        severity=row["severity"],
        step=row["step"],
        commander=row["commander"],
        detected_at=_at(row["detected_at"]),
        acknowledged_at=from_iso(row["acknowledged_at"]),
        contained_at=from_iso(row["contained_at"]),
        notified_at=from_iso(row["notified_at"]),
        resolved_at=from_iso(row["resolved_at"]),
        created_by=row["created_by"],
        updated_at=_at(row["updated_at"]),
        version=row["version"],
    )


def _event(row: Mapping[str, Any]) -> Event:
    return Event(
        id=row["id"],
        incident_id=row["incident_id"],
        at=_at(row["at"]),
        operator=row["operator"],
        type=row["type"],
        details=json.loads(row["details"]),
    )


class Store:
    """An open email-crisis database. Use ``Store.open``."""

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self._conn = conn
        self._db = sqlite_utils.Database(conn)
        self._lock = threading.RLock()
        self._touched: dict[int, Touch] = {}

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, clock: Clock = utc_now, create: bool = True) -> Store:
        """Open (and if needed create and migrate) the database at ``path``.

        A file that is not an SQLite database, belongs to another program, or was
        written by a newer email-crisis raises a ``StoreError`` and is not modified.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(f"{path} is a folder; give the path of a database file.")
        if not path.exists():
            if not create:
                raise StoreError(
                    f"there is no database at {path} (check --db or EMAIL_CRISIS_DB; a new "
                    "one is created when you open the console or declare an incident)."
                )
            _create_private_file(path)
        try:
            conn = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except sqlite3.Error as error:
            raise translate(error, path) from None
        try:
            cls._check_identity(conn, path)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                raise StoreError(f"{path}: SQLite refused WAL mode (is it on a network share?).")
            conn.execute("PRAGMA synchronous = NORMAL")  # durable enough in WAL mode
            store = cls(path, conn, clock)
            store._migrate()
        except sqlite3.Error as error:
            conn.close()
            raise translate(error, path) from None
        except StoreError:
            conn.close()
            raise
        return store

    @staticmethod
    def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
        # Reading the header is the first thing that fails on a file that is not a
        # database, and it writes nothing.
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if application_id not in (0, APPLICATION_ID) or (application_id == 0 and tables):
            raise ForeignDatabase(
                f"{path} is an SQLite database of some other program; it was left untouched. "
                "Point --db at a new file or an email-crisis database."
            )
        if user_version > SCHEMA_VERSION:
            raise DatabaseTooNew(
                f"{path} has schema version {user_version}, but this email-crisis only knows "
                f"up to {SCHEMA_VERSION}. Upgrade email-crisis; the file was left untouched."
            )

    def _migrate(self) -> None:
        if self.schema_version() >= SCHEMA_VERSION:
            return  # the usual case: no write lock taken just to open
        with self._write():
            # Read again under the lock: another process may have migrated meanwhile
            # (two operators starting on a new file at the same moment).
            current = self._conn.execute("PRAGMA user_version").fetchone()[0]
            for version in range(current, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[version]):
                    self._conn.execute(statement)
            self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def schema_version(self) -> int:
        """The ``PRAGMA user_version`` of the open file."""
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction; takes the write lock up front (no upgrade deadlocks)."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise translate(error, self.path) from None
            self._touched = {}
            try:
                yield
                self._apply_step_rules()
            except sqlite3.Error as error:
                self._rollback()
                raise translate(error, self.path) from None
            except BaseException:
                self._rollback()
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as error:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise translate(error, self.path) from None

    def _apply_step_rules(self) -> None:
        """Inside the transaction: let the step rules see every incident that changed."""
        touched, self._touched = self._touched, {}
        if not touched:
            return
        if _step_rules is None:
            raise StoreError(
                "the step rules are not loaded, so nothing was written: call "
                "email_crisis.core.steps.machine.install() before changing incidents."
            )
        _step_rules(self, touched)
        self._touched = {}  # what the rules wrote themselves needs no second look

    def _rollback(self) -> None:
        # SQLite may already have rolled back (an interrupted or failed statement).
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    @contextmanager
    def _read(self) -> Iterator[None]:
        with self._lock:
            try:
                yield
            except sqlite3.Error as error:
                raise translate(error, self.path) from None

    def _append_event(
        self, incident_id: int, at: str, operator: str, type_: str, details: Mapping[str, Any]
    ) -> None:
        self._touched[incident_id] = Touch(operator, at)
        self._conn.execute(
            "INSERT INTO events (incident_id, at, operator, type, details) VALUES (?, ?, ?, ?, ?)",
            (incident_id, at, operator, type_, json.dumps(dict(details), sort_keys=True)),
        )

    def data_version(self) -> int:
        """Changes whenever *another* connection commits; cheap enough to poll."""
        with self._read():
            return self._conn.execute("PRAGMA data_version").fetchone()[0]

    # -- reads -----------------------------------------------------------------------

    def get_incident(self, incident_id: int) -> Incident:
        """The incident with that id, or ``NotFound``."""
        with self._read():
            rows = list(
                self._db.query(
                    f"SELECT {_INCIDENT_COLUMNS} FROM incidents WHERE id = ?", [incident_id]
                )
            )
        if not rows:
            raise NotFound(f"there is no incident {incident_id}.")
        return _incident(rows[0])

    def list_incidents(self, *, include_resolved: bool = False) -> list[Incident]:
        """Incidents in id order (the board sorts them itself)."""
        where = "" if include_resolved else "WHERE resolved_at IS NULL"
        with self._read():
            rows = self._db.query(f"SELECT {_INCIDENT_COLUMNS} FROM incidents {where} ORDER BY id")
            return [_incident(row) for row in rows]

    def events(self, incident_id: int, *, after_id: int = 0) -> list[Event]:
        """The incident's events, oldest first; ``after_id`` fetches only newer ones."""
        with self._read():
            rows = self._db.query(
                "SELECT id, incident_id, at, operator, type, details FROM events "
                "WHERE incident_id = ? AND id > ? ORDER BY id",
                [incident_id, after_id],
            )
            return [_event(row) for row in rows]

    def events_of_type(self, incident_id: int, *types: str) -> list[Event]:
        """The incident's events of the given types, oldest first."""
        marks = ", ".join("?" for _ in types)
        with self._read():
            rows = self._db.query(
                "SELECT id, incident_id, at, operator, type, details FROM events "
                f"WHERE incident_id = ? AND type IN ({marks}) ORDER BY id",
                [incident_id, *types],
            )
            return [_event(row) for row in rows]

    def count_events(self) -> int:
        """How many events the whole log holds."""
        with self._read():
            return self._db["events"].count

    def statements(self, incident_id: int) -> list[Statement]:
        """Every version of the incident's internal statement, oldest first."""
        with self._read():
            rows = self._db.query(
                "SELECT id, incident_id, at, operator, body FROM statements "
                "WHERE incident_id = ? ORDER BY id",
                [incident_id],
            )
            return [
                Statement(r["id"], r["incident_id"], _at(r["at"]), r["operator"], r["body"])
                for r in rows
            ]

    # -- writes ----------------------------------------------------------------------

    def create_incidents(self, new: Iterable[NewIncident]) -> list[int]:
        """Declare incidents in one transaction, each with its ``declared`` event."""
        ids: list[int] = []
        now = to_iso(self.clock())
        with self._write():
            for item in new:
                cursor = self._conn.execute(
                    "INSERT INTO incidents (title, kind, severity, step, detected_at, "
                    "created_by, updated_at, version) VALUES (?, ?, ?, 'own', ?, ?, ?, 1)",
                    (
                        item.title,
                        item.kind,
                        item.severity,
                        to_iso(item.detected_at),
                        item.operator,
                        now,
                    ),
                )
                incident_id = int(cursor.lastrowid or 0)
                self._append_event(
                    incident_id,
                    now,
                    item.operator,
                    "declared",
                    {
                        "title": item.title,
                        "kind": item.kind,
                        "severity": item.severity,
                        "detected_at": to_iso(item.detected_at),
                    },
                )
                ids.append(incident_id)
        return ids

    def update_incident(
        self,
        incident_id: int,
        *,
        expected_version: int,
        operator: str,
        changes: Mapping[str, Any],
        events: Sequence[tuple[str, Mapping[str, Any]]],
        statement: str | None = None,
    ) -> Incident:
        """Apply ``changes`` if the incident is still at ``expected_version``.

        The events (and the statement, if given) are written in the same
        transaction. When someone else changed the incident first, nothing is
        written and ``StaleIncident`` carries the fresh state.
        """
        if not events:
            raise ValueError("every change needs at least one event")
        now = to_iso(self.clock())
        with self._write():
            self._bump_incident(incident_id, expected_version, changes, now)
            for type_, details in events:
                self._append_event(incident_id, now, operator, type_, details)
            if statement is not None:
                self._conn.execute(
                    "INSERT INTO statements (incident_id, at, operator, body) VALUES (?, ?, ?, ?)",
                    (incident_id, now, operator, statement),
                )
        return self.get_incident(incident_id)

    def _bump_incident(
        self, incident_id: int, expected_version: int, changes: Mapping[str, Any], now: str
    ) -> None:
        """Inside a write transaction: apply ``changes`` and bump the version, or raise.

        Store modules that change their own tables *and* the incident call this in
        their transaction, so both land together or not at all. Raises
        ``StaleIncident`` (rolling the transaction back) when the version moved on,
        ``NotFound`` when there is no such incident.
        """
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        values = {
            key: to_iso(value) if isinstance(value, datetime) else value
            for key, value in changes.items()
        }
        assignments = "".join(f"{key} = ?, " for key in values)
        cursor = self._conn.execute(
            f"UPDATE incidents SET {assignments}updated_at = ?, version = version + 1 "
            "WHERE id = ? AND version = ?",
            (*values.values(), now, incident_id, expected_version),
        )
        if cursor.rowcount == 1:
            return
        fresh = self.get_incident(incident_id)  # raises NotFound for a missing id
        raise StaleIncident(
            f"incident {incident_id} was changed by {self._last_operator(incident_id)} "
            f"since you loaded it (version {expected_version}, now {fresh.version}); "
            "nothing was saved. Review the latest state and try again.",
            fresh,
        )

    def _last_operator(self, incident_id: int) -> str:
        with self._read():
            row = self._conn.execute(
                "SELECT operator FROM events WHERE incident_id = ? ORDER BY id DESC LIMIT 1",
                (incident_id,),
            ).fetchone()
        return row[0] if row else "someone else"

    def append_event(
        self, incident_id: int, *, operator: str, type_: str, details: Mapping[str, Any]
    ) -> None:
        """Record an event that changes no incident field (a note, an observation)."""
        with self._write():
            exists = self._conn.execute(
                "SELECT 1 FROM incidents WHERE id = ?", (incident_id,)
            ).fetchone()
            if not exists:
                raise NotFound(f"there is no incident {incident_id}.")
            self._append_event(incident_id, to_iso(self.clock()), operator, type_, details)

    # -- copies ----------------------------------------------------------------------

    def _stamped(self, folder: Path) -> Path:
        """Create (empty, 0600) a new time-stamped backup file in ``folder``; its path."""
        stamp = self.clock().astimezone().strftime("%Y%m%d-%H%M%S")
        for attempt in range(1, 1000):
            extra = f"-{attempt}" if attempt > 1 else ""
            dest = folder / f"{self.path.stem}-{stamp}{extra}{self.path.suffix}"
            try:
                _create_private_file(dest, exclusive=True)
            except FileExistsError:
                continue
            return dest
        raise StoreError(f"{folder} already holds 999 backups from this second.")

    def backup(self, destination: Path | str, *, force: bool = False) -> Path:
        """Write a consistent copy with SQLite's online backup API (mode 0600).

        Into a folder, the copy gets a time-stamped name (``incidents-20261127-093000.db``,
        then ``-2``, ``-3``... within the same second), so a nightly job never fails on
        its second night. A file path that exists is replaced only with ``force``; the
        database itself, its working files and symbolic links never are. The copy is
        written under a partial name and renamed once complete.
        """
        dest = Path(destination).expanduser()
        kept = database_files(self.path)
        reserved = dest.is_dir() and not dest.is_symlink()
        if reserved:
            dest = self._stamped(dest)  # an empty file holds the name until the copy is done
        else:
            if not dest.parent.exists():
                try:
                    dest.parent.mkdir(parents=True, mode=0o700)
                except OSError as error:
                    raise StoreError(f"cannot create {dest.parent}: {error.strerror}.") from None
            dest = check_output(dest, force=force, protect=kept)
        partial = partial_for(dest)
        try:
            _create_private_file(partial, exclusive=True)
            target = sqlite3.connect(partial)
        except (OSError, sqlite3.Error) as error:
            partial.unlink(missing_ok=True)
            if reserved:
                dest.unlink(missing_ok=True)
            if isinstance(error, sqlite3.Error):
                raise translate(error, dest) from None
            raise StoreError(f"cannot write {dest}: {error.strerror or error}.") from None
        try:
            try:
                with self._lock:
                    self._conn.backup(target)
            finally:
                target.close()
            publish(partial, dest, force=force or reserved, protect=kept)
        except BaseException as error:
            if reserved:
                dest.unlink(missing_ok=True)
            if isinstance(error, sqlite3.Error):
                raise translate(error, self.path) from None
            if isinstance(error, OSError):
                raise StoreError(f"cannot write {dest}: {error.strerror or error}.") from None
            raise
        finally:
            partial.unlink(missing_ok=True)
        return dest
