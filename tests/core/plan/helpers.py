"""Helpers for the plan tests: a moving clock and a fixed incident history.

The history is the work a team did, through the public functions of each step; the
step rules move the incident on (no helper sets a step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from click.testing import Result

from email_crisis.core.assess import form as assess
from email_crisis.core.close import lifecycle
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.playbooks import load_playbook
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


def build_history(store: Store) -> tuple[int, int]:
    """Two incidents with a fixed history ending at FROZEN_NOW; returns (full, partial) ids.

    The first was owned, contained, assessed and planned (its plan never complete), then
    resolved, reopened and resolved again; the second was only declared.
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
        actions = contain.ensure_actions(store, incident, load_playbook(env={}), operator="priya")
        stopper = next(action for action in actions if action.stops_harm)
        contain.set_status(store, stopper, "done", operator="priya")  # contained: to Assess
        clock.moment += 2 * H
        answers = {"affected_count": "52,310", "data_exposed": "none", "regions": "us, canada"}
        incident = store.get_incident(incident.id)
        assess.update_assessment(store, incident, answers, operator="priya")  # to Plan
        incident = store.get_incident(incident.id)
        assert incident.step == "plan"
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
            reason="The remaining tasks are follow-ups with their owners.",
        )
        clock.moment += 5 * H
        incident = lifecycle.reopen(
            store, incident, "marc", "Complaints kept arriving from a second segment."
        )
        clock.moment += 3 * H
        incident = lifecycle.resolve(
            store, incident, "priya", reason="Same follow-ups as before, still open."
        )
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
