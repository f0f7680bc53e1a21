"""Store layer for the affected audience: imported lists and their addresses.

An import reads the file into a private temporary table first (no lock on the
database file, so other operators keep writing), then one write transaction replaces
the previous affected list, adds the new list, all its addresses and the event:
together or not at all. Addresses never leave this module except through
``write_final``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from email_crisis.core.base.clock import from_iso, to_iso
from email_crisis.core.base.errors import NotFound
from email_crisis.core.store.database import Store

EXPORT_BATCH = 10_000
_T = TypeVar("_T")

_LIST_COLUMNS = (
    "id, incident_id, role, file_name, imported_at, operator, encoding, delimiter, "
    "rows, addresses, invalid, duplicates, details"
)
# Addresses are staged in file order in a temporary table, then added to the key in
# sorted order: appending to a B-tree is much faster than inserting at random places,
# and stays fast when the index outgrows the page cache (so no pragma is changed:
# the default cache measured as fast as a 96 MB one, at a third of the memory).
_STAGE = "INSERT INTO temp.audience_staging (address, place) VALUES (?, ?)"
_MERGE = (
    "INSERT OR IGNORE INTO audience_addresses (list_id, address) "
    "SELECT ?, address FROM temp.audience_staging ORDER BY address"
)
CHECK_EVERY = 100_000  # SQLite VM steps between two cancel checks while merging
# People per place, each address once. Without duplicates a plain count is exact and
# needs no sort; with them, an address counts once, in one of the places it was given.
_PLACES = "SELECT place, count(*) FROM temp.audience_staging GROUP BY place"
_PLACES_DISTINCT = (
    "SELECT place, count(*) FROM (SELECT address, max(place) AS place "
    "FROM temp.audience_staging GROUP BY address) GROUP BY place"
)
UNKNOWN_PLACE = "unknown"
# Affected minus every suppression list of the incident: one probe of the
# (list_id, address) key per affected address and suppression list, read in key
# order, so the result is sorted and needs no temporary index.
_FINAL = """
SELECT {what} FROM audience_addresses AS a
WHERE a.list_id = :affected AND NOT EXISTS (
    SELECT 1 FROM audience_addresses AS s
    WHERE s.list_id IN (SELECT id FROM audience_lists
                        WHERE incident_id = :incident AND role = 'suppressed')
      AND s.address = a.address)
"""


@dataclass(frozen=True)
class AudienceList:
    """One imported file: what it held (counts only) and how it was read."""

    id: int
    incident_id: int
    role: str
    file_name: str
    imported_at: datetime
    operator: str
    encoding: str
    delimiter: str
    rows: int  # non-blank data rows
    addresses: int  # distinct valid addresses kept
    invalid: int
    duplicates: int
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ListStats:
    """What the reader found, handed back by ``fill`` to be stored with the list."""

    encoding: str
    delimiter: str
    rows: int
    valid: int  # rows with a valid address, duplicates included
    invalid: int
    details: Mapping[str, Any]  # JSON-able, never an address
    places_source: str = ""  # "list" or "domains" when the rows were staged with places


class ListWriter:
    """Adds addresses to the list being imported (inside its transaction)."""

    def __init__(self, store: Store) -> None:
        self._conn = store._conn
        self.staged = 0

    def add(self, addresses: Sequence[str]) -> None:
        """Stage a batch of addresses (duplicates are dropped when the list is merged)."""
        self._conn.executemany(_STAGE, ((address, None) for address in addresses))
        self.staged += len(addresses)

    def add_placed(self, batch: tuple[Sequence[str], Sequence[str | None]]) -> None:
        """Stage addresses with where each person lives (``None``: not known); the
        list then keeps how many people live in each place."""
        addresses, places = batch
        self._conn.executemany(_STAGE, zip(addresses, places, strict=True))
        self.staged += len(addresses)

    def restart(self) -> None:
        """Forget every address added so far (the file is being read again)."""
        self._conn.execute("DELETE FROM temp.audience_staging")
        self.staged = 0


def _merge(store: Store, list_id: int, check: Callable[[], None]) -> int:
    """Move the staged addresses under ``list_id``; returns how many were distinct."""
    return _cancellable(store, check, lambda: store._conn.execute(_MERGE, (list_id,)).rowcount)


def _places(store: Store, check: Callable[[], None], duplicates: bool) -> dict[str, int]:
    """People per place among the staged addresses (``unknown`` for those not placed)."""
    query = _PLACES_DISTINCT if duplicates else _PLACES
    rows = _cancellable(store, check, lambda: store._conn.execute(query).fetchall())
    return {place or UNKNOWN_PLACE: count for place, count in rows}


def _cancellable(store: Store, check: Callable[[], None], work: Callable[[], _T]) -> _T:
    """Run one long statement, calling ``check`` every few thousand steps to cancel it."""
    stopped: list[BaseException] = []

    def progress() -> int:
        try:
            check()
        except Exception as error:  # re-raised below, once SQLite has stopped
            stopped.append(error)
            return 1
        return 0

    check()  # a cancel that came after the last batch
    store._conn.set_progress_handler(progress, CHECK_EVERY)
    try:
        return work()
    except sqlite3.OperationalError:
        if not stopped:
            raise
        if not store._conn.in_transaction:
            # An interrupted INSERT makes SQLite roll the whole transaction back at
            # once; open an empty one for Store._write's ROLLBACK to end.
            store._conn.execute("BEGIN")
        raise stopped[0] from None
    finally:
        store._conn.set_progress_handler(None, 0)


def _list(row: Sequence[Any]) -> AudienceList:
    at = from_iso(row[4])
    assert at is not None
    return AudienceList(*row[:4], at, *row[5:12], json.loads(row[12]))  # type: ignore[arg-type]


def _lists(store: Store, incident_id: int) -> list[AudienceList]:
    rows = store._conn.execute(
        f"SELECT {_LIST_COLUMNS} FROM audience_lists WHERE incident_id = ? "
        "ORDER BY role = 'suppressed', id",
        (incident_id,),
    ).fetchall()
    return [_list(row) for row in rows]


def _require_incident(store: Store, incident_id: int) -> None:
    if not store._conn.execute("SELECT 1 FROM incidents WHERE id = ?", (incident_id,)).fetchone():
        raise NotFound(f"there is no incident {incident_id}.")


def _delete(store: Store, list_id: int) -> None:
    store._conn.execute("DELETE FROM audience_addresses WHERE list_id = ?", (list_id,))
    store._conn.execute("DELETE FROM audience_lists WHERE id = ?", (list_id,))


@contextmanager
def _staging(store: Store) -> Iterator[None]:
    """A private temporary table; filling it takes no lock on the database file."""
    store._conn.execute("DROP TABLE IF EXISTS temp.audience_staging")
    store._conn.execute("CREATE TEMP TABLE audience_staging (address TEXT NOT NULL, place TEXT)")
    try:
        yield
    finally:
        store._conn.execute("DROP TABLE IF EXISTS temp.audience_staging")


def _stage(store: Store, fill: Callable[[ListWriter], ListStats]) -> ListStats:
    # A transaction only so the batches are not committed one by one; it writes
    # nothing but the temporary table.
    store._conn.execute("BEGIN")
    try:
        stats = fill(ListWriter(store))
    except BaseException:
        if store._conn.in_transaction:  # SQLite ends it itself on some errors (disk full)
            store._conn.execute("ROLLBACK")
        raise
    store._conn.execute("COMMIT")
    return stats


def store_list(
    store: Store,
    incident_id: int,
    *,
    role: str,
    file_name: str,
    operator: str,
    fill: Callable[[ListWriter], ListStats],
    check: Callable[[], None] = lambda: None,
) -> tuple[AudienceList, AudienceList | None]:
    """Import one list; returns it and the affected list it replaced.

    ``fill`` reads the file into the ``ListWriter`` (a private staging table: other
    processes can still write meanwhile) and returns the counts. Then one write
    transaction replaces the previous affected list, adds the new one and its event.
    ``check`` raises to stop that step (a cancel). Anything ``fill`` or ``check`` raises
    leaves the database as it was.
    """
    with store._read():
        _require_incident(store, incident_id)
    # ``_read`` turns SQLite's errors (a full temporary folder) into one-line ones.
    with store._read(), _staging(store):
        stats = _stage(store, fill)
        return _commit_list(store, incident_id, role, file_name, operator, stats, check)


def _commit_list(
    store: Store,
    incident_id: int,
    role: str,
    file_name: str,
    operator: str,
    stats: ListStats,
    check: Callable[[], None],
) -> tuple[AudienceList, AudienceList | None]:
    now = to_iso(store.clock())
    with store._write():
        _require_incident(store, incident_id)
        replaced = None
        if role == "affected":
            replaced = next((x for x in _lists(store, incident_id) if x.role == role), None)
            if replaced is not None:
                _delete(store, replaced.id)
        cursor = store._conn.execute(
            "INSERT INTO audience_lists (incident_id, role, file_name, imported_at, operator) "
            "VALUES (?, ?, ?, ?, ?)",
            (incident_id, role, file_name, now, operator),
        )
        list_id = int(cursor.lastrowid or 0)
        inserted = _merge(store, list_id, check)
        counts = {
            "rows": stats.rows,
            "addresses": inserted,
            "invalid": stats.invalid,
            "duplicates": stats.valid - inserted,
        }
        list_details = dict(stats.details)
        if stats.places_source:
            list_details["places"] = _places(store, check, counts["duplicates"] > 0)
            list_details["places_source"] = stats.places_source
        store._conn.execute(
            "UPDATE audience_lists SET encoding = ?, delimiter = ?, rows = ?, addresses = ?, "
            "invalid = ?, duplicates = ?, details = ? WHERE id = ?",
            (
                stats.encoding,
                stats.delimiter,
                *counts.values(),
                json.dumps(list_details, sort_keys=True),
                list_id,
            ),
        )
        details: dict[str, Any] = {
            "list_id": list_id,
            "file": file_name,
            "role": role,
            "encoding": stats.encoding,
            "delimiter": stats.delimiter,
            **counts,
            **list_details,
        }
        if replaced is not None:
            details["replaced"] = {"file": replaced.file_name, "addresses": replaced.addresses}
        store._append_event(incident_id, now, operator, "audience_imported", details)
        stored = next(x for x in _lists(store, incident_id) if x.id == list_id)
    return stored, replaced


def remove_list(store: Store, incident_id: int, list_id: int, *, operator: str) -> AudienceList:
    """Delete one imported list and its addresses, with its event."""
    now = to_iso(store.clock())
    with store._write():
        _require_incident(store, incident_id)
        found = next((x for x in _lists(store, incident_id) if x.id == list_id), None)
        if found is None:
            raise NotFound(f"incident {incident_id} has no imported list {list_id}.")
        _delete(store, list_id)
        store._append_event(
            incident_id,
            now,
            operator,
            "audience_list_removed",
            {
                "list_id": list_id,
                "file": found.file_name,
                "role": found.role,
                "addresses": found.addresses,
            },
        )
    return found


@contextmanager
def _snapshot(store: Store) -> Iterator[None]:
    """Several reads that see one consistent state of the file."""
    with store._read():
        store._conn.execute("BEGIN")
        try:
            yield
        finally:
            store._conn.execute("COMMIT")


def lists(store: Store, incident_id: int) -> list[AudienceList]:
    """The incident's lists: the affected one first, then suppression lists by age."""
    with store._read():
        return _lists(store, incident_id)


def final_size(store: Store, incident_id: int) -> tuple[list[AudienceList], int]:
    """The lists and how many affected addresses are on no suppression list."""
    with _snapshot(store):
        found = _lists(store, incident_id)
        affected = next((x for x in found if x.role == "affected"), None)
        if affected is None:
            return found, 0
        (count,) = store._conn.execute(
            _FINAL.format(what="count(*)"), {"affected": affected.id, "incident": incident_id}
        ).fetchone()
    return found, count


def write_final(store: Store, incident_id: int, sink: Callable[[list[str]], None]) -> int | None:
    """Hand the final audience to ``sink`` in sorted batches; returns how many.

    ``None`` (and nothing handed over) when the incident has no affected list.
    """
    total = 0
    with _snapshot(store):
        affected = next((x for x in _lists(store, incident_id) if x.role == "affected"), None)
        if affected is None:
            return None
        cursor = store._conn.execute(
            _FINAL.format(what="a.address"), {"affected": affected.id, "incident": incident_id}
        )
        while rows := cursor.fetchmany(EXPORT_BATCH):
            sink([row[0] for row in rows])
            total += len(rows)
    return total
