"""One breach, every jurisdiction an email business meets: the clocks against a table
worked out by hand from the laws' text and the calendar.

A breach found on Friday 2026-12-04 at 15:00 UTC: an outside attacker took the
subscriber login table (email address and usable password) of 600 people. The operator
types the assessment as in the Assess panel; the clocks are read back through the
same view the panel and the header show. Each row names its provision; the research
behind each entry (quotes, where it was read) is in its ``note`` and ``citation`` in
``core/assess/data/breach_rules.toml``.

Counting rules the table follows: calendar days and hours end at the same clock time
(the app's rule, never later than the law's end of day); business days skip Saturdays
and Sundays in the jurisdiction's time zone (New York for Vermont, Sao Paulo for
Brazil; no public holiday falls on these dates); "local" is the jurisdiction's clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.clocks import (
    NO_DEADLINE,
    NOT_IN_FORCE,
    OVERDUE,
    RUNNING,
    WAITING,
    BreachClock,
)
from email_crisis.core.base.clock import Clock
from email_crisis.core.base.domain import Incident
from email_crisis.core.notify import drafts as notify
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store

UTC = timezone.utc
FOUND = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # a Friday
LATER = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # Sunday: when the operator looks again

PEOPLE = (
    "EU 180, UK 80, CA 60, NY 40, IL 30, OR 20, CO 15, FL 15, TX 10, WA 10, VT 5, "
    "canada 20, QC 5, Australia 20, Japan 20, Korea 20, Switzerland 10, South Africa 10, "
    "Brazil 10, Singapore 10, India 10"
)  # 600 in all; Canada 25, of whom 5 in Québec; the US 205
EMAIL_AND_PASSWORD = {
    "aware_at": "2026-12-04 15:00+00:00",
    "affected_count": "600",
    "affected_by_place": PEOPLE,
    "data_exposed": "email-addresses, credentials",
    "cause": "security-compromise",
}

# (obligation, status, deadline in UTC, deadline on the jurisdiction's clock). In the
# order the panel lists them: by deadline (ties in table order), then "now, without
# undue delay", then waiting for an event, then not in force yet.
SCENARIO_A: list[tuple[str, str, str, str]] = [
    # GDPR Art. 33(1): 72 hours after becoming aware.
    ("eu-gdpr-authority", RUNNING, "Mon 2026-12-07 15:00", "Mon 2026-12-07 16:00 CET"),
    # UK GDPR Art. 33(1), ICO guidance: 72 hours.
    ("uk-gdpr-ico", RUNNING, "Mon 2026-12-07 15:00", "Mon 2026-12-07 15:00 GMT"),
    # APPI Art. 26(1), PPC Rules Art. 7(iii) (unauthorised access: any size), Art. 8(1)
    # "promptly", read by the PPC as about 3-5 days: the short end.
    ("jp-appi-ppc-preliminary", RUNNING, "Mon 2026-12-07 15:00", "Tue 2026-12-08 00:00 JST"),
    # PIPA Art. 34(1) with Decree Art. 39: 72 hours.
    ("kr-pipa-individuals", RUNNING, "Mon 2026-12-07 15:00", "Tue 2026-12-08 00:00 KST"),
    # PIPA Art. 34(3), Decree Art. 40: outside hacking, any size (20 < 1,000 irrelevant).
    ("kr-pipa-pipc", RUNNING, "Mon 2026-12-07 15:00", "Tue 2026-12-08 00:00 KST"),
    # Res. CD/ANPD 15/2024, Annex Art. 5 IV (authentication data), Art. 6: 3 business
    # days from Fri 12:00 in Sao Paulo: Mon 7, Tue 8, Wed 9.
    ("br-lgpd-anpd", RUNNING, "Wed 2026-12-09 15:00", "Wed 2026-12-09 12:00 -03"),
    # Annex Art. 9 caput: the same 3 business days for the people concerned.
    ("br-lgpd-titulares", RUNNING, "Wed 2026-12-09 15:00", "Wed 2026-12-09 12:00 -03"),
    # Annex Art. 9 § 4: 3 business days from the end of that deadline: Thu 10, Fri 11, Mon 14.
    ("br-lgpd-declaracao", RUNNING, "Mon 2026-12-14 15:00", "Mon 2026-12-14 12:00 -03"),
    # 9 V.S.A. § 2435(b)(3): 14 business days in Vermont (Dec 7-11, 14-18, 21-24), or the
    # consumer notice if sooner; credentials taken from us, so the notice is due.
    ("us-vt-attorney-general", RUNNING, "Thu 2026-12-24 15:00", "Thu 2026-12-24 10:00 EST"),
    # Cal. Civ. Code § 1798.82(a)(2)(A): 30 calendar days; credentials stand alone (h).
    ("us-ca-residents", RUNNING, "Sun 2027-01-03 15:00", "Sun 2027-01-03 07:00 PST"),
    # C.R.S. § 6-1-716(2): 30 days from the determination that a breach occurred.
    ("us-co-residents", RUNNING, "Sun 2027-01-03 15:00", "Sun 2027-01-03 08:00 MST"),
    # Fla. Stat. § 501.171(4)(a): 30 days.
    ("us-fl-individuals", RUNNING, "Sun 2027-01-03 15:00", "Sun 2027-01-03 10:00 EST"),
    # N.Y. Gen. Bus. Law § 899-aa(2), as amended by S2659-B: 30 days from discovery.
    ("us-ny-residents", RUNNING, "Sun 2027-01-03 15:00", "Sun 2027-01-03 10:00 EST"),
    # RCW 19.255.010: 30 days.
    ("us-wa-consumers", RUNNING, "Sun 2027-01-03 15:00", "Sun 2027-01-03 07:00 PST"),
    # Privacy Act 1988 (Cth) s 26WH(2): assessment within 30 days.
    ("au-ndb-assessment", RUNNING, "Sun 2027-01-03 15:00", "Mon 2027-01-04 02:00 AEDT"),
    # PDPA 2012 s 26C; the PDPC's 30-day expectation for the assessment.
    ("sg-pdpa-assessment", RUNNING, "Sun 2027-01-03 15:00", "Sun 2027-01-03 23:00 +08"),
    # ORS 646A.604(3)(a): 45 days.
    ("us-or-consumers", RUNNING, "Mon 2027-01-18 15:00", "Mon 2027-01-18 07:00 PST"),
    # 9 V.S.A. § 2435(b)(1): 45 days.
    ("us-vt-consumers", RUNNING, "Mon 2027-01-18 15:00", "Mon 2027-01-18 10:00 EST"),
    # PPC Rules Art. 8(2): 60 days for a possible unlawful purpose (Art. 7(iii)); the
    # 30-day final report is not shown in its place.
    ("jp-appi-ppc-final-unlawful", RUNNING, "Tue 2027-02-02 15:00", "Wed 2027-02-03 00:00 JST"),
    # No fixed deadline, in table order.
    ("eu-gdpr-individuals", NO_DEADLINE, "", ""),  # GDPR Art. 34(1): high risk
    ("uk-gdpr-individuals", NO_DEADLINE, "", ""),  # UK GDPR Art. 34(1)
    ("us-il-residents", NO_DEADLINE, "", ""),  # 815 ILCS 530/10(a): most expedient time
    ("us-ny-state-agencies", NO_DEADLINE, "", ""),  # § 899-aa(8)(a): any NY resident
    ("ca-pipeda-commissioner", NO_DEADLINE, "", ""),  # PIPEDA s. 10.1(2): as soon as feasible
    ("ca-pipeda-individuals", NO_DEADLINE, "", ""),  # PIPEDA s. 10.1(6)
    ("ca-qc-cai", NO_DEADLINE, "", ""),  # CQLR c. P-39.1 s. 3.5: promptly (5 in Québec)
    ("au-ndb-notify", NO_DEADLINE, "", ""),  # s 26WK(2), 26WL(3): as soon as practicable
    ("jp-appi-individuals", NO_DEADLINE, "", ""),  # APPI Art. 26(2)
    ("ch-fadp-fdpic", NO_DEADLINE, "", ""),  # FADP Art. 24(1): as quickly as possible
    ("ch-fadp-individuals", NO_DEADLINE, "", ""),  # FADP Art. 24(4)
    ("za-popia-regulator-subjects", NO_DEADLINE, "", ""),  # POPIA s 22(2): no threshold
    # PDPA s 26D(1): 3 days after the assessment that it is notifiable; s 26D(2): people
    # on or after notifying the PDPC. Nothing recorded yet.
    ("sg-pdpa-commission", WAITING, "", ""),
    ("sg-pdpa-individuals", WAITING, "", ""),
    # DPDP Rules 2025 r 7: in force 18 months after publication (13 Nov 2025).
    ("in-dpdp-board-initial", NOT_IN_FORCE, "", ""),
    ("in-dpdp-board-report", NOT_IN_FORCE, "", ""),
    ("in-dpdp-individuals", NOT_IN_FORCE, "", ""),
]

# Thresholds count each state's own residents: CA AG § 1798.82(f) "more than 500
# California residents", CO § 6-1-716(2)(f) 500 or more, FL § 501.171(3) 500 or more,
# IL 530/10(e) more than 500, OR 646A.604(1)(b) more than 250, WA RCW 19.255.010 more
# than 500; the credit-agency duties from 1,000 (CO), more than 1,000 (FL, OR, VT) and
# more than 5,000 (NY). 600 people in all reach none of them.
BELOW_THRESHOLDS = (
    "Not shown, below their thresholds (counted per jurisdiction): "
    "CA AG (60 affected in California; from 501), "
    "CO credit agencies (15 affected in Colorado; from 1,000), "
    "CO AG (15 affected in Colorado; from 500), "
    "FL credit agencies (15 affected in Florida; from 1,001), "
    "FL Legal Affairs (15 affected in Florida; from 500), "
    "IL AG (30 affected in Illinois; from 501), "
    "NY credit agencies (40 affected in New York; from 5,001), "
    "OR credit agencies (20 affected in Oregon; from 1,001), "
    "OR AG (20 affected in Oregon; from 251), "
    "VT credit agencies (5 affected in Vermont; from 1,001), "
    "WA AG (10 affected in Washington; from 501)."
)


@pytest.fixture
def clock_at() -> list[datetime]:
    """The moment the store's clock answers; a test moves it forward."""
    return [LATER]


@pytest.fixture
def scenario_store(db_path: Path, clock_at: list[datetime]) -> Iterator[Store]:
    clock: Clock = lambda: clock_at[0]  # noqa: E731
    with Store.open(db_path, clock=clock) as store:
        yield store


def breach(store: Store, **typed: str) -> Incident:
    """Declare the breach and type its assessment, as the operator does."""
    incident = ops.declare(
        store,
        title="Login table exfiltrated",
        kind="data-breach",
        operator="noor",
        detected_at=FOUND,
    )
    assess.update_assessment(store, incident, {**EMAIL_AND_PASSWORD, **typed}, operator="noor")
    return store.get_incident(incident.id)


def row(clock: BreachClock) -> tuple[str, str, str, str]:
    deadline = clock.deadline.strftime("%a %Y-%m-%d %H:%M") if clock.deadline else ""
    return (clock.obligation.id, clock.status, deadline, clock.local_text)


def test_email_and_password_for_600_people_across_the_jurisdictions(
    scenario_store: Store,
) -> None:
    incident = breach(scenario_store)
    view = assess.assess_view(scenario_store, incident)
    assert [row(c) for c in view.clocks.clocks] == SCENARIO_A
    texts = {c.obligation.id: c.due_text for c in view.clocks.clocks}
    assert texts["sg-pdpa-commission"] == (
        "waiting for: the assessment that it must be reported (then 3 days)"
    )
    assert texts["in-dpdp-board-report"] == ("from 2027-05-13 (not in force when you became aware)")
    assert texts["us-vt-attorney-general"].endswith(
        ", or at the notice to the affected people if that comes first"
    )
    assert BELOW_THRESHOLDS in view.clocks.notes
    # Tex. Bus. & Com. Code § 521.002(a)(2): no email-and-password element in Texas.
    assert any(n.startswith("Not shown (TX people, TX AG)") for n in view.clocks.notes)
    assert [h.text for h in view.header] == [
        "GDPR authority 27h 00m",
        "ICO 27h 00m",
        "PDPC, SG people: waiting for assessment",
    ]
    assert "not legal advice" in view.notice


def test_the_clocks_start_and_move_when_the_events_are_recorded(
    scenario_store: Store, clock_at: list[datetime]
) -> None:
    incident = breach(scenario_store)
    # Saturday 10:00 UTC: legal concluded it must be reported in Singapore.
    assess.update_assessment(
        scenario_store, incident, {"assessed_at": "2026-12-05 10:00+00:00"}, operator="noor"
    )
    # Sunday 11:00 UTC: the breach notice went out, marked sent in Notify.
    notify.mark_sent(
        scenario_store, incident, "noor", sent_at=datetime(2026, 12, 6, 11, 0, tzinfo=UTC)
    )
    view = assess.assess_view(scenario_store, scenario_store.get_incident(incident.id))
    rows = {c.obligation.id: row(c) for c in view.clocks.clocks}
    # PDPA s 26D(1): 3 calendar days after the assessment.
    assert rows["sg-pdpa-commission"] == (
        "sg-pdpa-commission",
        RUNNING,
        "Tue 2026-12-08 10:00",
        "Tue 2026-12-08 18:00 +08",
    )
    assert rows["sg-pdpa-individuals"][1] == NO_DEADLINE  # now, on or after the PDPC
    # 9 V.S.A. § 2435(b)(3): the consumers were told first, so the preliminary notice to
    # the attorney general was due then, an hour before "now".
    assert rows["us-vt-attorney-general"] == (
        "us-vt-attorney-general",
        OVERDUE,
        "Sun 2026-12-06 11:00",
        "Sun 2026-12-06 06:00 EST",
    )
    vermont = next(c for c in view.clocks.clocks if c.obligation.id == "us-vt-attorney-general")
    assert "brought forward to the notice to the affected people" in vermont.due_text
    assert not any(h.status == WAITING for h in view.header)


def test_a_small_processing_agent_in_brazil_gets_twice_as_long(scenario_store: Store) -> None:
    """Annex Art. 6 § 8 and Art. 9 § 6 double the deadlines; the declaration's own 3
    business days (Art. 9 § 4) are not doubled: Mon 7 ... Mon 14, then Tue 15, Wed 16, Thu 17."""
    incident = breach(scenario_store, small_agent="yes")
    rows = {
        c.obligation.id: row(c) for c in assess.assess_view(scenario_store, incident).clocks.clocks
    }
    assert rows["br-lgpd-anpd"][2:] == ("Mon 2026-12-14 15:00", "Mon 2026-12-14 12:00 -03")
    assert rows["br-lgpd-titulares"][2:] == ("Mon 2026-12-14 15:00", "Mon 2026-12-14 12:00 -03")
    assert rows["br-lgpd-declaracao"][2:] == ("Thu 2026-12-17 15:00", "Thu 2026-12-17 12:00 -03")


def test_an_esp_holding_the_data_for_a_client_tells_its_client(scenario_store: Store) -> None:
    incident = breach(scenario_store, processor_for_client="yes")
    rows = {
        c.obligation.id: row(c) for c in assess.assess_view(scenario_store, incident).clocks.clocks
    }
    # ORS 646A.604(2)(a): a vendor tells the covered entity within 10 days.
    assert rows["us-or-vendor"] == (
        "us-or-vendor",
        RUNNING,
        "Mon 2026-12-14 15:00",
        "Mon 2026-12-14 07:00 PST",
    )
    # GDPR Art. 33(2), UK GDPR Art. 33(2), FADP Art. 24(3), POPIA s 21(2): at once.
    for ident in (
        "eu-gdpr-processor",
        "uk-gdpr-processor",
        "ch-fadp-processor",
        "za-popia-operator",
    ):
        assert rows[ident][1] == NO_DEADLINE


def test_bank_credentials_bring_the_texas_clocks(scenario_store: Store) -> None:
    """Tex. Bus. & Com. Code § 521.002(a)(2)(A)(iii): a name with an account number and the
    password that opens it. § 521.053(b): individuals within 60 days of determining the
    breach; § 521.053(i): the attorney general within 30 days from 250 Texans."""
    bank = "names, email-addresses, credentials, payment-data"
    incident = breach(scenario_store, data_exposed=bank)
    view = assess.assess_view(scenario_store, incident)
    rows = {c.obligation.id: row(c) for c in view.clocks.clocks}
    assert rows["us-tx-individuals"] == (
        "us-tx-individuals",
        RUNNING,
        "Tue 2027-02-02 15:00",
        "Tue 2027-02-02 09:00 CST",
    )
    assert "us-tx-attorney-general" not in rows
    assert any("TX AG (10 affected in Texas; from 250)" in n for n in view.clocks.notes)

    texans = PEOPLE.replace("TX 10", "TX 250").replace("EU 180", "EU 0")  # 660 in all
    assess.update_assessment(
        scenario_store,
        incident,
        {"affected_by_place": texans, "affected_count": "660"},
        operator="noor",
    )
    view = assess.assess_view(scenario_store, incident)
    rows = {c.obligation.id: row(c) for c in view.clocks.clocks}
    assert rows["us-tx-attorney-general"] == (
        "us-tx-attorney-general",
        RUNNING,
        "Sun 2027-01-03 15:00",
        "Sun 2027-01-03 09:00 CST",
    )
    # § 521.053(h): the credit agencies only above 10,000 persons.
    assert "us-tx-individuals-credit-agencies" not in rows


def test_the_same_email_and_password_breach_starts_no_texas_clock(scenario_store: Store) -> None:
    incident = breach(
        scenario_store, affected_by_place=PEOPLE.replace("TX 10", "TX 400"), affected_count="990"
    )
    ids = {c.obligation.id for c in assess.assess_view(scenario_store, incident).clocks.clocks}
    assert not {i for i in ids if i.startswith("us-tx-")}
