"""Helpers for the plan tests: a moving clock and a fixed, hand-built incident history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from click.testing import Result

from email_crisis.core.base.domain import Incident
from email_crisis.core.close import lifecycle
from email_crisis.core.own import incidents as ops
from email_crisis.core.own.statement import draft_statement
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW

Invoke = Callable[..., Result]
M = timedelta(minutes=1)
H = timedelta(hours=1)


@dataclass
class Moving:
    """A clock the test moves by hand."""

    moment: datetime = FROZEN_NOW

    def __call__(self) -> datetime:
        return self.moment


def advance_step(store: Store, incident: Incident, step: str, field: str | None = None) -> Incident:
    """Move to ``step`` through the store (as the demo does for steps with no panel)."""
    changes: dict[str, object] = {"step": step}
    if field:
        changes[field] = store.clock()
    return store.update_incident(
        incident.id,
        expected_version=incident.version,
        operator=incident.commander or "sam",
        changes=changes,
        events=[("step_advanced", {"from": incident.step, "to": step})],
    )


def build_history(store: Store) -> tuple[int, int]:
    """Two incidents with a fixed history ending at FROZEN_NOW; returns (full, partial) ids.

    The first went through every step this repository can record and was resolved,
    reopened and resolved again; the second was only declared.
    """
    original = store.clock
    clock = Moving(FROZEN_NOW - 3 * 24 * H)
    store.clock = clock
    try:
        incident = ops.declare(
            store,
            title="Win-back campaign mailed the 2019 unsubscribe list",
            kind="suppression-list-send",
            severity="SEV3",
            operator="sam",
            detected_at=clock.moment - 5 * M,
        )
        clock.moment += 7 * M
        incident = ops.acknowledge(store, incident, operator="sam")
        clock.moment += 2 * M
        incident = ops.set_commander(store, incident, "priya", operator="sam")
        clock.moment += 4 * M
        incident = ops.set_severity(store, incident, "SEV2", operator="priya")
        clock.moment += 6 * M
        body = draft_statement(incident, operator="priya", now=clock.moment)
        incident = ops.write_statement(store, incident, body, operator="priya")
        clock.moment += 25 * M
        incident = advance_step(store, incident, "assess", "contained_at")
        clock.moment += 2 * H
        incident = advance_step(store, incident, "plan")
        clock.moment += 10 * M
        book = plan.load_suggestions()
        tasks = plan.add_suggested(store, incident, operator="priya", book=book)
        custom = plan.add_task(
            store,
            incident,
            title="Check the CRM export job's | pipes and `backticks` survive",
            kind="internal-fix",
            owner_role="it",
            owner="noor",
            due_at=clock.moment + 2 * H,
            operator="priya",
            roles=book.roles,
        )
        plan.move_up(store, custom, operator="priya")
        clock.moment += 30 * M
        first = plan.edit_task(store, tasks[0], owner="marc", operator="priya", roles=book.roles)
        plan.set_status(store, first, "done", operator="marc")
        plan.set_status(
            store,
            tasks[1],
            "dropped",
            operator="priya",
            note="Support already has the answer from last year's incident.",
        )
        clock.moment += 20 * H
        incident = lifecycle.resolve(
            store,
            store.get_incident(incident.id),
            "priya",
            summary="The 2019 list was re-imported by a sync job.\nSuppressions re-applied.",
        )
        clock.moment += 5 * H
        incident = lifecycle.reopen(
            store, incident, "marc", "Complaints kept arriving from a second segment."
        )
        clock.moment += 3 * H
        incident = lifecycle.resolve(store, incident, "priya")
        clock.moment = FROZEN_NOW - 30 * M
        partial = ops.declare(
            store,
            title='Test email "asdf" reached <b>1,200</b> subscribers',
            kind="wrong-content",
            severity="SEV4",
            operator="jo",
        )
    finally:
        store.clock = original
    return incident.id, partial.id
