"""80x24 is comfortable (issue 11, item 6): the highlighted row in full below each table,
and the Assess decisions reached and scrolled by keyboard."""

from __future__ import annotations

from datetime import timedelta

from textual.containers import VerticalScroll

from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.playbooks import load_playbook
from email_crisis.core.own import incidents as ops
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store.database import Store
from email_crisis.tui.app import EmailCrisisApp
from email_crisis.tui.screens.workspace import WorkspaceScreen
from tests.conftest import FROZEN_NOW
from tests.tui.conftest import AppFactory, screen_text

LONG_TASK = "Rebuild the VIP segment from the CRM export and compare its size with the audience"
LONG_NOTE = "Ana from IT says the queue empties by 10:40; she will confirm in the channel"


def _flat(app: EmailCrisisApp) -> str:
    return " ".join(screen_text(app).split())


async def _open(pilot, app: EmailCrisisApp, tab: str) -> WorkspaceScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("enter", tab)
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    return app.screen


async def test_a_plan_task_shows_its_full_title_owner_and_due_time(
    store: Store, make_app: AppFactory
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    plan.add_task(
        store,
        incident,
        title=LONG_TASK,
        kind="internal-fix",
        owner_role="marketing",
        owner="noor",
        due_at=FROZEN_NOW + timedelta(hours=4),
        operator="x",
    )
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, "4")
        text = _flat(app)
        assert LONG_TASK in text  # the table cuts it; the details line does not
        assert "Owner: Marketing, noor" in text and "Due: 2026-11-27 13:30" in text


async def test_a_containment_action_shows_its_full_title_owner_and_notes(
    store: Store, make_app: AppFactory
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    first, *_ = contain.ensure_actions(store, incident, load_playbook(env={}), operator="x")
    contain.add_note(store, first, LONG_NOTE, operator="ana")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, "2")
        text = _flat(app)
        assert first.title in text and "Owner: Marketing" in text
        assert LONG_NOTE in text


async def test_the_assess_decisions_are_reached_with_tab_and_scrolled_with_the_arrows(
    store: Store, make_app: AppFactory
) -> None:
    ops.declare(store, title="Leak", kind="data-breach", operator="x")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app, "3")
        decisions = screen.query_one("#assess-decisions", VerticalScroll)
        assert decisions.max_scroll_y > 0  # longer than the pane at 80x24
        await pilot.press("tab")
        await pilot.pause()
        assert screen.focused is decisions
        await pilot.press("down", "down", "pagedown")
        await pilot.pause()
        assert decisions.scroll_y > 0
        await pilot.press("tab")  # back to the fields, still in command mode
        await pilot.pause()
        assert screen.focused is not decisions and "COMMAND" in _flat(app)
