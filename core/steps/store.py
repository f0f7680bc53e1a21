"""Store layer for the step machine: moving an incident on, inside a write transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from email_crisis.core.base.domain import Incident
from email_crisis.core.store.database import Store

EVENT = "step_advanced"


def move_on_in_transaction(
    store: Store,
    incident: Incident,
    *,
    to: str,
    operator: str,
    at: str,
    details: Mapping[str, Any],
) -> Incident:
    """Inside the caller's write transaction: set the step and append ``step_advanced``.

    The write lock is held, so ``incident`` (read in the same transaction) is current.
    """
    store._bump_incident(incident.id, incident.version, {"step": to}, at)
    store._append_event(
        incident.id, at, operator, EVENT, {"from": incident.step, "to": to, **details}
    )
    return store.get_incident(incident.id)
