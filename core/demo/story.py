"""What happens at each step of a demo incident: the work an operator would have done.

``core.demo.scenes`` replays each scene's timeline with a moving clock and calls these
chapters (``CHAPTERS``) at the right moments, so the demo database reads like a real
response: containment actions from the playbook, escalations, assessments, plan tasks,
an apology draft, deliverability signals. Each chapter only does the work; the step
rules decide where that leaves the incident.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.apology_lock import gate
from email_crisis.core.base.domain import Incident
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.playbooks import load_playbook
from email_crisis.core.monitor import metrics
from email_crisis.core.notify import drafts as notify
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store.database import Store

Clock = Callable[[], datetime]
_M = timedelta(minutes=1)

ASSESSMENTS: dict[str, Mapping[str, str]] = {
    "data-breach": {
        "campaigns": "November newsletter",
        "affected_count": "18,400",
        "affected_by_place": "EU 11200, CA 4100, NY 1300, unknown 1800",
        "data_exposed": "email-addresses, names",
        "regions": "eu-eea, us",
        "us_states": "CA",
        "cause": "security-compromise",
        "cause_text": "An export link with no expiry was pasted into the footer template.",
        "needs_legal": "yes",
        "needs_security": "yes",
    },
    "wrong-segment": {
        "campaigns": "Black Friday VIP preview",
        "segments": "VIP, All subscribers",
        "affected_count": "480,000",
        "data_exposed": "none",
        "regions": "eu-eea, us",
        "cause": "wrong-list-or-segment",
        "cause_text": "The audience picker defaulted to All subscribers after a copy.",
        "cost_amount": "12000",
        "cost_currency": "EUR",
    },
    "broken-personalization": {
        "campaigns": "Welcome series, email 1",
        "affected_count": "23,900",
        "data_exposed": "none",
        "regions": "eu-eea, uk",
        "cause": "template-or-merge-error",
        "cause_text": "The first-name field was renamed in the CRM sync.",
    },
    "wrong-content": {
        "affected_count": "1,200",
        "data_exposed": "none",
        "regions": "us",
        "cause": "human-error",
        "cause_text": "A test send went to the live list.",
    },
    "suppression-list-send": {
        "campaigns": "Win-back autumn",
        "affected_count": "52,310",
        "data_exposed": "none",
        "regions": "us, canada",
        "cause": "wrong-list-or-segment",
        "cause_text": "An old suppression export was uploaded as a target list.",
        "needs_legal": "yes",
    },
}


def contain_fully(store: Store, incident: Incident, who: str, step: Callable[[], None]) -> Incident:
    """Create the playbook's actions, tell who must be told, and stop the harm."""
    playbook = load_playbook(env={})
    actions = contain.ensure_actions(store, incident, playbook, operator=who)
    step()
    for rule in playbook.for_kind(incident.kind).escalations:
        if rule.immediate:
            contain.escalate(store, incident, to=rule.to, contact="on-call, by phone", operator=who)
    step()
    stopper = next(a for a in actions if a.stops_harm)
    contain.set_status(store, stopper, "in-progress", operator=who)
    step()
    contain.set_status(store, contain.get_action(store, stopper.id), "done", operator=who)
    return store.get_incident(incident.id)


def contain_in_progress(
    store: Store, incident: Incident, who: str, step: Callable[[], None]
) -> None:
    """The first minutes: actions set up, security told, the send being stopped."""
    playbook = load_playbook(env={})
    actions = contain.ensure_actions(store, incident, playbook, operator=who)
    step()
    contain.escalate(
        store, incident, to="security", contact="Ana (security on-call), phone", operator=who
    )
    step()
    contain.set_status(store, actions[1], "in-progress", operator=who)


def assess_now(store: Store, incident: Incident, who: str, *, complete: bool = True) -> None:
    """Record what is known of the damage for the incident's kind, if the demo has it.

    Not ``complete``: whether personal data was exposed is still being checked.
    """
    changes = dict(ASSESSMENTS.get(incident.kind, {}))
    if not complete:
        changes.pop("data_exposed", None)
    if changes:
        assess.update_assessment(store, incident, changes, operator=who)


def plan_now(store: Store, incident: Incident, who: str, now: datetime, *, owned: int) -> None:
    """The playbook's suggested tasks, the first ``owned`` of them given an owner and due time."""
    tasks = plan.add_suggested(store, incident, operator=who)
    for offset, task in enumerate(tasks[:owned]):
        plan.edit_task(
            store, task, owner=who, due_at=now + timedelta(hours=4 + 20 * offset), operator=who
        )


def tasks_done(store: Store, incident: Incident, who: str) -> None:
    """Every open task of the plan done."""
    for task in plan.list_tasks(store, incident.id):
        if task.is_open:
            plan.set_status(store, task, "done", operator=who)


def apology_sent(store: Store, incident: Incident, who: str) -> Incident:
    """Save the starting apology for the kind, then record it as sent."""
    brand = notify.load_brand()
    draft = notify.starting_draft(incident, "en", brand, gate=gate(store, incident))
    notify.save_draft(store, incident, draft.fields(), who)
    return notify.mark_sent(store, store.get_incident(incident.id), who)


def deliverability(store: Store, incident: Incident, who: str, until: datetime) -> None:
    """Hourly complaint and bounce rates: calm, a spike after the send, a slow recovery."""
    start = incident.detected_at - timedelta(days=3)
    rows = ["time,metric,value"]
    hours = int((until - start).total_seconds() // 3600)
    for hour in range(hours):
        at = start + timedelta(hours=hour)
        since = (at - incident.detected_at).total_seconds() / 3600
        spike = 0.0 if since < 0 else max(0.0, 0.42 * (1 - since / 160))
        rows.append(f"{at.isoformat()},complaint_rate,{0.03 + spike:.3f}")
        rows.append(f"{at.isoformat()},bounce_rate,{0.8 + 3 * spike:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deliverability.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        metrics.import_file(store, incident.id, path, operator=who, source="csv")


Tick = Callable[[], None]
Chapter = Callable[[Store, int, str, Tick, datetime], object]


CHAPTERS: dict[str, Chapter] = {
    "containing": lambda s, i, who, tick, at: contain_in_progress(s, s.get_incident(i), who, tick),
    "contained": lambda s, i, who, tick, at: contain_fully(s, s.get_incident(i), who, tick),
    "assessing": lambda s, i, who, tick, at: assess_now(s, s.get_incident(i), who, complete=False),
    "assessed": lambda s, i, who, tick, at: assess_now(s, s.get_incident(i), who),
    "planning": lambda s, i, who, tick, at: plan_now(s, s.get_incident(i), who, at, owned=2),
    "planned": lambda s, i, who, tick, at: plan_now(s, s.get_incident(i), who, at, owned=99),
    "apology-sent": lambda s, i, who, tick, at: apology_sent(s, s.get_incident(i), who),
    "watching": lambda s, i, who, tick, at: deliverability(s, s.get_incident(i), who, until=at),
    "tasks-done": lambda s, i, who, tick, at: tasks_done(s, s.get_incident(i), who),
}
"""The work a scene can list, by name: (store, incident id, who, tick, now)."""
