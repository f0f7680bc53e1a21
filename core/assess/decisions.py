"""Decisions computed from an incident's kind and assessment: pure functions, plain reasons.

- ``apology_decision``: apologise, send a breach notice instead, or do not send at all.
- ``breach_clocks``: the regulatory clocks that run once personal data was exposed.
- ``header_clocks``: the soonest few of those, as short labels for the incident header.
- ``suggested_severity``: a severity with the rule that led to it.

Reasons are English sentences for the UI. They may quote an override's reason, which
is operator text: show it through ``core.base.text.visible`` like any other user text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from email_crisis.core.assess.assessment import DATA_KINDS, US_STATES, Assessment
from email_crisis.core.assess.breach_rules import Obligation, current_rules
from email_crisis.core.assess.override_store import Override
from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import severity_rank

SUPPRESSION_KIND = "suppression-list-send"

# -- apologise or not ----------------------------------------------------------------------

RECOMMENDED = "recommended"
BREACH_NOTICE = "breach-notice"
NOT_NEEDED = "not-needed"
DO_NOT_SEND = "do-not-send"
ALLOWED_WITH_OVERRIDE = "allowed-with-override"

_KIND_REASONS: dict[str, str] = {
    "wrong-content": (
        "Send a short, plain apology that says what was wrong and gives the right content or offer."
    ),
    "broken-personalization": (
        "Send a brief apology for the broken greeting: say sorry once, plainly, and make "
        "no joke of it."
    ),
    "wrong-segment": (
        "Apologise only to the people who got it by mistake; never widen the audience."
    ),
    "malformed": (
        "Send the corrected message with a one-line apology, so people get what they "
        "should have received."
    ),
    "other": "Tell the affected subscribers plainly what went wrong, and say you are sorry.",
}


@dataclass(frozen=True)
class ApologyDecision:
    """Whether to send an apology (``send``), whether the notify step is ``locked``, and why."""

    verdict: str
    send: bool
    locked: bool
    reason: str
    override: Override | None = None


def _labels(kinds: frozenset[str]) -> str:
    return ", ".join(DATA_KINDS[k].lower() for k in DATA_KINDS if k in kinds)


def apology_decision(
    kind: str, assessment: Assessment | None, override: Override | None
) -> ApologyDecision:
    """Decide about the apology from the incident kind, its assessment (if any) and override.

    A send to a suppression list is locked unless a named operator overrode the lock.
    """
    exposed = assessment is not None and assessment.personal_data_exposed
    if kind == SUPPRESSION_KIND:
        if override is not None:
            return ApologyDecision(
                ALLOWED_WITH_OVERRIDE,
                True,
                False,
                f"Locked because this was a send to a suppression list, but "
                f"{override.operator} lifted the lock on {format_local(override.at)}: "
                f"“{override.reason}”",
                override,
            )
        reason = (
            "Do not send an apology. These people had opted out or were suppressed: mailing "
            "them again is the harm itself. CAN-SPAM (US) and CASL (Canada) require opt-outs "
            "to be honoured within 10 business days, and another email would break that again."
        )
        if exposed:
            reason += (
                " Their personal data was exposed, though: a legally required breach notice "
                "is not a marketing email. Decide it with legal, and record their reason as "
                "an override."
            )
        return ApologyDecision(DO_NOT_SEND, False, True, reason)
    if assessment is not None and assessment.affected_count == 0:
        return ApologyDecision(
            NOT_NEEDED,
            False,
            False,
            "Nobody received it (0 subscribers affected), so there is nobody to apologise to.",
        )
    if kind == "data-breach" or exposed:
        if exposed and assessment is not None:
            why = f"Personal data was exposed ({_labels(assessment.data_exposed)})"
        else:
            why = "This is a data breach"
        return ApologyDecision(
            BREACH_NOTICE,
            True,
            False,
            f"{why}: send a data-breach notification, not a marketing apology. It may be "
            "legally required (see the clocks); legal and security decide its content and "
            "timing, and it must tell people how to protect themselves (change their "
            "password, turn on two-factor authentication).",
        )
    return ApologyDecision(
        RECOMMENDED,
        True,
        False,
        "Apology recommended. " + _KIND_REASONS.get(kind, _KIND_REASONS["other"]),
    )


# -- breach clocks -----------------------------------------------------------------------------

RUNNING = "running"
DUE_SOON = "due-soon"
OVERDUE = "overdue"
NO_DEADLINE = "no-fixed-deadline"
NOT_STARTED = "not-started"

DUE_SOON_WITHIN = timedelta(hours=24)
NOW_TEXT = "now, without undue delay"

_STARTS_WAITING = {
    "assessed": "starts when you record that the breach was assessed as notifiable",
    "individuals-notified": "starts when you record that the affected people were notified",
}


@dataclass(frozen=True)
class BreachClock:
    """One obligation's clock at a given moment."""

    obligation: Obligation
    started_at: datetime | None
    deadline: datetime | None
    remaining: timedelta | None  # negative once overdue
    status: str

    @property
    def jurisdiction(self) -> str:
        return self.obligation.jurisdiction

    @property
    def audience(self) -> str:
        return self.obligation.audience

    @property
    def condition(self) -> str:
        return self.obligation.condition

    @property
    def source(self) -> str:
        return self.obligation.source

    @property
    def url(self) -> str:
        return self.obligation.url

    @property
    def last_reviewed(self) -> str:
        return self.obligation.last_reviewed.isoformat()

    @property
    def due_text(self) -> str:
        """``2026-11-30 09:20 (in 71h 58m)``, ``overdue by 2h 05m``, ``now, without…``."""
        if self.status == NO_DEADLINE:
            return NOW_TEXT
        if self.status == NOT_STARTED:
            return _STARTS_WAITING[self.obligation.starts]
        assert self.deadline is not None and self.remaining is not None
        when = format_local(self.deadline)
        if self.remaining < timedelta(0):
            return f"{when} (overdue by {span(-self.remaining)})"
        return f"{when} (in {span(self.remaining)})"


@dataclass(frozen=True)
class BreachClocks:
    """The clocks that apply, why, and what the operator should check next."""

    clocks: tuple[BreachClock, ...]
    reason: str
    notes: tuple[str, ...] = ()


def span(delta: timedelta) -> str:
    """A countdown: ``45m``, ``71h 58m`` (up to 99 hours), then ``29d 04h``."""
    minutes = int(delta.total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return f"{minutes}m"
    if hours < 100:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours:02d}h"


def _clock(obligation: Obligation, assessment: Assessment, now: datetime) -> BreachClock:
    if obligation.window.kind == "none":
        return BreachClock(obligation, assessment.aware_at, None, None, NO_DEADLINE)
    started = {
        "aware": assessment.aware_at,
        "assessed": assessment.assessed_at,
        "individuals-notified": assessment.individuals_notified_at,
    }[obligation.starts]
    if started is None:
        return BreachClock(obligation, None, None, None, NOT_STARTED)
    deadline = obligation.deadline(started)
    assert deadline is not None
    remaining = deadline - now
    if remaining < timedelta(0):
        status = OVERDUE
    elif remaining <= DUE_SOON_WITHIN:
        status = DUE_SOON
    else:
        status = RUNNING
    return BreachClock(obligation, started, deadline, remaining, status)


def breach_clocks(
    assessment: Assessment, now: datetime, rules: tuple[Obligation, ...] | None = None
) -> BreachClocks:
    """The notification clocks that run for ``assessment`` at ``now``.

    ``rules`` defaults to the shipped table with the organisation's file applied.
    """
    a = assessment
    if not a.data_exposed:
        return BreachClocks(
            (),
            "Whether personal data was exposed is not recorded yet; the legal clocks "
            "appear once it is.",
        )
    if not a.personal_data_exposed:
        return BreachClocks(
            (), "No personal data was exposed, so no breach-notification clock runs."
        )
    table = current_rules() if rules is None else rules
    clocks: list[BreachClock] = []
    notes: list[str] = []
    hidden_by_data: list[str] = []
    covered_states: set[str] = set()
    for obligation in table:
        if obligation.region not in a.regions:
            continue
        if obligation.us_state is not None:
            if obligation.us_state not in a.us_states:
                continue
            covered_states.add(obligation.us_state)
        if obligation.data is not None and not (obligation.data & a.data_exposed):
            hidden_by_data.append(obligation.label)
            continue
        minimum = obligation.min_affected
        if minimum is not None and a.affected_count is not None and a.affected_count < minimum:
            notes.append(
                f"{obligation.label}: not shown, since only {a.affected_count:,} people are "
                f"affected in all (it applies from {minimum:,})."
            )
            continue
        clocks.append(_clock(obligation, a, now))
        if obligation.note and obligation.note not in notes:
            notes.append(obligation.note)
    if hidden_by_data:
        notes.append(
            f"Not shown ({', '.join(hidden_by_data)}): those laws cover data such as login "
            "credentials, card or ID numbers; names, email or postal addresses alone usually "
            "do not trigger them. Check with legal."
        )
    if not a.regions:
        notes.append("Record where the affected people live to see which deadlines apply.")
    if "us" in a.regions and not a.us_states:
        notes.append("Add the US states where affected people live to see their deadlines.")
    uncovered = sorted(a.us_states - covered_states)
    if uncovered and "us" in a.regions:
        names = ", ".join(US_STATES[s] for s in uncovered)
        notes.append(
            f"No fixed deadline in the table for {names}: most states require notice "
            "without unreasonable delay. Check each state's law with legal."
        )
    if "other" in a.regions:
        notes.append("For people living elsewhere, check the local law with legal counsel.")
    aware = format_local(a.aware_at)
    reason = f"Personal data was exposed ({_labels(a.data_exposed)}): " + (
        f"{len(clocks)} notification obligation{'s' if len(clocks) != 1 else ''} apply, "
        f"counted from when you became aware ({aware})."
        if clocks
        else "no clock in the table applies to what is recorded so far."
    )
    ordered = sorted(clocks, key=_urgency)
    return BreachClocks(tuple(ordered), reason, tuple(notes))


def _urgency(clock: BreachClock) -> tuple[int, datetime | str]:
    if clock.deadline is not None:
        return (0, clock.deadline)
    return (1 if clock.status == NO_DEADLINE else 2, clock.obligation.id)


@dataclass(frozen=True)
class HeaderClock:
    """A countdown for the incident header: ``GDPR authority 71h 58m``."""

    text: str
    status: str
    deadline: datetime


def header_clocks(result: BreachClocks, limit: int = 3) -> tuple[HeaderClock, ...]:
    """The soonest ``limit`` dated clocks (overdue first), as short labels."""
    items: list[HeaderClock] = []
    for clock in result.clocks:
        if clock.deadline is None or clock.remaining is None:
            continue
        if clock.status == OVERDUE:
            text = f"{clock.obligation.label} OVERDUE {span(-clock.remaining)}"
        else:
            text = f"{clock.obligation.label} {span(clock.remaining)}"
        items.append(HeaderClock(text, clock.status, clock.deadline))
    return tuple(sorted(items, key=lambda item: item.deadline)[:limit])


# -- suggested severity ------------------------------------------------------------------------

DEFAULT_SEVERITY = ("SEV3", "the usual level for a campaign mistake")
KIND_FLOORS: dict[str, tuple[str, str]] = {
    "data-breach": ("SEV2", "a data breach is at least a major incident"),
    SUPPRESSION_KIND: (
        "SEV2",
        "people who opted out were mailed: complaints and legal exposure follow",
    ),
}
CRITICAL_DATA = frozenset({"credentials", "payment-data"})
PERSONAL_BEYOND_EMAIL = frozenset({"names", "postal-addresses", "other"})
# 500 people is the scale at which many laws bring in the regulator (California, Washington,
# Colorado and Florida attorneys general; Singapore's "significant scale").
REGULATOR_SCALE = 500
# A six-figure audience means a large share of the list saw it: the brand is at risk.
LARGE_AUDIENCE = 100_000
# Under a hundred people, with no data exposed, a campaign mistake is minor.
SMALL_AUDIENCE = 100


@dataclass(frozen=True)
class SeverityDecision:
    """The suggested severity and the rule that set it."""

    severity: str
    reason: str


def suggested_severity(kind: str, assessment: Assessment) -> SeverityDecision:
    """Suggest a severity: the worst level any rule calls for, with that rule's reason."""
    a = assessment
    count = a.affected_count
    found: list[tuple[str, str]] = [KIND_FLOORS.get(kind, DEFAULT_SEVERITY)]
    exposed = a.data_exposed - {"none"}
    if exposed & CRITICAL_DATA:
        found.append(("SEV1", f"{_labels(exposed & CRITICAL_DATA)} exposed"))
    elif exposed & PERSONAL_BEYOND_EMAIL:
        what = _labels(exposed & PERSONAL_BEYOND_EMAIL)
        if count is not None and count >= REGULATOR_SCALE:
            found.append(
                ("SEV1", f"{what} of {count:,} people exposed (regulators step in from 500)")
            )
        else:
            found.append(("SEV2", f"{what} exposed"))
    elif exposed:
        found.append(("SEV2", "email addresses exposed: they are personal data, a clock may run"))
    if count is not None and count >= LARGE_AUDIENCE:
        found.append(("SEV2", f"{count:,} subscribers affected"))
    worst = min(found, key=lambda item: severity_rank(item[0]))
    nothing_else = len(found) == 1 and kind not in KIND_FLOORS and not exposed
    if nothing_else and count is not None and count < SMALL_AUDIENCE:
        who = "nobody received it" if count == 0 else f"only {count:,} subscribers affected"
        worst = ("SEV4", f"{who} and no personal data exposed")
    severity, why = worst
    return SeverityDecision(severity, f"{severity}: {why}.")
