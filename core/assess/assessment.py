"""The impact assessment (step 3): the form model, its per-field parsers and its JSON.

An ``Assessment`` is a frozen value. The form's fields (labels, hints, formatting) are
listed in ``core.assess.form.FIELDS``; on every keystroke the TUI calls
``core.assess.form.parse_field(name, raw)``, which uses the parsers here: each returns the
parsed value or a ``FieldError`` with a message the operator can act on. Parsers are pure and cheap
(no I/O, no clock). ``cross_check`` adds the checks that need several fields.

The assessment holds no personal data: counts, categories, regions, times, a cost.
Campaign and segment names and the cause text are free text typed by the operator;
they are stored, but never copied into the event log (see ``core.assess.form``). The JSON
stored for an assessment is written and read by ``core.assess.store``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from email_crisis.core.assess.places import (
    COUNT_MAX,
    REGION_ALIASES,
    REGIONS,
    US_STATES,
    PlaceError,
    Places,
    describe_places,
    parse_places,
    word_pairs,
)
from email_crisis.core.base.text import clean_block, clean_line

DATA_KINDS: dict[str, str] = {
    "none": "None",
    "email-addresses": "Email addresses",
    "names": "Names",
    "postal-addresses": "Postal addresses",
    "credentials": "Passwords or other credentials",
    "payment-data": "Payment data",
    "other": "Other personal data",
}
"""What may have been exposed; ``none`` excludes every other choice."""


def data_labels(kinds: frozenset[str]) -> str:
    """``email addresses, passwords or other credentials``: kinds of data in words."""
    return ", ".join(DATA_KINDS[k].lower() for k in DATA_KINDS if k in kinds)


CAUSES: dict[str, str] = {
    "human-error": "Human error",
    "wrong-list-or-segment": "Wrong list or segment",
    "template-or-merge-error": "Template or merge-field error",
    "integration-or-sync": "Integration or sync failure",
    "esp-outage": "ESP outage or bug",
    "security-compromise": "Security compromise",
    "other": "Other",
}
"""Cause categories (the details go in the free-text cause)."""


# What operators type instead of the ids (labels are accepted too).
_DATA_ALIASES = word_pairs(
    "email=email-addresses emails=email-addresses email-address=email-addresses name=names "
    "postal=postal-addresses address=postal-addresses addresses=postal-addresses "
    "postal-address=postal-addresses password=credentials passwords=credentials "
    "credential=credentials payment=payment-data card=payment-data cards=payment-data"
)

NAME_MAX = 200
LIST_MAX = 50
CAUSE_TEXT_MAX = 4000
PLACES_SOURCES: dict[str, str] = {
    "typed": "typed in",
    "list": "counted from the imported list's country/state column",
    "domains": "a guess from the email domains' country codes",
}
"""Where the counts per place came from (``""``: no counts recorded)."""
COST_MAX = Decimal("1e15")
COST_DECIMALS = 3  # BHD, JOD, KWD use three


@dataclass(frozen=True)
class FieldError:
    """Why the text typed into one field was refused."""

    field: str
    message: str


@dataclass(frozen=True)
class Assessment:
    """One incident's impact assessment. Times are timezone-aware UTC datetimes.

    ``version`` is 0 until the assessment is first saved; ``updated_by`` and
    ``updated_at`` describe the last save. They are storage metadata, not answers.
    """

    aware_at: datetime
    campaigns: tuple[str, ...] = ()
    send_start: datetime | None = None
    send_end: datetime | None = None
    segments: tuple[str, ...] = ()
    affected_count: int | None = None
    affected_from_import: bool = False
    affected_by_place: Places = ()
    places_source: str = ""
    data_exposed: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    us_states: frozenset[str] = frozenset()
    cause: str | None = None
    cause_text: str = ""
    cost_amount: Decimal | None = None
    cost_currency: str | None = None
    needs_legal: bool = False
    needs_security: bool = False
    needs_law_enforcement: bool = False
    processor_for_client: bool = False
    small_agent: bool = False
    assessed_at: datetime | None = None
    individuals_notified_at: datetime | None = None
    version: int = 0
    updated_by: str | None = None
    updated_at: datetime | None = None

    @property
    def personal_data_exposed(self) -> bool:
        """True when anything but ``none`` was exposed (email addresses count)."""
        return bool(self.data_exposed - {"none"})

    @property
    def people_placed(self) -> int:
        """How many people the counts per place add up to."""
        return sum(count for _, count in self.affected_by_place)


META_FIELDS = ("version", "updated_by", "updated_at")
ANSWER_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(Assessment) if f.name not in META_FIELDS
)
"""The names of the form fields, in form order (``aware_at`` first)."""

FREE_TEXT_FIELDS = frozenset({"campaigns", "segments", "cause_text"})
"""Fields whose text is the operator's own words: never copied into events."""
TIME_FIELDS = frozenset(
    {"aware_at", "send_start", "send_end", "assessed_at", "individuals_notified_at"}
)
SET_FIELDS = frozenset({"data_exposed", "regions", "us_states"})
PLACES_FIELD = "affected_by_place"
LIST_FIELDS = frozenset({"campaigns", "segments"})


def default_assessment(detected_at: datetime) -> Assessment:
    """The empty assessment of an incident: awareness defaults to its detection."""
    return Assessment(aware_at=detected_at.astimezone(timezone.utc))


# -- parsers: raw text in, value or FieldError out ---------------------------------------

Parsed = Any  # the value, or a FieldError


def _items(raw: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", raw) if part.strip()]


def _slug(text: str) -> str:
    return re.sub(r"[\s_]+", "-", unicodedata.normalize("NFC", text).strip().lower())


def names_parser(field: str, label: str) -> Callable[[str], Parsed]:
    def parse(raw: str) -> Parsed:
        seen: dict[str, None] = {}
        for item in _items(raw):
            try:
                seen[clean_line(item, field=label, max_length=NAME_MAX)] = None
            except ValueError as error:
                return FieldError(field, str(error))
        if len(seen) > LIST_MAX:
            return FieldError(field, f"{label}: at most {LIST_MAX} names.")
        return tuple(seen)

    return parse


def _choices(
    field: str, noun: str, vocabulary: dict[str, str], aliases: dict[str, str]
) -> Callable[[str], Parsed]:
    by_label = {_slug(label): key for key, label in vocabulary.items()}

    def parse(raw: str) -> Parsed:
        chosen: set[str] = set()
        for item in _items(raw):
            slug = _slug(item)
            key = slug if slug in vocabulary else aliases.get(slug) or by_label.get(slug)
            if key is None:
                return FieldError(
                    field, f"Unknown {noun} '{item}'; choose from: {', '.join(vocabulary)}."
                )
            chosen.add(key)
        return frozenset(chosen)

    return parse


_parse_data = _choices("data_exposed", "kind of data", DATA_KINDS, _DATA_ALIASES)


def parse_data_exposed(raw: str) -> Parsed:
    """Kinds of data exposed, comma-separated; ``none`` stands alone; empty = not known yet."""
    value = _parse_data(raw)
    if isinstance(value, frozenset) and "none" in value and len(value) > 1:
        return FieldError(
            "data_exposed", "'none' cannot be combined with other kinds of data; remove one."
        )
    return value


parse_regions = _choices("regions", "region", REGIONS, REGION_ALIASES)


def parse_us_states(raw: str) -> Parsed:
    """Two-letter US state codes, comma-separated (``CA, NY``)."""
    codes: set[str] = set()
    for item in _items(raw):
        code = item.upper()
        if code not in US_STATES:
            return FieldError("us_states", f"Unknown US state '{item}'; use codes like CA or NY.")
        codes.add(code)
    return frozenset(codes)


def parse_affected_by_place(raw: str) -> Parsed:
    """Counts per place, like ``CA 60, TX 10, EU 200, UK 80`` (see ``core.assess.places``)."""
    try:
        return parse_places(raw)
    except PlaceError as error:
        return FieldError("affected_by_place", str(error))


def parse_places_source(raw: str) -> Parsed:
    """Where the counts per place came from: typed, list, domains, or empty."""
    text = raw.strip().lower()
    if text and text not in PLACES_SOURCES:
        return FieldError(
            "places_source", f"Use one of {', '.join(PLACES_SOURCES)} (or leave it empty)."
        )
    return text


def parse_count(raw: str) -> Parsed:
    """A whole number of people (``12500``, ``12,500``, ``12 500``); empty = not known."""
    text = re.sub(r"[\s_]", "", raw)
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        text = text.replace(",", "")
    if re.fullmatch(r"-\d+", text):
        return FieldError("affected_count", "Affected count cannot be negative.")
    if not text.isdigit():
        return FieldError("affected_count", "Affected count must be a whole number, like 12500.")
    value = int(text)
    if value > COUNT_MAX:
        return FieldError("affected_count", f"Affected count {value:,} is implausibly large.")
    return value


_MOMENT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*(?:(Z|UTC)|([+-])(\d{2}):?(\d{2}))?",
    re.IGNORECASE,
)


def datetime_parser(field: str, label: str, *, required: bool) -> Callable[[str], Parsed]:
    """A parser for ``2026-11-27 09:30`` (local time), with optional seconds and offset."""
    example = "2026-11-27 09:30 (your local time) or 2026-11-27 09:30+00:00"

    def parse(raw: str) -> Parsed:
        text = raw.strip()
        if not text:
            if required:
                return FieldError(field, f"{label} is required: the legal clocks count from it.")
            return None
        match = _MOMENT.fullmatch(text)
        if match is None:
            return FieldError(field, f"{label} must be a date and time like {example}.")
        year, month, day, hour, minute, second, utc, sign, off_h, off_m = match.groups()
        zone = None
        if utc:
            zone = timezone.utc
        elif sign:
            offset = timedelta(hours=int(off_h), minutes=int(off_m))
            if offset >= timedelta(hours=24):
                return FieldError(field, f"{label}: the offset {sign}{off_h}:{off_m} is invalid.")
            zone = timezone(offset if sign == "+" else -offset)
        try:
            moment = datetime(
                int(year),
                int(month),
                int(day),
                int(hour),
                int(minute),
                int(second or 0),
                tzinfo=zone,
            )
        except ValueError:
            return FieldError(field, f"{label}: '{text}' is not a real date and time.")
        if moment.tzinfo is None:
            moment = moment.astimezone()  # typed in local time, as the UI shows times
        return moment.astimezone(timezone.utc)

    return parse


TIME_LABELS = {
    "aware_at": "Time of awareness",
    "send_start": "Start of the send window",
    "send_end": "End of the send window",
    "assessed_at": "Time of the assessment",
    "individuals_notified_at": "Time people were notified",
}


def parse_cause(raw: str) -> Parsed:
    """One cause category, or empty for not known yet."""
    if not raw.strip():
        return None
    value = _choices("cause", "cause", CAUSES, {})(raw)
    if isinstance(value, frozenset) and len(value) > 1:
        return FieldError("cause", "Choose one cause category; put the details in the description.")
    return next(iter(value)) if isinstance(value, frozenset) else value


def parse_cause_text(raw: str) -> Parsed:
    """What happened, in the operator's words (may be empty)."""
    if not raw.strip():
        return ""
    try:
        return clean_block(raw, field="Cause description", max_length=CAUSE_TEXT_MAX)
    except ValueError as error:
        return FieldError("cause_text", str(error))


def parse_cost_amount(raw: str) -> Parsed:
    """An amount like ``12500``, ``12,500.50`` or ``12500.5``; empty = not estimated."""
    text = re.sub(r"[\s_]", "", raw)
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    if text.startswith("-"):
        return FieldError("cost_amount", "Estimated cost cannot be negative.")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        return FieldError(
            "cost_amount", "Estimated cost must be an amount like 12500 or 12500.50 (dot decimals)."
        )
    value = Decimal(text)  # the pattern above admits only valid decimals
    if value >= COST_MAX:
        return FieldError("cost_amount", "Estimated cost is implausibly large.")
    if -value.as_tuple().exponent > COST_DECIMALS:  # type: ignore[operator]
        return FieldError("cost_amount", f"Estimated cost: at most {COST_DECIMALS} decimals.")
    return value


def parse_currency(raw: str) -> Parsed:
    """An ISO 4217 currency code (three letters, any case); empty = none."""
    text = raw.strip()
    if not text:
        return None
    if not re.fullmatch(r"[A-Za-z]{3}", text):
        return FieldError("cost_currency", "Currency must be a three-letter code such as EUR.")
    return text.upper()


def flag_parser(field: str, label: str) -> Callable[[str], Parsed]:
    def parse(raw: str) -> Parsed:
        text = raw.strip().lower()
        if text in ("yes", "y", "true", "1", "on", "x"):
            return True
        if text in ("no", "n", "false", "0", "off", ""):
            return False
        return FieldError(field, f"{label}: answer yes or no.")

    return parse


def cross_check(assessment: Assessment, now: datetime | None = None) -> list[FieldError]:
    """Checks that involve several fields (and, given ``now``, times in the future)."""
    a = assessment
    problems: list[FieldError] = []
    if a.send_start and a.send_end and a.send_end < a.send_start:
        problems.append(FieldError("send_end", "End of the send window is before its start."))
    if a.us_states and "us" not in a.regions:
        problems.append(
            FieldError("us_states", "US states are set but 'us' is not among the regions.")
        )
    if a.affected_count is not None and a.people_placed > a.affected_count:
        problems.append(
            FieldError(
                "affected_by_place",
                f"The counts per place add up to {a.people_placed:,}, more than the "
                f"{a.affected_count:,} people affected ({describe_places(a.affected_by_place)}).",
            )
        )
    if a.cost_amount is not None and a.cost_currency is None:
        problems.append(FieldError("cost_currency", "Give the currency of the estimated cost."))
    for name, label in (
        ("assessed_at", "The assessment"),
        ("individuals_notified_at", "Notifying people"),
    ):
        moment = getattr(a, name)
        if moment is not None and moment < a.aware_at:
            problems.append(FieldError(name, f"{label} cannot come before you became aware."))
    if now is not None:
        for name in ("aware_at", "send_start", "assessed_at", "individuals_notified_at"):
            moment = getattr(a, name)
            if moment is not None and moment > now:
                problems.append(FieldError(name, f"{TIME_LABELS[name]} is in the future."))
    return problems
