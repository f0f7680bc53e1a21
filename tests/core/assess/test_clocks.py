"""Breach-notification clocks: one hand-computed deadline per shipped obligation, and the rules
that decide which clocks show and how they read."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from email_crisis.core.assess.assessment import CAUSES, Assessment
from email_crisis.core.assess.breach_rules import (
    GUIDANCE_NOTICE,
    Obligation,
    add_business_days,
    load_rules,
)
from email_crisis.core.assess.clocks import (
    DUE_SOON,
    NO_DEADLINE,
    NOT_IN_FORCE,
    NOW_TEXT,
    OVERDUE,
    RUNNING,
    WAITING,
    breach_clocks,
    header_clocks,
    span,
)
from email_crisis.core.assess.places import province_key, state_key

UTC = timezone.utc
# Aware on Friday 2026-11-27 at 09:30 UTC (the weekend follows: business days matter).
AWARE = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
ASSESSED = AWARE + timedelta(days=2)  # Sunday 2026-11-29 09:30
NOTIFIED = AWARE + timedelta(days=10)  # Monday 2026-12-07 09:30
RULES = load_rules()


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 9, 30, tzinfo=UTC)


# Worked out by hand from the calendar. None: no fixed deadline ("without undue delay",
# "as soon as feasible"); NOT_IN_FORCE: India's Rules apply from 2027-05-13.
EXPECTED: dict[str, datetime | str | None] = {
    "eu-gdpr-authority": at(11, 30),  # 72 hours
    "eu-gdpr-individuals": None,
    "eu-gdpr-processor": None,
    "uk-gdpr-ico": at(11, 30),
    "uk-gdpr-individuals": None,
    "uk-gdpr-processor": None,
    "us-ca-residents": at(12, 27),  # 30 calendar days
    "us-ca-attorney-general": at(12, 22),  # 15 days after the residents were told (Dec 7)
    "us-co-residents": at(12, 27),
    "us-co-residents-credit-agencies": None,
    "us-co-attorney-general": at(12, 27),
    "us-fl-individuals": at(12, 27),
    "us-fl-individuals-credit-agencies": None,
    "us-fl-legal-affairs": at(12, 27),
    "us-il-residents": None,
    "us-il-attorney-general": at(12, 7),  # no later than the residents' notice
    "us-ny-residents": at(12, 27),
    "us-ny-residents-credit-agencies": None,
    "us-ny-state-agencies": None,
    "us-or-consumers": at(1, 11, 2027),  # 45 days: 3 in Nov, 31 in Dec, 11 in Jan
    "us-or-consumers-credit-agencies": None,
    "us-or-attorney-general": at(1, 11, 2027),
    "us-or-vendor": at(12, 7),  # 10 days
    "us-tx-individuals": at(1, 26, 2027),  # 60 days: 3 in Nov, 31 in Dec, 26 in Jan
    "us-tx-individuals-credit-agencies": None,
    "us-tx-attorney-general": at(12, 27),
    # 14 weekdays from Fri Nov 27 in New York would be Thu Dec 17, but the consumers were
    # told on Mon Dec 7: "whichever is sooner" (9 V.S.A. § 2435(b)(3)).
    "us-vt-attorney-general": at(12, 7),
    "us-vt-consumers": at(1, 11, 2027),  # 45 days
    "us-vt-consumers-credit-agencies": None,
    "us-wa-consumers": at(12, 27),
    "us-wa-attorney-general": at(12, 27),
    "us-az-individuals": at(1, 11, 2027),
    "us-az-individuals-credit-agencies": None,
    "us-az-attorney-general": at(1, 11, 2027),
    "us-ct-residents": at(1, 26, 2027),  # 60 days
    "us-ct-attorney-general": at(12, 7),
    "us-de-residents": at(1, 26, 2027),
    "us-de-attorney-general": at(12, 7),
    "us-md-individuals": at(1, 11, 2027),
    "us-md-individuals-credit-agencies": None,
    "us-md-attorney-general": at(12, 7),  # before the individuals are told
    "us-ri-residents": at(1, 11, 2027),
    "us-ri-residents-credit-agencies": None,
    "us-ri-attorney-general": None,
    "us-sd-residents": at(1, 26, 2027),
    "us-sd-attorney-general": None,
    "us-al-individuals": at(1, 11, 2027),
    "us-al-individuals-credit-agencies": None,
    "us-al-attorney-general": at(1, 11, 2027),
    "ca-pipeda-commissioner": None,
    "ca-pipeda-individuals": None,
    "ca-qc-cai": None,
    "au-ndb-assessment": at(12, 27),
    "au-ndb-notify": None,
    "br-lgpd-anpd": at(12, 2),  # Fri -> Mon, Tue, Wed (weekend skipped)
    "br-lgpd-titulares": at(12, 2),
    "br-lgpd-declaracao": at(12, 7),  # 3 business days after Wed Dec 2: Thu, Fri, Mon
    "sg-pdpa-assessment": at(12, 27),
    "sg-pdpa-commission": at(12, 2),  # 3 days after the assessment (Sun Nov 29)
    "sg-pdpa-individuals": None,
    "jp-appi-ppc-preliminary": at(11, 30),  # 3 days
    "jp-appi-ppc-final": at(12, 27),  # 30 days
    "jp-appi-ppc-final-unlawful": at(1, 26, 2027),  # 60 days
    "jp-appi-individuals": None,
    "kr-pipa-individuals": at(11, 30),  # 72 hours
    "kr-pipa-pipc": at(11, 30),
    "ch-fadp-fdpic": None,
    "ch-fadp-individuals": None,
    "ch-fadp-processor": None,
    "za-popia-regulator-subjects": None,
    "za-popia-operator": None,
    "in-dpdp-board-initial": NOT_IN_FORCE,
    "in-dpdp-board-report": NOT_IN_FORCE,
    "in-dpdp-individuals": NOT_IN_FORCE,
}


def triggering(obligation: Obligation) -> Assessment:
    """An assessment that makes ``obligation`` apply: every kind of data, the right
    cause and role, and exactly its minimum of people living in its jurisdiction."""
    o = obligation
    if o.only_if_cause:
        cause = sorted(o.only_if_cause)[0]
    else:
        cause = next(c for c in CAUSES if c not in o.unless_cause)
    if o.us_state:
        place = state_key(o.us_state)
    elif o.ca_province:
        place = province_key(o.ca_province)
    else:
        place = o.region
    people = o.min_affected or 1
    return Assessment(
        aware_at=AWARE,
        data_exposed=frozenset({"names", "email-addresses", "credentials", "payment-data"}),
        regions=frozenset({o.region}),
        us_states=frozenset({o.us_state} if o.us_state else ()),
        affected_count=people,
        affected_by_place=((place, people),),
        cause=cause,
        processor_for_client=o.role == "processor",
        assessed_at=ASSESSED,
        individuals_notified_at=NOTIFIED,
    )


@pytest.mark.parametrize("obligation", RULES, ids=[o.id for o in RULES])
def test_each_shipped_obligation_has_its_hand_computed_deadline(obligation: Obligation) -> None:
    assert obligation.id in EXPECTED, f"work out the deadline of {obligation.id} by hand"
    result = breach_clocks(triggering(obligation), AWARE, RULES)
    (clock,) = [c for c in result.clocks if c.obligation.id == obligation.id]
    expected = EXPECTED[obligation.id]
    if expected == NOT_IN_FORCE:
        assert (clock.status, clock.deadline) == (NOT_IN_FORCE, None)
        assert clock.due_text.startswith(f"from {obligation.in_force_from}")
    else:
        assert clock.deadline == expected
        assert clock.status == (NO_DEADLINE if expected is None else RUNNING)
    assert clock.jurisdiction and clock.audience and clock.condition
    assert clock.citation and clock.url.startswith("http")
    assert clock.last_reviewed == obligation.last_reviewed.isoformat()
    assert clock.verified_text in clock.source_text


def test_the_expected_table_has_no_stale_entries() -> None:
    assert set(EXPECTED) == {o.id for o in RULES}


def test_the_table_covers_the_required_jurisdictions() -> None:
    regions = {o.region for o in RULES}
    assert regions >= {
        "eu-eea", "uk", "us", "canada", "australia", "brazil", "singapore",
        "japan", "south-korea", "switzerland", "south-africa", "india",
    }  # fmt: skip
    states = {o.us_state for o in RULES}
    assert {"CA", "CO", "FL", "WA", "TX", "IL", "OR", "NY", "VT"} <= states
    assert "QC" in {o.ca_province for o in RULES}
    assert {o.id for o in RULES if o.role == "processor"} >= {"eu-gdpr-processor"}


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
    # Texas "sensitive personal information" is a name with a financial account number and
    # its access code (Tex. Bus. & Com. Code § 521.002(a)(2)(A)(iii)).
    result = breach_clocks(
        gdpr(
            data_exposed=frozenset({"names", "payment-data"}),
            regions=frozenset({"uk", "us"}),
            us_states=frozenset({"TX"}),
            affected_count=10_000,
        ),
        AWARE,
        RULES,
    )
    ids = [c.obligation.id for c in result.clocks]
    assert ids == [
        "uk-gdpr-ico",  # sorted by deadline, then the undated ones in table order
        "us-tx-attorney-general",
        "us-tx-individuals",
        "uk-gdpr-individuals",
    ]
    # 10,000 people are not "more than 10,000": no credit-agency duty yet (§ 521.053(h)).
    assert "us-tx-individuals-credit-agencies" not in ids


def test_texas_is_not_triggered_by_an_email_and_its_password() -> None:
    """§ 521.002(a)(2) has no user-name-or-email-with-password element."""
    result = breach_clocks(
        gdpr(
            data_exposed=frozenset({"email-addresses", "credentials"}),
            regions=frozenset({"us"}),
            us_states=frozenset({"TX"}),
            affected_count=10_000,
        ),
        AWARE,
        RULES,
    )
    assert result.clocks == ()
    assert any("TX people" in n and "TX AG" in n for n in result.notes)


def test_a_total_without_counts_per_place_hides_only_what_cannot_apply() -> None:
    few = gdpr(
        data_exposed=frozenset({"credentials"}),
        regions=frozenset({"us"}),
        us_states=frozenset({"CA", "OR"}),
        affected_count=300,
    )
    result = breach_clocks(few, AWARE, RULES)
    by_id = {c.obligation.id: c for c in result.clocks}
    assert "us-ca-attorney-general" not in by_id  # 300 in all cannot be "more than 500"
    assert any("CA AG (only 300 affected in all; from 501)" in n for n in result.notes)
    # 300 in all could all be Oregonians: more than 250, so it may apply; it says so.
    oregon = by_id["us-or-attorney-general"]
    assert "May apply" in oregon.caveat and "Affected per place" in oregon.caveat
    unknown = breach_clocks(replace(few, affected_count=None), AWARE, RULES)
    assert "us-ca-attorney-general" in {c.obligation.id for c in unknown.clocks}


def test_thresholds_count_each_jurisdictions_own_residents() -> None:
    """600 affected, 60 of them in California: "more than 500 California residents"
    (Cal. Civ. Code § 1798.82(f)) is not reached, whatever the total."""
    placed = gdpr(
        data_exposed=frozenset({"credentials"}),
        affected_count=600,
        affected_by_place=(("eu-eea", 540), ("US-CA", 60)),
    )
    result = breach_clocks(placed, AWARE, RULES)
    ids = {c.obligation.id for c in result.clocks}
    assert "us-ca-residents" in ids and "us-ca-attorney-general" not in ids
    assert any("CA AG (60 affected in California; from 501)" in n for n in result.notes)
    many = replace(placed, affected_by_place=(("eu-eea", 99), ("US-CA", 501)))
    assert "us-ca-attorney-general" in {
        c.obligation.id for c in breach_clocks(many, AWARE, RULES).clocks
    }


def test_people_whose_place_is_unknown_may_tip_a_threshold() -> None:
    partly = gdpr(
        data_exposed=frozenset({"credentials"}),
        affected_count=1_000,
        affected_by_place=(("US-CA", 60), ("unknown", 900)),
    )
    result = breach_clocks(partly, AWARE, RULES)
    ag = next(c for c in result.clocks if c.obligation.id == "us-ca-attorney-general")
    assert ag.caveat == (
        "May apply: 60 affected are known to live in California and 940 more live in places "
        "not recorded; it applies from 501."
    )


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
    canada = breach_clocks(gdpr(regions=frozenset({"canada"})), AWARE, RULES)
    assert any("Québec" in n and "QC" in n for n in canada.notes)


def test_brazil_says_public_holidays_are_not_counted() -> None:
    result = breach_clocks(gdpr(regions=frozenset({"brazil"})), AWARE, RULES)
    anpd = next(c for c in result.clocks if c.obligation.id == "br-lgpd-anpd")
    assert "holidays are not counted" in anpd.obligation.note


def test_small_processing_agents_get_twice_as_long_in_brazil() -> None:
    """Regulation approved by Resolution CD/ANPD 15/2024, Annex Art. 6 § 8 and Art. 9 § 6:
    the deadlines are doubled; the declaration of Art. 9 § 4 (3 business days from the
    end of the people's deadline) is not."""
    small = gdpr(regions=frozenset({"brazil"}), small_agent=True)
    by_id = {c.obligation.id: c.deadline for c in breach_clocks(small, AWARE, RULES).clocks}
    # Fri Nov 27 + 6 business days: Nov 30, Dec 1, 2, 3, 4, 7.
    assert by_id["br-lgpd-anpd"] == by_id["br-lgpd-titulares"] == at(12, 7)
    assert by_id["br-lgpd-declaracao"] == at(12, 10)  # Tue 8, Wed 9, Thu 10


def test_clocks_that_wait_for_a_later_moment_say_so_and_start_when_it_is_recorded() -> None:
    waiting = gdpr(regions=frozenset({"singapore"}), assessed_at=None)
    pdpc = next(
        c
        for c in breach_clocks(waiting, AWARE, RULES).clocks
        if c.obligation.id == "sg-pdpa-commission"
    )
    assert pdpc.status == WAITING and pdpc.deadline is None
    assert pdpc.due_text == "waiting for: the assessment that it must be reported (then 3 days)"
    started = breach_clocks(replace(waiting, assessed_at=ASSESSED), AWARE, RULES)
    pdpc = next(c for c in started.clocks if c.obligation.id == "sg-pdpa-commission")
    assert (pdpc.status, pdpc.deadline) == (RUNNING, at(12, 2))  # PDPA s 26D(1)


def test_the_notice_marked_sent_starts_the_california_attorney_general_clock() -> None:
    """Cal. Civ. Code § 1798.82(f): 15 days from notifying more than 500 residents."""
    many = gdpr(
        data_exposed=frozenset({"credentials"}),
        affected_count=700,
        affected_by_place=(("US-CA", 700),),
    )
    ag = "us-ca-attorney-general"
    before = next(c for c in breach_clocks(many, AWARE, RULES).clocks if c.obligation.id == ag)
    assert before.status == WAITING and "notice to the affected people" in before.due_text
    sent = AWARE + timedelta(days=5)
    after = breach_clocks(many, AWARE, RULES, notified_at=sent)
    clock = next(c for c in after.clocks if c.obligation.id == ag)
    assert clock.deadline == sent + timedelta(days=15)
    # Whichever comes first: the assessment's own "People notified at", or Notify.
    earlier = replace(many, individuals_notified_at=sent - timedelta(days=1))
    clock = next(
        c
        for c in breach_clocks(earlier, AWARE, RULES, notified_at=sent).clocks
        if c.obligation.id == ag
    )
    assert clock.deadline == sent + timedelta(days=14)


def test_vermont_ends_at_the_consumer_notice_if_that_comes_first() -> None:
    """9 V.S.A. § 2435(b)(3): 14 business days, or when consumers are told, if sooner."""
    vermont = gdpr(
        data_exposed=frozenset({"credentials"}),
        regions=frozenset({"us"}),
        us_states=frozenset({"VT"}),
    )
    ident = "us-vt-attorney-general"
    first = next(c for c in breach_clocks(vermont, AWARE, RULES).clocks if c.obligation.id == ident)
    assert first.deadline == at(12, 17)
    assert first.due_text.endswith("or at the notice to the affected people if that comes first")
    told = AWARE + timedelta(days=3)
    moved = breach_clocks(vermont, AWARE, RULES, notified_at=told)
    clock = next(c for c in moved.clocks if c.obligation.id == ident)
    assert clock.deadline == told and "brought forward" in clock.due_text
    late = breach_clocks(vermont, AWARE, RULES, notified_at=at(12, 21))
    clock = next(c for c in late.clocks if c.obligation.id == ident)
    assert clock.deadline == at(12, 17)  # the 14 business days come first


def test_processor_duties_show_only_when_you_hold_the_data_for_a_client() -> None:
    """GDPR Art. 33(2): the processor tells the controller without undue delay."""
    own = breach_clocks(gdpr(), AWARE, RULES)
    assert "eu-gdpr-processor" not in {c.obligation.id for c in own.clocks}
    esp = breach_clocks(gdpr(processor_for_client=True), AWARE, RULES)
    assert "eu-gdpr-processor" in {c.obligation.id for c in esp.clocks}


def test_rules_not_yet_in_force_show_their_start_date() -> None:
    india = breach_clocks(gdpr(regions=frozenset({"india"})), AWARE, RULES)
    assert {c.status for c in india.clocks} == {NOT_IN_FORCE}
    assert all(c.due_text.startswith("from 2027-05-13") for c in india.clocks)
    assert "3 more are not in force yet" in india.reason
    later = gdpr(regions=frozenset({"india"}), aware_at=datetime(2027, 6, 1, 9, 0, tzinfo=UTC))
    report = next(
        c
        for c in breach_clocks(later, later.aware_at, RULES).clocks
        if c.obligation.id == "in-dpdp-board-report"
    )
    assert report.deadline == datetime(2027, 6, 4, 9, 0, tzinfo=UTC)  # r 7(2)(b): 72 hours


def test_header_shows_the_soonest_dated_clocks() -> None:
    everywhere = gdpr(
        data_exposed=frozenset({"credentials"}),
        regions=frozenset({"eu-eea", "uk", "brazil", "us"}),
        us_states=frozenset({"CA"}),
        affected_count=400,  # too few for the California attorney general
    )
    header = header_clocks(breach_clocks(everywhere, AWARE + timedelta(minutes=2), RULES))
    assert [h.text for h in header] == ["GDPR authority 71h 58m", "ICO 71h 58m", "ANPD 4d 23h"]
    late = header_clocks(breach_clocks(everywhere, AWARE + timedelta(hours=74), RULES), limit=2)
    assert [(h.text, h.status) for h in late] == [
        ("GDPR authority OVERDUE 2h 00m", OVERDUE),
        ("ICO OVERDUE 2h 00m", OVERDUE),
    ]
    # How many Californians is not recorded: the attorney general's clock may run, after
    # the notice to them; with a clock waiting, one dated clock fewer fits.
    california = replace(everywhere, us_states=frozenset({"CA"}), affected_count=None)
    header = header_clocks(breach_clocks(california, AWARE + timedelta(minutes=2), RULES))
    assert [h.text for h in header][-1] == "CA AG: waiting for notice to people"
    assert len(header) == 3


def test_header_says_which_clocks_wait_for_an_event() -> None:
    waiting = gdpr(regions=frozenset({"eu-eea", "singapore"}), assessed_at=None)
    header = header_clocks(breach_clocks(waiting, AWARE, RULES))
    assert [(h.text, h.status) for h in header] == [
        ("GDPR authority 72h 00m", RUNNING),
        ("SG assessment 30d 00h", RUNNING),
        ("PDPC, SG people: waiting for assessment", WAITING),
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


def test_every_clock_names_its_citation_and_how_it_was_checked() -> None:
    result = breach_clocks(gdpr(regions=frozenset({"uk", "south-africa"})), AWARE, RULES)
    texts = {c.obligation.id: c.source_text for c in result.clocks}
    assert texts["uk-gdpr-ico"] == (
        "UK GDPR (retained Regulation (EU) 2016/679 as amended) Art. 33(1) and (5); "
        "checked against the regulator's guidance, 2026-12-06"
    )
    assert "checked only against secondary sources" in texts["za-popia-regulator-subjects"]
