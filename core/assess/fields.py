"""The assessment form's fields: label, hint, parser and how each value is shown.

``FIELDS`` lists them in form order; ``parse_field`` reads what the operator typed and
``field_text`` shows a value so that ``parse_field`` reads it back. ``core.assess.form``
re-exports all three: the panel and the CLI import that module only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_crisis.core.assess.assessment import (
    CAUSES,
    DATA_KINDS,
    REGIONS,
    TIME_LABELS,
    Assessment,
    FieldError,
    Parsed,
    datetime_parser,
    flag_parser,
    names_parser,
    parse_affected_by_place,
    parse_cause,
    parse_cause_text,
    parse_cost_amount,
    parse_count,
    parse_currency,
    parse_data_exposed,
    parse_places_source,
    parse_regions,
    parse_us_states,
)
from email_crisis.core.assess.places import format_places


def _local_text(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _join(values: Iterable[str]) -> str:
    return ", ".join(values)


@dataclass(frozen=True)
class FieldSpec:
    """How one form field is labelled, parsed and shown (``shown``: on the form)."""

    name: str
    label: str
    hint: str
    parse: Callable[[str], Parsed]
    text: Callable[[Any], str]
    shown: bool = True


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
    ("affected_by_place", "own", "Affected per place", "like CA 60, TX 10, EU 200, UK 80"),
    ("places_source", "own", "Counts per place from", "typed, list or domains"),
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
    ("processor_for_client", "flag", "We hold it for a client", "yes if you are the ESP"),
    ("small_agent", "flag", "Small agent (Brazil)", "yes: a Brazilian small processing agent"),
    ("assessed_at", "time", "Assessed as notifiable at", "when you concluded it must be reported"),
    ("individuals_notified_at", "time", "People notified at", "when the affected people were told"),
)
_OWN: dict[str, tuple[Callable[[str], Parsed], Callable[[Any], str]]] = {
    "affected_count": (parse_count, _plain),
    "affected_by_place": (parse_affected_by_place, format_places),
    "places_source": (parse_places_source, _plain),
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


_HIDDEN = frozenset({"places_source"})  # set by imports and typing, kept, not on the form
FIELDS: dict[str, FieldSpec] = {
    name: FieldSpec(name, label, hint, *_build(name, kind, label), shown=name not in _HIDDEN)
    for name, kind, label, hint in _FORM
}
"""Every field by name, in form order (those with ``shown`` false are not on the form)."""


def parse_field(name: str, raw: str) -> Parsed:
    """Parse what the operator typed into field ``name``: the value, or a ``FieldError``."""
    spec = FIELDS.get(name)
    if spec is None:
        return FieldError(name, f"There is no assessment field called '{name}'.")
    return spec.parse(raw)


def field_text(assessment: Assessment, name: str) -> str:
    """The text a form field shows for the current value (``parse_field`` reads it back)."""
    return FIELDS[name].text(getattr(assessment, name))
