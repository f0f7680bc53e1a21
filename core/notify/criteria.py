"""What completes step 5, notify: checks named in ``core/steps/data/steps.toml``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from email_crisis.core.assess.apology_lock import gate
from email_crisis.core.base.clock import format_local
from email_crisis.core.base.criteria import Check, Finding
from email_crisis.core.base.domain import Incident
from email_crisis.core.notify.decline import declined
from email_crisis.core.store.database import Store


def apology_settled(
    store: Store, incident: Incident, now: datetime, params: Mapping[str, Any]
) -> Finding:
    """The apology is marked sent, or a decision not to send one is recorded with a reason."""
    if incident.notified_at is not None:
        return Finding(True, f"apology sent at {format_local(incident.notified_at)}")
    decision = declined(store, incident.id)
    if decision is not None:
        return Finding(
            True,
            f"{decision.operator} decided not to send an apology: {decision.details['reason']}",
        )
    if not gate(store, incident).allowed:
        return Finding(
            False,
            "no apology may go out after a send to a suppression list: record the decision "
            "not to send one, with its reason",
        )
    return Finding(False, "the apology is not marked sent (nor a decision not to send one)")


CHECKS: dict[str, Check] = {"apology_settled": apology_settled}
