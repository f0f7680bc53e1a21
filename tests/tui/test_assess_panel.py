"""The Assess panel, keyboard only: validation as typed, live decisions, save, severity, lock."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from email_crisis.core.assess import apology_lock
from email_crisis.core.assess import form as assess
from email_crisis.core.base.clock import frozen
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.board import BoardScreen
from email_crisis.tui.screens.forms import PromptForm
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.assess_panel import AssessPanel
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.conftest import FROZEN_NOW
from tests.tui.conftest import AppFactory, screen_text


def _declared(store: Store, kind: str) -> int:
    return ops.declare(store, title=f"A {kind} incident", kind=kind, operator="x").id


async def _open_assess(pilot, app, incident_id: int) -> AssessPanel:  # type: ignore[no-untyped-def]
    app.screen.query_one(IncidentTable).select(incident_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    app.screen.action_show_tab("assess")
    await pilot.pause()
    panel = app.screen.query_one(AssessPanel)
    app.screen.query_one("#field-affected_count").focus()
    await pilot.pause()
    return panel


def _flat(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(screen_text(app).split())


async def test_fields_are_checked_as_typed_and_saved_with_f2(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "wrong-segment")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await _open_assess(pilot, app, incident_id)
        await pilot.press(*"12,5x0")
        await pilot.pause()
        assert "whole number" in _flat(app)
        assert panel.has_unsaved
        await pilot.press("backspace", "backspace", "0", "0")  # 12,500
        await pilot.pause()
        assert "whole number" not in _flat(app)
        assert "1 unsaved change" in _flat(app)
        await pilot.press("f2")
        await pilot.pause()
        saved = assess.load_assessment(store, store.get_incident(incident_id))
        assert saved.affected_count == 12500
        assert not panel.has_unsaved
        event = store.events(incident_id)[-1]
        assert (event.type, event.operator) == ("assessment_updated", "lea")
        assert "Saved (version 1)" in _flat(app)


async def test_exposed_personal_data_starts_the_clocks_live(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "data-breach")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_assess(pilot, app, incident_id)
        app.screen.query_one("#field-data_exposed").focus()
        await pilot.press(*"email-addresses, names")
        app.screen.query_one("#field-regions").focus()
        await pilot.press(*"eu-eea")
        await pilot.pause()
        text = _flat(app)
        assert "GDPR" in text
        assert "not legal advice" in text
        await pilot.press("f2")
        await pilot.pause()
        assert "Deadlines:" in _flat(app)  # the header counts down once saved


async def test_f3_takes_the_suggested_severity(store: Store, make_app: AppFactory) -> None:
    incident_id = _declared(store, "data-breach")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_assess(pilot, app, incident_id)
        app.screen.query_one("#field-data_exposed").focus()
        await pilot.press(*"credentials", "f2")
        await pilot.pause()
        assert "F3 takes it" in _flat(app)
        await pilot.press("f3")
        await pilot.pause()
        assert store.get_incident(incident_id).severity == "SEV1"
        assert store.events(incident_id)[-1].type == "severity_changed"


async def test_suppression_list_send_is_locked_until_overridden_with_a_reason(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "suppression-list-send")
    app = make_app(store, operator="noor")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_assess(pilot, app, incident_id)
        assert "DO NOT SEND" in _flat(app)
        incident = store.get_incident(incident_id)
        assert not apology_lock.gate(store, incident).allowed
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        await pilot.press(*"too short", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)  # refused: the reason is on the record
        await pilot.press("ctrl+u", *"Legal requires a correction notice to these people", "enter")
        await pilot.pause()
        assert apology_lock.gate(store, incident).allowed
        assert "ALLOWED WITH OVERRIDE" in _flat(app)
        assert store.events(incident_id)[-1].operator == "noor"


async def test_escape_with_unsaved_changes_asks_first(store: Store, make_app: AppFactory) -> None:
    incident_id = _declared(store, "malformed")
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_assess(pilot, app, incident_id)
        await pilot.press(*"300")
        await pilot.press("escape")  # leaves the field: tab keys work again
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert not isinstance(app.focused, Input)
        await pilot.press("escape")  # warns about the unsaved change
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert "Unsaved changes in 3 Assess" in " ".join(n.message for n in app._notifications)
        await pilot.press("escape")  # discards
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert assess.load_assessment(store, store.get_incident(incident_id)).version == 0


def _warnings(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications if "saved the assessment" in n.message]


async def test_saving_ten_times_in_a_row_never_says_someone_else_saved(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "wrong-segment")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await _open_assess(pilot, app, incident_id)
        for count in range(1, 11):
            await pilot.press("ctrl+a", "ctrl+k", *str(count * 100), "f2")
            await pilot.pause()
            assert not panel.has_unsaved
        saved = assess.load_assessment(store, store.get_incident(incident_id))
        assert (saved.version, saved.affected_count) == (10, 1000)
        assert _warnings(app) == []
        assert "Saved (version 10)" in _flat(app)


async def test_a_save_by_another_operator_is_reported_once_with_their_name(
    store: Store, db_path: Path, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "wrong-segment")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_assess(pilot, app, incident_id)
        await pilot.press(*"300", "f2")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"350")  # typed, not saved yet
        await pilot.pause()
        with Store.open(db_path, clock=frozen(FROZEN_NOW)) as other:
            incident = other.get_incident(incident_id)
            assess.update_assessment(other, incident, {"cause": "human-error"}, operator="marc")
        app.refresh_screens()  # as the live refresh does when another process writes
        await pilot.pause()
        app.refresh_screens()
        await pilot.pause()
        assert _warnings(app) == [
            "marc saved the assessment (version 2) since you loaded it; your unsaved edits "
            "are kept on screen."
        ]
        assert app.screen.query_one("#field-affected_count", Input).value == "350"
