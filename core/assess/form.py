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
      clocks    BreachClocks(clocks, reason, notes) (core.assess.clocks); each BreachClock
                has jurisdiction, audience, deadline, local_text, remaining, status,
                due_text, waiting_for, caveat, condition, citation, verified_text,
                source_text, url, last_reviewed; status is running | due-soon | overdue |
                no-fixed-deadline | waiting | not-in-force
      header    HeaderClock(text, status, deadline): "GDPR authority 71h 58m", and one
                "PDPC: waiting for assessment" per event awaited (deadline None)
      severity  SeverityDecision(severity, reason)
      notice    GUIDANCE_NOTICE: guidance, not legal advice

    # reading and writing (each write appends ONE event in the same transaction)
    load_assessment(store, incident) -> Assessment    version 0 when never saved
    assess_view(store, incident) -> AssessView        load + decide at store.clock()
    update_assessment(store, incident, changes, *, operator, expected_version=None)
        -> Assessment
    record_imported_count(store, incident, count, *, operator, places=(), places_source="")
        -> Assessment                                 the affected list's count (and places)
    record_affected_list(store, incident, import_stats, *, operator) -> str
                                                      the same after an import; "" or why not
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

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from email_crisis.core.assess.apology_lock import LOCKED_KINDS
from email_crisis.core.assess.assessment import (
    ANSWER_FIELDS,
    CAUSES,
    DATA_KINDS,
    FREE_TEXT_FIELDS,
    PLACES_SOURCES,
    REGIONS,
    TIME_FIELDS,
    Assessment,
    FieldError,
    cross_check,
)
from email_crisis.core.assess.breach_rules import GUIDANCE_NOTICE, BreachRulesError
from email_crisis.core.assess.clocks import BreachClocks, HeaderClock, breach_clocks, header_clocks
from email_crisis.core.assess.decisions import (
    ApologyDecision,
    SeverityDecision,
    apology_decision,
    suggested_severity,
)
from email_crisis.core.assess.fields import FIELDS, FieldSpec, field_text, parse_field
from email_crisis.core.assess.override_store import Override, latest_override
from email_crisis.core.assess.places import (
    UNKNOWN,
    Places,
    canonical,
    describe_places,
    format_places,
)
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
    "record_affected_list",
    "record_imported_count",
    "update_assessment",
]


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
    "count from imported list" unless that field is given too; typing counts per place
    marks them typed (``places_source``) unless that field is given too.
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
    if "affected_by_place" in values and "places_source" not in changes:
        values["places_source"] = "typed" if values["affected_by_place"] else ""
    candidate = replace(assessment, **values)
    problems += cross_check(candidate, now)
    return candidate, problems


def decide(
    incident: Incident, assessment: Assessment, override: Override | None, now: datetime
) -> AssessView:
    """Every decision for ``assessment`` at ``now`` (pure; works on unsaved candidates).

    A clock waiting for the notice to the affected people also starts when the
    incident's notice was marked sent in Notify (``incident.notified_at``).
    """
    clocks = breach_clocks(assessment, now, notified_at=incident.notified_at)
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
    if name == "affected_by_place":
        return dict(value)
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
    store: Store,
    incident: Incident,
    count: int,
    *,
    operator: str,
    places: Places = (),
    places_source: str = "",
) -> Assessment:
    """Set the affected count, and the counts per place, from an imported list.

    ``places_source`` is ``list`` (the file had a country or state column) or
    ``domains`` (a guess from the addresses' country-code domains). A new list's counts
    replace an earlier list's (a list that places nobody clears them); counts per place
    the operator typed are never replaced.
    """
    changes = {"affected_count": str(count), "affected_from_import": "yes"}
    current = load_assessment(store, incident).places_source
    if any(place != UNKNOWN for place, _ in places) and current != "typed":
        changes |= {"affected_by_place": format_places(places), "places_source": places_source}
    elif current in ("list", "domains"):  # an earlier list's places: not this list's
        changes |= {"affected_by_place": "", "places_source": ""}
    return update_assessment(store, incident, changes, operator=operator)


class ImportedList(Protocol):
    """What ``record_affected_list`` reads of an import (``audience.build.ImportStats``)."""

    role: str
    addresses: int
    places: Places
    places_source: str


def record_affected_list(
    store: Store, incident: Incident, stats: ImportedList, *, operator: str
) -> str:
    """After an import: the affected list's count and places into the assessment.

    Returns ``""``, or a sentence saying why the assessment kept what it had (the
    import itself is done either way): for example counts per place typed by the
    operator that add up to more than the new list holds.
    """
    if stats.role != "affected":
        return ""
    try:
        record_imported_count(
            store,
            store.get_incident(incident.id),
            stats.addresses,
            operator=operator,
            places=stats.places,
            places_source=stats.places_source,
        )
    except (AssessmentInvalid, StaleAssessment) as error:
        return f"The assessment was not updated with the list's count: {error}"
    return ""


def accept_suggested_severity(store: Store, incident: Incident, *, operator: str) -> Incident:
    """Set the incident's severity to the suggested one (the usual severity event)."""
    suggestion = suggested_severity(incident.kind, load_assessment(store, incident))
    return ops.set_severity(store, incident, suggestion.severity, operator=operator)


_VOCABULARIES: dict[str, Mapping[str, str]] = {
    "data_exposed": {key: label.lower() for key, label in DATA_KINDS.items()},
    "regions": REGIONS,
    "cause": {key: label.lower() for key, label in CAUSES.items()},
    "places_source": PLACES_SOURCES,
}
"""Choice fields: their ids in the event, their words in the log."""


def field_words(assessment: Assessment, name: str) -> str:
    """A field's value in words, for reports: labels for choices, 12,500 for counts,
    people per place with where the counts came from."""
    value = getattr(assessment, name)
    if name == "affected_by_place" and value:
        source = PLACES_SOURCES.get(assessment.places_source, "")
        return describe_places(value) + (f" ({source})" if source else "")
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
        elif isinstance(value, dict):
            parts.append(f"{label}: {describe_places(canonical(value))}")
        elif name in _VOCABULARIES:
            parts.append(f"{label}: {_VOCABULARIES[name].get(str(value), value)}")
        elif isinstance(value, int):
            parts.append(f"{label}: {value:,}")
        else:
            parts.append(f"{label}: {value}")
    return "updated the assessment: " + "; ".join(parts) if parts else "updated the assessment"
