"""Store layer for the plan's tasks and the figures behind the board metrics.

SQL lives only in ``store*`` modules. Every change to a task appends its event in
the same transaction; tasks carry their own version, so a change made from a
stale copy is refused (``StaleTask``) instead of silently overwriting.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_crisis.core.base.clock import from_iso, to_iso
from email_crisis.core.base.errors import CrisisError, NotFound
from email_crisis.core.store.database import Store

OPEN_STATUSES = ("todo", "in-progress")

_COLUMNS = (
    "id, incident_id, position, title, kind, owner_role, owner, due_at, status, source, "
    "created_at, created_by, updated_at, version"
)
_EDITABLE = frozenset({"title", "kind", "owner_role", "owner", "due_at", "status"})


@dataclass(frozen=True)
class PlanTask:
    """One task of an incident's plan, as stored (times are UTC datetimes)."""

    id: int
    incident_id: int
    position: int
    title: str
    kind: str
    owner_role: str
    owner: str | None
    due_at: datetime | None
    status: str
    source: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    version: int

    @property
    def is_open(self) -> bool:
        """Still to be done (``todo`` or ``in-progress``)."""
        return self.status in OPEN_STATUSES

    def is_overdue(self, now: datetime) -> bool:
        """Open and past its due time."""
        return self.is_open and self.due_at is not None and self.due_at < now


@dataclass(frozen=True)
class NewTask:
    """What it takes to add a task (already validated by ``core.plan.tasks``)."""

    title: str
    kind: str
    owner_role: str
    owner: str | None = None
    due_at: datetime | None = None
    source: str | None = None


@dataclass(frozen=True)
class IncidentTimes:
    """An incident's milestones plus what its event log says about resolutions."""

    id: int
    detected_at: datetime
    acknowledged_at: datetime | None
    contained_at: datetime | None
    notified_at: datetime | None
    resolved_at: datetime | None
    first_resolved_at: datetime | None
    reopen_count: int


class StaleTask(CrisisError):
    """Someone changed (or removed) the task first; nothing was written.

    ``fresh`` is the task as it is now, or ``None`` when it no longer exists.
    """

    def __init__(self, message: str, fresh: PlanTask | None) -> None:
        super().__init__(message)
        self.fresh = fresh


def _at(text: str) -> datetime:
    moment = from_iso(text)
    assert moment is not None
    return moment


def _task(row: Sequence[Any]) -> PlanTask:
    return PlanTask(
        id=row[0],
        incident_id=row[1],
        position=row[2],
        title=row[3],
        kind=row[4],
        owner_role=row[5],
        owner=row[6],
        due_at=from_iso(row[7]),
        status=row[8],
        source=row[9],
        created_at=_at(row[10]),
        created_by=row[11],
        updated_at=_at(row[12]),
        version=row[13],
    )


def _fetch(conn: sqlite3.Connection, task_id: int) -> PlanTask | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM plan_tasks WHERE id = ?", (task_id,)).fetchone()
    return _task(row) if row else None


def _require_incident(store: Store, incident_id: int) -> None:
    if not store._conn.execute("SELECT 1 FROM incidents WHERE id = ?", (incident_id,)).fetchone():
        raise NotFound(f"there is no incident {incident_id}.")


def _stale(store: Store, task: PlanTask) -> StaleTask:
    fresh = _fetch(store._conn, task.id)
    if fresh is None:
        return StaleTask(f"task {task.id} no longer exists; nothing was saved.", None)
    return StaleTask(
        f"task {task.id} ({task.title!r}) was changed by someone else since you loaded it "
        f"(version {task.version}, now {fresh.version}); nothing was saved. "
        "Review the latest state and try again.",
        fresh,
    )


# -- reads -------------------------------------------------------------------------------


def list_tasks(store: Store, incident_id: int) -> list[PlanTask]:
    """The incident's tasks in plan order."""
    with store._read():
        rows = store._conn.execute(
            f"SELECT {_COLUMNS} FROM plan_tasks WHERE incident_id = ? ORDER BY position, id",
            (incident_id,),
        ).fetchall()
    return [_task(row) for row in rows]


def get_task(store: Store, task_id: int) -> PlanTask:
    """The task with that id, or ``NotFound``."""
    with store._read():
        task = _fetch(store._conn, task_id)
    if task is None:
        raise NotFound(f"there is no plan task {task_id}.")
    return task


def overdue_counts(store: Store, now: datetime) -> dict[int, int]:
    """Overdue open tasks per *open* incident, in one query (incidents with none omitted)."""
    with store._read():
        rows = store._conn.execute(
            "SELECT t.incident_id, count(*) FROM plan_tasks AS t "
            "JOIN incidents AS i ON i.id = t.incident_id "
            "WHERE t.status IN ('todo', 'in-progress') AND t.due_at IS NOT NULL "
            "AND t.due_at < ? AND i.resolved_at IS NULL GROUP BY t.incident_id",
            (to_iso(now),),
        ).fetchall()
    return {incident_id: count for incident_id, count in rows}


def overdue_count(store: Store, incident_id: int, now: datetime) -> int:
    """How many open tasks of one incident are past their due time."""
    with store._read():
        (count,) = store._conn.execute(
            "SELECT count(*) FROM plan_tasks WHERE incident_id = ? "
            "AND status IN ('todo', 'in-progress') AND due_at IS NOT NULL AND due_at < ?",
            (incident_id, to_iso(now)),
        ).fetchone()
    return int(count)


def incident_times(store: Store, since: datetime) -> list[IncidentTimes]:
    """Milestones of every incident detected at or after ``since`` (for the metrics).

    ``first_resolved_at`` and ``reopen_count`` come from the event log, since a
    reopen clears the incident's ``resolved_at``.
    """
    with store._read():
        rows = store._conn.execute(
            "SELECT i.id, i.detected_at, i.acknowledged_at, i.contained_at, i.notified_at, "
            "i.resolved_at, "
            "(SELECT min(e.at) FROM events AS e WHERE e.incident_id = i.id "
            " AND e.type = 'resolved'), "
            "(SELECT count(*) FROM events AS e WHERE e.incident_id = i.id "
            " AND e.type = 'reopened') "
            "FROM incidents AS i WHERE i.detected_at >= ? ORDER BY i.id",
            (to_iso(since),),
        ).fetchall()
    return [
        IncidentTimes(
            id=row[0],
            detected_at=_at(row[1]),
            acknowledged_at=from_iso(row[2]),
            contained_at=from_iso(row[3]),
            notified_at=from_iso(row[4]),
            resolved_at=from_iso(row[5]),
            first_resolved_at=from_iso(row[6]),
            reopen_count=int(row[7]),
        )
        for row in rows
    ]


# -- writes ------------------------------------------------------------------------------


def _added_details(task: PlanTask) -> dict[str, Any]:
    return {
        "task_id": task.id,
        "title": task.title,
        "kind": task.kind,
        "owner_role": task.owner_role,
        "owner": task.owner,
        "due_at": to_iso(task.due_at) if task.due_at else None,
        "source": task.source,
    }


def insert_tasks(
    store: Store, incident_id: int, tasks: Sequence[NewTask], *, operator: str
) -> list[PlanTask]:
    """Append tasks at the end of the plan, one ``plan_task_added`` event each."""
    now = to_iso(store.clock())
    added: list[PlanTask] = []
    with store._write():
        _require_incident(store, incident_id)
        (last,) = store._conn.execute(
            "SELECT coalesce(max(position), 0) FROM plan_tasks WHERE incident_id = ?",
            (incident_id,),
        ).fetchone()
        for offset, new in enumerate(tasks, start=1):
            cursor = store._conn.execute(
                "INSERT INTO plan_tasks (incident_id, position, title, kind, owner_role, owner, "
                "due_at, status, source, created_at, created_by, updated_at, version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'todo', ?, ?, ?, ?, 1)",
                (
                    incident_id,
                    last + offset,
                    new.title,
                    new.kind,
                    new.owner_role,
                    new.owner,
                    to_iso(new.due_at) if new.due_at else None,
                    new.source,
                    now,
                    operator,
                    now,
                ),
            )
            task = _fetch(store._conn, int(cursor.lastrowid or 0))
            assert task is not None
            store._append_event(incident_id, now, operator, "plan_task_added", _added_details(task))
            added.append(task)
    return added


def update_task(
    store: Store,
    task: PlanTask,
    changes: Mapping[str, Any],
    *,
    operator: str,
    event: tuple[str, Mapping[str, Any]],
) -> PlanTask:
    """Apply ``changes`` if the task is still at ``task.version``; one event describes it."""
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    values = {
        key: to_iso(value) if isinstance(value, datetime) else value
        for key, value in changes.items()
    }
    now = to_iso(store.clock())
    assignments = "".join(f"{key} = ?, " for key in values)
    with store._write():
        cursor = store._conn.execute(
            f"UPDATE plan_tasks SET {assignments}updated_at = ?, version = version + 1 "
            "WHERE id = ? AND version = ?",
            (*values.values(), now, task.id, task.version),
        )
        if cursor.rowcount != 1:
            raise _stale(store, task)
        type_, details = event
        store._append_event(task.incident_id, now, operator, type_, details)
        fresh = _fetch(store._conn, task.id)
    assert fresh is not None
    return fresh


def move_task(store: Store, task: PlanTask, offset: int, *, operator: str) -> PlanTask | None:
    """Swap the task with its neighbour ``offset`` (-1 up, +1 down) places away.

    Returns the moved task, or ``None`` when it is already first (or last) and
    nothing was written. The order is read inside the transaction, so a move
    always applies to the plan as it is now; positions are not guarded by task
    versions (a move elsewhere in the plan must not make someone's edit stale).
    """
    if offset not in (-1, 1):
        raise ValueError("a task moves one place at a time")
    now = to_iso(store.clock())
    with store._write():
        rows = store._conn.execute(
            "SELECT id, position FROM plan_tasks WHERE incident_id = ? ORDER BY position, id",
            (task.incident_id,),
        ).fetchall()
        order = [row[0] for row in rows]
        if task.id not in order:
            raise _stale(store, task)
        index = order.index(task.id)
        other = index + offset
        if not 0 <= other < len(order):
            return None
        order[index], order[other] = order[other], order[index]
        current = dict(rows)
        for position, task_id in enumerate(order, start=1):
            if current[task_id] != position:  # also repairs any duplicate positions
                store._conn.execute(
                    "UPDATE plan_tasks SET position = ? WHERE id = ?", (position, task_id)
                )
        store._append_event(
            task.incident_id,
            now,
            operator,
            "plan_task_moved",
            {"task_id": task.id, "title": task.title, "from": index + 1, "to": other + 1},
        )
        fresh = _fetch(store._conn, task.id)
    return fresh
