"""The people already named on an incident, for picking an owner without typing a name.

Owners of plan tasks and containment actions are usually the handful of people already
involved: the commander, whoever works on the incident in the console, the owners named
so far. ``people_named`` lists them, the most involved first, so an owner takes a key or
two instead of a typed name.
"""

from __future__ import annotations

from collections import Counter

from email_crisis.core.base.domain import Incident
from email_crisis.core.contain.actions import list_actions
from email_crisis.core.plan.store import list_tasks
from email_crisis.core.store.database import Store


def people_named(store: Store, incident: Incident, *, me: str | None = None) -> list[str]:
    """Names on the incident: ``me`` first, then the commander, then the others by how
    often they appear (owners of tasks and actions, operators in the event log).

    Names are compared without case; the first spelling seen is kept.
    """
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}

    def seen(name: str | None, weight: int = 1) -> None:
        if not name or not name.strip():
            return
        key = name.strip().casefold()
        spelling.setdefault(key, name.strip())
        counts[key] += weight

    for task in list_tasks(store, incident.id):
        seen(task.owner, 3)
    for action in list_actions(store, incident.id):
        seen(action.owner_person, 3)
    for event in store.events(incident.id):
        seen(event.operator)
    first = [name for name in (me, incident.commander) if name and name.strip()]
    ordered = [spelling[key] for key, _ in counts.most_common()]
    people: list[str] = []
    for name in [*first, *ordered]:
        if name.strip().casefold() not in {p.casefold() for p in people}:
            people.append(name.strip())
    return people
