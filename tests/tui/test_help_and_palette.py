"""Every binding is described, listed by F1/?, and reachable from the command palette."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from textual.binding import Binding

from email_crisis.core.store.database import Store
from email_crisis.tui import keymap
from email_crisis.tui.screens.board import BoardScreen
from email_crisis.tui.screens.help import HelpScreen
from email_crisis.tui.screens.workspace import WorkspaceScreen
from tests.tui.conftest import AppFactory, screen_text

# keymap.py and any tui/keymap_<panel>.py module: every binding of the app is data there.
KEYMAPS = [keymap] + [
    importlib.import_module(f"email_crisis.tui.{path.stem}")
    for path in sorted(Path(keymap.__file__).parent.glob("keymap_*.py"))
]
ALL_BINDINGS = [
    binding
    for module in KEYMAPS
    for name in dir(module)
    if name.isupper()
    for binding in getattr(module, name)
    if isinstance(binding, Binding)
]


@pytest.mark.parametrize("binding", ALL_BINDINGS, ids=lambda b: b.id or b.action)
def test_every_binding_has_an_id_a_description_and_a_tooltip(binding: Binding) -> None:
    assert binding.id and binding.description and binding.tooltip


def test_binding_ids_are_unique() -> None:
    ids = [binding.id for binding in ALL_BINDINGS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_the_keys_of_the_board(
    demo_store: Store, make_app: AppFactory, key: str
) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Keys: Incident board" in text
        for phrase in ("Declare a new incident", "Acknowledge the highlighted", "Filter the board"):
            assert phrase in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


async def test_help_follows_the_screen(demo_store: Store, make_app: AppFactory) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")  # the first incident is at Contain; show Own it
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert "Keys: Incident workspace" in text
        assert "Name or change the incident commander" in text
        assert "Declare a new incident" not in text
        await pilot.press("f1")  # the same key closes it
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)


async def test_palette_offers_and_runs_screen_actions(
    demo_store: Store, make_app: AppFactory
) -> None:
    unacked = next(i for i in demo_store.list_incidents() if not i.is_acknowledged)
    app = make_app(demo_store, operator="jo")
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("IncidentTable").select(unacked.id)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Acknowledge the highlighted")
        await pilot.pause(0.3)
        assert "Acknowledge the highlighted incident" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert demo_store.get_incident(unacked.id).acknowledged_at is not None


async def test_palette_lists_workspace_actions(demo_store: Store, make_app: AppFactory) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        commands = [c.title for c in app.get_system_commands(app.screen)]
        for title in (
            "Acknowledge this incident (you take it)",
            "Name or change the incident commander",
            "Set or change the severity",
            "Write or revise the internal statement",
            "Back to the incident board",
            "Show the incident's event log",
            "Show step 2: contain",
        ):
            assert title in commands
