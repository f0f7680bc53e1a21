"""Containment actions: creation from the playbook, statuses, owners, notes, custom actions."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import NotFound, ValidationError
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.actions import STATUSES, TRANSITIONS, ContainAction, StaleAction
from email_crisis.core.contain.playbooks import Playbook
from email_crisis.core.contain.words import LOG_MAX
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.contain.support import declare, event_types, last_event_id
from tests.core.support import MovingClock, table


@pytest.fixture
def actions(store: Store, incident: Incident, playbook: Playbook) -> list[ContainAction]:
    return contain.ensure_actions(store, incident, playbook, operator="sam")


def by_id(store: Store, incident_id: int, action_id: str) -> ContainAction:
    return next(a for a in contain.list_actions(store, incident_id) if a.action_id == action_id)


# -- creation -------------------------------------------------------------------------


def test_ensure_actions_creates_the_kind_playbook_in_order(
    store: Store, incident: Incident, playbook: Playbook, actions: list[ContainAction]
) -> None:
    section = playbook.for_kind("wrong-segment")
    assert [a.action_id for a in actions] == [a.id for a in section.actions]
    assert [a.position for a in actions] == list(range(1, len(actions) + 1))
    halt = actions[0]
    assert (halt.title, halt.owner_role, halt.owner_person) == (
        section.actions[0].title,
        "marketing",
        None,
    )
    assert halt.stops_harm and halt.esp_operation == "cancel-scheduled"
    assert (halt.status, halt.version, halt.custom, halt.manual) == ("todo", 1, False, False)
    assert (halt.created_at, halt.created_by, halt.started_at, halt.finished_at) == (
        FROZEN_NOW,
        "sam",
        None,
        None,
    )
    assert actions[3].guidance and "notify" in actions[3].guidance
    created = store.events(incident.id)[-1]
    assert created.type == "contain_actions_created"
    assert created.details == {
        "playbook": "built-in playbook",
        "actions": [a.id for a in section.actions],
    }
    assert contain.playbook_source(store, incident.id) == "built-in playbook"


def test_ensure_actions_is_idempotent(
    store: Store, incident: Incident, playbook: Playbook, actions: list[ContainAction]
) -> None:
    before = last_event_id(store, incident.id)
    again = contain.ensure_actions(store, incident, playbook, operator="marc")
    assert again == actions
    assert store.events(incident.id, after_id=before) == []
    assert len(table(store.path, "contain_actions")) == len(actions)


def test_ensure_actions_works_before_a_commander_is_named(store: Store, playbook: Playbook) -> None:
    own = declare(store, "suppression-list-send")
    assert own.step == "own"
    created = contain.ensure_actions(store, own, playbook, operator="sam")
    assert created[0].action_id == "halt-send"
    done = contain.set_status(store, created[0], "done", operator="sam")
    assert done.status == "done"
    assert store.get_incident(own.id).contained_at == FROZEN_NOW


def test_ensure_actions_for_a_missing_incident(store: Store, playbook: Playbook) -> None:
    ghost = declare(store)
    ghost = Incident(**{**ghost.__dict__, "id": 99})
    with pytest.raises(NotFound, match="no incident 99"):
        contain.ensure_actions(store, ghost, playbook, operator="sam")


def test_each_incident_gets_its_own_actions(store: Store, playbook: Playbook) -> None:
    one, two = declare(store), declare(store, "data-breach")
    contain.ensure_actions(store, one, playbook, operator="sam")
    contain.ensure_actions(store, two, playbook, operator="sam")
    assert contain.list_actions(store, two.id)[0].action_id == "call-security"
    assert {a.incident_id for a in contain.list_actions(store, one.id)} == {one.id}


# -- statuses -------------------------------------------------------------------------


def bring_to(store: Store, action: ContainAction, status: str) -> ContainAction:
    """Put a fresh ``todo`` action into ``status`` through allowed moves."""
    if status == "todo":
        return action
    reason = {"skipped": "Campaign had already finished", "failed": "ESP answered 503"}
    return contain.set_status(store, action, status, operator="sam", reason=reason.get(status, ""))


@pytest.mark.parametrize("target", list(STATUSES))
@pytest.mark.parametrize("source", list(STATUSES))
def test_every_status_transition(
    store: Store, actions: list[ContainAction], source: str, target: str
) -> None:
    action = bring_to(store, actions[2], source)  # freeze-segment: does not stop the harm
    assert action.status == source
    reason = "Because it had to be" if target in ("skipped", "failed") else ""
    if target in TRANSITIONS[source]:
        moved = contain.set_status(store, action, target, operator="marc", reason=reason)
        assert (moved.status, moved.version, moved.updated_by) == (
            target,
            action.version + 1,
            "marc",
        )
        assert moved.reason == (reason if target in ("skipped", "failed") else None)
        event = store.events(action.incident_id)[-1]
        assert (event.type, event.details["from"], event.details["to"]) == (
            "contain_action_status",
            source,
            target,
        )
    else:
        with pytest.raises(ValidationError):
            contain.set_status(store, action, target, operator="marc", reason=reason)
        assert contain.get_action(store, action.id) == action


def test_next_statuses_match_the_transitions(store: Store, actions: list[ContainAction]) -> None:
    todo = actions[1]
    assert contain.next_statuses(todo) == ("in-progress", "done", "skipped", "failed")
    failed = bring_to(store, todo, "failed")
    assert contain.next_statuses(failed) == ("todo", "in-progress", "done", "skipped", "failed")
    assert contain.next_statuses(bring_to(store, actions[2], "done")) == ()
    assert contain.next_statuses(bring_to(store, actions[3], "skipped")) == ("todo",)


def test_timestamps_follow_the_status(store: Store, actions: list[ContainAction]) -> None:
    clock = MovingClock()
    store.clock = clock
    started = contain.set_status(store, actions[1], "in-progress", operator="sam")
    assert (started.started_at, started.finished_at) == (FROZEN_NOW, None)
    clock.advance(timedelta(minutes=3))
    back = contain.set_status(store, started, "todo", operator="sam")
    again = contain.set_status(store, back, "in-progress", operator="sam")
    assert again.started_at == FROZEN_NOW  # the first start counts
    clock.advance(timedelta(minutes=4))
    done = contain.set_status(store, again, "done", operator="sam")
    assert (done.started_at, done.finished_at, done.updated_at) == (
        FROZEN_NOW,
        FROZEN_NOW + timedelta(minutes=7),
        FROZEN_NOW + timedelta(minutes=7),
    )


@pytest.mark.parametrize(
    ("status", "message"),
    [("skipped", "Say why the action is skipped"), ("failed", "Give the error text")],
)
def test_skip_and_fail_need_their_text(
    store: Store, actions: list[ContainAction], status: str, message: str
) -> None:
    before = last_event_id(store, actions[0].incident_id)
    for blank in ("", "   \n"):
        with pytest.raises(ValidationError, match=message):
            contain.set_status(store, actions[1], status, operator="sam", reason=blank)
    assert store.events(actions[0].incident_id, after_id=before) == []


def test_skipped_reason_is_kept_and_cleared_when_reopened(
    store: Store, actions: list[ContainAction]
) -> None:
    skipped = contain.set_status(
        store, actions[1], "skipped", operator="sam", reason="  The campaign had finished.  "
    )
    assert (skipped.reason, skipped.finished_at) == ("The campaign had finished.", FROZEN_NOW)
    assert store.events(skipped.incident_id)[-1].details["reason"] == "The campaign had finished."
    reopened = contain.set_status(store, skipped, "todo", operator="sam")
    assert (reopened.reason, reopened.finished_at) == (None, None)


def test_a_reason_is_refused_for_other_statuses(store: Store, actions: list[ContainAction]) -> None:
    with pytest.raises(ValidationError, match="add a note"):
        contain.set_status(store, actions[1], "done", operator="sam", reason="it worked")


def test_unknown_status_and_done_is_final(store: Store, actions: list[ContainAction]) -> None:
    with pytest.raises(ValidationError, match="unknown status 'paused'"):
        contain.set_status(store, actions[1], "paused", operator="sam")
    done = contain.set_status(store, actions[1], "done", operator="sam")
    with pytest.raises(ValidationError, match=r"is done .* cannot be reopened"):
        contain.set_status(store, done, "todo", operator="sam")
    with pytest.raises(ValidationError, match="already done"):
        contain.set_status(store, done, "done", operator="sam")


def test_status_check_constraint_in_the_database(
    store: Store, actions: list[ContainAction]
) -> None:
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE contain_actions SET status = 'skipped', reason = NULL")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE contain_actions SET status = 'paused'")
    conn.close()


# -- stale edits ----------------------------------------------------------------------


def test_a_stale_change_is_refused_and_names_who_changed_it(
    store: Store, actions: list[ContainAction]
) -> None:
    loaded = actions[1]
    contain.set_status(store, loaded, "in-progress", operator="marc")
    before = last_event_id(store, loaded.incident_id)
    with pytest.raises(StaleAction) as caught:
        contain.set_status(store, loaded, "skipped", operator="sam", reason="Not needed")
    message = str(caught.value)
    assert "action 'pause-campaign' was changed by marc" in message
    assert "version 1, now 2" in message and "nothing was saved" in message
    assert caught.value.fresh == contain.get_action(store, loaded.id)
    assert caught.value.fresh.status == "in-progress"
    assert store.events(loaded.incident_id, after_id=before) == []
    with pytest.raises(StaleAction):
        contain.assign(store, loaded, role="it", person=None, operator="sam")
    with pytest.raises(StaleAction):
        contain.mark_done_by_hand(store, loaded, "Paused in the console", operator="sam")
    assert contain.get_action(store, loaded.id).notes == ()


# -- owners ---------------------------------------------------------------------------


def test_assign_role_and_person(store: Store, actions: list[ContainAction]) -> None:
    action = actions[2]
    assigned = contain.assign(store, action, role="it", person="  Priya  ", operator="sam")
    assert (assigned.owner_role, assigned.owner_person, assigned.version) == ("it", "Priya", 2)
    event = store.events(action.incident_id)[-1]
    assert event.type == "contain_action_assigned"
    assert event.details == {
        "action": "freeze-segment",
        "title": assigned.title,
        "role": "it",
        "person": "Priya",
        "previous_role": "marketing",
        "previous_person": None,
    }
    person_only = contain.assign(store, assigned, role=None, person="Marc", operator="sam")
    assert (person_only.owner_role, person_only.owner_person) == (None, "Marc")


@pytest.mark.parametrize(
    ("role", "person", "message"),
    [
        ("ceo", None, "unknown role 'ceo'"),
        (None, None, "needs an owner"),
        (None, "  ", "needs an owner"),
        ("marketing", None, "already has that owner"),
        (None, "Bad\x1b[2J", "control characters"),
    ],
)
def test_assign_refusals(
    store: Store, actions: list[ContainAction], role: str | None, person: str | None, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        contain.assign(store, actions[2], role=role, person=person, operator="sam")


# -- notes ----------------------------------------------------------------------------


def test_notes_are_appended_with_who_and_when(store: Store, actions: list[ContainAction]) -> None:
    clock = MovingClock()
    store.clock = clock
    first = contain.add_note(store, actions[1], "Asked Dana to pause it", operator="sam")
    clock.advance(timedelta(minutes=2))
    second = contain.add_note(store, first, "Dana confirmed on Slack", operator="marc")
    assert [(n.operator, n.at, n.body) for n in second.notes] == [
        ("sam", FROZEN_NOW, "Asked Dana to pause it"),
        ("marc", FROZEN_NOW + timedelta(minutes=2), "Dana confirmed on Slack"),
    ]
    assert second.version == actions[1].version  # appending conflicts with nobody
    events = store.events(actions[1].incident_id)[-2:]
    assert [e.type for e in events] == ["contain_action_note"] * 2
    assert events[0].details == {
        "action": "pause-campaign",
        "title": second.title,
        "note_id": second.notes[0].id,
    }
    assert all("Dana" not in str(e.details) for e in events)  # free text stays out of the log
    with pytest.raises(ValidationError, match="Note is empty"):
        contain.add_note(store, second, "  ", operator="sam")


def test_notes_cannot_be_edited_or_deleted(store: Store, actions: list[ContainAction]) -> None:
    contain.add_note(store, actions[1], "First", operator="sam")
    conn = sqlite3.connect(store.path)
    for statement in ("UPDATE contain_notes SET body = 'x'", "DELETE FROM contain_notes"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    conn.close()


# -- custom actions -------------------------------------------------------------------


def test_custom_actions_go_after_a_given_action_or_at_the_end(
    store: Store, incident: Incident, actions: list[ContainAction]
) -> None:
    first = contain.add_custom_action(
        store, incident, title="Ask the agency to stop their copy", role="marketing", operator="sam"
    )
    second = contain.add_custom_action(
        store,
        incident,
        title="Call the ESP's support line",
        person="Marc",
        after=actions[0],
        operator="sam",
    )
    third = contain.add_custom_action(
        store, incident, title="Check the partner feed", role="it", after=second, operator="sam"
    )
    order = [a.action_id for a in contain.list_actions(store, incident.id)]
    playbook_ids = [a.action_id for a in actions]
    assert order == [playbook_ids[0], "custom-2", "custom-3", *playbook_ids[1:], "custom-1"]
    assert (first.custom, first.status, first.owner_role) == (True, "todo", "marketing")
    assert (second.owner_role, second.owner_person) == (None, "Marc")
    assert not third.stops_harm
    added = [e for e in store.events(incident.id) if e.type == "contain_action_added"]
    assert added[1].details == {
        "action": "custom-2",
        "title": "Call the ESP's support line",
        "owner_role": None,
        "owner_person": "Marc",
        "after": "halt-send",
        "stops_harm": False,
    }


def test_custom_action_refusals(
    store: Store, incident: Incident, actions: list[ContainAction], playbook: Playbook
) -> None:
    with pytest.raises(ValidationError, match="Title is required"):
        contain.add_custom_action(store, incident, title=" ", role="it", operator="sam")
    with pytest.raises(ValidationError, match="owner"):
        contain.add_custom_action(store, incident, title="Do it", operator="sam")
    with pytest.raises(ValidationError, match="unknown role"):
        contain.add_custom_action(store, incident, title="Do it", role="cfo", operator="sam")
    other = declare(store)
    elsewhere = contain.ensure_actions(store, other, playbook, operator="sam")[0]
    with pytest.raises(ValidationError, match="belongs to another incident"):
        contain.add_custom_action(
            store, incident, title="Do it", role="it", after=elsewhere, operator="sam"
        )
    assert "contain_action_added" not in event_types(store, incident.id)


# -- done by hand and connector calls -------------------------------------------------


def test_done_by_hand_records_the_note_and_that_it_was_manual(
    store: Store, actions: list[ContainAction]
) -> None:
    with pytest.raises(ValidationError, match="Say what you did by hand"):
        contain.mark_done_by_hand(store, actions[1], " ", operator="sam")
    done = contain.mark_done_by_hand(store, actions[1], "Paused in the ESP console", operator="sam")
    assert (done.status, done.manual, done.finished_at) == ("done", True, FROZEN_NOW)
    assert [n.body for n in done.notes] == ["Paused in the ESP console"]
    status, note = store.events(done.incident_id)[-2:]
    assert (status.type, status.details["manual"], note.type) == (
        "contain_action_status",
        True,
        "contain_action_note",
    )
    with pytest.raises(ValidationError, match="already done"):
        contain.mark_done_by_hand(store, done, "Again", operator="sam")


def test_a_failed_call_stays_retryable_and_can_be_done_by_hand(
    store: Store, actions: list[ContainAction]
) -> None:
    action = actions[1]
    failed = contain.record_execution(
        store,
        action,
        ok=False,
        esp="sendgrid",
        operation="pause-batch",
        status_code=None,
        message="",
        operator="sam",
    )
    assert (failed.status, failed.reason) == ("failed", "sendgrid did not answer")
    again = contain.record_execution(
        store,
        failed,
        ok=False,
        esp="sendgrid",
        operation="pause-batch",
        status_code=503,
        message="",
        operator="sam",
    )
    assert (again.status, again.reason) == ("failed", "sendgrid answered 503")
    retry = contain.set_status(store, again, "in-progress", operator="sam")
    assert retry.reason is None
    done = contain.mark_done_by_hand(store, retry, "Paused by hand", operator="sam")
    assert done.manual
    calls = contain.list_executions(store, action.incident_id)
    assert [(c.action_id, c.ok, c.status_code) for c in calls] == [
        ("pause-campaign", False, None),
        ("pause-campaign", False, 503),
    ]


def test_a_successful_call_marks_the_action_done(
    store: Store, actions: list[ContainAction]
) -> None:
    done = contain.record_execution(
        store,
        actions[1],
        ok=True,
        esp="sparkpost",
        operation="pause-batch",
        status_code=200,
        message="Campaign paused",
        operator="sam",
    )
    assert (done.status, done.manual, done.reason) == ("done", False, None)
    executed, status = store.events(done.incident_id)[-2:]
    assert executed.type == "contain_action_executed"
    assert executed.details == {
        "action": "pause-campaign",
        "title": done.title,
        "esp": "sparkpost",
        "operation": "pause-batch",
        "ok": True,
        "status_code": 200,
        "message": "Campaign paused",
    }
    assert (status.type, status.details["manual"]) == ("contain_action_status", False)


def test_a_call_is_recorded_even_when_the_action_moved_on(
    store: Store, actions: list[ContainAction]
) -> None:
    loaded = actions[1]
    done = contain.mark_done_by_hand(store, loaded, "Done in the console", operator="marc")
    late = contain.record_execution(
        store,
        loaded,  # stale: the connector started before marc's change
        ok=False,
        esp="mailgun",
        operation="cancel-scheduled",
        status_code=500,
        message="Internal error",
        operator="sam",
    )
    assert (late.status, late.manual, late.version) == ("done", True, done.version + 1)
    assert contain.list_executions(store, loaded.incident_id)[-1].message == "Internal error"
    assert store.events(loaded.incident_id)[-1].type == "contain_action_executed"
    skipped = contain.set_status(store, actions[2], "skipped", operator="marc", reason="n/a")
    kept = contain.record_execution(
        store,
        skipped,
        ok=False,
        esp="mailgun",
        operation="cancel-scheduled",
        status_code=404,
        message="Not found",
        operator="sam",
    )
    assert kept.status == "skipped"


def test_secrets_and_addresses_never_reach_the_database_or_the_log(
    store: Store, actions: list[ContainAction]
) -> None:
    key = "SG.verysecretkeyvalue-1234567890"
    contain.record_execution(
        store,
        actions[1],
        ok=False,
        esp="sendgrid",
        operation="pause-batch",
        status_code=401,
        message=f"Bearer {key} rejected for owner ana.lopez@example.com",
        operator="sam",
        secrets=[key],
    )
    stored = contain.get_action(store, actions[1].id)
    assert stored.reason == "Bearer [secret] rejected for owner [address]"
    raw = store.path.read_bytes() + store.path.with_name(store.path.name + "-wal").read_bytes()
    assert key.encode() not in raw and b"ana.lopez@example.com" not in raw


def test_log_text_is_capped() -> None:
    assert len(contain.for_log("x" * 1000)) == LOG_MAX
    assert contain.for_log("ok") == "ok"


@pytest.mark.parametrize(("esp", "operation"), [("", "pause-batch"), ("sendgrid", "")])
def test_a_call_needs_an_esp_and_an_operation(
    store: Store, actions: list[ContainAction], esp: str, operation: str
) -> None:
    with pytest.raises(ValidationError, match="is required"):
        contain.record_execution(
            store,
            actions[1],
            ok=True,
            esp=esp,
            operation=operation,
            status_code=200,
            message="",
            operator="sam",
        )


# -- the whole event trail ------------------------------------------------------------


def test_every_change_appends_one_event_of_its_type(
    store: Store, incident: Incident, actions: list[ContainAction]
) -> None:
    start = last_event_id(store, incident.id)
    action = contain.set_status(store, actions[2], "in-progress", operator="sam")
    action = contain.assign(store, action, role="it", person=None, operator="sam")
    contain.add_note(store, action, "On it", operator="sam")
    contain.add_custom_action(store, incident, title="Extra", role="it", operator="sam")
    contain.escalate(store, incident, to="leadership", contact="Ana (COO)", operator="sam")
    contain.set_status(store, actions[0], "done", operator="sam")
    assert event_types(store, incident.id, start) == [
        "contain_action_status",
        "contain_action_assigned",
        "contain_action_note",
        "contain_action_added",
        "escalated",
        "contain_action_status",
        "contained",
        "step_advanced",  # the harm stopped: step 2 is complete for this kind
    ]
    assert {e.operator for e in store.events(incident.id, after_id=start)} == {"sam"}


def test_two_operators_opening_the_panel_at_once_create_one_set(
    store: Store, incident: Incident, playbook: Playbook
) -> None:
    other = Store.open(store.path, clock=store.clock)
    try:
        contain.ensure_actions(store, incident, playbook, operator="sam")
        contain.ensure_actions(other, incident, playbook, operator="marc")
    finally:
        other.close()
    assert len(contain.list_actions(store, incident.id)) == len(
        playbook.for_kind(incident.kind).actions
    )
    assert event_types(store, incident.id).count("contain_actions_created") == 1
