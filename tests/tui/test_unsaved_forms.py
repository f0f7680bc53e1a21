"""Nothing typed in a form is lost (issue 11, item 4): the Plan forms and the notes.

``test_unsaved.py`` covers the apology; here the same protocol runs on the forms of
the workspace: adding a task and editing a task's title (Plan), a note on a
containment action (Contain) and a value with its note (Monitor). Escape asks before
throwing the text away, ctrl+c asks before quitting and keeps it as a working copy
(nothing is saved to the incident), and the next session gives it back when the same
form opens again, also after a crash (the autosave a few seconds after the last key).
Opening the incident says which forms hold such text; a task's forms keep it under the
task's id, and the choices made in a form's lists are kept with the text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.contain import actions as contain
from email_crisis.core.monitor.metrics import points
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store import working
from email_crisis.core.store.database import Store
from email_crisis.core.store.working import WorkingCopy
from email_crisis.tui.app import EmailCrisisApp
from email_crisis.tui.screens.dialogs import KeyDialog
from email_crisis.tui.screens.forms import PromptForm, _Form
from email_crisis.tui.screens.monitor_forms import PointForm
from email_crisis.tui.screens.plan_forms import TaskForm
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.working_copy import AUTOSAVE_SECONDS
from tests.core import journey
from tests.tui.conftest import AppFactory, screen_text

TASK = "Voucher for the VIP customers"
PLANNED = "Fix the segment rule"


@dataclass(frozen=True)
class Case:
    """One form: the keys that open it from the workspace, what is typed, where it saves."""

    opens: tuple[str, ...]
    form: type[_Form]
    title: str
    """The start of the form's title, as the quit dialog names it."""
    typed: tuple[str, ...]
    field: str
    kept: str
    """What ``field`` holds once typed (and once given back)."""
    save: tuple[str, ...]
    saved: Callable[[Store, Incident], bool]
    """Whether what was typed reached the incident."""


def _note(store: Store, incident: Incident) -> bool:
    return any(n.body == "Called Ana" for n in contain.list_actions(store, incident.id)[0].notes)


def _point(store: Store, incident: Incident) -> bool:
    return any(p.note == "seed test" for p in points(store, incident.id) if p.source == "manual")


CASES = {
    "plan: add a task": Case(
        opens=("4", "plus"),
        form=TaskForm,
        title="Add a task to the plan",
        typed=(*TASK, "tab", "tab", "enter", *"legal", "enter"),  # a title and a role
        field="title",
        kept=TASK,
        save=("f2",),  # the role chosen before the crash comes back with the title
        saved=lambda store, i: any(
            (t.title, t.owner_role) == (TASK, "legal") for t in plan.list_tasks(store, i.id)
        ),
    ),
    "plan: edit a task's title": Case(
        opens=("4", "enter", "down", "down", "down", "enter"),  # menu: start, done, drop, title
        form=PromptForm,
        title="Task 1: title",
        typed=tuple(" in the CRM"),
        field="prompt",
        kept=f"{PLANNED} in the CRM",
        save=("f2",),
        saved=lambda store, i: plan.list_tasks(store, i.id)[0].title == f"{PLANNED} in the CRM",
    ),
    "contain: a note on an action": Case(
        opens=("2", "enter", "end", "enter"),  # the menu's last entry: Add a note…
        form=PromptForm,
        title="Add a note:",
        typed=tuple("Called Ana"),
        field="prompt",
        kept="Called Ana",
        save=("f2",),
        saved=_note,
    ),
    "monitor: a value and its note": Case(
        opens=("6", "plus"),
        form=PointForm,
        title="Record a value by hand",
        typed=("0", ".", "2", "tab", *"seed test"),
        field="note",
        kept="seed test",
        save=("f2",),
        saved=_point,
    ),
}


def _flat(app: EmailCrisisApp) -> str:
    return " ".join(screen_text(app).split())


def _told(app: EmailCrisisApp) -> str:
    """The notifications raised so far (``run_test`` draws no toasts)."""
    return " | ".join(n.message for n in app._notifications)


def _incident(store: Store) -> Incident:
    """At step 4: contain actions from the playbook, and one task in the plan."""
    incident = journey.at_plan(store)
    plan.add_task(
        store, incident, title=PLANNED, kind="internal-fix", owner_role="marketing", operator="x"
    )
    return store.get_incident(incident.id)


def _copies(store: Store, incident: Incident) -> list[WorkingCopy]:
    return working.list_copies(store, incident.id, operator="lea")


async def _open_form(pilot, app: EmailCrisisApp, case: Case) -> _Form:  # type: ignore[no-untyped-def]
    """From the board: open the incident, then the form, by keys."""
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    for key in case.opens:
        await pilot.press(key)
        await pilot.pause()
    form = app.screen
    assert isinstance(form, case.form) and case.title in _flat(app)
    return form


async def _typed_into(pilot, app: EmailCrisisApp, case: Case) -> _Form:  # type: ignore[no-untyped-def]
    """The form opened by keys, with the case's text typed into it."""
    form = await _open_form(pilot, app, case)
    await pilot.press(*case.typed)
    await pilot.pause()
    return form


def _field(form: _Form, case: Case) -> str:
    return str(form.query_one(f"#{case.field}").value)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(CASES))
async def test_escape_and_ctrl_c_ask_and_quitting_keeps_the_form_for_next_time(
    store: Store, make_app: AppFactory, name: str
) -> None:
    case = CASES[name]
    incident = _incident(store)
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _typed_into(pilot, app, case)
        assert _field(form, case) == case.kept
        await pilot.press("escape")  # escape asks once before throwing it away
        await pilot.pause()
        assert app.screen is form and "escape again throws it away" in _flat(app)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, KeyDialog)
        assert f"Not saved yet: text typed in “{case.title}" in _flat(app)
        await pilot.press("escape")  # no: back to the form, nothing lost
        await pilot.pause()
        assert app.screen is form and _field(form, case) == case.kept
        assert app.return_code is None
        await pilot.press("ctrl+c")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    (copy,) = _copies(store, incident)
    assert copy.fields[case.field] == case.kept and case.title in copy.label
    assert not case.saved(store, incident)  # a working copy, nothing written to the incident

    again = make_app(store, operator="lea")
    async with again.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, again, case)
        assert _field(form, case) == case.kept
        assert "was never saved: it is back" in _told(again)
        await pilot.press("escape", "escape")  # thrown away on purpose: not offered again
        await pilot.pause()
        assert isinstance(again.screen, WorkspaceScreen)
    assert _copies(store, incident) == []
    assert not case.saved(store, incident)


@pytest.mark.parametrize("name", list(CASES))
async def test_the_autosave_keeps_a_form_through_a_crash_and_saving_it_clears_it(
    store: Store, make_app: AppFactory, name: str
) -> None:
    case = CASES[name]
    incident = _incident(store)
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _typed_into(pilot, app, case)
        assert _copies(store, incident) == []
        await pilot.pause(AUTOSAVE_SECONDS + 0.5)  # a few seconds after the last key
        (copy,) = _copies(store, incident)
        assert copy.fields[case.field] == case.kept
        assert not case.saved(store, incident)
        app.exit()  # the session ends without a word, as a crash would

    # Another operator is not given lea's text.
    other = make_app(store, operator="sam")
    async with other.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, other, case)
        assert _field(form, case) != case.kept and "it is back" not in _told(other)
        assert "was never saved" not in _told(other)

    again = make_app(store, operator="lea")
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # opening the incident says where the text waits
        await pilot.pause()
        told = _told(again)
        assert f"“{case.title}" in told and "was never saved: open that form again" in told
        await pilot.press("escape")
        await pilot.pause()
        form = await _open_form(pilot, again, case)
        assert _field(form, case) == case.kept
        await pilot.press(*case.save)
        await pilot.pause()
        assert isinstance(again.screen, WorkspaceScreen)
    assert case.saved(store, incident)
    assert _copies(store, incident) == []  # saved: nothing left to offer back


async def test_an_untouched_form_closes_and_quits_without_asking(
    store: Store, make_app: AppFactory
) -> None:
    _incident(store)
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(pilot, app, CASES["plan: add a task"])
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, TaskForm)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_task_forms_copy_follows_its_task_when_the_plan_is_reordered(
    store: Store, make_app: AppFactory
) -> None:
    """The title form of the first task leaves a copy; another session moves that task
    down. The copy comes back in that task's form, not in the one now first."""
    incident = _incident(store)
    plan.add_task(
        store, incident, title="Second task", kind="internal-fix", owner_role="it", operator="x"
    )
    case = CASES["plan: edit a task's title"]
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _typed_into(pilot, app, case)
        await pilot.pause(AUTOSAVE_SECONDS + 0.5)
        assert len(_copies(store, incident)) == 1
        app.exit()  # a crash

    first = plan.list_tasks(store, incident.id)[0]
    assert first.title == PLANNED
    plan.move_down(store, first, operator="sam")  # now "Second task" is task 1

    again = make_app(store, operator="lea")
    async with again.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, again, case)  # task 1's title form: the other task
        assert _field(form, case) == "Second task"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("down", "enter", "down", "down", "down", "enter")  # task 2's
        await pilot.pause()
        assert isinstance(again.screen, PromptForm) and "Task 2: title" in _flat(again)
        assert _field(again.screen, case) == case.kept
