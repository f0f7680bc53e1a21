"""The six steps from the shell: where an incident is (``step``) and moving it on
(``advance``). Step 5's outcome (``apology sent``, ``apology decline``) is in ``apology``.

Incidents move on by themselves when a step's criteria hold (core's step machine);
these commands show what is done and missing, and record the operator's hand.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from email_crisis.core.base.clock import format_local, humanize
from email_crisis.core.base.domain import STEPS, Incident
from email_crisis.core.steps import machine
from email_crisis.tui.cli import output as out
from email_crisis.tui.cli.common import (
    INCIDENT_ID,
    PROG,
    emit,
    now,
    one_line,
    opened,
    operator_name,
    refuse,
    step_words,
    store_options,
)


def _passage_record(passage: machine.Passage | None) -> dict[str, Any] | None:
    if passage is None:
        return None
    return {
        "at": out.iso(passage.at),
        "operator": passage.operator,
        "by": "hand" if passage.by_hand else "rules",
        "reason": passage.reason,
        "missing": list(passage.missing),
    }


def _status_record(status: machine.StepStatus) -> dict[str, Any]:
    return {
        "step": status.step,
        "number": status.number,
        "label": status.label,
        "state": status.state,
        "complete": status.complete,
        "completes": status.completes,
        "since": out.iso(status.since),
        "criteria": [
            {"id": c.id, "label": c.label, "holds": c.holds, "text": c.text}
            for c in status.criteria
        ],
        "done": list(status.done),
        "missing": list(status.missing),
        "passage": _passage_record(status.passage),
    }


def _overview(status: machine.StepStatus) -> str:
    passage = status.passage
    if status.state == "ahead":
        return "not reached" + ("; already complete" if status.complete else "")
    if passage is not None and passage.by_hand:
        return f"passed by hand {format_local(passage.at)} ({passage.operator}): {passage.reason}"
    if status.state == "done":
        return f"complete {format_local(passage.at)}" if passage else "complete"
    if status.complete:
        return "current: complete"
    return f"current: {len(status.missing)} missing"


def step_lines(incident: Incident, steps: list[machine.StepStatus], moment: datetime) -> list[str]:
    """The ``step`` text: the current step's criteria, then all six steps in a line each."""
    current = steps[STEPS.index(incident.step)]
    since = ""
    if current.since:
        since = f" since {format_local(current.since)} ({humanize(moment - current.since)})"
    lines = [
        f"Incident {incident.id}: {one_line(incident.title)}",
        f"At {step_words(incident.step)}{since}"
        + (f"; resolved {format_local(incident.resolved_at)}" if incident.resolved_at else "")
        + ".",
        f"Completes when: {current.completes}",
    ]
    lines += [
        f"  {'done' if c.holds else 'missing':8} {one_line(c.text)}" for c in current.criteria
    ]
    lines += ["", "Steps:"]
    width = max(len(f"{s.number} {s.label}") for s in steps)
    lines += [f"  {f'{s.number} {s.label}':{width}}  {one_line(_overview(s))}" for s in steps]
    if incident.resolved_at is None and not current.complete:
        verb = "End the watch early" if incident.step == STEPS[-1] else "Move on anyway"
        lines += ["", f"{verb}: {PROG} advance {incident.id} --reason TEXT (recorded)"]
    return lines


@click.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@store_options
def step(incident_id: int, fmt: str, db: str | None, operator: str | None) -> None:
    """Show where an incident is: what completes its step, what is done and missing."""
    moment = now()
    with opened(db) as store:
        incident = store.get_incident(incident_id)
        steps = machine.statuses(store, incident, moment)
    if fmt == "json":
        current = steps[STEPS.index(incident.step)]
        record = {"id": incident.id, **_status_record(current)}
        record["resolved_at"] = out.iso(incident.resolved_at)
        record["steps"] = [_status_record(s) for s in steps]
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        emit(step_lines(incident, steps, moment))


@click.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why the step is passed although something is missing (recorded; at Monitor, "
    "ends the watch early).",
)
@store_options
def advance(incident_id: int, reason: str | None, db: str | None, operator: str | None) -> None:
    """Move an incident on from its current step.

    With every criterion of the step holding, it moves on at once (it usually has by
    itself). Otherwise it lists what is missing, unless --reason says why to move on
    anyway.
    """
    with opened(db) as store:
        before = store.get_incident(incident_id)
        by_hand = bool(reason and reason.strip()) and not machine.status(store, before).complete
        try:
            after = machine.advance(store, before, operator=operator_name(operator), reason=reason)
        except machine.StepIncomplete as stuck:
            verb = "end the watch early" if before.step == STEPS[-1] else "move on anyway"
            refuse(
                f"incident {incident_id} stays at {step_words(before.step)}; missing:",
                stuck.status.missing,
                f"To {verb}: {PROG} advance {incident_id} --reason TEXT "
                "(the reason is recorded, with what is missing).",
            )
    if after.step == before.step:
        click.echo(
            f"Incident {incident_id}: the watch ended early; it is ready to close "
            f"({PROG} resolve {incident_id})."
        )
        return
    how = " by hand (reason recorded)" if by_hand else ""
    click.echo(
        f"Incident {incident_id} moved on{how} from {step_words(before.step)}; "
        f"now at {step_words(after.step)}."
    )
