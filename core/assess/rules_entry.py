"""Checking one ``[[obligation]]`` entry of a breach-rules file (fields: ``rules_file``).

``check_entry`` turns a raw TOML table into an ``Obligation`` (and the credit-agency
duty written inside it, if any), or raises ``BreachRulesError`` naming the file, the
entry and the field's line.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_crisis.core.assess.assessment import CAUSES, DATA_KINDS
from email_crisis.core.assess.obligations import (
    EVENTS,
    ROLES,
    THRESHOLD_SCOPES,
    VERIFIED,
    WINDOW_KINDS,
    Obligation,
    Window,
)
from email_crisis.core.assess.places import PROVINCES, REGIONS, US_STATES
from email_crisis.core.base.toml_file import ConfigProblem

REQUIRED = (
    "id",
    "region",
    "label",
    "obligation",
    "audience",
    "window",
    "condition",
    "citation",
    "url",
    "last_reviewed",
)
SHIPPED_REQUIRED = ("verified",)
OPTIONAL = (
    "verified",
    "us_state",
    "ca_province",
    "waits_for",
    "ends_earlier_at",
    "in_force_from",
    "min_affected",
    "threshold_scope",
    "any_size_if",
    "only_if_cause",
    "unless_cause",
    "data",
    "data_with_name",
    "role",
    "time_zone",
    "alternative",
    "record_keeping",
    "small_agent_multiplier",
    "credit_agencies",
    "note",
)
OLD_NAMES = {"source": "citation", "starts": "waits_for"}
_TEXT = (
    "label",
    "obligation",
    "audience",
    "condition",
    "citation",
    "url",
    "alternative",
    "record_keeping",
    "note",
)
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
LABEL_MAX = 24
CRA_SUFFIX = "-credit-agencies"
# The longest window a law gives is counted in weeks; a year is plenty, and a bound
# keeps a typo (amount = 1e9) from overflowing a date or spinning the business-day count.
WINDOW_MAX = {"hours": 366 * 24, "calendar-days": 366, "business-days": 262, "none": 0}
PEOPLE_MAX = 10**10  # more than anyone's audience: a threshold above it is a typo


class BreachRulesError(ConfigProblem):
    """A breach-rules file cannot be used; the message names the file and the entry."""


class _Entry:
    """Checks one raw entry; ``fail`` names the file, entry and (for a field) its line."""

    def __init__(self, raw: dict[str, Any], where: str, lines: dict[str, int]) -> None:
        self.raw, self.where, self.lines = raw, where, lines

    def fail(self, problem: str, key: str | None = None) -> BreachRulesError:
        line = self.lines.get(key or "")
        if line:
            body, stop = (problem[:-1], ".") if problem.endswith(".") else (problem, "")
            problem = f"{body} (line {line}){stop}"
        return BreachRulesError(f"{self.where}: {problem}")

    def text(self, key: str, default: str = "") -> str:
        value = self.raw.get(key, default)
        if not isinstance(value, str):
            raise self.fail(f"{key} must be a string.", key)
        if key in self.raw and not value.strip():
            raise self.fail(f"{key} is empty.", key)
        return value

    def choice(
        self, key: str, allowed: tuple[str, ...] | list[str] | dict[str, str], default: str
    ) -> str:
        value = self.text(key, default) if key in self.raw else default
        if value not in allowed:
            raise self.fail(f"unknown {key} '{value}'; use one of {', '.join(allowed)}.", key)
        return value

    def day(self, key: str, example: str) -> date | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        if not isinstance(value, date) or isinstance(value, datetime):
            raise self.fail(f"{key} must be an ISO date like {example}.", key)
        return value

    def count(self, value: Any, key: str) -> int | None:
        if value is not None and (type(value) is not int or not 1 <= value <= PEOPLE_MAX):
            raise self.fail(
                f"{key} must be a whole number of people, from 1 to {PEOPLE_MAX:,}.", key
            )
        return value

    def words(
        self, value: Any, key: str, vocabulary: dict[str, str], what: str
    ) -> frozenset[str] | None:
        if value is None:
            return None
        allowed = set(vocabulary) - {"none"}
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(item, str) and item in allowed for item in value)
        ):
            raise self.fail(f"{key} must list {what}, from: {', '.join(sorted(allowed))}.", key)
        return frozenset(value)


def _renamed(entry: _Entry) -> dict[str, Any]:
    """The entry with older field names read as the current ones."""
    raw = dict(entry.raw)
    for old, new in OLD_NAMES.items():
        if old in raw:
            if new in raw:
                raise entry.fail(f"give {new} only ({old} is its older name).", old)
            raw[new] = raw.pop(old)
            entry.lines.setdefault(new, entry.lines.get(old, 0))
    if raw.get("waits_for") == "aware":  # the old "starts" default
        del raw["waits_for"]
    return raw


def _check_fields(entry: _Entry, organisation: bool) -> None:
    raw = entry.raw
    required = REQUIRED if organisation else (*REQUIRED, *SHIPPED_REQUIRED)
    missing = [key for key in required if key not in raw]
    if missing:
        raise entry.fail(f"missing field(s) {', '.join(missing)}.")
    unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise entry.fail(f"unknown field(s) {', '.join(unknown)}.", unknown[0])


def _window(entry: _Entry) -> Window:
    raw = entry.raw["window"]
    if not isinstance(raw, dict) or "kind" not in raw:
        raise entry.fail('window must be a table like { kind = "hours", amount = 72 }.', "window")
    kind, amount = raw["kind"], raw.get("amount", 0)
    if not isinstance(kind, str) or kind not in WINDOW_KINDS:
        raise entry.fail(
            f"unknown window kind {kind!r}; use one of {', '.join(WINDOW_KINDS)}.", "window"
        )
    if set(raw) - {"kind", "amount"}:
        raise entry.fail("window takes only kind and amount.", "window")
    if type(amount) is not int or amount < 0:
        raise entry.fail("window amount must be a whole number.", "window")
    if (kind == "none") != (amount == 0):
        raise entry.fail(
            "window amount must be positive, and absent (or 0) only for kind 'none'.", "window"
        )
    if amount > WINDOW_MAX[kind]:
        raise entry.fail(
            f"window amount {amount:,} is more than a year ({WINDOW_MAX[kind]} {kind}); "
            "no notification law gives that long.",
            "window",
        )
    return Window(kind, amount)


def _place(entry: _Entry) -> tuple[str | None, str | None]:
    raw = entry.raw
    entry.choice("region", REGIONS, "")
    state = entry.text("us_state") if "us_state" in raw else None
    province = entry.text("ca_province") if "ca_province" in raw else None
    if state is not None and (raw["region"] != "us" or state not in US_STATES):
        raise entry.fail(
            f"us_state '{state}' needs region 'us' and a two-letter state code.", "us_state"
        )
    if province is not None and (raw["region"] != "canada" or province not in PROVINCES):
        raise entry.fail(
            f"ca_province '{province}' needs region 'canada' and one of {', '.join(PROVINCES)}.",
            "ca_province",
        )
    return state, province


def _events(entry: _Entry) -> tuple[str | None, str | None]:
    waits = entry.raw.get("waits_for")
    if waits is not None:
        entry.text("waits_for")
        if waits not in EVENTS and not re.fullmatch(r"deadline:" + _ID.pattern, waits):
            raise entry.fail(
                f"unknown waits_for '{waits}'; use {', '.join(EVENTS)} or deadline:<id>.",
                "waits_for",
            )
    ends = entry.raw.get("ends_earlier_at")
    if ends is not None and (not isinstance(ends, str) or ends not in EVENTS):
        raise entry.fail(
            f"unknown ends_earlier_at '{ends}'; use one of {', '.join(EVENTS)}.",
            "ends_earlier_at",
        )
    return waits, ends


def _any_size(entry: _Entry) -> tuple[frozenset[str], frozenset[str]]:
    raw = entry.raw.get("any_size_if")
    if raw is None:
        return frozenset(), frozenset()
    if not isinstance(raw, dict) or not raw or set(raw) - {"cause", "data"}:
        raise entry.fail("any_size_if must be a table with cause and/or data lists.", "any_size_if")
    causes = entry.words(raw.get("cause"), "any_size_if", CAUSES, "cause ids")
    data = entry.words(raw.get("data"), "any_size_if", DATA_KINDS, "kinds of personal data")
    return causes or frozenset(), data or frozenset()


def _zone(entry: _Entry) -> str:
    zone = entry.text("time_zone", "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise entry.fail(
            f"unknown time_zone '{zone}' (an IANA name like America/Sao_Paulo; on Windows "
            "install the tzdata package).",
            "time_zone",
        ) from None
    return zone


def _obligation(entry: _Entry, origin: str, line: int) -> Obligation:
    raw = entry.raw
    for key in _TEXT:
        if key in raw:
            entry.text(key)
    if not _ID.fullmatch(entry.text("id")):
        raise entry.fail(
            "id must be lower-case words joined by hyphens, like eu-gdpr-authority.", "id"
        )
    state, province = _place(entry)
    if len(raw["label"]) > LABEL_MAX:
        raise entry.fail(
            f"label is longer than {LABEL_MAX} characters (it goes in the header).", "label"
        )
    if not re.match(r"https?://", raw["url"]):
        raise entry.fail("url must start with https:// (or http://).", "url")
    reviewed = entry.day("last_reviewed", "2026-11-20")
    assert reviewed is not None  # required
    waits, ends = _events(entry)
    causes, data = _any_size(entry)
    multiplier = raw.get("small_agent_multiplier", 1)
    if type(multiplier) is not int or not 1 <= multiplier <= 10:
        raise entry.fail(
            "small_agent_multiplier must be a whole number from 1 to 10.", "small_agent_multiplier"
        )
    verified = entry.choice("verified", list(VERIFIED), "") if "verified" in raw else ""
    return Obligation(
        id=raw["id"],
        region=raw["region"],
        label=raw["label"],
        obligation=raw["obligation"],
        audience=raw["audience"],
        window=_window(entry),
        condition=raw["condition"],
        citation=raw["citation"],
        url=raw["url"],
        last_reviewed=reviewed,
        verified=verified,
        us_state=state,
        ca_province=province,
        waits_for=waits,
        ends_earlier_at=ends,
        in_force_from=entry.day("in_force_from", "2027-05-13"),
        min_affected=entry.count(raw.get("min_affected"), "min_affected"),
        threshold_scope=entry.choice("threshold_scope", THRESHOLD_SCOPES, "jurisdiction"),
        any_size_causes=causes,
        any_size_data=data,
        only_if_cause=entry.words(raw.get("only_if_cause"), "only_if_cause", CAUSES, "cause ids"),
        unless_cause=entry.words(raw.get("unless_cause"), "unless_cause", CAUSES, "cause ids")
        or frozenset(),
        data=entry.words(raw.get("data"), "data", DATA_KINDS, "kinds of personal data"),
        data_with_name=entry.words(
            raw.get("data_with_name"), "data_with_name", DATA_KINDS, "kinds of personal data"
        ),
        role=entry.choice("role", ROLES, "controller"),
        time_zone=_zone(entry),
        alternative=raw.get("alternative", ""),
        record_keeping=raw.get("record_keeping", ""),
        small_agent_multiplier=multiplier,
        note=raw.get("note", ""),
        origin=origin,
        line=line,
    )


def _credit_agencies(entry: _Entry, parent: Obligation, organisation: bool) -> Obligation | None:
    """The consumer-reporting-agency duty written inside ``parent``, as its own obligation."""
    raw = entry.raw.get("credit_agencies")
    if raw is None:
        return None
    keys = {"min_affected", "condition", "citation", "verified", "threshold_scope"}
    needed = keys - {"threshold_scope"} - ({"verified"} if organisation else set())
    if not isinstance(raw, dict) or not needed <= set(raw) or set(raw) - keys:
        raise entry.fail(
            "credit_agencies must be a table of min_affected, condition, citation and verified "
            "(and optionally threshold_scope).",
            "credit_agencies",
        )
    sub = _Entry(raw, entry.where + ", credit_agencies", {})
    sub.lines = dict.fromkeys(raw, entry.lines.get("credit_agencies", 0))
    label = f"{parent.us_state or REGIONS[parent.region]} credit agencies"[:LABEL_MAX]
    return Obligation(
        id=parent.id + CRA_SUFFIX,
        region=parent.region,
        label=label,
        obligation="Notify the nationwide consumer reporting agencies (credit bureaus)",
        audience="nationwide consumer reporting agencies (Equifax, Experian, TransUnion)",
        window=Window("none"),
        condition=sub.text("condition"),
        citation=sub.text("citation"),
        url=parent.url,
        last_reviewed=parent.last_reviewed,
        verified=sub.choice("verified", list(VERIFIED), "") if "verified" in raw else "",
        us_state=parent.us_state,
        ca_province=parent.ca_province,
        min_affected=sub.count(raw["min_affected"], "min_affected") or 1,
        threshold_scope=sub.choice("threshold_scope", THRESHOLD_SCOPES, "jurisdiction"),
        data=parent.data,
        data_with_name=parent.data_with_name,
        only_if_cause=parent.only_if_cause,
        unless_cause=parent.unless_cause,
        role=parent.role,
        time_zone=parent.time_zone,
        origin=parent.origin,
        part_of=parent.id,
        line=entry.lines.get("credit_agencies", parent.line),
    )


def check_entry(
    raw: dict[str, Any], where: str, lines: dict[str, int], origin: str, *, organisation: bool
) -> tuple[Obligation, Obligation | None]:
    """The entry as an ``Obligation``, and its credit-agency duty (``None`` if it has none).

    ``where`` starts every message; ``lines`` maps the entry's field names to their lines.
    """
    entry = _Entry(raw, where, dict(lines))
    entry.raw = _renamed(entry)
    _check_fields(entry, organisation)
    obligation = _obligation(entry, origin, lines.get("id", 0))
    return obligation, _credit_agencies(entry, obligation, organisation)
