"""The breach-notification clocks of one assessment at one moment: pure functions.

- ``breach_clocks``: every obligation that applies, its deadline and status, and notes
  on what was left out and why.
- ``header_clocks``: the soonest few, and those waiting for an event, for the header.

A clock starts when you became aware, unless its obligation waits for a later event:
the assessment that the breach must be reported (the assessment's "Assessed as
notifiable at"), the notice to the affected people (the assessment's "People notified
at", or the apology marked sent in Notify, whichever came first), or the end of another
obligation's deadline. Until then it shows "waiting for: …". A window that ends when
people are notified "if sooner" (Vermont) moves to that moment once it is recorded.
A rule not yet in force when you became aware shows "from DATE".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from email_crisis.core.assess.applicability import (
    BELOW_THRESHOLD,
    DATA_HIDDEN,
    present_provinces,
    present_regions,
    present_states,
    verdict,
)
from email_crisis.core.assess.assessment import Assessment, data_labels
from email_crisis.core.assess.breach_rules import rules_in_force
from email_crisis.core.assess.obligations import EVENTS, Obligation
from email_crisis.core.assess.places import US_STATES
from email_crisis.core.base.clock import format_local

RUNNING = "running"
DUE_SOON = "due-soon"
OVERDUE = "overdue"
NO_DEADLINE = "no-fixed-deadline"
WAITING = "waiting"
NOT_IN_FORCE = "not-in-force"

DUE_SOON_WITHIN = timedelta(hours=24)
NOW_TEXT = "now, without undue delay"
EVENT_SHORT = {"assessed": "assessment", "individuals-notified": "notice to people"}
FALLBACK_NOTE = (
    "Until it is fixed, these clocks follow the built-in table only, without your "
    "organisation's changes."
)
RULES_PROBLEM = "problem"  # a header entry's status: the organisation's rules are not used


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


@dataclass(frozen=True)
class BreachClock:
    """One obligation's clock at a given moment.

    ``waiting_for`` names the event a waiting clock needs; ``moved_to`` the event that
    ended a window early; ``caveat`` says when the obligation only may apply.
    """

    obligation: Obligation
    started_at: datetime | None
    deadline: datetime | None
    remaining: timedelta | None  # negative once overdue
    status: str
    waiting_for: str = ""
    moved_to: str = ""
    caveat: str = ""

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
    def citation(self) -> str:
        return self.obligation.citation

    @property
    def url(self) -> str:
        return self.obligation.url

    @property
    def last_reviewed(self) -> str:
        return self.obligation.last_reviewed.isoformat()

    @property
    def verified_text(self) -> str:
        """``checked against the law's text``, ``…only against secondary sources…``."""
        return self.obligation.verified_text

    @property
    def source_text(self) -> str:
        """The citation, how it was checked and when: one line under every clock."""
        return f"{self.citation}; {self.verified_text}, {self.last_reviewed}"

    @property
    def local_deadline(self) -> datetime | None:
        """The deadline on the jurisdiction's own clock (its ``time_zone``)."""
        if self.deadline is None:
            return None
        return self.deadline.astimezone(ZoneInfo(self.obligation.time_zone))

    @property
    def local_text(self) -> str:
        """``Mon 2026-12-07 16:00 CET``: the deadline where the obligation applies."""
        moment = self.local_deadline
        return "" if moment is None else moment.strftime("%a %Y-%m-%d %H:%M %Z")

    @property
    def due_text(self) -> str:
        """``2026-11-30 09:20 (in 71h 58m)``, ``waiting for: …``, ``from 2027-05-13…``."""
        o = self.obligation
        if self.status == NOT_IN_FORCE:
            return f"from {o.in_force_from} (not in force when you became aware)"
        if self.status == WAITING:
            then = f" (then {o.window.describe()})" if o.window.kind != "none" else ""
            return f"waiting for: {self.waiting_for}{then}"
        pending = o.ends_earlier_at is not None and not self.moved_to
        if self.status == NO_DEADLINE:
            if pending:
                return f"now, and no later than {EVENTS[o.ends_earlier_at or '']}"
            return NOW_TEXT
        assert self.deadline is not None and self.remaining is not None
        when = format_local(self.deadline)
        if self.remaining < timedelta(0):
            text = f"{when} (overdue by {span(-self.remaining)})"
        else:
            text = f"{when} (in {span(self.remaining)})"
        if self.moved_to:
            text += f", brought forward to {self.moved_to}"
        elif pending:
            text += f", or at {EVENTS[o.ends_earlier_at or '']} if that comes first"
        return text


@dataclass(frozen=True)
class BreachClocks:
    """The clocks that apply, why, and what the operator should check next.

    ``problem``: the organisation's rules file could not be used (its error); the clocks
    then follow the shipped table, and the first note says so.
    """

    clocks: tuple[BreachClock, ...]
    reason: str
    notes: tuple[str, ...] = ()
    problem: str = ""


def _status(remaining: timedelta) -> str:
    if remaining < timedelta(0):
        return OVERDUE
    return DUE_SOON if remaining <= DUE_SOON_WITHIN else RUNNING


class _Timer:
    """Computes clocks for one assessment, following ``deadline:<id>`` links."""

    def __init__(
        self, a: Assessment, now: datetime, notified_at: datetime | None, caveats: dict[str, str]
    ) -> None:
        self.a, self.now, self.caveats = a, now, caveats
        told = [t for t in (a.individuals_notified_at, notified_at) if t is not None]
        self.events: dict[str, datetime | None] = {
            "assessed": a.assessed_at,
            "individuals-notified": min(told) if told else None,
        }
        self.done: dict[str, BreachClock] = {}

    def clock(self, o: Obligation, table: dict[str, Obligation]) -> BreachClock:
        if o.id in self.done:
            return self.done[o.id]
        caveat = self.caveats.get(o.id, "")
        if o.in_force_from is not None and self.a.aware_at.date() < o.in_force_from:
            made = BreachClock(o, None, None, None, NOT_IN_FORCE, caveat=caveat)
        else:
            made = self._timed(o, table, caveat)
        self.done[o.id] = made
        return made

    def _start(self, o: Obligation, table: dict[str, Obligation]) -> tuple[datetime | None, str]:
        if o.waits_for is None:
            return self.a.aware_at, ""
        if o.waits_for.startswith("deadline:"):
            before = self.clock(table[o.waits_for.split(":", 1)[1]], table)
            if before.deadline is None:
                return None, f"the deadline of {before.obligation.label} ({before.due_text})"
            return before.deadline, ""
        return self.events[o.waits_for], EVENTS[o.waits_for]

    def _timed(self, o: Obligation, table: dict[str, Obligation], caveat: str) -> BreachClock:
        start, awaited = self._start(o, table)
        if start is None:
            return BreachClock(o, None, None, None, WAITING, waiting_for=awaited, caveat=caveat)
        deadline = o.deadline(start, small_agent=self.a.small_agent)
        moved = ""
        early = self.events.get(o.ends_earlier_at or "")
        if early is not None and (deadline is None or early < deadline):
            deadline, moved = early, EVENTS[o.ends_earlier_at or ""]
        if deadline is None:
            return BreachClock(o, start, None, None, NO_DEADLINE, caveat=caveat)
        remaining = deadline - self.now
        return BreachClock(
            o, start, deadline, remaining, _status(remaining), moved_to=moved, caveat=caveat
        )


_ORDER = {RUNNING: 0, DUE_SOON: 0, OVERDUE: 0, NO_DEADLINE: 1, WAITING: 2, NOT_IN_FORCE: 3}


def breach_clocks(
    assessment: Assessment,
    now: datetime,
    rules: Sequence[Obligation] | None = None,
    *,
    notified_at: datetime | None = None,
) -> BreachClocks:
    """The notification clocks that run for ``assessment`` at ``now``.

    ``rules`` defaults to the shipped table with the organisation's file applied;
    ``notified_at`` is when the incident's notice was marked sent in Notify.
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
    problem = ""
    if rules is None:
        in_force = rules_in_force()
        rules, problem = in_force.rules, in_force.problem
    table = {o.id: o for o in rules}
    applying: list[Obligation] = []
    caveats: dict[str, str] = {}
    hidden: dict[str, list[str]] = {DATA_HIDDEN: [], BELOW_THRESHOLD: []}
    for o in table.values():
        found = verdict(o, a)
        if found is None:
            continue
        if not found.applies:
            if found.hidden in hidden and not (found.hidden == DATA_HIDDEN and o.part_of):
                hidden[found.hidden].append(found.note)
            continue
        applying.append(o)
        if found.caveat:
            caveats[o.id] = found.caveat
    timer = _Timer(a, now, notified_at, caveats)
    order = {ident: n for n, ident in enumerate(table)}
    clocks = sorted(
        (timer.clock(o, table) for o in applying),
        key=lambda c: (_ORDER[c.status], c.deadline or now, order[c.obligation.id]),
    )
    notes = _notes(a, list(table.values()), hidden)
    if problem:
        notes.insert(0, f"{problem} {FALLBACK_NOTE}")
    return BreachClocks(tuple(clocks), _reason(a, clocks), tuple(notes), problem)


def _reason(a: Assessment, clocks: Sequence[BreachClock]) -> str:
    aware = format_local(a.aware_at)
    head = f"Personal data was exposed ({data_labels(a.data_exposed)}): "
    if not clocks:
        return head + "no clock in the table applies to what is recorded so far."
    in_force = [c for c in clocks if c.status != NOT_IN_FORCE]
    waiting = sum(1 for c in clocks if c.status == WAITING)
    text = (
        f"{len(in_force)} notification obligation{'s' if len(in_force) != 1 else ''} apply, "
        f"counted from when you became aware ({aware})"
    )
    if waiting:
        text += f"; {waiting} of them wait{'s' if waiting == 1 else ''} for a later event"
    later = len(clocks) - len(in_force)
    if later:
        text += f"; {later} more {'is' if later == 1 else 'are'} not in force yet"
    return head + text + "."


def _notes(a: Assessment, rules: Sequence[Obligation], hidden: dict[str, list[str]]) -> list[str]:
    notes: list[str] = []
    if hidden[BELOW_THRESHOLD]:
        notes.append(
            "Not shown, below their thresholds (counted per jurisdiction): "
            + ", ".join(hidden[BELOW_THRESHOLD])
            + "."
        )
    if hidden[DATA_HIDDEN]:
        names = ", ".join(dict.fromkeys(hidden[DATA_HIDDEN]))
        notes.append(
            f"Not shown ({names}): those laws cover data such as login credentials, card or "
            "ID numbers, some only together with a name; names, email or postal addresses "
            "alone usually do not trigger them. Check with legal."
        )
    regions, states = present_regions(a), present_states(a)
    if not regions:
        notes.append("Record where the affected people live to see which deadlines apply.")
    if "us" in regions and not states:
        notes.append("Add the US states where affected people live to see their deadlines.")
    covered = {o.us_state for o in rules if o.us_state}
    uncovered = sorted(states - covered)
    if uncovered:
        names = ", ".join(US_STATES[s] for s in uncovered)
        notes.append(
            f"No fixed deadline in the table for {names}: most states require notice "
            "without unreasonable delay. Check each state's law with legal."
        )
    if "canada" in regions and not present_provinces(a):
        notes.append(
            "Québec has a duty of its own (the CAI): if affected people live there, add "
            "QC to Affected per place."
        )
    if "other" in regions:
        notes.append("For people living elsewhere, check the local law with legal counsel.")
    if a.places_source == "domains":
        notes.append(
            "The counts per place are a guess from the email domains' country codes "
            "(.fr, .de, .co.uk); confirm them, or type them in Affected per place."
        )
    return notes


@dataclass(frozen=True)
class HeaderClock:
    """A countdown for the incident header: ``GDPR authority 71h 58m``, or the clocks
    waiting for an event (``deadline`` is ``None`` then)."""

    text: str
    status: str
    deadline: datetime | None


def header_clocks(result: BreachClocks, limit: int = 3) -> tuple[HeaderClock, ...]:
    """The soonest ``limit`` dated clocks (overdue first), then those waiting for an event.

    With clocks waiting, one dated clock fewer is shown so the waiting ones fit.
    """
    dated: list[tuple[datetime, HeaderClock]] = []
    waiting: dict[str, list[str]] = {}
    for clock in result.clocks:
        if clock.status == WAITING:
            event = clock.obligation.waits_for or ""
            short = EVENT_SHORT.get(event, "an earlier deadline")
            waiting.setdefault(short, []).append(clock.obligation.label)
        if clock.deadline is None or clock.remaining is None:
            continue
        if clock.status == OVERDUE:
            text = f"{clock.obligation.label} OVERDUE {span(-clock.remaining)}"
        else:
            text = f"{clock.obligation.label} {span(clock.remaining)}"
        dated.append((clock.deadline, HeaderClock(text, clock.status, clock.deadline)))
    dated.sort(key=lambda item: item[0])
    if result.problem:  # said first, in the header too: these may not be the right clocks
        limit -= 1
    shown = [item for _, item in dated[: max(limit - 1, 1) if waiting else max(limit, 1)]]
    if result.problem:
        shown.insert(0, HeaderClock("org breach rules broken", RULES_PROBLEM, None))
    for event, names in waiting.items():
        shown.append(HeaderClock(f"{', '.join(names)}: waiting for {event}", WAITING, None))
    return tuple(shown)
