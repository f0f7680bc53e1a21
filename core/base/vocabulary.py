"""The words of an incident: kinds, severities and the six steps.

Apart from ``domain`` (which re-exports all of it beside the records ``Incident`` and
``Event``) so that ``email-crisis lint`` can name the kinds without building the
records' classes: a dataclass costs a millisecond or two to create.
"""

from __future__ import annotations

KINDS: dict[str, str] = {
    "wrong-content": "Wrong content (subject, offer or test copy)",
    "broken-personalization": "Broken personalisation (raw merge tags)",
    "wrong-segment": "Sent to the wrong segment",
    "suppression-list-send": "Sent to a suppression list",
    "malformed": "Malformed message",
    "data-breach": "Data breach",
    "other": "Other",
}
"""Incident kinds: stable ids (used by the CLI, playbooks and rules) to short labels."""

KIND_SHORT: dict[str, str] = {
    "wrong-content": "content",
    "broken-personalization": "merge tag",
    "wrong-segment": "segment",
    "suppression-list-send": "supp.list",
    "malformed": "malformed",
    "data-breach": "breach",
    "other": "other",
}
"""Kinds in nine characters at most, for narrow table columns."""

SEVERITIES: dict[str, str] = {
    "SEV1": "Critical: data exposed or harm still spreading",
    "SEV2": "Major: many subscribers hit, brand at risk",
    "SEV3": "Moderate: limited audience, contained quickly",
    "SEV4": "Minor: cosmetic, few people noticed",
}
"""Severities, SEV1 the worst."""

STEPS: tuple[str, ...] = ("own", "contain", "assess", "plan", "notify", "monitor")
"""The six steps of the response, in order."""

STEP_LABELS: dict[str, str] = {
    "own": "Own it",
    "contain": "Contain",
    "assess": "Assess",
    "plan": "Plan",
    "notify": "Notify",
    "monitor": "Monitor",
}

STEP_OWNERS: dict[str, str] = {
    "own": "marketing + leadership",
    "contain": "marketing + IT/security",
    "assess": "marketing + legal + security",
    "plan": "cross-functional",
    "notify": "marketing + legal",
    "monitor": "deliverability + marketing",
}

TIMESTAMP_FIELDS: tuple[str, ...] = (
    "detected_at",
    "acknowledged_at",
    "contained_at",
    "notified_at",
    "resolved_at",
)


def severity_rank(severity: str) -> int:
    """Return 1 for SEV1 (worst) up to 4 for SEV4."""
    return int(severity[3:])


def step_index(step: str) -> int:
    """Return the 0-based position of ``step`` among the six steps."""
    return STEPS.index(step)


def step_name(step: str) -> str:
    """A step as people read it: ``4 Plan`` (an unknown step is shown as it is)."""
    if step not in STEPS:
        return step
    return f"{STEPS.index(step) + 1} {STEP_LABELS[step]}"
