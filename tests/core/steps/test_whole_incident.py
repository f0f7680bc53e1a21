"""A whole incident, from declaration to postmortem, through the public core API only.

No helper sets a step: each stage does an operator's work, and the test checks where the
step rules put the incident, what the log says, and which clocks were set.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.apology_lock import gate
from email_crisis.core.close import lifecycle, report
from email_crisis.core.close.events_text import describe
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.playbooks import load_playbook
from email_crisis.core.monitor import metrics
from email_crisis.core.notify import drafts as notify
from email_crisis.core.own import incidents as ops
from email_crisis.core.plan import tasks as plan
from email_crisis.core.steps import machine as steps
from email_crisis.core.store.database import Store
from tests.core.support import MovingClock

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
M = timedelta(minutes=1)


def step_of(store: Store, incident_id: int) -> str:
    return store.get_incident(incident_id).step


def test_a_whole_incident_through_the_core_api(tmp_path: Path) -> None:
    clock = MovingClock(T0)
    store = Store.open(tmp_path / "incidents.db", clock=clock)
    try:
        _respond(store, clock)
    finally:
        store.close()


def _respond(store: Store, clock: MovingClock) -> None:
    # Declared ten minutes after the send went out to the wrong segment.
    incident = ops.declare(
        store,
        title="Black Friday VIP preview sent to every subscriber",
        kind="wrong-segment",
        severity="SEV2",
        operator="sam",
        detected_at=T0 - 10 * M,
    )
    assert incident.step == "own"

    # 1 Own it: acknowledged at 09:04, commander named at 09:05.
    clock.advance(4 * M)
    incident = ops.acknowledge(store, incident, operator="sam")
    assert incident.step == "own"
    clock.advance(M)
    incident = ops.set_commander(store, incident, "priya", operator="sam")
    assert incident.step == "contain"

    # 2 Contain: the send stopped at 09:20 (the harm-stopping action done).
    actions = contain.ensure_actions(store, incident, load_playbook(env={}), operator="priya")
    halt = next(action for action in actions if action.stops_harm)
    halt = contain.set_status(store, halt, "in-progress", operator="priya")
    assert step_of(store, incident.id) == "contain"
    clock.advance(15 * M)
    contain.set_status(store, halt, "done", operator="priya")
    incident = store.get_incident(incident.id)
    assert (incident.step, incident.contained_at) == ("assess", T0 + 20 * M)

    # 3 Assess: the count first, then what was exposed and where the people live.
    clock.advance(10 * M)
    assess.update_assessment(store, incident, {"affected_count": "480,000"}, operator="priya")
    assert step_of(store, incident.id) == "assess"
    assert steps.status(store, incident).missing == ("not answered yet: Data exposed",)
    clock.advance(10 * M)
    assess.update_assessment(
        store, incident, {"data_exposed": "none", "regions": "eu-eea, us"}, operator="priya"
    )
    assert step_of(store, incident.id) == "plan"

    # 4 Plan: the suggested tasks, then an owner for each (they come with due times).
    clock.advance(5 * M)
    incident = store.get_incident(incident.id)
    tasks = plan.add_suggested(store, incident, operator="priya")
    assert step_of(store, incident.id) == "plan"
    assert steps.status(store, incident).summary == (f"Plan: {len(tasks)} open tasks have no owner")
    for task in tasks:
        plan.edit_task(store, task, owner="noor", operator="priya")
    assert step_of(store, incident.id) == "notify"

    # 5 Notify: a draft saved (not sent yet), then marked sent at 11:00.
    incident = store.get_incident(incident.id)
    draft = notify.starting_draft(incident, "en", notify.load_brand(), gate=gate(store, incident))
    notify.save_draft(store, incident, draft.fields(), "priya")
    assert step_of(store, incident.id) == "notify"
    clock.moment = T0 + 2 * timedelta(hours=1)
    incident = notify.mark_sent(store, store.get_incident(incident.id), "priya")
    assert (incident.step, incident.notified_at) == ("monitor", T0 + timedelta(hours=2))

    # 6 Monitor: complaints spike, then settle; the watch runs seven days.
    metrics.add_point(
        store, incident.id, metric="complaint_rate", at=clock.moment, value="0.45", operator="noor"
    )
    assert not steps.status(store, incident).complete
    clock.advance(timedelta(days=7))
    metrics.add_point(
        store, incident.id, metric="complaint_rate", at=clock.moment, value="0.04", operator="noor"
    )
    assert steps.status(store, incident).complete
    assert step_of(store, incident.id) == "monitor"

    # Closing: the plan's tasks are still open, so closing needs a reason; finish them.
    with pytest.raises(lifecycle.CloseNeedsReason) as refused:
        lifecycle.resolve(store, store.get_incident(incident.id), "priya")
    assert [w.kind for w in refused.value.warnings] == ["tasks"]
    for task in plan.list_tasks(store, incident.id):
        plan.set_status(store, task, "done", operator="noor")
    clock.advance(M)
    resolved = lifecycle.resolve(
        store, store.get_incident(incident.id), "priya", summary="Quiet for a week."
    )
    assert resolved.resolved_at == clock.moment

    # The event log: every step moved on by the rules, in the name of whoever completed it.
    events = store.events(incident.id)
    moves = [
        (e.details["from"], e.details["to"], e.operator)
        for e in events
        if e.type == "step_advanced"
    ]
    assert moves == [
        ("own", "contain", "sam"),
        ("contain", "assess", "priya"),
        ("assess", "plan", "priya"),
        ("plan", "notify", "priya"),
        ("notify", "monitor", "priya"),
    ]
    assert all(e.details.get("by") == "rules" for e in events if e.type == "step_advanced")
    texts = [describe(e) for e in events]
    assert "step 5 Notify complete; now at 6 Monitor" in texts
    assert "marked Stop the send (playbook) done" in texts
    assert not any("halt-send" in text or "=" in text for text in texts)

    # The postmortem: Monitor reached, and each time.
    built = report.build_report(store, incident.id, clock.moment)
    facts = {line.label: line.value for line in built.facts}
    assert facts["Step reached"] == "Monitor"
    assert {m.label: m.value for m in built.measures} == {
        "Time to acknowledge": "14m",
        "Time to contain": "30m",
        "Time to notify": "2h 10m",
        "Time to resolve": "7d 02h",
    }
    step_lines = {line.label: line.value for line in built.steps}
    assert step_lines["6 Monitor"].startswith("reached 2026-11-27 11:00 UTC; complete")
    assert step_lines["4 Plan"].startswith("complete 2026-11-27 09:45 UTC")
    markdown = report.render_report(built)
    assert "- **Step reached:** Monitor" in markdown
    assert "- **Time to notify:** 2h 10m" in markdown
