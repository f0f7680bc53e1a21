"""What completes step 3, assess: checks named in ``core/steps/data/steps.toml``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from email_crisis.core.assess.assessment import Assessment
from email_crisis.core.assess.form import FIELDS
from email_crisis.core.assess.store import load_assessment
from email_crisis.core.base.clock import format_local
from email_crisis.core.base.criteria import Check, Finding
from email_crisis.core.base.domain import Incident
from email_crisis.core.store.database import Store


def _unanswered(assessment: Assessment, names: list[str]) -> list[str]:
    return [name for name in names if getattr(assessment, name) in (None, (), frozenset(), "")]


def saved(store: Store, incident: Incident, now: datetime, params: Mapping[str, Any]) -> Finding:
    """An assessment has been saved at least once."""
    assessment = load_assessment(store, incident)
    if not assessment.version:
        return Finding(False, "no assessment saved yet")
    return Finding(
        True,
        f"assessment saved (version {assessment.version}, {assessment.updated_by}, "
        f"{format_local(assessment.updated_at)})",
    )


def answered(store: Store, incident: Incident, now: datetime, params: Mapping[str, Any]) -> Finding:
    """The saved assessment answers what the decisions (apology, clocks, severity) need.

    ``always``: fields every incident needs; ``if_personal_data``: fields needed once
    personal data was exposed (the breach clocks depend on them); ``if_us``: fields
    needed when the people live in the United States and personal data was exposed.
    """
    assessment = load_assessment(store, incident)
    needed = list(params.get("always", []))
    if assessment.personal_data_exposed:
        needed += params.get("if_personal_data", [])
        if "us" in assessment.regions:
            needed += params.get("if_us", [])
    missing = _unanswered(assessment, needed)
    if missing:
        words = ", ".join(FIELDS[name].label if name in FIELDS else name for name in missing)
        return Finding(False, f"not answered yet: {words}")
    return Finding(True, "what the decisions need is answered")


CHECKS: dict[str, Check] = {"saved": saved, "answered": answered}
