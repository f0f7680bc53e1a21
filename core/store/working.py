"""Working copies: text an operator is editing and has not saved yet (SQL only here).

The console keeps what is being typed (the apology, the assessment, the internal
statement, a form's fields) as one operator's working copy of one *slot* of an
incident, written a few seconds after the last key, so that a crash or a dropped SSH
connection loses nothing: the next session offers it back ("restore the unsaved
apology from 22:41?"). Saving the real thing, or discarding the edits, deletes it.

Writing a working copy is deliberately **not** an event. The event log is the
incident's record (who decided or changed what), append-only and shared with every
operator and the postmortem; a working copy is private scratch text, rewritten every
few seconds while someone types, and deleted when it is saved (the save is the
event). Logging it would flood the record with keystrokes and copy half-written text
(including the apology's addresses) into a log that can never be cleaned. It does not
change the incident either, so its version (and anyone's optimistic save) is untouched.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from email_crisis.core.base.clock import from_iso, to_iso
from email_crisis.core.store.database import Store

MAX_CHARACTERS = 200_000
"""A working copy larger than this is not kept (no field of the app is that long)."""


@dataclass(frozen=True)
class WorkingCopy:
    """One operator's unsaved text for one slot of an incident.

    ``label`` says what it is in words ("the apology"); ``base`` what it was edited
    from (a version number, say), so the console can tell whether it still applies.
    """

    incident_id: int
    operator: str
    slot: str
    label: str
    saved_at: datetime
    base: str
    fields: dict[str, str]


def keep(
    store: Store,
    incident_id: int,
    *,
    operator: str,
    slot: str,
    label: str,
    fields: Mapping[str, str],
    base: str = "",
) -> WorkingCopy | None:
    """Write (or replace) the working copy of ``slot``; ``None`` when it is too large."""
    text = json.dumps(dict(fields), ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_CHARACTERS:
        return None
    now = store.clock()
    with store._write():
        store._conn.execute(
            "INSERT INTO working_copies (incident_id, operator, slot, label, saved_at, base, "
            "fields) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident_id, operator, slot) "
            "DO UPDATE SET label = excluded.label, saved_at = excluded.saved_at, "
            "base = excluded.base, fields = excluded.fields",
            (incident_id, operator, slot, label, to_iso(now), base, text),
        )
    return WorkingCopy(incident_id, operator, slot, label, now, base, dict(fields))


def _copy(row: tuple[object, ...]) -> WorkingCopy:
    incident_id, operator, slot, label, saved_at, base, text = row
    try:
        fields = json.loads(str(text))
    except ValueError:
        fields = {}
    at = from_iso(str(saved_at))
    assert at is not None
    clean = {str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else {}
    return WorkingCopy(int(incident_id), str(operator), str(slot), str(label), at, str(base), clean)  # type: ignore[arg-type]


_COLUMNS = "incident_id, operator, slot, label, saved_at, base, fields"


def find(store: Store, incident_id: int, *, operator: str, slot: str) -> WorkingCopy | None:
    """The operator's working copy of ``slot``, if there is one."""
    with store._read():
        row = store._conn.execute(
            f"SELECT {_COLUMNS} FROM working_copies "
            "WHERE incident_id = ? AND operator = ? AND slot = ?",
            (incident_id, operator, slot),
        ).fetchone()
    return _copy(row) if row else None


def list_copies(store: Store, incident_id: int, *, operator: str) -> list[WorkingCopy]:
    """Every working copy the operator left on the incident, oldest first."""
    with store._read():
        rows = store._conn.execute(
            f"SELECT {_COLUMNS} FROM working_copies WHERE incident_id = ? AND operator = ? "
            "ORDER BY saved_at, slot",
            (incident_id, operator),
        ).fetchall()
    return [_copy(row) for row in rows]


def drop(store: Store, incident_id: int, *, operator: str, slot: str) -> None:
    """Forget the working copy of ``slot`` (saved, or discarded by the operator)."""
    with store._write():
        store._conn.execute(
            "DELETE FROM working_copies WHERE incident_id = ? AND operator = ? AND slot = ?",
            (incident_id, operator, slot),
        )
