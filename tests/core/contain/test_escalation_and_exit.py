"""Escalations, and when an incident may leave the Contain step."""

from __future__ import annotations

import sqlite3

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import StaleIncident, ValidationError
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.playbooks import Playbook
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.contain.support import at_contain, declare, last_event_id
from tests.core.support import incident as memory_incident


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


# -- leaving the step -----------------------------------------------------------------


def test_cannot_leave_before_the_harm_is_stopped(store: Store, incident: Incident) -> None:
    allowed, reason = contain.can_leave_contain(incident, [])
    assert not allowed
    assert "not marked as stopped" in reason


def test_contained_incident_leaves_for_assess(
    store: Store, incident: Incident, playbook: Playbook
) -> None:
    contained = contain_now(store, incident, playbook)
    allowed, reason = contain.can_leave_contain(contained, [])
    assert allowed and "ready to assess" in reason
    moved = contain.leave_contain(store, contained, operator="priya")
    assert moved.step == "assess"
    event = store.events(incident.id)[-1]
    assert (event.type, event.operator, event.details) == (
        "step_advanced",
        "priya",
        {"from": "contain", "to": "assess"},
    )


def test_data_breach_stays_until_security_is_escalated_to(
    store: Store, breach: Incident, playbook: Playbook
) -> None:
    contained = contain_now(store, breach, playbook)
    allowed, reason = contain.can_leave_contain(contained, [])
    assert not allowed
    assert "until Security has been escalated to" in reason
    before = last_event_id(store, breach.id)
    with pytest.raises(ValidationError, match="until Security has been escalated to"):
        contain.leave_contain(store, contained, operator="sam")
    assert store.events(breach.id, after_id=before) == []
    assert store.get_incident(breach.id).step == "contain"

    contain.escalate(store, breach, to="it", contact="#it", operator="sam")
    assert not contain.can_leave_contain(contained, contain.list_escalations(store, breach.id))[0]
    contain.escalate(store, breach, to="security", contact="Dana", operator="sam")
    assert contain.can_leave_contain(contained, contain.list_escalations(store, breach.id))[0]
    assert contain.leave_contain(store, contained, operator="sam").step == "assess"


def test_data_breach_escalated_but_not_contained_gives_both_reasons(
    store: Store, breach: Incident
) -> None:
    allowed, reason = contain.can_leave_contain(breach, [])
    assert not allowed
    assert "not marked as stopped" in reason and "Security" in reason
    contain.escalate(store, breach, to="security", contact="Dana", operator="sam")
    allowed, reason = contain.can_leave_contain(breach, contain.list_escalations(store, breach.id))
    assert not allowed and "Security" not in reason


def test_escalations_of_another_incident_do_not_count(store: Store, breach: Incident) -> None:
    other = at_contain(store, "data-breach")
    record = contain.escalate(store, other, to="security", contact="Dana", operator="sam")
    contained = memory_incident(breach.id, kind="data-breach", step="contain")
    contained = Incident(**{**contained.__dict__, "contained_at": FROZEN_NOW})
    assert not contain.can_leave_contain(contained, [record])[0]


def test_cannot_leave_from_own_or_after_contain(store: Store, playbook: Playbook) -> None:
    own = declare(store)
    allowed, reason = contain.can_leave_contain(own, [])
    assert not allowed and "still at step Own it" in reason
    with pytest.raises(ValidationError, match="name a commander first"):
        contain.leave_contain(store, own, operator="sam")
    later = memory_incident(5, step="assess")
    allowed, reason = contain.can_leave_contain(later, [])
    assert not allowed and "already left Contain (now at Assess)" in reason


def test_contained_at_own_then_moved_to_contain_can_leave(store: Store, playbook: Playbook) -> None:
    own = declare(store)
    contain_now(store, own, playbook)  # halted before anyone took command
    acknowledged = ops.acknowledge(store, store.get_incident(own.id), operator="sam")
    commanded = ops.set_commander(store, acknowledged, "priya", operator="sam")
    assert commanded.step == "contain" and commanded.contained_at == FROZEN_NOW
    assert contain.leave_contain(store, commanded, operator="sam").step == "assess"


def test_leave_with_a_stale_incident_is_refused(
    store: Store, incident: Incident, playbook: Playbook
) -> None:
    contained = contain_now(store, incident, playbook)
    ops.set_severity(store, contained, "SEV1", operator="marc")
    with pytest.raises(StaleIncident, match="changed by marc"):
        contain.leave_contain(store, contained, operator="sam")
    assert store.get_incident(incident.id).step == "contain"
