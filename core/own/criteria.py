"""What completes step 1, own it: checks named in ``core/steps/data/steps.toml``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from email_crisis.core.base.clock import format_local
from email_crisis.core.base.criteria import Check, Finding
from email_crisis.core.base.domain import SEVERITIES, Incident


def acknowledged(
    store: Any, incident: Incident, now: datetime, params: Mapping[str, Any]
) -> Finding:
    """Someone acknowledged the incident."""
    if incident.acknowledged_at is None:
        return Finding(False, "nobody has acknowledged it yet")
    return Finding(True, f"acknowledged at {format_local(incident.acknowledged_at)}")


def commander(store: Any, incident: Incident, now: datetime, params: Mapping[str, Any]) -> Finding:
    """An incident commander is named."""
    if not incident.commander:
        return Finding(False, "no incident commander named yet")
    return Finding(True, f"{incident.commander} is the commander")


def severity(store: Any, incident: Incident, now: datetime, params: Mapping[str, Any]) -> Finding:
    """The incident has a known severity (declared with one; it can be changed later)."""
    if incident.severity not in SEVERITIES:
        return Finding(False, "no severity set")
    return Finding(True, f"severity {incident.severity}")


CHECKS: dict[str, Check] = {
    "acknowledged": acknowledged,
    "commander": commander,
    "severity": severity,
}
