"""The step machine: each step's criteria, moving on by the rules and by hand, the guard."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import email_crisis.core.store.database as database
from email_crisis.core.assess import form as assess
from email_crisis.core.assess.apology_lock import gate, override_lock
from email_crisis.core.base.clock import frozen
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import StaleIncident, StoreError, ValidationError
from email_crisis.core.close import lifecycle
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.playbooks import load_playbook
from email_crisis.core.monitor.watch import end_watch
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.decline import decline_apology
from email_crisis.core.own import incidents as ops
from email_crisis.core.plan import tasks as plan
from email_crisis.core.steps import machine as steps
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core import journey
from tests.core.support import MovingClock, raw

H = timedelta(hours=1)


def moves(store: Store, incident: Incident) -> list[tuple[str, str, str]]:
    """Each step_advanced event: (from, to, by)."""
    return [
        (e.details["from"], e.details["to"], e.details.get("by", "rules"))
        for e in store.events(incident.id)
        if e.type == "step_advanced"
    ]


def words(store: Store, incident: Incident, step: str | None = None) -> dict[str, str]:
    status = steps.status(store, store.get_incident(incident.id), step)
    return {c.id: ("done: " if c.holds else "missing: ") + c.text for c in status.criteria}


# -- what each step needs, said in words -----------------------------------------------------


def test_own_needs_acknowledgement_commander_and_severity(store: Store, declared: Incident) -> None:
    assert words(store, declared) == {
        "acknowledged": "missing: nobody has acknowledged it yet",
        "commander": "missing: no incident commander named yet",
        "severity": "done: severity SEV2",
    }
    assert steps.status(store, declared).summary == (
        "Own it: nobody has acknowledged it yet; no incident commander named yet"
    )
    incident = ops.acknowledge(store, declared, operator="sam")
    assert words(store, incident)["acknowledged"] == "done: acknowledged at 2026-11-27 09:30"
    assert incident.step == "own"
    assert ops.set_commander(store, incident, "priya", operator="sam").step == "contain"


def test_assess_needs_the_fields_the_decisions_need(store: Store) -> None:
    incident = journey.contained(store, journey.owned(store, "data-breach"))
    assert words(store, incident) == {
        "saved": "missing: no assessment saved yet",
        "answered": "missing: not answered yet: Subscribers affected, Data exposed",
    }
    assess.update_assessment(store, incident, {"affected_count": "300"}, operator="priya")
    assert words(store, incident)["answered"] == "missing: not answered yet: Data exposed"
    assess.update_assessment(store, incident, {"data_exposed": "names"}, operator="priya")
    assert words(store, incident)["answered"] == "missing: not answered yet: Where they live"
    assess.update_assessment(store, incident, {"regions": "us"}, operator="priya")
    assert words(store, incident)["answered"] == "missing: not answered yet: US states"
    assert store.get_incident(incident.id).step == "assess"
    assess.update_assessment(store, incident, {"us_states": "CA, NY"}, operator="priya")
    assert store.get_incident(incident.id).step == "plan"
    assert moves(store, incident)[-1] == ("assess", "plan", "rules")


def test_no_personal_data_needs_no_regions(store: Store) -> None:
    incident = journey.contained(store, journey.owned(store))
    answers = {"affected_count": "0", "data_exposed": "none"}
    assess.update_assessment(store, incident, answers, operator="priya")
    assert store.get_incident(incident.id).step == "plan"


def test_plan_needs_tasks_each_with_an_owner_and_a_due_time(store: Store) -> None:
    incident = journey.at_plan(store)
    assert words(store, incident) == {
        "has_tasks": "missing: the plan has no tasks yet",
        "owned": "done: every open task has an owner",
        "due": "done: every open task has a due time",
    }
    tasks = plan.add_suggested(store, incident, operator="priya")
    assert len(tasks) > 2
    assert words(store, incident)["owned"] == f"missing: {len(tasks)} open tasks have no owner"
    for task in tasks[:-1]:
        plan.edit_task(store, task, owner="noor", operator="priya")
    assert words(store, incident)["owned"] == "missing: 1 open task has no owner"
    assert steps.status(store, incident).summary == "Plan: 1 open task has no owner"
    plan.set_status(store, tasks[-1], "dropped", operator="priya", note="Not needed this time.")
    moved = store.get_incident(incident.id)
    assert moved.step == "notify"  # dropping the last unowned task completed the plan
    assert store.events(incident.id)[-1].operator == "priya"


def test_notify_is_the_apology_sent_or_declined(store: Store) -> None:
    incident = journey.planned(store, journey.at_plan(store, "wrong-content"))
    assert words(store, incident) == {
        "apology_settled": "missing: the apology is not marked sent "
        "(nor a decision not to send one)"
    }
    draft = notify.starting_draft(incident, "en", notify.load_brand(), gate=gate(store, incident))
    notify.save_draft(store, incident, draft.fields(), "priya")
    assert store.get_incident(incident.id).step == "notify"  # saving a draft is not sending
    sent = notify.mark_sent(store, store.get_incident(incident.id), "priya")
    assert (sent.step, sent.notified_at) == ("monitor", FROZEN_NOW)


def test_a_suppression_list_send_completes_notify_by_a_recorded_decision(store: Store) -> None:
    incident = journey.planned(store, journey.at_plan(store, "suppression-list-send"))
    assert words(store, incident)["apology_settled"].startswith(
        "missing: no apology may go out after a send to a suppression list"
    )
    with pytest.raises(ValidationError, match="at least 15 characters"):
        decline_apology(store, incident, reason="no", operator="priya")
    moved = decline_apology(
        store, incident, reason="Mailing them again is the harm itself.", operator="priya"
    )
    assert (moved.step, moved.notified_at) == ("monitor", None)
    assert words(store, moved, "notify")["apology_settled"] == (
        "done: priya decided not to send an apology: Mailing them again is the harm itself."
    )
    with pytest.raises(ValidationError, match="already recorded"):
        decline_apology(store, moved, reason="Mailing them again is the harm.", operator="x")


def test_declining_after_sending_is_refused(store: Store) -> None:
    incident = journey.planned(store, journey.at_plan(store, "suppression-list-send"))
    override_lock(store, incident, "Legal requires a breach-style notice here.", operator="lea")
    sent = notify.mark_sent(store, store.get_incident(incident.id), "lea")
    with pytest.raises(ValidationError, match="already marked sent"):
        decline_apology(store, sent, reason="Changed our minds about it.", operator="lea")


def test_monitor_is_over_after_the_watch_window_or_when_ended_early(store: Store) -> None:
    clock = MovingClock()
    store.clock = clock
    incident = journey.planned(store, journey.at_plan(store, "wrong-content"))
    incident = notify.mark_sent(store, incident, "priya")
    assert words(store, incident) == {
        "watch_over": "missing: the 7 days watch runs until 2026-12-04 09:30 (7d 00h left)"
    }
    clock.advance(7 * 24 * H - timedelta(minutes=1))
    assert not steps.status(store, incident).complete
    clock.advance(timedelta(minutes=1))
    assert words(store, incident) == {
        "watch_over": "done: the 7 days watch ended at 2026-12-04 09:30"
    }
    with pytest.raises(ValidationError, match="ready to close"):
        steps.advance(store, store.get_incident(incident.id), operator="priya")


def test_the_watch_can_be_ended_early_with_a_reason(store: Store) -> None:
    incident = journey.planned(store, journey.at_plan(store, "wrong-content"))
    incident = notify.mark_sent(store, incident, "priya")
    with pytest.raises(steps.StepIncomplete, match="To end the watch early, give the reason"):
        steps.advance(store, incident, operator="priya")
    with pytest.raises(ValidationError, match="at least 10 characters"):
        steps.advance(store, incident, operator="priya", reason="done")
    ended = steps.advance(store, incident, operator="priya", reason="Back to HIGH reputation.")
    assert ended.step == "monitor"
    assert words(store, ended) == {
        "watch_over": "done: priya ended the watch early: Back to HIGH reputation."
    }
    status = steps.status(store, ended)
    assert status.complete and status.passage is not None and status.passage.by_hand
    with pytest.raises(ValidationError, match="already ended"):
        end_watch(store, ended, reason="Once more with feeling.", operator="priya")


def test_the_watch_only_starts_at_monitor(store: Store, declared: Incident) -> None:
    assert words(store, declared, "monitor") == {
        "watch_over": "missing: deliverability is watched for 7 days once the incident gets here"
    }
    with pytest.raises(ValidationError, match="not at step Monitor yet"):
        end_watch(store, declared, reason="Nothing to watch here.", operator="sam")


# -- moving on: in the same transaction, as far as the work goes ----------------------------


def test_work_done_out_of_order_carries_the_incident_through(store: Store) -> None:
    incident = ops.declare(store, title="Wrong price", kind="wrong-content", operator="sam")
    actions = contain.ensure_actions(store, incident, load_playbook(env={}), operator="x")
    contain.set_status(store, next(a for a in actions if a.stops_harm), "done", operator="x")
    assess.update_assessment(store, incident, journey.ANSWERS, operator="x")
    assert store.get_incident(incident.id).step == "own"  # nobody owns it yet
    incident = ops.acknowledge(store, store.get_incident(incident.id), operator="lea")
    moved = ops.set_commander(store, incident, "lea", operator="lea")
    assert moved.step == "plan"  # own, contain and assess were all complete
    assert moves(store, moved) == [
        ("own", "contain", "rules"),
        ("contain", "assess", "rules"),
        ("assess", "plan", "rules"),
    ]
    last = store.events(moved.id)[-4:]
    assert [e.type for e in last] == ["commander_set"] + ["step_advanced"] * 3
    assert {(e.operator, e.at) for e in last} == {("lea", FROZEN_NOW)}  # one write, one time


def test_a_failed_write_moves_nothing(store: Store, db_path: Path) -> None:
    incident = ops.acknowledge(
        store, ops.declare(store, title="T", kind="other", operator="x"), operator="x"
    )
    other = Store.open(db_path, clock=frozen(FROZEN_NOW))
    try:
        ops.set_severity(other, incident, "SEV1", operator="marc")
    finally:
        other.close()
    with pytest.raises(StaleIncident):
        ops.set_commander(store, incident, "priya", operator="sam")
    assert store.get_incident(incident.id).step == "own"
    assert moves(store, incident) == []


# -- moving on by hand ------------------------------------------------------------------------


def test_moving_on_by_hand_needs_a_reason_and_records_what_is_missing(store: Store) -> None:
    clock = MovingClock()
    store.clock = clock
    incident = journey.owned(store, "data-breach")
    clock.advance(H)
    with pytest.raises(steps.StepIncomplete) as stuck:
        steps.advance(store, incident, operator="priya")
    assert stuck.value.status.missing == (
        "the harm is not marked stopped yet: finish the action that stops it",
        "Security has not been told yet",
    )
    assert "stays at step 2 Contain" in str(stuck.value)
    with pytest.raises(steps.StepIncomplete):  # a blank reason is no reason
        steps.advance(store, incident, operator="priya", reason="   ")
    reason = "The export link was revoked by the ESP before we got here."
    moved = steps.advance(store, incident, operator="priya", reason=reason)
    assert (moved.step, moved.contained_at) == ("assess", FROZEN_NOW + H)  # its clock is set
    contained, step = store.events(incident.id)[-2:]
    assert (contained.type, contained.details) == (
        "contained",
        {"seconds_after_detection": 3600, "by_hand": True},
    )
    assert step.details == {
        "from": "contain",
        "to": "assess",
        "by": "hand",
        "reason": reason,
        "missing": list(stuck.value.status.missing),
    }
    passage = steps.status(store, moved, "contain").passage
    assert passage is not None and (passage.by_hand, passage.reason) == (True, reason)


def test_by_hand_from_own_sets_the_acknowledged_time_once(store: Store, declared: Incident) -> None:
    moved = steps.advance(store, declared, operator="lea", reason="Lea owns it; nobody else on.")
    assert (moved.step, moved.acknowledged_at, moved.commander) == ("contain", FROZEN_NOW, None)
    assert [e.type for e in store.events(declared.id)][-2:] == ["acknowledged", "step_advanced"]


def test_by_hand_then_the_rules_carry_on(store: Store) -> None:
    incident = journey.owned(store)
    assess.update_assessment(store, incident, journey.ANSWERS, operator="x")
    moved = steps.advance(
        store, store.get_incident(incident.id), operator="x", reason="Nothing was left to stop."
    )
    assert moved.step == "plan"
    assert moves(store, moved)[-2:] == [("contain", "assess", "hand"), ("assess", "plan", "rules")]


def test_the_rules_run_on_any_write_even_a_bare_store_update(
    store: Store, declared: Incident
) -> None:
    incident = store.update_incident(
        declared.id,
        expected_version=declared.version,
        operator="old",
        changes={"acknowledged_at": FROZEN_NOW, "commander": "priya"},
        events=[("note", {"text": "written the way an older release did"})],
    )
    assert incident.step == "contain"
    assert moves(store, incident) == [("own", "contain", "rules")]


def test_a_complete_step_written_without_the_rules_catches_up_when_asked(
    store: Store, declared: Incident
) -> None:
    """A database filled before the rules existed: complete steps, nobody moved it on."""
    conn = raw(store.path)
    conn.execute(
        "UPDATE incidents SET acknowledged_at = ?, commander = 'priya' WHERE id = ?",
        (FROZEN_NOW.isoformat(), declared.id),
    )
    conn.close()
    stuck = store.get_incident(declared.id)
    assert stuck.step == "own" and steps.status(store, stuck).complete
    moved = steps.advance(store, stuck, operator="lea")  # no reason needed: it is complete
    assert moved.step == "contain"
    assert moves(store, moved) == [("own", "contain", "rules")]


def test_advance_refuses_stale_and_resolved_incidents(store: Store, declared: Incident) -> None:
    newer = ops.set_severity(store, declared, "SEV1", operator="marc")
    with pytest.raises(StaleIncident, match="changed by marc"):
        steps.advance(store, declared, operator="sam", reason="Owned in the war room.")
    closed = lifecycle.resolve(store, newer, "sam", reason="A test closes it early.")
    with pytest.raises(ValidationError, match="resolved; reopen it"):
        steps.advance(store, closed, operator="sam", reason="Owned in the war room.")


def test_every_step_reports_its_state(store: Store) -> None:
    incident = journey.at_plan(store)
    states = [(s.step, s.state, s.complete) for s in steps.statuses(store, incident)]
    assert states == [
        ("own", "done", True),
        ("contain", "done", True),
        ("assess", "done", True),
        ("plan", "current", False),
        ("notify", "ahead", False),
        ("monitor", "ahead", False),
    ]
    statuses = steps.statuses(store, incident)
    assert all(s.passage is not None and not s.passage.by_hand for s in statuses[:3])
    assert statuses[3].since == FROZEN_NOW and statuses[4].since is None


# -- the guard: no write without the rules ----------------------------------------------------


def test_a_store_without_the_step_rules_refuses_to_write(
    store: Store, declared: Incident, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "_step_rules", None)
    with pytest.raises(StoreError, match="step rules are not loaded"):
        ops.acknowledge(store, declared, operator="sam")
    monkeypatch.undo()
    assert store.get_incident(declared.id).acknowledged_at is None  # nothing was written
    assert [e.type for e in store.events(declared.id)] == ["declared"]
