"""Running a containment action through the ESP from the panel, against a local fake ESP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from email_crisis.core.contain import actions as contain
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.esp_run import EspConfirm
from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm
from email_crisis.tui.widgets.contain_panel import ActionTable
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.core.contain.esp.fake_server import APIS, FakeEsp
from tests.tui.conftest import AppFactory, screen_text

SECRET = "SG.test-secret-value-1234567890"


@pytest.fixture
def sendgrid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeEsp]:
    """A fake SendGrid on 127.0.0.1, its key in the environment, no keyring at all."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with FakeEsp(APIS["sendgrid"], SECRET) as server:
        config = tmp_path / "config.toml"
        config.write_text(f'[esp.sendgrid]\nbase_url = "{server.base_url}"\n')
        monkeypatch.setenv("EMAIL_CRISIS_CONFIG", str(config))
        monkeypatch.setenv("EMAIL_CRISIS_SENDGRID_API_KEY", SECRET)
        yield server
    keyring.set_keyring(previous)


def _owned(store: Store) -> int:
    incident = ops.declare(store, title="Wrong segment", kind="wrong-segment", operator="x")
    incident = ops.acknowledge(store, incident, operator="x")
    return ops.set_commander(store, incident, "lea", operator="x").id


async def _to_esp_menu(pilot, app, store: Store) -> int:  # type: ignore[no-untyped-def]
    incident_id = next(i.id for i in store.list_incidents())
    app.screen.query_one(IncidentTable).select(incident_id)
    await pilot.press("enter")
    await pilot.pause()
    actions = contain.list_actions(store, incident_id)
    runnable = next(a for a in actions if a.esp_operation)
    app.screen.query_one(ActionTable).move_cursor(row=actions.index(runnable))
    await pilot.press("enter")
    await pilot.pause()
    menu = app.screen
    assert isinstance(menu, ChoiceMenu)
    options = menu.query_one("OptionList")
    options.highlighted = 0  # "Run it through the ESP…" comes first for a runnable action
    await pilot.press("enter")
    await pilot.pause()
    return runnable.id


async def _choose_sendgrid_cancel(pilot, app) -> None:  # type: ignore[no-untyped-def]
    menu = app.screen
    assert isinstance(menu, ChoiceMenu)
    options = menu.query_one("OptionList")
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index("sendgrid:cancel-batch")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, PromptForm)
    await pilot.press(*"batch-42", "enter")
    await pilot.pause()


async def test_the_request_is_shown_masked_and_sent_once_on_enter(
    store: Store, make_app: AppFactory, sendgrid: FakeEsp
) -> None:
    _owned(store)
    app = make_app(store, operator="lea")
    async with app.run_test(size=(100, 32)) as pilot:
        action_pk = await _to_esp_menu(pilot, app, store)
        await _choose_sendgrid_cancel(pilot, app)
        assert isinstance(app.screen, EspConfirm)
        shown = screen_text(app)
        assert "/v3/user/scheduled_sends" in shown
        assert "batch-42" in shown
        assert SECRET not in shown
        assert sendgrid.requests == []  # nothing before the confirmation
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(sendgrid.requests) == 1
        assert sendgrid.requests[0].client == "127.0.0.1"
        action = contain.get_action(store, action_pk)
        assert action.status == "done"
        events = store.events(action.incident_id)
        assert events[-1].type in ("contain_action_executed", "contained", "step_advanced")
        assert SECRET not in str([e.details for e in events])


async def test_escape_on_the_confirmation_sends_nothing(
    store: Store, make_app: AppFactory, sendgrid: FakeEsp
) -> None:
    _owned(store)
    app = make_app(store)
    async with app.run_test(size=(100, 32)) as pilot:
        action_pk = await _to_esp_menu(pilot, app, store)
        await _choose_sendgrid_cancel(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert sendgrid.requests == []
        assert contain.get_action(store, action_pk).status == "todo"


async def test_a_failed_call_is_recorded_and_can_be_done_by_hand(
    store: Store, make_app: AppFactory, sendgrid: FakeEsp
) -> None:
    sendgrid.mode = "500"
    _owned(store)
    app = make_app(store)
    async with app.run_test(size=(100, 32)) as pilot:
        action_pk = await _to_esp_menu(pilot, app, store)
        await _choose_sendgrid_cancel(pilot, app)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        failed = contain.get_action(store, action_pk)
        assert failed.status == "failed"
        assert failed.reason
        # The manual override: done in the ESP console, with a note.
        await pilot.press("enter")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, ChoiceMenu)
        options = menu.query_one("OptionList")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("by-hand")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"cancelled the batch in the SendGrid UI", "enter")
        await pilot.pause()
        done = contain.get_action(store, action_pk)
        assert (done.status, done.manual) == ("done", True)
