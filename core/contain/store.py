"""Store layer for containment: actions, notes, ESP calls, escalations (SQL lives here).

Each function is one transaction that writes its rows *and* their events; the rules
(which change is allowed, which events describe it) live in ``core/contain/actions.py``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from email_crisis.core.base.clock import from_iso, to_iso
from email_crisis.core.base.errors import CrisisError, NotFound
from email_crisis.core.contain.words import for_log
from email_crisis.core.store.database import Store


@dataclass(frozen=True)
class ActionNote:
    """One note on an action (notes are never edited or removed)."""

    id: int
    at: datetime
    operator: str
    body: str


@dataclass(frozen=True)
class ContainAction:
    """One containment action of an incident, as stored.

    ``id`` is the row id (unique in the database); ``action_id`` the playbook id
    (``halt-send``) or ``custom-N``, unique within the incident. ``reason`` holds the
    skip reason or the failure's error text. ``manual`` is true when it was done by
    hand (in the ESP's console) rather than through a connector.
    """

    id: int
    incident_id: int
    action_id: str
    position: int
    title: str
    owner_role: str | None
    owner_person: str | None
    stops_harm: bool
    esp_operation: str | None
    guidance: str | None
    custom: bool
    status: str
    reason: str | None
    manual: bool
    created_at: datetime
    created_by: str
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime
    updated_by: str
    version: int
    notes: tuple[ActionNote, ...] = ()


@dataclass(frozen=True)
class NewAction:
    """An action to insert (from the playbook, or typed by an operator)."""

    title: str
    owner_role: str | None
    owner_person: str | None = None
    stops_harm: bool = False
    esp_operation: str | None = None
    guidance: str | None = None
    action_id: str | None = None  # None: the store names it custom-N


@dataclass(frozen=True)
class Execution:
    """One recorded connector call for an action."""

    id: int
    action_pk: int
    action_id: str
    at: datetime
    operator: str
    esp: str
    operation: str
    ok: bool
    status_code: int | None
    message: str


@dataclass(frozen=True)
class Escalation:
    """Someone told about the incident: which role, whom, when, by whom."""

    id: int
    incident_id: int
    at: datetime
    operator: str
    to: str
    contact: str
    note: str | None


def _ref(action: ContainAction) -> dict[str, str]:
    """How events name an action: its id, and its title for the words."""
    return {"action": action.action_id, "title": for_log(action.title)}


class StaleAction(CrisisError):
    """Someone changed the action first; nothing was written. ``fresh`` is its state now."""

    def __init__(self, message: str, fresh: ContainAction) -> None:
        super().__init__(message)
        self.fresh = fresh


_COLUMNS = (
    "id, incident_id, action_id, position, title, owner_role, owner_person, stops_harm, "
    "esp_operation, guidance, custom, status, reason, manual, created_at, created_by, "
    "started_at, finished_at, updated_at, updated_by, version"
)
_CHANGEABLE = frozenset(
    {"status", "reason", "manual", "owner_role", "owner_person", "started_at", "finished_at"}
)


def _at(text: str) -> datetime:
    moment = from_iso(text)
    assert moment is not None
    return moment


_NAMES = tuple(name.strip() for name in _COLUMNS.split(","))


def _action(row: Sequence[Any], notes: tuple[ActionNote, ...]) -> ContainAction:
    r: dict[str, Any] = dict(zip(_NAMES, row, strict=True))
    for key in ("stops_harm", "custom", "manual"):
        r[key] = bool(r[key])
    for key in ("created_at", "updated_at", "started_at", "finished_at"):
        r[key] = from_iso(r[key])
    return ContainAction(**r, notes=notes)


def _notes(store: Store, action_pks: Sequence[int]) -> dict[int, list[ActionNote]]:
    found: dict[int, list[ActionNote]] = {pk: [] for pk in action_pks}
    if not action_pks:
        return found
    marks = ", ".join("?" for _ in action_pks)
    for pk, note_id, at, operator, body in store._conn.execute(
        f"SELECT action_pk, id, at, operator, body FROM contain_notes "
        f"WHERE action_pk IN ({marks}) ORDER BY id",
        tuple(action_pks),
    ):
        found[pk].append(ActionNote(note_id, _at(at), operator, body))
    return found


def _require_incident(store: Store, incident_id: int) -> None:
    if not store._conn.execute("SELECT 1 FROM incidents WHERE id = ?", (incident_id,)).fetchone():
        raise NotFound(f"there is no incident {incident_id}.")


# -- reads ---------------------------------------------------------------------------


def fetch_actions(store: Store, incident_id: int) -> list[ContainAction]:
    """The incident's actions in panel order, each with its notes."""
    with store._read():
        rows = store._conn.execute(
            f"SELECT {_COLUMNS} FROM contain_actions WHERE incident_id = ? ORDER BY position, id",
            (incident_id,),
        ).fetchall()
        notes = _notes(store, [row[0] for row in rows])
    return [_action(row, tuple(notes[row[0]])) for row in rows]


def fetch_action(store: Store, action_pk: int) -> ContainAction:
    """One action by row id, or ``NotFound``."""
    with store._read():
        row = store._conn.execute(
            f"SELECT {_COLUMNS} FROM contain_actions WHERE id = ?", (action_pk,)
        ).fetchone()
        if row is None:
            raise NotFound(f"there is no containment action {action_pk}.")
        notes = _notes(store, [action_pk])
    return _action(row, tuple(notes[action_pk]))


def setup_source(store: Store, incident_id: int) -> str | None:
    """The playbook the incident's actions came from, or ``None`` before they exist."""
    with store._read():
        row = store._conn.execute(
            "SELECT source FROM contain_setups WHERE incident_id = ?", (incident_id,)
        ).fetchone()
    return row[0] if row else None


def fetch_escalations(store: Store, incident_id: int) -> list[Escalation]:
    """Everyone escalated to, oldest first."""
    with store._read():
        rows = store._conn.execute(
            "SELECT id, incident_id, at, operator, to_role, contact, note FROM escalations "
            "WHERE incident_id = ? ORDER BY id",
            (incident_id,),
        ).fetchall()
    return [Escalation(r[0], r[1], _at(r[2]), r[3], r[4], r[5], r[6]) for r in rows]


def fetch_executions(store: Store, incident_id: int) -> list[Execution]:
    """Every recorded connector call for the incident's actions, oldest first."""
    with store._read():
        rows = store._conn.execute(
            "SELECT e.id, e.action_pk, a.action_id, e.at, e.operator, e.esp, e.operation, e.ok, "
            "e.status_code, e.message FROM contain_executions e "
            "JOIN contain_actions a ON a.id = e.action_pk WHERE a.incident_id = ? ORDER BY e.id",
            (incident_id,),
        ).fetchall()
    return [
        Execution(r[0], r[1], r[2], _at(r[3]), r[4], r[5], r[6], bool(r[7]), r[8], r[9])
        for r in rows
    ]


# -- writes --------------------------------------------------------------------------


def _insert(
    store: Store,
    incident_id: int,
    item: NewAction,
    action_id: str,
    position: int,
    now: str,
    op: str,
) -> int:
    row = {
        **{k: v for k, v in asdict(item).items() if k != "action_id"},
        "incident_id": incident_id,
        "action_id": action_id,
        "position": position,
        "custom": item.action_id is None,
        "created_at": now,
        "created_by": op,
        "updated_at": now,
        "updated_by": op,
    }
    names = ", ".join(row)
    marks = ", ".join(f":{name}" for name in row)
    cursor = store._conn.execute(f"INSERT INTO contain_actions ({names}) VALUES ({marks})", row)
    return int(cursor.lastrowid or 0)


def _last_position(store: Store, incident_id: int) -> int:
    row = store._conn.execute(
        "SELECT max(position) FROM contain_actions WHERE incident_id = ?", (incident_id,)
    ).fetchone()
    return int(row[0] or 0)


def create_actions(
    store: Store, incident_id: int, *, source: str, actions: Sequence[NewAction], operator: str
) -> bool:
    """Insert the playbook's actions once; ``False`` (and nothing written) if already done."""
    now = to_iso(store.clock())
    with store._write():
        _require_incident(store, incident_id)
        if store._conn.execute(
            "SELECT 1 FROM contain_setups WHERE incident_id = ?", (incident_id,)
        ).fetchone():
            return False
        store._conn.execute(
            "INSERT INTO contain_setups (incident_id, source, created_at, created_by) "
            "VALUES (?, ?, ?, ?)",
            (incident_id, source, now, operator),
        )
        start = _last_position(store, incident_id)
        for offset, item in enumerate(actions, start=1):
            assert item.action_id is not None
            _insert(store, incident_id, item, item.action_id, start + offset, now, operator)
        store._append_event(
            incident_id,
            now,
            operator,
            "contain_actions_created",
            {"playbook": source, "actions": [a.action_id for a in actions]},
        )
    return True


def add_custom(
    store: Store,
    incident_id: int,
    item: NewAction,
    *,
    after_pk: int | None,
    operator: str,
    details: Mapping[str, Any],
) -> ContainAction:
    """Insert an operator's action after ``after_pk`` (or last), named ``custom-N``."""
    now = to_iso(store.clock())
    with store._write():
        _require_incident(store, incident_id)
        count = store._conn.execute(
            "SELECT count(*) FROM contain_actions WHERE incident_id = ? AND custom = 1",
            (incident_id,),
        ).fetchone()[0]
        action_id = f"custom-{count + 1}"
        if after_pk is None:
            position = _last_position(store, incident_id) + 1
        else:
            row = store._conn.execute(
                "SELECT position FROM contain_actions WHERE id = ? AND incident_id = ?",
                (after_pk, incident_id),
            ).fetchone()
            if row is None:
                raise NotFound(f"incident {incident_id} has no containment action {after_pk}.")
            position = row[0] + 1
            store._conn.execute(
                "UPDATE contain_actions SET position = position + 1 "
                "WHERE incident_id = ? AND position >= ?",
                (incident_id, position),
            )
        pk = _insert(store, incident_id, item, action_id, position, now, operator)
        store._append_event(
            incident_id, now, operator, "contain_action_added", {"action": action_id, **details}
        )
    return fetch_action(store, pk)


def _stale(store: Store, action: ContainAction) -> StaleAction:
    fresh = fetch_action(store, action.id)  # NotFound for a missing row
    return StaleAction(
        f"action '{action.action_id}' was changed by {fresh.updated_by} since you loaded it "
        f"(version {action.version}, now {fresh.version}; it is now {fresh.status}); nothing "
        "was saved. Review the latest state and try again.",
        fresh,
    )


def _mark_contained(store: Store, action: ContainAction, now: str, operator: str) -> None:
    row = store._conn.execute(
        "SELECT version, contained_at, detected_at FROM incidents WHERE id = ?",
        (action.incident_id,),
    ).fetchone()
    if row is None or row[1] is not None:
        return  # only the first action that stops the harm sets the time
    # The write lock is held, so the version just read is current: no stale error
    # for a panel that loaded the incident before someone changed its severity.
    store._bump_incident(action.incident_id, row[0], {"contained_at": now}, now)
    lag = int((_at(now) - _at(row[2])).total_seconds())
    store._append_event(
        action.incident_id,
        now,
        operator,
        "contained",
        {**_ref(action), "seconds_after_detection": lag},
    )


def change_action(
    store: Store,
    action: ContainAction,
    *,
    operator: str,
    changes: Mapping[str, Any],
    events: Sequence[tuple[str, Mapping[str, Any]]],
    note: str | None = None,
    execution: Mapping[str, Any] | None = None,
    contain: bool = False,
) -> ContainAction:
    """Apply ``changes`` if the action is still at ``action.version``, all in one transaction.

    Writes, in this order: the connector call record (``execution``: esp, operation,
    ok, status_code, message) and its ``contain_action_executed`` event, ``events``,
    the note and its ``contain_action_note`` event, and, with ``contain``, the
    incident's ``contained_at`` and a ``contained`` event if it had none yet.
    Raises ``StaleAction`` (nothing written) when the action moved on.
    """
    unknown = set(changes) - _CHANGEABLE
    if unknown:
        raise ValueError(f"not changeable: {sorted(unknown)}")
    now = to_iso(store.clock())
    values = [to_iso(v) if isinstance(v, datetime) else v for v in changes.values()]
    assignments = "".join(f"{key} = ?, " for key in changes)
    with store._write():
        cursor = store._conn.execute(
            f"UPDATE contain_actions SET {assignments}updated_at = ?, updated_by = ?, "
            "version = version + 1 WHERE id = ? AND version = ?",
            (*values, now, operator, action.id, action.version),
        )
        if cursor.rowcount != 1:
            raise _stale(store, action)
        if execution is not None:
            store._conn.execute(
                "INSERT INTO contain_executions (action_pk, at, operator, esp, operation, ok, "
                "status_code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    action.id,
                    now,
                    operator,
                    execution["esp"],
                    execution["operation"],
                    int(execution["ok"]),
                    execution["status_code"],
                    execution["message"],
                ),
            )
            store._append_event(
                action.incident_id,
                now,
                operator,
                "contain_action_executed",
                {**_ref(action), **execution},
            )
        for type_, details in events:
            store._append_event(action.incident_id, now, operator, type_, details)
        if note is not None:
            _insert_note(store, action, note, now, operator)
        if contain:
            _mark_contained(store, action, now, operator)
    return fetch_action(store, action.id)


def _insert_note(store: Store, action: ContainAction, body: str, now: str, operator: str) -> None:
    cursor = store._conn.execute(
        "INSERT INTO contain_notes (action_pk, at, operator, body) VALUES (?, ?, ?, ?)",
        (action.id, now, operator, body),
    )
    # The note's text stays in its table: free text may name subscribers, and the
    # event log is kept forever.
    store._append_event(
        action.incident_id,
        now,
        operator,
        "contain_action_note",
        {**_ref(action), "note_id": int(cursor.lastrowid or 0)},
    )


def add_note(store: Store, action: ContainAction, body: str, *, operator: str) -> ContainAction:
    """Append a note (no version check: appending cannot overwrite anyone's work)."""
    now = to_iso(store.clock())
    with store._write():
        if not store._conn.execute(
            "SELECT 1 FROM contain_actions WHERE id = ?", (action.id,)
        ).fetchone():
            raise NotFound(f"there is no containment action {action.id}.")
        _insert_note(store, action, body, now, operator)
    return fetch_action(store, action.id)


def add_escalation(
    store: Store, incident_id: int, *, to: str, contact: str, note: str | None, operator: str
) -> Escalation:
    """Record an escalation and its ``escalated`` event (the contact stays in the table)."""
    moment = store.clock()
    now = to_iso(moment)
    with store._write():
        _require_incident(store, incident_id)
        cursor = store._conn.execute(
            "INSERT INTO escalations (incident_id, at, operator, to_role, contact, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (incident_id, now, operator, to, contact, note),
        )
        escalation_id = int(cursor.lastrowid or 0)
        store._append_event(
            incident_id, now, operator, "escalated", {"to": to, "escalation_id": escalation_id}
        )
    return Escalation(escalation_id, incident_id, _at(now), operator, to, contact, note)


STORAGE_HOSTS_KEY = "mailgun_storage_hosts"
"""Key of ``metrics_imported`` event details: ``{domain: [storage host, ...]}`` seen in a
Mailgun export (step 6 writes it; no address, no message key)."""


def mailgun_storage_hosts(store: Store, domain: str) -> tuple[list[str], str]:
    """The storage hosts imported Mailgun events gave for ``domain``, newest import first,
    and which import said so (``""`` when none did). Reads every incident's log: a
    domain keeps its storage host from one incident to the next."""
    with store._read():
        rows = store._conn.execute(
            "SELECT incident_id, at, json_extract(details, '$.file'), "
            f"json_extract(details, '$.{STORAGE_HOSTS_KEY}') FROM events "
            f"WHERE type = 'metrics_imported' AND json_extract(details, '$.{STORAGE_HOSTS_KEY}') "
            "IS NOT NULL ORDER BY id DESC",
        ).fetchall()
    for incident_id, at, file_name, raw in rows:
        try:
            hosts = json.loads(raw).get(domain)
        except (TypeError, ValueError, AttributeError):
            continue
        if isinstance(hosts, list) and hosts:
            where = f"the Mailgun export {file_name} imported on incident {incident_id} ({at[:10]})"
            return [str(host) for host in hosts], where
    return [], ""
