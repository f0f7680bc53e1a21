"""What completes step 4, plan: checks named in ``core/steps/data/steps.toml``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from email_crisis.core.base.criteria import Check, Finding
from email_crisis.core.base.domain import Incident
from email_crisis.core.plan.store import PlanTask, list_tasks
from email_crisis.core.store.database import Store


def _count(number: int, one: str, many: str) -> str:
    return f"1 {one}" if number == 1 else f"{number} {many}"


def _open(store: Store, incident: Incident) -> list[PlanTask]:
    return [task for task in list_tasks(store, incident.id) if task.is_open]


def has_tasks(
    store: Store, incident: Incident, now: datetime, params: Mapping[str, Any]
) -> Finding:
    """The plan holds at least one task that is not dropped."""
    live = [task for task in list_tasks(store, incident.id) if task.status != "dropped"]
    if not live:
        return Finding(False, "the plan has no tasks yet")
    return Finding(True, _count(len(live), "task in the plan", "tasks in the plan"))


def owned(store: Store, incident: Incident, now: datetime, params: Mapping[str, Any]) -> Finding:
    """Every open task has a named person as its owner (a role alone is not an owner)."""
    tasks = _open(store, incident)
    nobody = [task for task in tasks if not task.owner]
    if nobody:
        verb = "has" if len(nobody) == 1 else "have"
        return Finding(False, f"{_count(len(nobody), 'open task', 'open tasks')} {verb} no owner")
    return Finding(True, "every open task has an owner")


def due(store: Store, incident: Incident, now: datetime, params: Mapping[str, Any]) -> Finding:
    """Every open task has a due time."""
    tasks = _open(store, incident)
    undated = [task for task in tasks if task.due_at is None]
    if undated:
        verb = "has" if len(undated) == 1 else "have"
        return Finding(
            False, f"{_count(len(undated), 'open task', 'open tasks')} {verb} no due time"
        )
    return Finding(True, "every open task has a due time")


CHECKS: dict[str, Check] = {"has_tasks": has_tasks, "owned": owned, "due": due}
