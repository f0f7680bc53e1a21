"""Whether an apology may be sent at all.

Mailing people who were on a suppression list again is the harm itself, so for a
``suppression-list-send`` incident the notify step is locked. A named operator can
lift the lock with a written reason; the reason is recorded and shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from email_crisis.core.assess.decisions import SUPPRESSION_KIND, apology_decision
from email_crisis.core.assess.override_store import Override, add_override, latest_override
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import written_reason
from email_crisis.core.store.database import Store

LOCKED_KINDS = frozenset({SUPPRESSION_KIND})
REASON_MIN = 15


@dataclass(frozen=True)
class NotifyGate:
    """Whether the notify step is open, and why."""

    allowed: bool
    reason: str
    override: Override | None = None


def gate(store: Store, incident: Incident) -> NotifyGate:
    """Decide whether an apology may be prepared and sent for ``incident``.

    The words come from ``decisions.apology_decision`` so the panel and the gate agree.
    """
    override = latest_override(store, incident.id) if incident.kind in LOCKED_KINDS else None
    decision = apology_decision(incident.kind, None, override)
    return NotifyGate(not decision.locked, decision.reason, decision.override)


def override_lock(store: Store, incident: Incident, reason: str, *, operator: str) -> Override:
    """Lift the apology lock with a written reason (recorded in the event log)."""
    if incident.kind not in LOCKED_KINDS:
        raise ValidationError(
            f"Incident {incident.id} is not locked; there is nothing to override."
        )
    text = written_reason(reason, ask="Write the reason in a full sentence", minimum=REASON_MIN)
    if not operator.strip():
        raise ValidationError("An override needs a named operator.")
    return add_override(store, incident.id, operator=operator, reason=text)
