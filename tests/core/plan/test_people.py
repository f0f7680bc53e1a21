"""The people already named on an incident, offered when picking an owner."""

from __future__ import annotations

from datetime import timedelta

from email_crisis.core.plan import tasks as plan
from email_crisis.core.plan.people import people_named
from email_crisis.core.store.database import Store
from tests.core import journey


def test_me_first_then_the_commander_then_the_most_involved(store: Store) -> None:
    incident = journey.at_plan(store)  # sam declared and acknowledged; priya commands
    for title in ("Fix the template", "Check the fallback"):
        plan.add_task(
            store, store.get_incident(incident.id), title=title, kind="internal-fix",
            owner_role="marketing", owner="Noor", operator="sam",
            due_at=store.clock() + timedelta(hours=2),
        )  # fmt: skip
    people = people_named(store, store.get_incident(incident.id), me="lea")
    assert people[:2] == ["lea", "priya"]
    assert set(people) == {"lea", "priya", "Noor", "sam"}


def test_names_are_not_repeated_in_another_case(store: Store) -> None:
    incident = journey.owned(store)
    people = people_named(store, incident, me="PRIYA")
    assert [p.casefold() for p in people].count("priya") == 1
