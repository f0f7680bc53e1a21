"""Whether an apology may be sent at all.

Mailing people who were on a suppression list again is the harm itself, so for a
``suppression-list-send`` incident the notify step is locked. A named operator can
lift the lock with a written reason; the reason is recorded and shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from .domain import Incident
from .errors import ValidationError
from .store import Store
from .store_overrides import Override, add_override, latest_override
from .text import clean_block

LOCKED_KINDS = frozenset({"suppression-list-send"})
REASON_MIN = 15


@dataclass(frozen=True)
class NotifyGate:
    """Whether the notify step is open, and why."""

    allowed: bool
    reason: str
    override: Override | None = None


def gate(store: Store, incident: Incident) -> NotifyGate:
    """Decide whether an apology may be prepared and sent for ``incident``."""
    if incident.kind not in LOCKED_KINDS:
        return NotifyGate(True, "An apology is allowed for this kind of incident.")
    override = latest_override(store, incident.id)
    if override is not None:
        return NotifyGate(
            True,
            f"Locked for suppression-list sends, but {override.operator} overrode the lock: "
            f"{override.reason}",
            override,
        )
    return NotifyGate(
        False,
        "Do not send an apology: these people asked not to receive email, and mailing "
        "them again is the harm itself (and unlawful in many places).",
    )


def override_lock(store: Store, incident: Incident, reason: str, *, operator: str) -> Override:
    """Lift the apology lock with a written reason (recorded in the event log)."""
    if incident.kind not in LOCKED_KINDS:
        raise ValidationError(
            f"Incident {incident.id} is not locked; there is nothing to override."
        )
    try:
        text = clean_block(reason, field="Reason", max_length=2000)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if len(text) < REASON_MIN:
        raise ValidationError(
            f"Write the reason in a full sentence (at least {REASON_MIN} characters): "
            "it goes on the record."
        )
    if not operator.strip():
        raise ValidationError("An override needs a named operator.")
    return add_override(store, incident.id, operator=operator, reason=text)
