"""Store layer for deliverability points and their imports (SQL lives only in ``store*``).

A point belongs to an incident, or only to a sending domain (``incident_id`` None).
Writes go through ``save_points``: one transaction per file or manual entry, with the
import row and the incident's event in the same transaction, so a failure leaves
nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_crisis.core.base.clock import from_iso, to_iso
from email_crisis.core.base.errors import NotFound, ValidationError
from email_crisis.core.store.database import Store

_COLUMNS = "id, incident_id, domain, subject, metric, at, value, qualifier, source, note"
_SCOPE = "ifnull(incident_id, 0) = ? AND domain = ?"
_UPSERT = (
    "INSERT INTO metric_points (incident_id, domain, subject, metric, at, ts, value, qualifier, "
    "source, note, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (ifnull(incident_id, 0), domain, subject, metric, source, at) DO UPDATE SET "
    "value = excluded.value, qualifier = excluded.qualifier, note = excluded.note, "
    "import_id = excluded.import_id "
    "WHERE value IS NOT excluded.value OR qualifier IS NOT excluded.qualifier "
    "OR note IS NOT excluded.note"
)


LATEST_SQL = (
    f"SELECT {_COLUMNS} FROM metric_points INDEXED BY metric_points_latest "
    "WHERE incident_id = ? AND is_latest = 1"
)
"""The newest point of every series of one incident; uses the partial index only."""


@dataclass(frozen=True)
class Point:
    """One stored value of one metric at one time (UTC)."""

    id: int
    incident_id: int | None
    domain: str
    subject: str
    metric: str
    at: datetime
    value: float
    qualifier: str
    source: str
    note: str


@dataclass(frozen=True)
class NewPoint:
    """A checked value on its way into the store."""

    metric: str
    at: datetime
    value: float
    subject: str = ""
    qualifier: str = ""
    note: str = ""


@dataclass(frozen=True)
class Saved:
    """What a write did: new points, changed values, points already there as they were."""

    added: int
    updated: int
    unchanged: int
    import_id: int | None


@dataclass(frozen=True)
class ImportRecord:
    """One imported file: counts and its name, never its content."""

    id: int
    incident_id: int | None
    domain: str
    at: datetime
    operator: str
    file_name: str
    source: str
    records: int
    added: int
    updated: int
    unchanged: int
    skipped: dict[str, int]


@dataclass(frozen=True)
class SeriesInfo:
    """One series an incident has: how many points, from when to when."""

    metric: str
    source: str
    subject: str
    domain: str
    count: int
    first: datetime
    last: datetime


def _at(text: str) -> datetime:
    moment = from_iso(text)
    assert moment is not None
    return moment


def _point(row: Sequence[Any]) -> Point:
    return Point(
        row[0], row[1], row[2], row[3], row[4], _at(row[5]), row[6], row[7], row[8], row[9]
    )


def _check_incident(store: Store, incident_id: int | None, domain: str) -> None:
    if incident_id is None:
        if not domain:
            raise ValidationError("a point needs an incident or a sending domain.")
        return
    if not store._conn.execute("SELECT 1 FROM incidents WHERE id = ?", (incident_id,)).fetchone():
        raise NotFound(f"there is no incident {incident_id}.")


def _count_scope(store: Store, incident_id: int | None, domain: str) -> int:
    return store._conn.execute(
        f"SELECT count(*) FROM metric_points WHERE {_SCOPE}", (incident_id or 0, domain)
    ).fetchone()[0]


def _mark_latest(
    store: Store, incident_id: int | None, domain: str, source: str, series: Iterable[tuple]
) -> None:
    """Move ``is_latest`` to the newest point of each touched series."""
    for subject, metric in series:
        where = f"{_SCOPE} AND subject = ? AND metric = ? AND source = ?"
        key = (incident_id or 0, domain, subject, metric, source)
        store._conn.execute(
            f"UPDATE metric_points SET is_latest = 0 WHERE {where} AND is_latest = 1", key
        )
        store._conn.execute(
            "UPDATE metric_points SET is_latest = 1 WHERE id = (SELECT id FROM metric_points "
            f"WHERE {where} ORDER BY at DESC LIMIT 1)",
            key,
        )


def save_points(
    store: Store,
    *,
    incident_id: int | None,
    domain: str,
    source: str,
    points: Sequence[NewPoint],
    operator: str,
    event: tuple[str, Mapping[str, Any]] | None,
    file_name: str | None = None,
    records: int = 0,
    skipped: Mapping[str, int] | None = None,
) -> Saved:
    """Upsert ``points`` in one transaction, with the import row and the incident event.

    ``file_name`` given: an import row records the counts. ``event`` (type, details) is
    appended to the incident's log with the counts added to its details.
    """
    now = to_iso(store.clock())
    with store._write():
        _check_incident(store, incident_id, domain)
        import_id = None
        if file_name is not None:
            cursor = store._conn.execute(
                "INSERT INTO metric_imports (incident_id, domain, at, operator, file_name, "
                "source, records, added, updated, unchanged, skipped) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)",
                (incident_id, domain, now, operator, file_name, source, records,
                 json.dumps(dict(skipped or {}), sort_keys=True)),
            )  # fmt: skip
            import_id = int(cursor.lastrowid or 0)
        before = _count_scope(store, incident_id, domain)
        cursor = store._conn.executemany(
            _UPSERT,
            (
                (incident_id, domain, p.subject, p.metric, to_iso(p.at), int(p.at.timestamp()),
                 p.value, p.qualifier, source, p.note, import_id)
                for p in points
            ),
        )  # fmt: skip
        changed = max(cursor.rowcount, 0)
        added = _count_scope(store, incident_id, domain) - before
        saved = Saved(added, changed - added, len(points) - changed, import_id)
        _mark_latest(store, incident_id, domain, source, {(p.subject, p.metric) for p in points})
        if import_id is not None:
            store._conn.execute(
                "UPDATE metric_imports SET added = ?, updated = ?, unchanged = ? WHERE id = ?",
                (saved.added, saved.updated, saved.unchanged, import_id),
            )
        if event is not None and incident_id is not None:
            details = dict(event[1])
            details.update(added=saved.added, updated=saved.updated, unchanged=saved.unchanged)
            store._append_event(incident_id, now, operator, event[0], details)
    return saved


def find_point(
    store: Store,
    incident_id: int,
    *,
    metric: str,
    at: datetime,
    source: str,
    subject: str = "",
    domain: str = "",
) -> Point | None:
    """The point of that series at that time, if there is one."""
    with store._read():
        row = store._conn.execute(
            f"SELECT {_COLUMNS} FROM metric_points WHERE {_SCOPE} AND subject = ? "
            "AND metric = ? AND source = ? AND at = ?",
            (incident_id, domain, subject, metric, source, to_iso(at)),
        ).fetchone()
    return _point(row) if row else None


def query_points(
    store: Store,
    *,
    incident_id: int | None = None,
    domain: str | None = None,
    metrics: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Point]:
    """Points of an incident (or of a domain across incidents), in time order.

    ``since`` is inclusive, ``until`` exclusive; ``metrics`` empty means all.
    """
    if incident_id is None and domain is None:
        raise ValueError("give an incident id or a domain")
    clauses, params = _filters(incident_id, domain, metrics, since, until)
    with store._read():
        rows = store._conn.execute(
            f"SELECT {_COLUMNS} FROM metric_points WHERE {' AND '.join(clauses)} "
            "ORDER BY at, metric, source, subject",
            params,
        ).fetchall()
    return [_point(row) for row in rows]


def _filters(
    incident_id: int | None,
    domain: str | None,
    metrics: Sequence[str],
    since: datetime | None,
    until: datetime | None,
) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if incident_id is not None:
        clauses.append("incident_id = ?")
        params.append(incident_id)
    if domain is not None:
        clauses.append("domain = ?")
        params.append(domain)
    if metrics:
        clauses.append(f"metric IN ({', '.join('?' * len(metrics))})")
        params.extend(metrics)
    if since is not None:
        clauses.append("at >= ?")
        params.append(to_iso(since))
    if until is not None:
        clauses.append("at < ?")
        params.append(to_iso(until))
    return clauses, params


def timeline(
    store: Store,
    incident_id: int,
    metric: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
) -> list[tuple[int, float]]:
    """``(unix_seconds, value)`` of one metric in time order: the shape a chart needs.

    No datetime objects are built, so a 100,000-point series costs about what
    fetching 100,000 rows costs. ``source`` keeps one source when several report
    the metric; for a drawing that fits the screen, use ``timeline_buckets``.
    """
    clauses, params = _filters(incident_id, None, (metric,), since, until)
    if source is not None:
        clauses.append("source = ?")
        params.append(source)
    with store._read():
        return store._conn.execute(
            f"SELECT ts, value FROM metric_points WHERE {' AND '.join(clauses)} ORDER BY at",
            params,
        ).fetchall()


def timeline_buckets(
    store: Store,
    incident_id: int,
    metric: str,
    *,
    since: datetime,
    until: datetime,
    buckets: int,
) -> list[tuple[int, float, float, float, int]]:
    """The series cut into ``buckets`` equal slices of [since, until): per non-empty
    slice ``(slice_start_unix_seconds, mean, min, max, count)``, computed in SQLite.

    A terminal chart is a few hundred cells wide; this returns at most that many
    rows however many points the window holds.
    """
    if buckets < 1 or until <= since:
        raise ValueError("need at least one bucket and until after since")
    start, end = int(since.timestamp()), int(until.timestamp())
    width = max(1, -(-(end - start) // buckets))  # ceiling: the last slice reaches ``until``
    clauses, params = _filters(incident_id, None, (metric,), since, until)
    with store._read():
        return store._conn.execute(
            "SELECT ? + ((ts - ?) / ?) * ? AS slice, "
            "avg(value), min(value), max(value), count(*) "
            f"FROM metric_points WHERE {' AND '.join(clauses)} GROUP BY slice ORDER BY slice",
            [start, start, width, width, *params],
        ).fetchall()


def latest_points(store: Store, incident_id: int) -> list[Point]:
    """The newest point of every series of the incident (the partial index serves it)."""
    with store._read():
        rows = store._conn.execute(LATEST_SQL, (incident_id,)).fetchall()
    # Sorted here: an ORDER BY would tempt SQLite to walk the window index instead.
    return sorted((_point(row) for row in rows), key=lambda p: (p.metric, p.source, p.subject))


def latest_points_by_incident(store: Store) -> dict[int, list[Point]]:
    """The newest point of every series, for every incident, in one query (the board)."""
    with store._read():
        rows = store._conn.execute(
            f"SELECT {_COLUMNS} FROM metric_points INDEXED BY metric_points_latest "
            "WHERE is_latest = 1 AND incident_id IS NOT NULL"
        ).fetchall()
    found: dict[int, list[Point]] = {}
    for row in rows:
        point = _point(row)
        if point.incident_id is not None:
            found.setdefault(point.incident_id, []).append(point)
    return found


def series_overview(store: Store, incident_id: int) -> list[SeriesInfo]:
    """Every series the incident has, with its size and time span."""
    with store._read():
        rows = store._conn.execute(
            "SELECT metric, source, subject, domain, count(*), min(at), max(at) "
            "FROM metric_points WHERE incident_id = ? "
            "GROUP BY metric, source, subject, domain ORDER BY metric, source, subject",
            (incident_id,),
        ).fetchall()
    return [SeriesInfo(r[0], r[1], r[2], r[3], r[4], _at(r[5]), _at(r[6])) for r in rows]


def imports(store: Store, incident_id: int) -> list[ImportRecord]:
    """The files imported for the incident, oldest first."""
    with store._read():
        rows = store._conn.execute(
            "SELECT id, incident_id, domain, at, operator, file_name, source, records, added, "
            "updated, unchanged, skipped FROM metric_imports WHERE incident_id = ? ORDER BY id",
            (incident_id,),
        ).fetchall()
    return [
        ImportRecord(*r[:3], _at(r[3]), *r[4:11], json.loads(r[11]))  # type: ignore[arg-type]
        for r in rows
    ]
