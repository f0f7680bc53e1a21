"""Step 3, "assess the damage": the one module the Assess panel and the CLI import.

Public API (all times are timezone-aware UTC datetimes; text is English)::

    # the form
    Assessment            frozen dataclass, one per incident (fields: core.assess.assessment)
    FIELDS[name]          FieldSpec(name, label, hint, parse, text), in form order
    parse_field(name, raw) -> value | FieldError      pure and cheap: call per keystroke
    field_text(assessment, name) -> str               the text a field shows
    apply_changes(assessment, changes, now=None) -> (Assessment, list[FieldError])
                                                      pure: an unsaved candidate
    # choices for pickers: core.assess.assessment.DATA_KINDS, REGIONS, CAUSES, US_STATES

    # decisions (pure)
    decide(incident, assessment, override, now) -> AssessView
    AssessView(assessment, apology, clocks, header, severity, problems, notice)
      apology   ApologyDecision(verdict, send, locked, reason, override)
      clocks    BreachClocks(clocks, reason, notes); each BreachClock has jurisdiction,
                audience, deadline, remaining, status, due_text, condition, source, url,
                last_reviewed; status is running | due-soon | overdue |
                no-fixed-deadline | not-started
      header    HeaderClock(text, status, deadline): "GDPR authority 71h 58m"
      severity  SeverityDecision(severity, reason)
      notice    GUIDANCE_NOTICE: guidance, not legal advice

    # reading and writing (each write appends ONE event in the same transaction)
    load_assessment(store, incident) -> Assessment    version 0 when never saved
    assess_view(store, incident) -> AssessView        load + decide at store.clock()
    update_assessment(store, incident, changes, *, operator, expected_version=None)
        -> Assessment
    record_imported_count(store, incident, count, *, operator) -> Assessment
    accept_suggested_severity(store, incident, *, operator) -> Incident
    describe_event(details) -> str                    one line for the event log

    # errors (all CrisisError): AssessmentInvalid (a ValidationError; .problems lists
    # FieldErrors), StaleAssessment (.fresh), BreachRulesError (a rules file is broken)

``changes`` maps field names to the raw text typed, like ``{"affected_count": "12,500"}``.
The ``assessment_updated`` event lists the changed fields with their new values, except
free text (campaign and segment names, the cause description), recorded only by size:
an operator may type a person's name there, and the event log never holds personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from email_crisis.core.assess.apology_lock import LOCKED_KINDS
from email_crisis.core.assess.assessment import (
    ANSWER_FIELDS,
    CAUSES,
    DATA_KINDS,
    FREE_TEXT_FIELDS,
    REGIONS,
    TIME_FIELDS,
    TIME_LABELS,
    Assessment,
    FieldError,
    Parsed,
    cross_check,
    datetime_parser,
    flag_parser,
    names_parser,
    parse_cause,
    parse_cause_text,
    parse_cost_amount,
    parse_count,
    parse_currency,
    parse_data_exposed,
    parse_regions,
    parse_us_states,
)
from email_crisis.core.assess.breach_rules import GUIDANCE_NOTICE, BreachRulesError
from email_crisis.core.assess.decisions import (
    ApologyDecision,
    BreachClocks,
    HeaderClock,
    SeverityDecision,
    apology_decision,
    breach_clocks,
    header_clocks,
    suggested_severity,
)
from email_crisis.core.assess.override_store import Override, latest_override
from email_crisis.core.assess.store import StaleAssessment, load_assessment, save_assessment
from email_crisis.core.base.clock import format_local, from_iso, to_iso
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store

__all__ = [
    "FIELDS",
    "GUIDANCE_NOTICE",
    "AssessView",
    "Assessment",
    "AssessmentInvalid",
    "BreachRulesError",
    "FieldError",
    "FieldSpec",
    "StaleAssessment",
    "accept_suggested_severity",
    "apply_changes",
    "assess_view",
    "decide",
    "describe_event",
    "field_text",
    "load_assessment",
    "parse_field",
    "record_imported_count",
    "update_assessment",
]


# -- the form: labels, hints, parsers and how each value is shown ------------------------


def _local_text(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _join(values: Iterable[str]) -> str:
    return ", ".join(values)


@dataclass(frozen=True)
class FieldSpec:
    """How one form field is labelled, parsed and shown."""

    name: str
    label: str
    hint: str
    parse: Callable[[str], Parsed]
    text: Callable[[Any], str]


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def _in_order(vocabulary: dict[str, str]) -> Callable[[Any], str]:
    return lambda chosen: _join(key for key in vocabulary if key in chosen)


_YES_NO = "yes or no"
_LOCAL = "like 2026-11-27 09:30, local time"
# name, kind, label, hint. The kind picks the parser and formatter; "own" fields have
# their own pair in _OWN.
_FORM: tuple[tuple[str, str, str, str], ...] = (
    ("aware_at", "time", "Became aware at", f"{_LOCAL}; the legal clocks count from it"),
    ("campaigns", "names", "Campaigns", "names, comma-separated"),
    ("send_start", "time", "Send started", _LOCAL),
    ("send_end", "time", "Send ended", _LOCAL),
    ("segments", "names", "Segments", "names, comma-separated"),
    ("affected_count", "own", "Subscribers affected", "a whole number, like 12500"),
    ("affected_from_import", "flag", "Count from imported list", _YES_NO),
    ("data_exposed", "own", "Data exposed", _join(DATA_KINDS)),
    ("regions", "own", "Where they live", _join(REGIONS)),
    ("us_states", "own", "US states", "two-letter codes, like CA, NY"),
    ("cause", "own", "Cause", _join(CAUSES)),
    ("cause_text", "own", "What happened", "in your own words"),
    ("cost_amount", "own", "Estimated cost", "an amount, like 12500.50"),
    ("cost_currency", "own", "Currency", "three letters, like EUR"),
    ("needs_legal", "flag", "Legal needed", _YES_NO),
    ("needs_security", "flag", "Security needed", _YES_NO),
    ("needs_law_enforcement", "flag", "Law enforcement needed", _YES_NO),
    ("assessed_at", "time", "Assessed as notifiable at", "when you concluded it must be reported"),
    ("individuals_notified_at", "time", "People notified at", "when the affected people were told"),
)
_OWN: dict[str, tuple[Callable[[str], Parsed], Callable[[Any], str]]] = {
    "affected_count": (parse_count, _plain),
    "data_exposed": (parse_data_exposed, _in_order(DATA_KINDS)),
    "regions": (parse_regions, _in_order(REGIONS)),
    "us_states": (parse_us_states, lambda codes: _join(sorted(codes))),
    "cause": (parse_cause, _plain),
    "cause_text": (parse_cause_text, _plain),
    "cost_amount": (parse_cost_amount, _plain),
    "cost_currency": (parse_currency, _plain),
}


def _build(
    name: str, kind: str, label: str
) -> tuple[Callable[[str], Parsed], Callable[[Any], str]]:
    if kind == "time":
        parse = datetime_parser(name, TIME_LABELS[name], required=name == "aware_at")
        return parse, _local_text
    if kind == "names":
        return names_parser(name, label.rstrip("s")), _join
    if kind == "flag":
        return flag_parser(name, label), lambda value: "yes" if value else "no"
    return _OWN[name]


FIELDS: dict[str, FieldSpec] = {
    name: FieldSpec(name, label, hint, *_build(name, kind, label))
    for name, kind, label, hint in _FORM
}
"""Every form field by name, in form order."""


def parse_field(name: str, raw: str) -> Parsed:
    """Parse what the operator typed into field ``name``: the value, or a ``FieldError``."""
    spec = FIELDS.get(name)
    if spec is None:
        return FieldError(name, f"There is no assessment field called '{name}'.")
    return spec.parse(raw)


def field_text(assessment: Assessment, name: str) -> str:
    """The text a form field shows for the current value (``parse_field`` reads it back)."""
    return FIELDS[name].text(getattr(assessment, name))


class AssessmentInvalid(ValidationError):
    """One or more fields were refused; ``problems`` says which and why, field by field."""

    def __init__(self, problems: list[FieldError]) -> None:
        listed = "; ".join(
            f"{FIELDS[p.field].label if p.field in FIELDS else p.field}: {p.message}"
            for p in problems
        )
        super().__init__(f"The assessment was not saved. {listed}")
        self.problems = tuple(problems)


@dataclass(frozen=True)
class AssessView:
    """Everything the Assess panel shows beside the form."""

    assessment: Assessment
    apology: ApologyDecision
    clocks: BreachClocks
    header: tuple[HeaderClock, ...]
    severity: SeverityDecision
    problems: tuple[FieldError, ...]
    notice: str = GUIDANCE_NOTICE


def apply_changes(
    assessment: Assessment, changes: Mapping[str, str], now: datetime | None = None
) -> tuple[Assessment, list[FieldError]]:
    """The assessment with the typed ``changes`` applied, and every problem found.

    Fields that fail to parse keep their old value. Typing a count by hand clears
    "count from imported list" unless that field is given too.
    """
    values: dict[str, Any] = {}
    problems: list[FieldError] = []
    for name, raw in changes.items():
        value = parse_field(name, raw)
        if isinstance(value, FieldError):
            problems.append(value)
        else:
            values[name] = value
    if "affected_count" in values and "affected_from_import" not in changes:
        values["affected_from_import"] = False
    candidate = replace(assessment, **values)
    problems += cross_check(candidate, now)
    return candidate, problems


def decide(
    incident: Incident, assessment: Assessment, override: Override | None, now: datetime
) -> AssessView:
    """Every decision for ``assessment`` at ``now`` (pure; works on unsaved candidates)."""
    clocks = breach_clocks(assessment, now)
    return AssessView(
        assessment=assessment,
        apology=apology_decision(incident.kind, assessment, override),
        clocks=clocks,
        header=header_clocks(clocks),
        severity=suggested_severity(incident.kind, assessment),
        problems=tuple(cross_check(assessment, now)),
    )


def assess_view(store: Store, incident: Incident) -> AssessView:
    """Load the saved assessment (and any override) and decide at ``store.clock()``."""
    override = latest_override(store, incident.id) if incident.kind in LOCKED_KINDS else None
    return decide(incident, load_assessment(store, incident), override, store.clock())


def _event_value(name: str, value: Any) -> Any:
    if name in FREE_TEXT_FIELDS:  # the operator's own words: size only
        return {"characters": len(value)} if isinstance(value, str) else {"items": len(value)}
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def update_assessment(
    store: Store,
    incident: Incident,
    changes: Mapping[str, str],
    *,
    operator: str,
    expected_version: int | None = None,
) -> Assessment:
    """Validate the typed ``changes`` and save them with one ``assessment_updated`` event.

    ``expected_version`` is the version the operator was looking at (``None``: the
    latest). Raises ``AssessmentInvalid`` listing every bad field, or ``StaleAssessment``
    when someone else saved first. With nothing actually changed, nothing is written.
    """
    unknown = [name for name in changes if name not in FIELDS]
    if unknown:
        raise AssessmentInvalid(
            [FieldError(name, "there is no assessment field with this name.") for name in unknown]
        )
    current = load_assessment(store, incident)
    if expected_version is not None and current.version != expected_version:
        raise StaleAssessment(
            f"the assessment of incident {incident.id} was changed by {current.updated_by} "
            f"since you loaded it (version {expected_version}, now {current.version}); "
            "nothing was saved. Review the latest answers and try again.",
            current,
        )
    candidate, problems = apply_changes(current, changes, store.clock())
    if problems:
        raise AssessmentInvalid(problems)
    changed = [n for n in ANSWER_FIELDS if getattr(candidate, n) != getattr(current, n)]
    if not changed:
        return current
    details = {
        "fields": changed,
        "values": {name: _event_value(name, getattr(candidate, name)) for name in changed},
    }
    return save_assessment(store, incident, candidate, operator=operator, details=details)


def record_imported_count(
    store: Store, incident: Incident, count: int, *, operator: str
) -> Assessment:
    """Set the affected count from an imported list (for the audience builder)."""
    return update_assessment(
        store,
        incident,
        {"affected_count": str(count), "affected_from_import": "yes"},
        operator=operator,
    )


def accept_suggested_severity(store: Store, incident: Incident, *, operator: str) -> Incident:
    """Set the incident's severity to the suggested one (the usual severity event)."""
    suggestion = suggested_severity(incident.kind, load_assessment(store, incident))
    return ops.set_severity(store, incident, suggestion.severity, operator=operator)


_VOCABULARIES: dict[str, Mapping[str, str]] = {
    "data_exposed": {key: label.lower() for key, label in DATA_KINDS.items()},
    "regions": REGIONS,
    "cause": {key: label.lower() for key, label in CAUSES.items()},
}
"""Choice fields: their ids in the event, their words in the log."""


def field_words(assessment: Assessment, name: str) -> str:
    """A field's value in words, for reports: labels for choices, 12,500 for counts."""
    value = getattr(assessment, name)
    words = _VOCABULARIES.get(name)
    if words is not None and isinstance(value, str):
        return words.get(value, value)
    if words is not None and value:
        known = [label for key, label in words.items() if key in value]
        return ", ".join(known + sorted(v for v in value if v not in words))
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return field_text(assessment, name)


def describe_event(details: Mapping[str, Any]) -> str:
    """One line for an ``assessment_updated`` event: which fields, and their new values."""
    parts: list[str] = []
    values = details.get("values", {})
    for name in details.get("fields", []):
        label = FIELDS[name].label if name in FIELDS else str(name)
        if not label[:2].isupper():  # "US states" keeps its capitals
            label = label[0].lower() + label[1:]
        value = values.get(name)
        if name in FREE_TEXT_FIELDS:
            parts.append(f"{label} edited")
        elif value in (None, [], ""):
            parts.append(f"{label} cleared")
        elif name in TIME_FIELDS and isinstance(value, str):
            parts.append(f"{label}: {format_local(from_iso(value))}")
        elif isinstance(value, bool):
            parts.append(f"{label}: {'yes' if value else 'no'}")
        elif isinstance(value, list):
            words = _VOCABULARIES.get(name, {})
            parts.append(f"{label}: {', '.join(words.get(str(v), str(v)) for v in value)}")
        elif name in _VOCABULARIES:
            parts.append(f"{label}: {_VOCABULARIES[name].get(str(value), value)}")
        elif isinstance(value, int):
            parts.append(f"{label}: {value:,}")
        else:
            parts.append(f"{label}: {value}")
    return "updated the assessment: " + "; ".join(parts) if parts else "updated the assessment"
