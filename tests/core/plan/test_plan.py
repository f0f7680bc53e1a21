"""The plan's tasks: validation, one event per change, order, status, overdue, concurrency."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from email_crisis.core.base.clock import frozen
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import NotFound, ValidationError
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.plan.helpers import H, M

ROLES = {"marketing": "Marketing", "it": "IT", "legal": "Legal"}


def _add(
    store: Store, incident: Incident, title: str = "Rebuild the segment", **extra
) -> plan.PlanTask:
    values = {"kind": "internal-fix", "owner_role": "marketing", "operator": "sam", "roles": ROLES}
    values.update(extra)
    return plan.add_task(store, incident, title=title, **values)


def _types(store: Store, incident: Incident) -> list[str]:
    return [event.type for event in store.events(incident.id)]


def test_add_task_stores_it_with_one_event(store: Store, declared: Incident) -> None:
    due = FROZEN_NOW + 4 * H
    task = _add(store, declared, owner=" lea ", due_at=due)
    assert (task.title, task.kind, task.owner_role, task.owner) == (
        "Rebuild the segment",
        "internal-fix",
        "marketing",
        "lea",
    )
    assert (task.status, task.position, task.due_at, task.version) == ("todo", 1, due, 1)
    assert (task.created_by, task.created_at) == ("sam", FROZEN_NOW)
    event = store.events(declared.id)[-1]
    assert event.type == "plan_task_added"
    assert event.details["task_id"] == task.id
    assert event.details["due_at"] == "2026-11-27T13:30:00+00:00"
    assert _add(store, declared, title="Second").position == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"title": "  "}, "Task is required"),
        ({"title": "x" * 201}, "limit is 200"),
        ({"title": "bad \x1b[2J"}, "control characters"),
        ({"kind": "apology"}, "unknown task kind"),
        ({"owner_role": "janitor"}, "unknown role 'janitor'"),
        ({"due_at": datetime(2026, 11, 28, 9, 0)}, "time zone"),
        ({"owner": "a\nb"}, "single line"),
    ],
)
def test_add_task_refuses_bad_input_and_writes_nothing(
    store: Store, declared: Incident, extra: dict, message: str
) -> None:
    before = len(store.events(declared.id))
    with pytest.raises(ValidationError, match=message):
        _add(store, declared, **extra)
    assert len(store.events(declared.id)) == before
    assert plan.list_tasks(store, declared.id) == []


def test_add_task_to_a_missing_incident_is_not_found(store: Store, declared: Incident) -> None:
    ghost = Incident(**{**declared.__dict__, "id": 999})
    with pytest.raises(NotFound):
        _add(store, ghost)


def test_suggested_tasks_come_from_the_data_file(store: Store, declared: Incident) -> None:
    book = plan.load_suggestions()
    added = plan.add_suggested(store, declared, operator="sam", book=book)
    expected = book.for_kind("wrong-segment")
    assert [t.title for t in added] == [s.title for s in expected]
    assert [t.source for t in added] == [f"suggested:{s.id}" for s in expected]
    assert added[0].due_at == FROZEN_NOW + timedelta(hours=expected[0].due_hours)
    assert _types(store, declared).count("plan_task_added") == len(expected)
    # Offered once: a second call adds nothing and writes nothing.
    assert plan.add_suggested(store, declared, operator="sam", book=book) == []
    assert plan.pending_suggestions(plan.list_tasks(store, declared.id), declared, book) == []


def test_only_the_chosen_suggestions_are_added(store: Store, declared: Incident) -> None:
    added = plan.add_suggested(store, declared, operator="sam", ids=["confirm-audience"])
    assert [t.source for t in added] == ["suggested:confirm-audience"]
    with pytest.raises(ValidationError, match="no suggested task 'revoke-exposure'"):
        plan.add_suggested(store, declared, operator="sam", ids=["revoke-exposure"])


def test_edit_records_what_changed_from_and_to(store: Store, declared: Incident) -> None:
    task = _add(store, declared, due_at=FROZEN_NOW + H)
    edited = plan.edit_task(
        store, task, operator="lea", title="Rebuild it", owner="noor", due_at=None, roles=ROLES
    )
    assert (edited.title, edited.owner, edited.due_at, edited.version) == (
        "Rebuild it",
        "noor",
        None,
        2,
    )
    event = store.events(declared.id)[-1]
    assert (event.type, event.operator) == ("plan_task_edited", "lea")
    assert event.details["changes"] == {
        "title": {"from": "Rebuild the segment", "to": "Rebuild it"},
        "owner": {"from": None, "to": "noor"},
        "due_at": {"from": "2026-11-27T10:30:00+00:00", "to": None},
    }


def test_an_edit_that_changes_nothing_is_refused(store: Store, declared: Incident) -> None:
    task = _add(store, declared)
    with pytest.raises(ValidationError, match="Nothing changed"):
        plan.edit_task(store, task, operator="lea", title="Rebuild the segment ", roles=ROLES)


def test_an_edit_from_a_stale_copy_is_refused(
    db_path: Path, store: Store, declared: Incident
) -> None:
    task = _add(store, declared)
    other = Store.open(db_path, clock=frozen(FROZEN_NOW))
    try:
        plan.edit_task(other, task, operator="marc", owner="marc", roles=ROLES)
    finally:
        other.close()
    before = len(store.events(declared.id))
    with pytest.raises(plan.StaleTask, match="changed by someone else") as caught:
        plan.set_status(store, task, "done", operator="lea")
    assert caught.value.fresh is not None and caught.value.fresh.owner == "marc"
    assert len(store.events(declared.id)) == before
    assert plan.get_task(store, task.id).status == "todo"


def test_status_changes_are_events_and_dropping_needs_a_reason(
    store: Store, declared: Incident
) -> None:
    task = _add(store, declared)
    started = plan.set_status(store, task, "in-progress", operator="lea")
    with pytest.raises(ValidationError, match="already in progress"):
        plan.set_status(store, started, "in-progress", operator="lea")
    with pytest.raises(ValidationError, match="Say why"):
        plan.set_status(store, started, "dropped", operator="lea", note="no")
    with pytest.raises(ValidationError, match="unknown status"):
        plan.set_status(store, started, "cancelled", operator="lea")
    dropped = plan.set_status(
        store, started, "dropped", operator="lea", note="Legal handles this instead."
    )
    assert dropped.status == "dropped" and not dropped.is_open
    event = store.events(declared.id)[-1]
    assert event.details == {
        "task_id": task.id,
        "title": "Rebuild the segment",
        "from": "in-progress",
        "to": "dropped",
        "note": "Legal handles this instead.",
    }


def test_tasks_move_up_and_down_with_an_event(store: Store, declared: Incident) -> None:
    a, b, c = (_add(store, declared, title=t) for t in ("A", "B", "C"))
    assert plan.move_up(store, a, operator="sam") is None  # already first: nothing written
    assert _types(store, declared)[-1] == "plan_task_added"
    moved = plan.move_up(store, c, operator="sam")
    assert moved is not None and moved.position == 2
    assert [t.title for t in plan.list_tasks(store, declared.id)] == ["A", "C", "B"]
    event = store.events(declared.id)[-1]
    assert (event.type, event.details["from"], event.details["to"]) == ("plan_task_moved", 3, 2)
    plan.move_down(store, a, operator="sam")
    assert [t.title for t in plan.list_tasks(store, declared.id)] == ["C", "A", "B"]
    assert plan.move_down(store, b, operator="sam") is None
    # A move does not make anyone's copy of a task stale.
    assert plan.set_status(store, b, "done", operator="lea").status == "done"


def test_overdue_is_open_and_past_due(store: Store, declared: Incident) -> None:
    late = _add(store, declared, title="late", due_at=FROZEN_NOW - M)
    _add(store, declared, title="due now", due_at=FROZEN_NOW)
    _add(store, declared, title="no due time")
    done = _add(store, declared, title="late but done", due_at=FROZEN_NOW - H)
    plan.set_status(store, done, "done", operator="sam")
    tasks = plan.list_tasks(store, declared.id)
    assert [t.title for t in plan.overdue_tasks(tasks, FROZEN_NOW)] == ["late"]
    assert plan.overdue_count(store, declared.id, FROZEN_NOW) == 1
    assert plan.overdue_counts(store, FROZEN_NOW) == {declared.id: 1}
    assert plan.overdue_counts(store, FROZEN_NOW + 2 * H) == {declared.id: 2}
    assert late.is_overdue(FROZEN_NOW)


def test_overdue_counts_skip_resolved_incidents(store: Store, declared: Incident) -> None:
    from email_crisis.core.close.lifecycle import resolve

    _add(store, declared, due_at=FROZEN_NOW - H)
    resolve(store, declared, "sam", reason="The task moves to the quarterly review.")
    assert plan.overdue_counts(store, FROZEN_NOW) == {}
    assert plan.overdue_count(store, declared.id, FROZEN_NOW) == 1  # still listed on its own


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("4h", FROZEN_NOW + 4 * H),
        ("+90m", FROZEN_NOW + 90 * M),
        ("2d", FROZEN_NOW + timedelta(days=2)),
        ("1.5h", FROZEN_NOW + 90 * M),
        ("2026-11-28T14:00Z", datetime(2026, 11, 28, 14, 0, tzinfo=timezone.utc)),
        ("2026-11-28 14:00", datetime(2026, 11, 28, 14, 0, tzinfo=timezone.utc)),  # TZ=UTC
    ],
)
def test_parse_due(text: str, expected: datetime | None) -> None:
    assert plan.parse_due(text, FROZEN_NOW) == expected


def test_parse_due_says_what_it_accepts() -> None:
    with pytest.raises(ValidationError, match="4h, 90m, 2d"):
        plan.parse_due("tomorrow", FROZEN_NOW)


def test_plan_gaps_name_each_task(store: Store, declared: Incident) -> None:
    assert plan.plan_gaps([]) == [
        "The plan has no tasks: add at least one (suggested tasks are a start)."
    ]
    task = _add(store, declared)
    assert plan.plan_gaps([task]) == [
        "Task 1 (Rebuild the segment) has no named owner.",
        "Task 1 (Rebuild the segment) has no due time.",
    ]
    task = plan.edit_task(
        store, task, operator="sam", owner="lea", due_at=FROZEN_NOW + H, roles=ROLES
    )
    assert plan.plan_gaps([task]) == []


def test_plan_events_read_as_sentences(store: Store, declared: Incident) -> None:
    task = _add(store, declared, owner="lea", due_at=FROZEN_NOW + H)
    task = plan.edit_task(store, task, operator="sam", kind="process-change", roles=ROLES)
    task = plan.set_status(store, task, "done", operator="sam")
    texts = [plan.describe_plan_event(e) for e in store.events(declared.id)]
    assert texts[0] is None  # "declared" is not a plan event
    assert texts[1:] == [
        "added plan task: Rebuild the segment (owner lea, due 2026-11-27 10:30)",
        "edited plan task Rebuild the segment (kind)",
        "plan task Rebuild the segment is now done",
    ]
