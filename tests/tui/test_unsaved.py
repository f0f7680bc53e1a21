"""Nothing typed is lost (issue 11, item 4): quitting asks, the working copy comes back.

The real SIGKILL is in ``tests/e2e/test_whole_incident.py``; here the same protocol runs
under Pilot: q and ctrl+c ask when the apology is unsaved (and not when nothing is),
the answer keeps a working copy (no draft version), and the next session offers it back.
"""

from __future__ import annotations

import pytest

from email_crisis.core.notify import drafts as notify
from email_crisis.core.own import incidents as ops
from email_crisis.core.store import working
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.dialogs import KeyDialog
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.notify_panel import NotifyPanel
from email_crisis.tui.working_copy import AUTOSAVE_SECONDS
from tests.tui.conftest import AppFactory, screen_text

TYPED = " Call us on 0800 123 456."


def _flat(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(screen_text(app).split())


async def _type_into_the_apology(pilot, app, store: Store) -> NotifyPanel:  # type: ignore[no-untyped-def]
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    await pilot.press("5", "i", *TYPED)
    await pilot.pause()
    panel = app.screen.query_one(NotifyPanel)
    assert panel.has_unsaved
    return panel


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_quitting_with_an_unsaved_apology_asks_and_keeps_it(
    store: Store, make_app: AppFactory, key: str
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _type_into_the_apology(pilot, app, store)
        if key == "q":
            await pilot.press("escape")  # q types while editing: stop first
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, KeyDialog)
        assert "Not saved yet: the apology (5 Notify)." in _flat(app)
        await pilot.press("escape")  # no: stay, nothing lost
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen) and app.return_code is None
        await pilot.press(key)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    copy = working.find(store, incident.id, operator="lea", slot="notify.draft")
    assert copy is not None and copy.fields["body"].endswith(TYPED)
    assert notify.draft_versions(store, incident.id) == []  # a working copy, not a version


async def test_quitting_with_nothing_unsaved_does_not_ask(
    store: Store, make_app: AppFactory
) -> None:
    ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_autosave_keeps_the_text_and_the_next_session_offers_it_back(
    store: Store, make_app: AppFactory
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _type_into_the_apology(pilot, app, store)
        assert working.find(store, incident.id, operator="lea", slot="notify.draft") is None
        await pilot.pause(AUTOSAVE_SECONDS + 0.5)  # a few seconds after the last key
        copy = working.find(store, incident.id, operator="lea", slot="notify.draft")
        assert copy is not None and copy.fields["body"].endswith(TYPED)
        assert notify.draft_versions(store, incident.id) == []
        # The session ends without a word (as a crash would): no keep, no discard.
        app.exit()

    again = make_app(store, operator="lea")
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(again.screen, KeyDialog)
        assert "Restore the unsaved apology from" in _flat(again)
        await pilot.press("y")
        await pilot.pause()
        panel = again.screen.query_one(NotifyPanel)
        assert panel.editor.text.endswith(TYPED) and panel.has_unsaved
        await pilot.press("s")  # saved: a version now, and no working copy any more
        await pilot.pause()
        assert [d.version for d in notify.draft_versions(store, incident.id)] == [1]
        assert working.find(store, incident.id, operator="lea", slot="notify.draft") is None

    # Another operator is not offered lea's text.
    other = make_app(store, operator="sam")
    async with other.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(other.screen, WorkspaceScreen)
