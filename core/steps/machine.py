"""The step machine: where an incident is in the six steps, and moving it on.

Public API (every door — the console, the CLI, scripts — calls these, so each gets the
same behaviour)::

    install()                                   run the rules on every write (once per
                                                process; the store refuses to write
                                                incident changes until it is done)
    status(store, incident, step=None, now=None) -> StepStatus  one step (the current one)
    statuses(store, incident, now=None) -> list[StepStatus]  all six, in order
    advance(store, incident, *, operator, reason=None) -> Incident

What completes each step is data (``core/steps/data/steps.toml``); each criterion is a
check in its step's package. Moving on by the rules is automatic: at the end of every
write transaction the store calls ``settle``, which moves each incident that changed
on through every step whose criteria hold, one ``step_advanced`` event per step
(``by: "rules"``), in that same transaction. So the incident is always at its true
step, whatever door the change came through and in whatever order the work was done.

``advance`` is the hand: with every criterion holding it moves on at once (a database
written before the rules existed catches up this way); otherwise it needs a written
reason, records it with what was still missing (``by: "hand"``), sets the step's clock
when the step has one and it is empty (leaving Contain by hand sets the contained
time), and then lets the rules carry on. At Monitor, the last step, the hand ends the
watch window early (``watch_ended``). Resolving is not a step: see
``core.close.lifecycle.resolve``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from email_crisis.core.base.clock import from_iso
from email_crisis.core.base.domain import STEP_LABELS, STEPS, Event, Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import written_reason
from email_crisis.core.monitor.watch import ENDED, end_watch
from email_crisis.core.steps.rules import StepRule, load_rules
from email_crisis.core.steps.store import EVENT, move_on_in_transaction
from email_crisis.core.store.database import Store, Touch, install_step_rules

REASON_MIN = 10
_CLOCK_EVENTS = {"acknowledged_at": "acknowledged", "contained_at": "contained"}


@dataclass(frozen=True)
class CriterionState:
    """One criterion of a step, now."""

    id: str
    label: str
    holds: bool
    text: str


@dataclass(frozen=True)
class Passage:
    """How a step was left: when, by whom, by the rules or by hand (with the reason)."""

    at: datetime
    operator: str
    by_hand: bool
    reason: str | None = None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepStatus:
    """One step of one incident, now: its criteria, done and missing, and its history.

    ``state`` is ``done`` (the incident is past it), ``current`` or ``ahead``. A done
    step's criteria are checked again now, so work undone later shows as missing;
    ``passage`` says how it was left. ``since`` is when the incident reached it.
    """

    step: str
    state: str
    completes: str
    criteria: tuple[CriterionState, ...]
    passage: Passage | None = None
    since: datetime | None = None

    @property
    def number(self) -> int:
        return STEPS.index(self.step) + 1

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]

    @property
    def complete(self) -> bool:
        return all(c.holds for c in self.criteria)

    @property
    def done(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.criteria if c.holds)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.criteria if not c.holds)

    @property
    def summary(self) -> str:
        """One line: "Plan: 2 open tasks have no owner" or "Plan: complete"."""
        if self.complete:
            return f"{self.label}: complete"
        return f"{self.label}: " + "; ".join(self.missing)


class StepIncomplete(ValidationError):
    """Moving on was asked without a reason while criteria are missing; ``status`` says which."""

    def __init__(self, message: str, status: StepStatus) -> None:
        super().__init__(message)
        self.status = status


def _evaluate(
    store: Store, incident: Incident, rule: StepRule, now: datetime
) -> tuple[CriterionState, ...]:
    states = []
    for criterion in rule.criteria:
        finding = criterion.check(store, incident, now, criterion.params)
        if finding is not None:
            states.append(
                CriterionState(criterion.id, criterion.label, finding.holds, finding.text)
            )
    return tuple(states)


def _passages(events: Sequence[Event]) -> dict[str, Passage]:
    """How each step was last left, from the ``step_advanced`` (and ``watch_ended``) events."""
    found: dict[str, Passage] = {}
    for event in events:
        d = event.details
        if event.type == ENDED:
            found["monitor"] = Passage(event.at, event.operator, True, d.get("reason"))
        elif event.type == EVENT and d.get("from") in STEPS:
            found[d["from"]] = Passage(
                event.at,
                event.operator,
                d.get("by") == "hand",
                d.get("reason"),
                tuple(d.get("missing", ())),
            )
    return found


def _arrivals(incident: Incident, events: Sequence[Event]) -> dict[str, datetime]:
    found = {"own": incident.detected_at}
    for event in events:
        if event.type == EVENT and event.details.get("to") in STEPS:
            found[event.details["to"]] = event.at
    return found


def _status(
    store: Store, incident: Incident, step: str, history: Sequence[Event], now: datetime
) -> StepStatus:
    rule = load_rules()[step]
    index, here = STEPS.index(step), STEPS.index(incident.step)
    state = "done" if index < here else "current" if index == here else "ahead"
    return StepStatus(
        step=step,
        state=state,
        completes=rule.completes,
        criteria=_evaluate(store, incident, rule, now),
        passage=_passages(history).get(step) if state == "done" or step == STEPS[-1] else None,
        since=_arrivals(incident, history).get(step) if state != "ahead" else None,
    )


def statuses(store: Store, incident: Incident, now: datetime | None = None) -> list[StepStatus]:
    """All six steps of ``incident``, in order, each checked at ``now``."""
    history = store.events_of_type(incident.id, EVENT, ENDED)
    return [_status(store, incident, step, history, now or store.clock()) for step in STEPS]


def status(
    store: Store, incident: Incident, step: str | None = None, now: datetime | None = None
) -> StepStatus:
    """One step of the incident (its current step by default), checked at ``now``."""
    history = store.events_of_type(incident.id, EVENT, ENDED)
    return _status(store, incident, step or incident.step, history, now or store.clock())


def _current(store: Store, incident: Incident, now: datetime) -> StepStatus:
    rule = load_rules()[incident.step]
    return StepStatus(
        incident.step, "current", rule.completes, _evaluate(store, incident, rule, now)
    )


# -- moving on by the rules ----------------------------------------------------------------


def settle(store: Store, touched: Mapping[int, Touch]) -> None:
    """Inside a write transaction: move each changed incident on while its step is complete.

    Called by the store before it commits (see ``install``). The step advanced in the
    name of whoever made the change that completed it, at that change's time.
    """
    for incident_id, touch in touched.items():
        incident = store.get_incident(incident_id)
        moment = from_iso(touch.at) or store.clock()
        while incident.step != STEPS[-1] and _current(store, incident, moment).complete:
            following = STEPS[STEPS.index(incident.step) + 1]
            incident = move_on_in_transaction(
                store,
                incident,
                to=following,
                operator=touch.operator,
                at=touch.at,
                details={"by": "rules"},
            )


def install() -> None:
    """Have the store run ``settle`` at the end of every write (idempotent)."""
    install_step_rules(settle)


# -- moving on by hand ---------------------------------------------------------------------


def _reason(text: str) -> str:
    return written_reason(text, ask="Say why the step is passed by hand", minimum=REASON_MIN)


def _incomplete(incident: Incident, current: StepStatus) -> StepIncomplete:
    listed = "; ".join(current.missing)
    if incident.step == STEPS[-1]:
        how = "To end the watch early, give the reason (it is recorded)."
    else:
        how = "To move on anyway, give the reason (it is recorded with what is missing)."
    return StepIncomplete(
        f"Incident {incident.id} stays at step {current.number} {current.label}: {listed}. {how}",
        current,
    )


def advance(
    store: Store, incident: Incident, *, operator: str, reason: str | None = None
) -> Incident:
    """Move ``incident`` on from its current step; see the module docstring.

    Raises ``StepIncomplete`` (listing what is missing) when a criterion does not hold
    and no reason is given, ``ValidationError`` for a resolved incident or a Monitor
    step that is already complete, and ``StaleIncident`` when the incident changed
    since it was loaded.
    """
    if incident.resolved_at is not None:
        raise ValidationError(f"Incident {incident.id} is resolved; reopen it before moving it on.")
    now = store.clock()
    current = _current(store, incident, now)
    last = incident.step == STEPS[-1]
    if current.complete:
        if last:
            raise ValidationError(
                f"Step 6 Monitor of incident {incident.id} is complete "
                f"({'; '.join(current.done)}): it is ready to close (resolve it)."
            )
        details: dict[str, object] = {"by": "rules"}
        if reason and reason.strip():
            details["reason"] = _reason(reason)
        return _move(store, incident, operator, details)
    if reason is None or not reason.strip():
        raise _incomplete(incident, current)
    text = _reason(reason)
    if last:
        return end_watch(store, incident, reason=text, operator=operator)
    changes: dict[str, object] = {}
    events: list[tuple[str, dict[str, object]]] = []
    clock = load_rules()[incident.step].clock
    if clock and getattr(incident, clock) is None:
        changes[clock] = now
        lag = int((now - incident.detected_at).total_seconds())
        events.append((_CLOCK_EVENTS[clock], {"seconds_after_detection": lag, "by_hand": True}))
    details = {"by": "hand", "reason": text, "missing": list(current.missing)}
    return _move(store, incident, operator, details, changes, events)


def _move(
    store: Store,
    incident: Incident,
    operator: str,
    details: dict[str, object],
    changes: Mapping[str, object] | None = None,
    events: Sequence[tuple[str, Mapping[str, object]]] = (),
) -> Incident:
    following = STEPS[STEPS.index(incident.step) + 1]
    moved = {"from": incident.step, "to": following, **details}
    return store.update_incident(
        incident.id,
        expected_version=incident.version,
        operator=operator,
        changes={"step": following, **(changes or {})},
        events=[*events, (EVENT, moved)],
    )
