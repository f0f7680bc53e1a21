"""What completes step 2, contain: checks named in ``core/steps/data/steps.toml``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from email_crisis.core.base.clock import format_local
from email_crisis.core.base.criteria import Check, Finding
from email_crisis.core.base.domain import Incident
from email_crisis.core.contain.playbooks import ROLES
from email_crisis.core.contain.store import fetch_actions, fetch_escalations
from email_crisis.core.contain.words import short_title
from email_crisis.core.store.database import Store


def harm_stopped(
    store: Store, incident: Incident, now: datetime, params: Mapping[str, Any]
) -> Finding:
    """The harm is stopped: an action that stops it is done (this sets the contained time)."""
    if incident.contained_at is not None:
        return Finding(True, f"harm stopped at {format_local(incident.contained_at)}")
    stoppers = [a for a in fetch_actions(store, incident.id) if a.stops_harm]
    names = " or ".join(f"“{short_title(a.title)}”" for a in stoppers[:2])
    how = f": finish {names}" if names else ": finish the action that stops it"
    return Finding(False, f"the harm is not marked stopped yet{how}")


def escalated(
    store: Store, incident: Incident, now: datetime, params: Mapping[str, Any]
) -> Finding | None:
    """Everyone the incident's kind requires has been told (``required``: kind -> roles)."""
    required: list[str] = list(params.get("required", {}).get(incident.kind, []))
    if not required:
        return None
    told = {e.to: e for e in fetch_escalations(store, incident.id)}
    missing = [role for role in required if role not in told]
    if missing:
        names = " and ".join(ROLES.get(role, role) for role in missing)
        verb = "has" if len(missing) == 1 else "have"
        return Finding(False, f"{names} {verb} not been told yet")
    done = ", ".join(
        f"{ROLES.get(role, role)} told at {format_local(told[role].at)}" for role in required
    )
    return Finding(True, done)


CHECKS: dict[str, Check] = {"harm_stopped": harm_stopped, "escalated": escalated}
