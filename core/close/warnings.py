"""Reasons not to close an incident yet, so that closing one is a deliberate act.

``closing_warnings`` lists what is still running or undone: open plan tasks, an
apology the guidance says to send that is not marked sent, a breach-notification
clock with a deadline, and a deliverability signal at warning or critical level.
``lifecycle.resolve`` refuses to close while the list is not empty unless it is given
a reason, and records the list and the reason (the postmortem shows both).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from email_crisis.core.assess.apology_lock import LOCKED_KINDS
from email_crisis.core.assess.clocks import DUE_SOON, OVERDUE, RUNNING, breach_clocks
from email_crisis.core.assess.decisions import apology_decision
from email_crisis.core.assess.override_store import latest_override
from email_crisis.core.assess.store import load_assessment
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.monitor.metric_ids import format_value, metric_label
from email_crisis.core.monitor.store import latest_points
from email_crisis.core.monitor.thresholds import load as load_thresholds
from email_crisis.core.notify.decline import declined
from email_crisis.core.plan.store import list_tasks
from email_crisis.core.store.database import Store

SHOWN = 3  # items named per warning; the rest are counted


@dataclass(frozen=True)
class ClosingWarning:
    """One reason not to close yet: ``kind`` (tasks, apology, breach-clock,
    deliverability) and a sentence."""

    kind: str
    text: str


def _listed(items: list[str]) -> str:
    shown = "; ".join(items[:SHOWN])
    return shown + (f"; and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def _tasks(store: Store, incident: Incident) -> list[ClosingWarning]:
    open_tasks = [task for task in list_tasks(store, incident.id) if task.is_open]
    if not open_tasks:
        return []
    names = [f"{task.title} ({task.owner or 'no owner'})" for task in open_tasks]
    count = "1 plan task is" if len(names) == 1 else f"{len(names)} plan tasks are"
    return [ClosingWarning("tasks", f"{count} still open: {_listed(names)}")]


def _apology(store: Store, incident: Incident) -> list[ClosingWarning]:
    if incident.notified_at is not None or declined(store, incident.id) is not None:
        return []
    override = latest_override(store, incident.id) if incident.kind in LOCKED_KINDS else None
    decision = apology_decision(incident.kind, load_assessment(store, incident), override)
    if not decision.send:  # a send to a suppression list, or nobody to apologise to
        return []
    return [
        ClosingWarning(
            "apology",
            "the apology is not marked sent, and the guidance is to send one "
            "(or record the decision not to)",
        )
    ]


def _clocks(store: Store, incident: Incident, now: datetime) -> list[ClosingWarning]:
    assessment = load_assessment(store, incident)
    result = breach_clocks(assessment, now, notified_at=incident.notified_at)
    found = []
    if result.problem:  # the organisation's rules file is broken: the shipped table is used
        found.append(
            ClosingWarning("breach-clock", f"the breach-notification clocks: {result.problem}")
        )
    running = [c for c in result.clocks if c.status in (RUNNING, DUE_SOON, OVERDUE)]
    return found + [
        ClosingWarning(
            "breach-clock",
            f"breach-notification clock {c.obligation.label} ({c.audience}): due {c.due_text}",
        )
        for c in running
    ]


def _signals(store: Store, incident: Incident) -> list[ClosingWarning]:
    latest = latest_points(store, incident.id)
    if not latest:
        return []
    try:
        rules = load_thresholds()
    except CrisisError as error:  # the organisation's thresholds file is broken
        return [ClosingWarning("deliverability", f"deliverability cannot be judged: {error}")]
    found = []
    for point in latest:
        judged = rules.judge(point.metric, point.value, point.qualifier)
        if judged.status in ("warning", "critical"):
            value = format_value(point.metric, point.value, point.qualifier)
            why = f": {judged.band.label}" if judged.band else ""
            found.append(
                ClosingWarning(
                    "deliverability",
                    f"deliverability at {judged.status} level: {metric_label(point.metric)} "
                    f"{value}{why}",
                )
            )
    return found


def closing_warnings(
    store: Store, incident: Incident, now: datetime | None = None
) -> list[ClosingWarning]:
    """What still argues against closing ``incident`` at ``now`` (empty: nothing)."""
    moment = now or store.clock()
    return [
        *_tasks(store, incident),
        *_apology(store, incident),
        *_clocks(store, incident, moment),
        *_signals(store, incident),
    ]
