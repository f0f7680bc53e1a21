"""Store layer for apology-lock overrides (SQL lives only in ``store*`` modules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from email_crisis.core.base.clock import from_iso, to_iso
from email_crisis.core.base.errors import NotFound
from email_crisis.core.store.database import Store


@dataclass(frozen=True)
class Override:
    """A named operator's written decision to send an apology despite the lock."""

    id: int
    incident_id: int
    at: datetime
    operator: str
    reason: str


def add_override(store: Store, incident_id: int, *, operator: str, reason: str) -> Override:
    """Record an override and its event in one transaction."""
    now = store.clock()
    with store._write():
        if not store._conn.execute(
            "SELECT 1 FROM incidents WHERE id = ?", (incident_id,)
        ).fetchone():
            raise NotFound(f"there is no incident {incident_id}.")
        cursor = store._conn.execute(
            "INSERT INTO apology_overrides (incident_id, at, operator, reason) VALUES (?, ?, ?, ?)",
            (incident_id, to_iso(now), operator, reason),
        )
        store._append_event(
            incident_id, to_iso(now), operator, "apology_lock_overridden", {"reason": reason}
        )
    return Override(int(cursor.lastrowid or 0), incident_id, now, operator, reason)


def latest_override(store: Store, incident_id: int) -> Override | None:
    """The most recent override for the incident, if any."""
    with store._read():
        row = store._conn.execute(
            "SELECT id, incident_id, at, operator, reason FROM apology_overrides "
            "WHERE incident_id = ? ORDER BY id DESC LIMIT 1",
            (incident_id,),
        ).fetchone()
    if row is None:
        return None
    at = from_iso(row[2])
    assert at is not None
    return Override(row[0], row[1], at, row[3], row[4])
