"""The work that takes an incident through its steps, done through each step's public
functions, for tests that need an incident further along.

Nothing here sets a step: each function does what an operator does, and the step rules
move the incident on (each checks where it landed, so a change to the rules that stops
the journey fails loudly here rather than in the test that relies on it).
"""

from __future__ import annotations

from datetime import timedelta

from email_crisis.core.assess import form as assess
from email_crisis.core.base.domain import Incident
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.playbooks import load_playbook
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store

ANSWERS = {"affected_count": "12,500", "data_exposed": "none", "regions": "eu-eea"}
"""An assessment with what the decisions need, for a send with no personal data exposed."""


def _landed(store: Store, incident: Incident, step: str) -> Incident:
    fresh = store.get_incident(incident.id)
    assert fresh.step == step, f"expected step {step}, the rules left it at {fresh.step}"
    return fresh


def owned(store: Store, kind: str = "wrong-content", *, who: str = "sam") -> Incident:
    """Declared, acknowledged, a commander named: at step 2, Contain."""
    incident = ops.declare(store, title=f"A {kind} incident", kind=kind, operator=who)
    incident = ops.acknowledge(store, incident, operator=who)
    incident = ops.set_commander(store, incident, "priya", operator=who)
    return _landed(store, incident, "contain")


def contained(store: Store, incident: Incident, *, who: str = "priya") -> Incident:
    """The playbook's harm-stopping action done (and security told for a breach): Assess."""
    actions = contain.ensure_actions(store, incident, load_playbook(env={}), operator=who)
    if incident.kind == "data-breach":
        contain.escalate(store, incident, to="security", contact="on-call", operator=who)
    stopper = next(action for action in actions if action.stops_harm)
    contain.set_status(store, stopper, "done", operator=who)
    return _landed(store, incident, "assess")


def assessed(store: Store, incident: Incident, *, who: str = "priya") -> Incident:
    """The assessment saved with what the decisions need: Plan (the plan is empty)."""
    assess.update_assessment(store, store.get_incident(incident.id), ANSWERS, operator=who)
    return _landed(store, incident, "plan")


def at_plan(store: Store, kind: str = "broken-personalization") -> Incident:
    """An owned, contained and assessed incident: at step 4 with an empty plan."""
    return assessed(store, contained(store, owned(store, kind)))


def planned(store: Store, incident: Incident, *, who: str = "priya") -> Incident:
    """One task with an owner and a due time: Notify."""
    from email_crisis.core.plan import tasks as plan

    plan.add_task(
        store,
        store.get_incident(incident.id),
        title="Fix the segment rule",
        kind="internal-fix",
        owner_role="marketing",
        owner=who,
        due_at=store.clock() + timedelta(hours=4),
        operator=who,
    )
    return _landed(store, incident, "notify")
