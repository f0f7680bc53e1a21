"""The form: each field's parser, good and bad input, the cross-field checks, round trips."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from email_crisis.core.assess.assessment import ANSWER_FIELDS, Assessment, FieldError, cross_check
from email_crisis.core.assess.form import FIELDS, apply_changes, field_text, parse_field
from tests.conftest import FROZEN_NOW

UTC = timezone.utc

GOOD: list[tuple[str, str, Any]] = [
    ("affected_count", "12500", 12500),
    ("affected_count", "12,500", 12500),
    ("affected_count", " 12 500 ", 12500),
    ("affected_count", "0", 0),
    ("affected_count", "", None),
    (
        "campaigns",
        "Black Friday preview, BF teaser; Black Friday preview",
        ("Black Friday preview", "BF teaser"),
    ),
    ("campaigns", "", ()),
    ("segments", "VIP\nLapsed", ("VIP", "Lapsed")),
    ("send_start", "2026-11-27 08:00", datetime(2026, 11, 27, 8, 0, tzinfo=UTC)),
    ("send_end", "2026-11-27T08:45:30Z", datetime(2026, 11, 27, 8, 45, 30, tzinfo=UTC)),
    ("send_end", "2026-11-27 9:45+01:00", datetime(2026, 11, 27, 8, 45, tzinfo=UTC)),
    ("send_end", "2026-11-27 03:45 -0500", datetime(2026, 11, 27, 8, 45, tzinfo=UTC)),
    ("send_end", "2026-11-27 08:45 utc", datetime(2026, 11, 27, 8, 45, tzinfo=UTC)),
    ("send_end", "", None),
    ("aware_at", "2026-11-27 09:00", datetime(2026, 11, 27, 9, 0, tzinfo=UTC)),
    ("data_exposed", "email-addresses, Names", frozenset({"email-addresses", "names"})),
    ("data_exposed", "passwords; card", frozenset({"credentials", "payment-data"})),
    ("data_exposed", "Postal addresses", frozenset({"postal-addresses"})),
    ("data_exposed", "none", frozenset({"none"})),
    ("data_exposed", "", frozenset()),
    (
        "regions",
        "EU, uk, USA, Brazil, sg",
        frozenset({"eu-eea", "uk", "us", "brazil", "singapore"}),
    ),
    ("regions", "elsewhere", frozenset({"other"})),
    ("us_states", "ca, NY,tx", frozenset({"CA", "NY", "TX"})),
    ("cause", "wrong-list-or-segment", "wrong-list-or-segment"),
    ("cause", "ESP outage or bug", "esp-outage"),
    ("cause", "", None),
    (
        "cause_text",
        "  The CRM sync picked the old list.\r\nWe stopped it.  ",
        "The CRM sync picked the old list.\nWe stopped it.",
    ),
    ("cost_amount", "12500", Decimal("12500")),
    ("cost_amount", "12,500.50", Decimal("12500.50")),
    ("cost_amount", "0.125", Decimal("0.125")),
    ("cost_amount", "", None),
    ("cost_currency", "eur", "EUR"),
    ("cost_currency", "", None),
    ("needs_legal", "yes", True),
    ("needs_security", "N", False),
    ("needs_law_enforcement", "", False),
    ("affected_from_import", "true", True),
    ("assessed_at", "2026-11-28 10:00", datetime(2026, 11, 28, 10, 0, tzinfo=UTC)),
    ("individuals_notified_at", "", None),
    (
        "regions",
        "Japan, south korea, CH, za, India",
        frozenset({"japan", "south-korea", "switzerland", "south-africa", "india"}),
    ),
    (
        "affected_by_place",
        "CA 60, TX 10, EU 200, UK 80",
        (("eu-eea", 200), ("uk", 80), ("US-CA", 60), ("US-TX", 10)),
    ),
    (
        "affected_by_place",
        "Québec: 5; canada=20\nIndia 1 200",
        (("canada", 20), ("CA-QC", 5), ("india", 1200)),
    ),
    # Two letters are a US state when there is one (IN: Indiana); else a country code.
    (
        "affected_by_place",
        "us-ny 3, FR 2, IN 1, unknown 7",
        (("eu-eea", 2), ("US-IN", 1), ("US-NY", 3), ("unknown", 7)),
    ),
    ("affected_by_place", "", ()),
    ("places_source", "list", "list"),
    ("places_source", "", ""),
    ("processor_for_client", "yes", True),
    ("small_agent", "no", False),
]

BAD: list[tuple[str, str, str]] = [
    ("affected_count", "12.5k", "Affected count must be a whole number, like 12500."),
    ("affected_count", "twelve", "Affected count must be a whole number, like 12500."),
    ("affected_count", "1,25", "Affected count must be a whole number, like 12500."),
    ("affected_count", "-3", "Affected count cannot be negative."),
    ("affected_count", "99999999999", "implausibly large"),
    ("campaigns", "ok, bad\x1b[31m", "control characters"),
    ("campaigns", "x" * 201, "the limit is 200"),
    ("campaigns", ",".join(f"c{i}" for i in range(51)), "at most 50"),
    ("send_start", "yesterday", "Start of the send window must be a date and time like"),
    ("send_end", "2026-11-27", "End of the send window must be a date and time like"),
    ("send_end", "2026-02-30 10:00", "is not a real date and time"),
    ("send_end", "2026-11-27 24:00", "is not a real date and time"),
    ("aware_at", "", "Time of awareness is required: the legal clocks count from it."),
    ("data_exposed", "ssn", "Unknown kind of data 'ssn'; choose from: none, email-addresses"),
    ("data_exposed", "none, names", "'none' cannot be combined"),
    ("regions", "ca", "Unknown region 'ca'"),
    ("us_states", "CA, XX", "Unknown US state 'XX'"),
    ("us_states", "California", "Unknown US state 'California'"),
    ("cause", "gremlins", "Unknown cause 'gremlins'"),
    ("cause", "human-error, esp-outage", "Choose one cause category"),
    ("cause_text", "bad \x1b]0;title\x07", "control characters"),
    ("cost_amount", "12.500,50", "must be an amount like 12500"),
    ("cost_amount", "-10", "cannot be negative"),
    ("cost_amount", "1.2345", "at most 3 decimals"),
    ("cost_amount", "1e20", "must be an amount like 12500"),
    ("cost_currency", "euro", "Currency must be a three-letter code such as EUR."),
    ("cost_currency", "€", "Currency must be a three-letter code such as EUR."),
    ("needs_legal", "maybe", "Legal needed: answer yes or no."),
    ("needs_security", "perhaps", "Security needed: answer yes or no."),
    ("needs_law_enforcement", "?", "Law enforcement needed: answer yes or no."),
    ("affected_from_import", "sometimes", "answer yes or no"),
    ("segments", "VIP\x07", "control characters"),
    ("assessed_at", "soon", "Time of the assessment must be a date and time"),
    ("individuals_notified_at", "2026-13-01 10:00", "is not a real date and time"),
    ("send_end", "2026-11-27 10:00+25:00", "offset +25:00 is invalid"),
    ("nonsense", "1", "There is no assessment field called 'nonsense'."),
    ("affected_by_place", "CA sixty", "'CA sixty': write a place then a whole number of people"),
    ("affected_by_place", "Mars 3", "'Mars' is not a place the rules know"),
    ("affected_by_place", "CA 60 TX 10", "separate the places with commas, like CA 60, TX 10."),
    ("affected_by_place", "CA 1, California 2", "are the same place (California); give it once"),
    ("affected_by_place", "EU -5", "'EU -5': a count of people cannot be negative."),
    ("affected_by_place", "EU 1,200", "'200': write a place then a whole number"),  # no commas
    ("affected_by_place", "CA 99999999999", "implausibly many"),
    ("affected_by_place", "\x1b[31mEU 3", "'␛[31mEU 3' contains control characters"),
    ("affected_by_place", "[bold]EU 3", "'[bold]EU' is not a place the rules know"),
    ("places_source", "guess", "Use one of typed, list, domains"),
    ("processor_for_client", "maybe", "We hold it for a client: answer yes or no."),
    ("small_agent", "?", "answer yes or no"),
]


@pytest.mark.parametrize(("name", "raw", "value"), GOOD)
def test_good_input(name: str, raw: str, value: Any) -> None:
    assert parse_field(name, raw) == value


@pytest.mark.parametrize(("name", "raw", "message"), BAD)
def test_bad_input_says_what_is_wrong(name: str, raw: str, message: str) -> None:
    result = parse_field(name, raw)
    assert isinstance(result, FieldError)
    assert result.field == name
    assert message in result.message


def test_every_field_has_good_and_bad_cases() -> None:
    assert {name for name, _, _ in GOOD} == set(FIELDS)
    assert {name for name, _, _ in BAD} == set(FIELDS) | {"nonsense"}


def test_the_form_lists_every_answer_with_a_label_and_a_hint() -> None:
    assert tuple(FIELDS) == ANSWER_FIELDS
    assert all(spec.label and spec.hint for spec in FIELDS.values())


FULL = Assessment(
    aware_at=datetime(2026, 11, 27, 9, 20, tzinfo=UTC),
    campaigns=("Black Friday preview",),
    send_start=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
    send_end=datetime(2026, 11, 27, 8, 45, tzinfo=UTC),
    segments=("VIP", "Lapsed"),
    affected_count=12500,
    affected_from_import=True,
    data_exposed=frozenset({"email-addresses", "names"}),
    regions=frozenset({"eu-eea", "us"}),
    us_states=frozenset({"CA", "NY"}),
    cause="wrong-list-or-segment",
    cause_text="The sync picked the old list.",
    cost_amount=Decimal("12500.50"),
    cost_currency="EUR",
    needs_legal=True,
    needs_security=False,
    needs_law_enforcement=False,
    assessed_at=datetime(2026, 11, 27, 9, 25, tzinfo=UTC),
    individuals_notified_at=None,
    affected_by_place=(("eu-eea", 9000), ("US-CA", 2000), ("CA-QC", 10), ("unknown", 1490)),
    places_source="list",
    processor_for_client=True,
    small_agent=False,
)


@pytest.mark.parametrize("name", ANSWER_FIELDS)
def test_field_text_reads_back_to_the_same_value(name: str) -> None:
    assert parse_field(name, field_text(FULL, name)) == getattr(FULL, name)


def test_field_text_is_what_an_operator_would_type() -> None:
    assert field_text(FULL, "data_exposed") == "email-addresses, names"
    assert field_text(FULL, "us_states") == "CA, NY"
    assert field_text(FULL, "send_start") == "2026-11-27 08:00"  # local time (UTC in tests)
    assert field_text(FULL, "needs_legal") == "yes"
    assert field_text(FULL, "individuals_notified_at") == ""
    assert field_text(FULL, "affected_by_place") == "eu-eea 9000, CA 2000, QC 10, unknown 1490"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"send_start": "2026-11-27 09:00", "send_end": "2026-11-27 08:00"},
            "send_end",
            "End of the send window is before its start.",
        ),
        ({"regions": "eu", "us_states": "CA"}, "us_states", "'us' is not among the regions"),
        ({"cost_amount": "100"}, "cost_currency", "Give the currency"),
        ({"assessed_at": "2026-11-27 09:00"}, "assessed_at", "before you became aware"),
        ({"individuals_notified_at": "2026-11-26 09:00"}, "individuals_notified_at", "before"),
        ({"aware_at": "2026-11-27 09:31"}, "aware_at", "Time of awareness is in the future."),
        ({"send_start": "2026-11-28 09:00"}, "send_start", "is in the future"),
        (
            {"affected_count": "100", "affected_by_place": "EU 80, CA 30"},
            "affected_by_place",
            "The counts per place add up to 110, more than the 100 people affected",
        ),
    ],
)
def test_cross_field_checks(changes: dict[str, str], field: str, message: str) -> None:
    base = Assessment(aware_at=FROZEN_NOW - timedelta(minutes=10))
    _, problems = apply_changes(base, changes, FROZEN_NOW)
    assert [(p.field, message in p.message) for p in problems] == [(field, True)]


def test_a_consistent_assessment_has_no_problems() -> None:
    assert cross_check(FULL, FROZEN_NOW) == []


def test_typing_counts_per_place_marks_them_typed() -> None:
    typed, problems = apply_changes(FULL, {"affected_by_place": "EU 12000, CA 500"})
    assert problems == [] and typed.places_source == "typed"
    cleared, _ = apply_changes(FULL, {"affected_by_place": ""})
    assert (cleared.affected_by_place, cleared.places_source) == ((), "")
    kept, _ = apply_changes(FULL, {"affected_by_place": "EU 1", "places_source": "domains"})
    assert kept.places_source == "domains"


def test_apply_changes_keeps_old_values_of_refused_fields_and_reports_all() -> None:
    base = replace(FULL, affected_from_import=True)
    candidate, problems = apply_changes(
        base, {"affected_count": "lots", "cost_currency": "euro", "regions": "uk, us"}
    )
    assert [p.field for p in problems] == ["affected_count", "cost_currency"]
    assert candidate.affected_count == 12500 and candidate.cost_currency == "EUR"
    assert candidate.regions == frozenset({"uk", "us"})


def test_typing_a_count_clears_the_imported_flag() -> None:
    candidate, _ = apply_changes(FULL, {"affected_count": "12000"})
    assert candidate.affected_count == 12000 and not candidate.affected_from_import
    kept, _ = apply_changes(FULL, {"affected_count": "12000", "affected_from_import": "yes"})
    assert kept.affected_from_import


def test_personal_data_exposed() -> None:
    assert not Assessment(aware_at=FROZEN_NOW).personal_data_exposed
    assert not Assessment(
        aware_at=FROZEN_NOW, data_exposed=frozenset({"none"})
    ).personal_data_exposed
    assert Assessment(
        aware_at=FROZEN_NOW, data_exposed=frozenset({"email-addresses"})
    ).personal_data_exposed
