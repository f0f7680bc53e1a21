"""Plain helpers for the containment tests (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import timedelta

from email_crisis.core.base.domain import Incident
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW


def declare(store: Store, kind: str = "wrong-segment") -> Incident:
    """An incident at step ``own``, detected ten minutes before FROZEN_NOW."""
    return ops.declare(
        store,
        title="Black Friday preview sent to every subscriber",
        kind=kind,
        severity="SEV2",
        operator="sam",
        detected_at=FROZEN_NOW - timedelta(minutes=10),
    )


def at_contain(store: Store, kind: str = "wrong-segment") -> Incident:
    """An incident acknowledged with a commander, so at step ``contain``."""
    incident = ops.acknowledge(store, declare(store, kind), operator="sam")
    incident = ops.set_commander(store, incident, "priya", operator="sam")
    assert incident.step == "contain"
    return incident


def event_types(store: Store, incident_id: int, after_id: int = 0) -> list[str]:
    return [e.type for e in store.events(incident_id, after_id=after_id)]


def last_event_id(store: Store, incident_id: int) -> int:
    events = store.events(incident_id)
    return events[-1].id if events else 0
