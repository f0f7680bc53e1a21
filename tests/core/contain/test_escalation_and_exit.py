"""Escalations, and when an incident leaves the Contain step (the step rules decide)."""

from __future__ import annotations

import sqlite3

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.playbooks import Playbook
from email_crisis.core.own import incidents as ops
from email_crisis.core.steps import machine as steps
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.contain.support import at_contain, declare, last_event_id


def contain_now(store: Store, incident: Incident, playbook: Playbook) -> Incident:
    """Mark the kind's first stops_harm action done; return the fresh incident."""
    actions = contain.ensure_actions(store, incident, playbook, operator="sam")
    contain.set_status(store, next(a for a in actions if a.stops_harm), "done", operator="sam")
    return store.get_incident(incident.id)


# -- escalations ----------------------------------------------------------------------


def test_escalate_records_whom_and_when_with_one_event(store: Store, breach: Incident) -> None:
    before = last_event_id(store, breach.id)
    record = contain.escalate(
        store,
        breach,
        to="security",
        contact="  Dana Ruiz, security on-call (+33 6 00 00 00 00)  ",
        operator="sam",
        note="Called at once; she takes command.",
    )
    assert (record.to, record.at, record.operator) == ("security", FROZEN_NOW, "sam")
    assert record.contact == "Dana Ruiz, security on-call (+33 6 00 00 00 00)"
    assert record.note == "Called at once; she takes command."
    assert contain.list_escalations(store, breach.id) == [record]
    (event,) = store.events(breach.id, after_id=before)
    assert (event.type, event.details) == (
        "escalated",
        {"to": "security", "escalation_id": record.id},
    )
    assert "Dana" not in str(event.details)  # the contact stays in its table


def test_each_escalation_is_its_own_record(store: Store, breach: Incident) -> None:
    contain.escalate(store, breach, to="security", contact="Dana", operator="sam")
    contain.escalate(store, breach, to="it", contact="#it-oncall", operator="marc")
    contain.escalate(store, breach, to="security", contact="CISO", operator="marc")
    records = contain.list_escalations(store, breach.id)
    assert [(r.to, r.contact, r.operator, r.note) for r in records] == [
        ("security", "Dana", "sam", None),
        ("it", "#it-oncall", "marc", None),
        ("security", "CISO", "marc", None),
    ]
    assert [e.type for e in store.events(breach.id)].count("escalated") == 3


@pytest.mark.parametrize(
    ("to", "contact", "message"),
    [
        ("police", "Desk", "unknown role 'police'"),
        ("legal", " ", "Contact is required"),
        ("legal", "a\x1b[31mb", "control characters"),
        ("legal", "x" * 201, "limit is 200"),
    ],
)
def test_escalation_refusals(
    store: Store, breach: Incident, to: str, contact: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        contain.escalate(store, breach, to=to, contact=contact, operator="sam")
    assert contain.list_escalations(store, breach.id) == []


def test_escalations_cannot_be_rewritten(store: Store, breach: Incident) -> None:
    contain.escalate(store, breach, to="security", contact="Dana", operator="sam")
    conn = sqlite3.connect(store.path)
    for statement in ("UPDATE escalations SET to_role = 'it'", "DELETE FROM escalations"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    conn.close()


def test_pending_escalations_follow_the_playbook(
    store: Store, breach: Incident, playbook: Playbook
) -> None:
    section = playbook.for_kind("data-breach")
    assert [r.to for r in contain.pending_escalations(section, [])] == [
        "security",
        "it",
        "legal",
        "leadership",
    ]
    contain.escalate(store, breach, to="it", contact="#it", operator="sam")
    done = contain.list_escalations(store, breach.id)
    assert [r.to for r in contain.pending_escalations(section, done)] == [
        "security",
        "legal",
        "leadership",
    ]


# -- leaving the step: the step rules decide, in the write that completes it -------------


def contain_words(store: Store, incident: Incident) -> list[tuple[str, bool, str]]:
    status = steps.status(store, store.get_incident(incident.id), "contain")
    return [(c.id, c.holds, c.text) for c in status.criteria]


def test_it_stays_in_contain_until_the_harm_is_stopped(store: Store, incident: Incident) -> None:
    assert contain_words(store, incident) == [
        (
            "harm_stopped",
            False,
            "the harm is not marked stopped yet: finish the action that stops it",
        )
    ]
    assert store.get_incident(incident.id).step == "contain"


def test_stopping_the_harm_moves_it_to_assess_in_the_same_write(
    store: Store, incident: Incident, playbook: Playbook
) -> None:
    actions = contain.ensure_actions(store, incident, playbook, operator="sam")
    halt = next(a for a in actions if a.stops_harm)
    assert contain_words(store, incident)[0][:2] == ("harm_stopped", False)
    assert "“Stop the send”" in contain_words(store, incident)[0][2]  # names the action
    before = last_event_id(store, incident.id)
    contain.set_status(store, halt, "done", operator="priya")
    moved = store.get_incident(incident.id)
    assert moved.step == "assess" and moved.contained_at == FROZEN_NOW
    events = store.events(incident.id, after_id=before)
    assert [(e.type, e.operator, e.at) for e in events] == [
        ("contain_action_status", "priya", FROZEN_NOW),
        ("contained", "priya", FROZEN_NOW),
        ("step_advanced", "priya", FROZEN_NOW),
    ]
    assert events[-1].details == {"from": "contain", "to": "assess", "by": "rules"}


def test_data_breach_stays_until_security_is_told(
    store: Store, breach: Incident, playbook: Playbook
) -> None:
    contained = contain_now(store, breach, playbook)
    assert contained.step == "contain" and contained.contained_at == FROZEN_NOW
    assert contain_words(store, breach)[1] == (
        "escalated",
        False,
        "Security has not been told yet",
    )
    contain.escalate(store, breach, to="it", contact="#it", operator="sam")
    assert store.get_incident(breach.id).step == "contain"
    contain.escalate(store, breach, to="security", contact="Dana", operator="sam")
    assert store.get_incident(breach.id).step == "assess"
    assert store.events(breach.id)[-1].details == {"from": "contain", "to": "assess", "by": "rules"}


def test_data_breach_told_but_not_contained_says_what_is_left(
    store: Store, breach: Incident
) -> None:
    missing = [text for _id, holds, text in contain_words(store, breach) if not holds]
    assert len(missing) == 2 and "Security" in missing[1]
    contain.escalate(store, breach, to="security", contact="Dana", operator="sam")
    words = contain_words(store, breach)
    assert [holds for _id, holds, _text in words] == [False, True]
    assert words[1][2] == "Security told at 2026-11-27 09:30"
    assert store.get_incident(breach.id).step == "contain"


def test_escalations_of_another_incident_do_not_count(
    store: Store, breach: Incident, playbook: Playbook
) -> None:
    other = at_contain(store, "data-breach")
    contain.escalate(store, other, to="security", contact="Dana", operator="sam")
    assert contain_now(store, breach, playbook).step == "contain"


def test_contained_at_own_then_owned_goes_straight_to_assess(
    store: Store, playbook: Playbook
) -> None:
    own = declare(store)
    halted = contain_now(store, own, playbook)  # halted before anyone took command
    assert halted.step == "own" and halted.contained_at == FROZEN_NOW
    acknowledged = ops.acknowledge(store, halted, operator="sam")
    commanded = ops.set_commander(store, acknowledged, "priya", operator="sam")
    assert commanded.step == "assess"
    moves = [e.details for e in store.events(own.id) if e.type == "step_advanced"]
    assert moves == [
        {"from": "own", "to": "contain", "by": "rules"},
        {"from": "contain", "to": "assess", "by": "rules"},
    ]
