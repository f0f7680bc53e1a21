"""The Plan panel, keyboard only: tasks, suggestions, statuses, owners, due times, finish."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from email_crisis.core.base.clock import frozen
from email_crisis.core.base.domain import Incident
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm
from email_crisis.tui.screens.plan_forms import OwnerForm, TaskForm, menu_choices
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.incident_table import IncidentTable
from email_crisis.tui.widgets.plan_panel import (
    TaskTable,
    due_text,
    empty_hint,
    matrix_lines,
    short_gap,
)
from tests.conftest import FROZEN_NOW
from tests.core import journey
from tests.tui.conftest import AppFactory, screen_text

SUGGESTED = len(plan.load_suggestions().for_kind("broken-personalization"))


def _at_plan(store: Store, kind: str = "broken-personalization") -> Incident:
    """An owned, contained and assessed incident: the rules have it at step 4."""
    return journey.at_plan(store, kind)


def _task(store: Store, incident: Incident, title: str, **fields: object) -> plan.PlanTask:
    return plan.add_task(
        store,
        incident,
        title=title,
        kind=str(fields.pop("kind", "internal-fix")),
        owner_role=str(fields.pop("owner_role", "marketing")),
        operator="x",
        **fields,  # type: ignore[arg-type]
    )


async def _open(pilot, app, incident_id: int) -> WorkspaceScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()  # the board has filled its table
    app.screen.query_one(IncidentTable).select(incident_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    await pilot.pause()
    return app.screen


async def _choose(pilot, app, label: str, row: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Open the highlighted task's menu and pick the entry that starts with ``label``."""
    if row is not None:
        app.screen.query_one(TaskTable).move_cursor(row=row)
    await pilot.press("enter")
    await pilot.pause()
    await _pick(pilot, app, label)


async def _pick(pilot, app, label: str) -> None:  # type: ignore[no-untyped-def]
    """In the open menu, move to the entry that starts with ``label`` and press enter."""
    menu = app.screen
    assert isinstance(menu, ChoiceMenu)
    options = menu.query_one("OptionList")
    for index in range(options.option_count):
        if str(options.get_option_at_index(index).prompt).startswith(label):
            options.highlighted = index
            break
    else:
        raise AssertionError(f"no menu entry starts with {label!r}")
    await pilot.press("enter")
    await pilot.pause()


def _flat(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(screen_text(app).split())


def _told(app) -> str:  # type: ignore[no-untyped-def]
    return " | ".join(n.message for n in app._notifications)


def _events(store: Store, incident_id: int, kind: str) -> list:  # type: ignore[type-arg]
    return [e for e in store.events(incident_id) if e.type == kind]


# -- pure helpers --------------------------------------------------------------------------


def test_the_matrix_fits_two_lines_at_80_columns() -> None:
    owners = {
        "own": ("marketing", "leadership"),
        "contain": ("marketing", "it", "security"),
        "assess": ("marketing", "legal", "security"),
        "plan": ("marketing", "leadership", "it", "security", "legal", "deliverability"),
        "notify": ("marketing", "legal"),
        "monitor": ("deliverability", "marketing"),
    }
    lines = matrix_lines(owners, 78)
    assert len(lines) == 2 and all(len(line) <= 78 for line in lines)
    assert lines[0].startswith("Owners · Own it: Mkt+Lead")
    assert "Notify: Mkt+Legal" in lines[1]
    assert len(matrix_lines(owners, 200)) == 1
    assert "Monitor: —" in matrix_lines({}, 200)[0]


def test_the_empty_hint_names_the_kind() -> None:
    assert empty_hint("wrong-segment") == (
        "Press g for the suggested tasks for a wrong-segment incident, or + to add one."
    )
    assert "for an other incident" in empty_hint("other")


def test_due_text_is_local_and_says_overdue(store: Store) -> None:
    incident = _at_plan(store)
    soon = _task(store, incident, "Soon", due_at=FROZEN_NOW + timedelta(hours=2))
    later = _task(store, incident, "Later", due_at=FROZEN_NOW + timedelta(days=2))
    late = _task(store, incident, "Late", due_at=FROZEN_NOW - timedelta(minutes=30))
    assert due_text(soon, FROZEN_NOW).plain == "11:30"
    assert due_text(later, FROZEN_NOW).plain == "11-29 09:30"
    assert due_text(late, FROZEN_NOW).plain == "OVERDUE 09:00"
    done = plan.set_status(store, late, "done", operator="x")
    assert due_text(done, FROZEN_NOW).plain == "09:00"


def test_gaps_are_cut_to_one_line(store: Store) -> None:
    incident = _at_plan(store)
    task = _task(store, incident, "A very long title " * 5)
    (gap,) = [g for g in plan.plan_gaps([task]) if "owner" in g]
    short = short_gap(gap, [task])
    assert short.startswith("Task 1 (A very long title A very lo…)")
    assert short.endswith("has no named owner.")


def test_menu_offers_what_fits_the_status(store: Store) -> None:
    incident = _at_plan(store)
    task = _task(store, incident, "Fix it")
    ids = [c for c, _ in menu_choices(task, first=True, last=False)]
    assert ids[:3] == ["in-progress", "done", "dropped"]
    assert "up" not in ids and "down" in ids
    done = plan.set_status(store, task, "done", operator="x")
    ids = [c for c, _ in menu_choices(done, first=False, last=True)]
    assert ids[0] == "todo" and "done" not in ids and "up" in ids and "down" not in ids


# -- keyboard flows ------------------------------------------------------------------------


async def test_empty_plan_shows_the_hint_the_owners_and_few_keys(
    store: Store, make_app: AppFactory
) -> None:
    incident = _at_plan(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app, incident.id)
        assert str(screen.query_one("TabbedContent").active) == "plan"
        assert screen.query_one(TaskTable).has_focus
        text = _flat(app)
        assert (
            "Press g for the suggested tasks for a broken-personalization incident, "
            "or + to add one." in text
        )
        assert "Owners · Own it: Mkt+Lead" in text and "Monitor: Deliv+Mkt" in text
        footer = screen_text(app).splitlines()[-1]
        for key in ("enter Task", "+ Add", "g Suggested", "f Finish", "esc Back"):
            assert key in footer
        assert len(footer) <= 80
        await pilot.press("1")
        await pilot.press("4")
        await pilot.pause()
        assert str(screen.query_one("TabbedContent").active) == "plan"
        assert screen.query_one(TaskTable).has_focus


async def test_g_adds_the_suggested_tasks_once(store: Store, make_app: AppFactory) -> None:
    incident = _at_plan(store)
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("g")
        await pilot.pause()
        tasks = plan.list_tasks(store, incident.id)
        assert len(tasks) == SUGGESTED
        added = _events(store, incident.id, "plan_task_added")
        assert len(added) == SUGGESTED and {e.operator for e in added} == {"lea"}
        assert f"Added {SUGGESTED} suggested tasks" in _told(app)
        assert app.screen.query_one(TaskTable).row_count == SUGGESTED
        assert "Before the plan is complete" in _flat(app)
        await pilot.press("g")
        await pilot.pause()
        assert len(plan.list_tasks(store, incident.id)) == SUGGESTED
        assert "already in the plan" in _told(app)


async def test_add_a_task_with_the_form(store: Store, make_app: AppFactory) -> None:
    incident = _at_plan(store)
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, TaskForm)
        await pilot.press(*"Voucher for those hit", "f2")
        await pilot.pause()
        assert "Choose the role" in _flat(app)  # nothing saved without an owner role
        assert plan.list_tasks(store, incident.id) == []
        app.screen.query_one("#kind").focus()
        await pilot.press("enter", "down", "down", "enter")  # Subscriber action -> Compensation
        await pilot.press("tab", "enter", *"legal", "enter")  # the open list finds by typing
        await pilot.press("tab", *"noor", "tab", *"4h", "f2")
        await pilot.pause()
        assert not isinstance(app.screen, TaskForm)
        (task,) = plan.list_tasks(store, incident.id)
        assert task.title == "Voucher for those hit"
        assert (task.kind, task.owner_role, task.owner) == ("compensation", "legal", "noor")
        assert task.due_at == FROZEN_NOW + timedelta(hours=4)
        (event,) = _events(store, incident.id, "plan_task_added")
        assert event.operator == "lea"
        row = screen_text(app)
        assert "Legal/noor" in row and "13:30" in row and "To do" in row


async def test_start_done_and_drop_with_a_reason(store: Store, make_app: AppFactory) -> None:
    incident = _at_plan(store)
    first = _task(store, incident, "Fix the merge fallbacks")
    second = _task(store, incident, "Send a correction")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await _choose(pilot, app, "Start", row=0)
        assert plan.get_task(store, first.id).status == "in-progress"
        assert "Started" in screen_text(app)
        await _choose(pilot, app, "Mark done", row=0)
        assert plan.get_task(store, first.id).status == "done"
        await _choose(pilot, app, "Drop", row=1)
        assert isinstance(app.screen, PromptForm)
        await pilot.press("enter")  # no reason
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        assert "Say why the task is dropped" in _flat(app)
        await pilot.press(*"too short", "enter")
        await pilot.pause()
        assert plan.get_task(store, second.id).status == "todo"
        await pilot.press("ctrl+u", *"ESP resent it", "enter")
        await pilot.pause()
        assert plan.get_task(store, second.id).status == "dropped"
        statuses = _events(store, incident.id, "plan_task_status")
        assert [e.details["to"] for e in statuses] == ["in-progress", "done", "dropped"]
        assert statuses[-1].details["note"] == "ESP resent it"
        assert "Dropped" in screen_text(app)


async def test_owner_due_time_title_and_kind(store: Store, make_app: AppFactory) -> None:
    incident = _at_plan(store)
    task = _task(store, incident, "Fix the merge fallbacks")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await _choose(pilot, app, "Set the owner")
        assert isinstance(app.screen, OwnerForm)
        await pilot.press(*"priya", "enter")
        await pilot.pause()
        edited = plan.get_task(store, task.id)
        assert (edited.owner_role, edited.owner) == ("marketing", "priya")
        assert "Mkt/priya" in screen_text(app)
        await _choose(pilot, app, "Set the due time")
        await pilot.press(*"tomorrow", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        assert "'tomorrow' is not a due time" in _flat(app)
        assert plan.get_task(store, task.id).version == edited.version  # nothing saved
        await pilot.press("ctrl+u", *"2026-11-28 14:00", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PromptForm)
        due = plan.get_task(store, task.id).due_at
        assert due is not None and due.isoformat() == "2026-11-28T14:00:00+00:00"
        (edit_owner, edit_due) = _events(store, incident.id, "plan_task_edited")[:2]
        assert set(edit_owner.details["changes"]) == {"owner"}
        assert set(edit_due.details["changes"]) == {"due_at"}
        assert "11-28 14:00" in screen_text(app)
        await _choose(pilot, app, "Edit the title")
        await pilot.press("ctrl+u", *"Fix fallbacks", "enter")
        await pilot.pause()
        await _choose(pilot, app, "Change the kind")
        assert "Internal fix (now)" in _flat(app)
        await _pick(pilot, app, "Process change")
        final = plan.get_task(store, task.id)
        assert (final.title, final.kind) == ("Fix fallbacks", "process-change")
        assert len(_events(store, incident.id, "plan_task_edited")) == 4
        assert "Process" in screen_text(app)


async def test_move_up_and_down_keeps_the_cursor_on_the_task(
    store: Store, make_app: AppFactory
) -> None:
    incident = _at_plan(store)
    a, b, c = (_task(store, incident, title) for title in ("Alpha", "Bravo", "Charlie"))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await _choose(pilot, app, "Move down", row=0)
        assert [t.id for t in plan.list_tasks(store, incident.id)] == [b.id, a.id, c.id]
        table = app.screen.query_one(TaskTable)
        assert table.highlighted() == a.id and table.cursor_row == 1
        await _choose(pilot, app, "Move down")
        assert [t.id for t in plan.list_tasks(store, incident.id)] == [b.id, c.id, a.id]
        await _choose(pilot, app, "Move up", row=1)
        assert [t.id for t in plan.list_tasks(store, incident.id)] == [c.id, b.id, a.id]
        lines = [line for line in screen_text(app).splitlines() if "To do" in line]
        assert ["Charlie" in lines[0], "Bravo" in lines[1], "Alpha" in lines[2]] == [True] * 3
        assert len(_events(store, incident.id, "plan_task_moved")) == 3


async def test_overdue_tasks_are_marked_with_the_frozen_clock(
    store: Store, make_app: AppFactory
) -> None:
    incident = _at_plan(store)
    _task(store, incident, "Late one", due_at=FROZEN_NOW - timedelta(hours=1))
    done = _task(store, incident, "Late but done", due_at=FROZEN_NOW - timedelta(hours=2))
    plan.set_status(store, done, "done", operator="x")
    _task(store, incident, "On time", due_at=FROZEN_NOW + timedelta(hours=1))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        rows = {
            title: line
            for line in screen_text(app).splitlines()
            for title in ("Late one", "Late but done", "On time")
            if title in line and ("To do" in line or "Done" in line)
        }
        assert "OVERDUE 08:30" in rows["Late one"]
        assert "OVERDUE" not in rows["Late but done"] and "07:30" in rows["Late but done"]
        assert "OVERDUE" not in rows["On time"] and "10:30" in rows["On time"]
        assert "OVERDUE by 1h 00m" in _flat(app)  # the highlighted task's detail


async def test_titles_and_names_show_literally(store: Store, make_app: AppFactory) -> None:
    incident = _at_plan(store)
    _task(store, incident, "[b]VIP[/b] calls [red", owner="[i]ana")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        assert "[b]VIP[/b] calls [red" in screen_text(app)
        assert "Mkt/[i]ana" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "Task 1: [b]VIP[/b] calls [red" in screen_text(app)  # the menu's title


async def test_the_plan_moves_on_by_itself_once_every_task_is_owned_and_due(
    store: Store, make_app: AppFactory
) -> None:
    incident = _at_plan(store)
    task = _task(store, incident, "Fix the merge fallbacks", due_at=FROZEN_NOW + timedelta(hours=4))
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("f")  # what keeps the plan open
        await pilot.pause()
        assert "Task 1 (Fix the merge fallbacks) has no named owner." in _told(app)
        assert store.get_incident(incident.id).step == "plan"
        await _choose(pilot, app, "Set the owner")
        await pilot.press(*"priya", "enter")
        await pilot.pause()
        moved = store.get_incident(incident.id)
        assert moved.step == "notify"  # core moved it on, in the owner's write
        step = [e for e in store.events(incident.id) if e.type == "step_advanced"][-1]
        assert (step.details, step.operator) == (
            {"from": "plan", "to": "notify", "by": "rules"},
            "lea",
        )
        assert "Step 4 Plan complete: now at 5 Notify." in _told(app)
        assert "The plan is complete" in _flat(app)
        assert "f Finish" not in screen_text(app).splitlines()[-1]
        assert plan.get_task(store, task.id).owner == "priya"


async def test_a_stale_edit_is_reported_and_nothing_is_overwritten(
    store: Store, db_path: Path, make_app: AppFactory
) -> None:
    incident = _at_plan(store)
    task = _task(store, incident, "Fix the merge fallbacks")
    app = make_app(store)  # polls rarely: the other writes stay unseen until a refusal
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        other = Store.open(db_path, clock=frozen(FROZEN_NOW))
        try:
            task = plan.edit_task(other, task, owner="noor", operator="noor")
            await _choose(pilot, app, "Set the owner")
            await pilot.press(*"priya", "enter")
            await pilot.pause()
            assert isinstance(app.screen, OwnerForm)  # the form stays, with the message
            assert "was changed by someone else" in _flat(app)
            assert plan.get_task(store, task.id).owner == "noor"
            await pilot.press("escape", "escape")  # typed text: escape asks once
            await pilot.pause()
            assert "Mkt/noor" in screen_text(app)  # the refusal refreshed the table
            plan.set_status(other, task, "done", operator="noor")
        finally:
            other.close()
        await _choose(pilot, app, "Start")  # the menu of the copy on screen
        assert "was changed by someone else" in _told(app)
        assert plan.get_task(store, task.id).status == "done"
        await _choose(pilot, app, "Back to to-do")  # the fresh copy is accepted
        assert plan.get_task(store, task.id).status == "todo"


@pytest.fixture
def plan_demo(demo_store: Store) -> Store:
    """The demo's plan-step incident (its suggested tasks are in), one started, one late."""
    incident = next(i for i in demo_store.list_incidents() if i.step == "plan")
    tasks = plan.list_tasks(demo_store, incident.id) or plan.add_suggested(
        demo_store, incident, operator="lea"
    )
    plan.set_status(demo_store, plan.get_task(demo_store, tasks[1].id), "in-progress", operator="x")
    _task(demo_store, incident, "Call the VIP accounts", due_at=FROZEN_NOW - timedelta(hours=1))
    return demo_store


def test_plan_panel_snapshot(snap_compare, plan_demo: Store, make_app: AppFactory) -> None:  # type: ignore[no-untyped-def]
    incident = next(i for i in plan_demo.list_incidents() if i.step == "plan")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open(pilot, pilot.app, incident.id)

    assert snap_compare(make_app(plan_demo), terminal_size=(80, 24), run_before=run_before)


async def test_space_reads_the_highlighted_task_whole_and_enter_opens_its_menu(
    store: Store, make_app: AppFactory
) -> None:
    """Issue 11, item 6: the longest title a task may have (200 characters), its owner
    and due time, all in the dialog ``space`` opens; ``enter`` there is the task menu."""
    incident = _at_plan(store)
    title = (
        "Ask the ESP's support to confirm in writing that the suppression list was restored "
        "from the backup taken before the import, and that the three segments built from it "
        "are rebuilt"
    )[: plan.TITLE_MAX]
    _task(store, incident, title, owner="rosa", due_at=FROZEN_NOW + timedelta(hours=2))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)  # on Notify: an owned, due task ends Plan
        await pilot.press("4", "space")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadDialog"
        inside = [
            line.split("│")[1] for line in screen_text(app).splitlines() if line.count("│") >= 2
        ]
        words = " ".join(" ".join(inside).split())
        assert title in words and "rosa" in words and "(in 2h 00m)" in words
        assert "Task 1 of 1" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceMenu"
