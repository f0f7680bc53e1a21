"""What completes step 6, monitor: checks named in ``core/steps/data/steps.toml``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from email_crisis.core.base.clock import format_local, humanize
from email_crisis.core.base.criteria import Check, Finding
from email_crisis.core.base.domain import Incident
from email_crisis.core.monitor.watch import watch
from email_crisis.core.store.database import Store


def watch_over(
    store: Store, incident: Incident, now: datetime, params: Mapping[str, Any]
) -> Finding:
    """The watch window is over (``days`` after reaching Monitor), or was ended early."""
    days = float(params["days"])
    window = watch(store, incident, days)
    span = f"{days:g} days"
    if window is None:
        return Finding(False, f"deliverability is watched for {span} once the incident gets here")
    if window.ended is not None:
        reason = window.ended.details.get("reason", "")
        return Finding(True, f"{window.ended.operator} ended the watch early: {reason}")
    if window.over(now):
        return Finding(True, f"the {span} watch ended at {format_local(window.ends_at)}")
    left = humanize(window.ends_at - now)
    return Finding(
        False, f"the {span} watch runs until {format_local(window.ends_at)} ({left} left)"
    )


CHECKS: dict[str, Check] = {"watch_over": watch_over}
