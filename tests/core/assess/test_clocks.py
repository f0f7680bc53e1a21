"""Breach-notification clocks: one hand-computed deadline per shipped obligation, and the rules
that decide which clocks show and how they read."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from email_crisis.core.assess.assessment import Assessment
from email_crisis.core.assess.breach_rules import (
    GUIDANCE_NOTICE,
    Obligation,
    add_business_days,
    load_rules,
)
from email_crisis.core.assess.decisions import (
    DUE_SOON,
    NO_DEADLINE,
    NOT_STARTED,
    NOW_TEXT,
    OVERDUE,
    RUNNING,
    breach_clocks,
    header_clocks,
    span,
)

UTC = timezone.utc
# Aware on Friday 2026-11-27 at 09:30 UTC (the weekend follows: business days matter).
AWARE = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
ASSESSED = AWARE + timedelta(days=2)  # Sunday 2026-11-29 09:30
NOTIFIED = AWARE + timedelta(days=10)  # Monday 2026-12-07 09:30
RULES = load_rules()


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 9, 30, tzinfo=UTC)


# Worked out by hand from the calendar (None: "without undue delay" / "as soon as feasible").
EXPECTED: dict[str, datetime | None] = {
    "eu-gdpr-authority": at(11, 30),  # 72 hours
    "eu-gdpr-individuals": None,
    "uk-gdpr-ico": at(11, 30),
    "uk-gdpr-individuals": None,
    "us-ca-residents": at(12, 27),  # 30 calendar days
    "us-ca-attorney-general": at(12, 22),  # 15 days after the residents were told (Dec 7)
    "us-co-residents": at(12, 27),
    "us-co-attorney-general": at(12, 27),
    "us-fl-individuals": at(12, 27),
    "us-fl-legal-affairs": at(12, 27),
    "us-ny-residents": at(12, 27),
    "us-tx-individuals": at(1, 26, 2027),  # 60 days: 3 in Nov, 31 in Dec, 26 in Jan
    "us-tx-attorney-general": at(12, 27),
    # 14 weekdays from Fri Nov 27 in New York: Nov 30..Dec 4 (5), Dec 7..11 (10), 14..17 (14)
    "us-vt-attorney-general": at(12, 17),
    "us-vt-consumers": at(1, 11, 2027),  # 45 days: 3 + 31 + 11
    "us-wa-consumers": at(12, 27),
    "us-wa-attorney-general": at(12, 27),
    "ca-pipeda-commissioner": None,
    "ca-pipeda-individuals": None,
    "au-ndb-assessment": at(12, 27),
    "au-ndb-notify": None,
    "br-lgpd-anpd": at(12, 2),  # Fri -> Mon, Tue, Wed (weekend skipped)
    "br-lgpd-titulares": at(12, 2),
    "sg-pdpa-assessment": at(12, 27),
    "sg-pdpa-commission": at(12, 2),  # 3 days after the assessment (Sun Nov 29)
    "sg-pdpa-individuals": None,
}


def triggering(obligation: Obligation) -> Assessment:
    """An assessment that makes ``obligation`` apply."""
    return Assessment(
        aware_at=AWARE,
        data_exposed=frozenset({"credentials"}),  # personal data under every law in the table
        regions=frozenset({obligation.region}),
        us_states=frozenset({obligation.us_state} if obligation.us_state else ()),
        affected_count=obligation.min_affected,
        assessed_at=ASSESSED,
        individuals_notified_at=NOTIFIED,
    )


@pytest.mark.parametrize("obligation", RULES, ids=[o.id for o in RULES])
def test_each_shipped_obligation_has_its_hand_computed_deadline(obligation: Obligation) -> None:
    assert obligation.id in EXPECTED, f"work out the deadline of {obligation.id} by hand"
    result = breach_clocks(triggering(obligation), AWARE, RULES)
    (clock,) = [c for c in result.clocks if c.obligation.id == obligation.id]
    assert clock.deadline == EXPECTED[obligation.id]
    assert clock.status == (NO_DEADLINE if EXPECTED[obligation.id] is None else RUNNING)
    assert clock.jurisdiction and clock.audience and clock.condition
    assert clock.source and clock.url.startswith("http")
    assert clock.last_reviewed == obligation.last_reviewed.isoformat()


def test_the_expected_table_has_no_stale_entries() -> None:
    assert set(EXPECTED) == {o.id for o in RULES}


def test_the_table_covers_the_required_jurisdictions() -> None:
    regions = {o.region for o in RULES}
    assert regions >= {"eu-eea", "uk", "us", "canada", "australia", "brazil", "singapore"}
    assert {"CA", "CO", "FL", "WA", "TX"} <= {o.us_state for o in RULES}


def test_business_days_skip_the_weekend() -> None:
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert add_business_days(friday, 1, ZoneInfo("UTC")) == datetime(2026, 11, 30, 15, tzinfo=UTC)
    assert add_business_days(friday, 3, ZoneInfo("UTC")) == datetime(2026, 12, 2, 15, tzinfo=UTC)
    saturday = friday + timedelta(days=1)
    assert add_business_days(saturday, 1, ZoneInfo("UTC")) == datetime(2026, 11, 30, 15, tzinfo=UTC)


def test_business_day_weekends_are_those_of_the_jurisdiction() -> None:
    # Saturday 01:00 UTC is still Friday 22:00 in Sao Paulo (UTC-3): one business day
    # later is Monday 22:00 there, but Monday 01:00 for a clock kept in UTC.
    late_friday_local = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
    sao_paulo = ZoneInfo("America/Sao_Paulo")
    assert add_business_days(late_friday_local, 1, sao_paulo) == datetime(
        2026, 12, 1, 1, tzinfo=UTC
    )
    assert add_business_days(late_friday_local, 1, ZoneInfo("UTC")) == datetime(
        2026, 11, 30, 1, tzinfo=UTC
    )


def test_business_days_keep_the_wall_clock_time_across_daylight_saving() -> None:
    new_york = ZoneInfo("America/New_York")
    friday = datetime(2027, 3, 12, 10, 0, tzinfo=new_york)  # EST, DST starts Sunday 14th
    monday = add_business_days(friday, 1, new_york)
    assert monday.astimezone(new_york).replace(tzinfo=None) == datetime(2027, 3, 15, 10, 0)
    assert monday == datetime(2027, 3, 15, 14, 0, tzinfo=UTC)


def gdpr(**changes: object) -> Assessment:
    base = Assessment(
        aware_at=AWARE, data_exposed=frozenset({"email-addresses"}), regions=frozenset({"eu-eea"})
    )
    return replace(base, **changes)


def the_authority_clock(now: datetime, assessment: Assessment | None = None):
    result = breach_clocks(assessment or gdpr(), now, RULES)
    return next(c for c in result.clocks if c.obligation.id == "eu-gdpr-authority")


@pytest.mark.parametrize(
    ("after", "status", "due"),
    [
        (timedelta(minutes=2), RUNNING, "2026-11-30 09:30 (in 71h 58m)"),
        (timedelta(hours=47, minutes=59), RUNNING, "(in 24h 01m)"),
        (timedelta(hours=48), DUE_SOON, "(in 24h 00m)"),
        (timedelta(hours=71, minutes=59), DUE_SOON, "(in 1m)"),
        (timedelta(hours=72), DUE_SOON, "(in 0m)"),
        (timedelta(hours=74), OVERDUE, "(overdue by 2h 00m)"),
        (timedelta(days=9), OVERDUE, "(overdue by 6d 00h)"),
    ],
)
def test_status_and_countdown(after: timedelta, status: str, due: str) -> None:
    clock = the_authority_clock(AWARE + after)
    assert clock.status == status
    assert due in clock.due_text
    assert clock.remaining == at(11, 30) - (AWARE + after)


def test_no_fixed_deadline_reads_now_without_undue_delay() -> None:
    result = breach_clocks(gdpr(), AWARE, RULES)
    art34 = next(c for c in result.clocks if c.obligation.id == "eu-gdpr-individuals")
    assert art34.status == NO_DEADLINE and art34.deadline is None
    assert art34.due_text == NOW_TEXT == "now, without undue delay"
    assert "high risk" in art34.condition


def test_email_addresses_alone_are_personal_data_under_gdpr() -> None:
    result = breach_clocks(gdpr(), AWARE, RULES)
    assert [c.obligation.id for c in result.clocks] == ["eu-gdpr-authority", "eu-gdpr-individuals"]
    assert "email addresses" in result.reason and "2 notification obligations" in result.reason


@pytest.mark.parametrize(
    ("data", "words"),
    [(frozenset(), "not recorded yet"), (frozenset({"none"}), "No personal data was exposed")],
)
def test_no_clocks_without_personal_data(data: frozenset[str], words: str) -> None:
    everywhere = gdpr(
        data_exposed=data,
        regions=frozenset({"eu-eea", "uk", "us", "brazil"}),
        us_states=frozenset({"CA"}),
    )
    result = breach_clocks(everywhere, AWARE, RULES)
    assert result.clocks == ()
    assert words in result.reason


def test_clocks_follow_the_regions_and_states() -> None:
    result = breach_clocks(
        gdpr(
            data_exposed=frozenset({"credentials"}),
            regions=frozenset({"uk", "us"}),
            us_states=frozenset({"TX"}),
            affected_count=10_000,
        ),
        AWARE,
        RULES,
    )
    ids = [c.obligation.id for c in result.clocks]
    assert ids == [
        "uk-gdpr-ico",  # sorted by deadline, then the undated ones
        "us-tx-attorney-general",
        "us-tx-individuals",
        "uk-gdpr-individuals",
    ]


def test_thresholds_hide_an_obligation_that_cannot_apply() -> None:
    few = gdpr(
        data_exposed=frozenset({"payment-data"}),
        regions=frozenset({"us"}),
        us_states=frozenset({"TX", "CA"}),
        affected_count=100,
    )
    result = breach_clocks(few, AWARE, RULES)
    ids = {c.obligation.id for c in result.clocks}
    assert "us-tx-attorney-general" not in ids and "us-ca-attorney-general" not in ids
    assert "us-tx-individuals" in ids
    assert any("TX AG: not shown" in note and "250" in note for note in result.notes)
    unknown = breach_clocks(replace(few, affected_count=None), AWARE, RULES)
    assert "us-tx-attorney-general" in {c.obligation.id for c in unknown.clocks}


def test_us_state_laws_need_more_than_an_email_or_a_name() -> None:
    result = breach_clocks(
        gdpr(
            data_exposed=frozenset({"email-addresses", "names"}),
            regions=frozenset({"us"}),
            us_states=frozenset({"CA"}),
        ),
        AWARE,
        RULES,
    )
    assert result.clocks == ()
    assert any("CA residents" in note and "credentials" in note for note in result.notes)


def test_notes_say_what_is_missing() -> None:
    no_regions = breach_clocks(gdpr(regions=frozenset()), AWARE, RULES)
    assert any("where the affected people live" in n for n in no_regions.notes)
    assert "no clock in the table applies" in no_regions.reason
    us_only = breach_clocks(
        gdpr(data_exposed=frozenset({"credentials"}), regions=frozenset({"us", "other"})),
        AWARE,
        RULES,
    )
    assert any("Add the US states" in n for n in us_only.notes)
    assert any("living elsewhere" in n for n in us_only.notes)
    wyoming = breach_clocks(
        gdpr(
            data_exposed=frozenset({"credentials"}),
            regions=frozenset({"us"}),
            us_states=frozenset({"WY"}),
        ),
        AWARE,
        RULES,
    )
    assert any("Wyoming" in n for n in wyoming.notes)


def test_brazil_says_public_holidays_are_not_counted() -> None:
    result = breach_clocks(gdpr(regions=frozenset({"brazil"})), AWARE, RULES)
    assert any("public holidays are not counted" in n for n in result.notes)


def test_clocks_that_wait_for_a_later_moment_say_so() -> None:
    result = breach_clocks(gdpr(regions=frozenset({"singapore"}), assessed_at=None), AWARE, RULES)
    pdpc = next(c for c in result.clocks if c.obligation.id == "sg-pdpa-commission")
    assert pdpc.status == NOT_STARTED and pdpc.deadline is None
    assert "assessed as notifiable" in pdpc.due_text


def test_header_shows_the_soonest_dated_clocks() -> None:
    everywhere = gdpr(
        data_exposed=frozenset({"credentials"}),
        regions=frozenset({"eu-eea", "uk", "brazil", "us"}),
        us_states=frozenset({"CA"}),
    )
    header = header_clocks(breach_clocks(everywhere, AWARE + timedelta(minutes=2), RULES))
    assert [h.text for h in header] == ["GDPR authority 71h 58m", "ICO 71h 58m", "ANPD 4d 23h"]
    late = header_clocks(breach_clocks(everywhere, AWARE + timedelta(hours=74), RULES), limit=2)
    assert [(h.text, h.status) for h in late] == [
        ("GDPR authority OVERDUE 2h 00m", OVERDUE),
        ("ICO OVERDUE 2h 00m", OVERDUE),
    ]


def test_header_is_empty_without_dated_clocks() -> None:
    canada = gdpr(regions=frozenset({"canada"}))
    assert header_clocks(breach_clocks(canada, AWARE, RULES)) == ()


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=59), "0m"),
        (timedelta(minutes=45), "45m"),
        (timedelta(hours=71, minutes=58), "71h 58m"),
        (timedelta(hours=99, minutes=59), "99h 59m"),
        (timedelta(hours=100), "4d 04h"),
        (timedelta(days=29, hours=4), "29d 04h"),
    ],
)
def test_span(delta: timedelta, text: str) -> None:
    assert span(delta) == text


def test_the_guidance_notice_says_it_is_not_legal_advice() -> None:
    assert "not legal advice" in GUIDANCE_NOTICE
