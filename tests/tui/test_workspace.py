"""Workspace flows: severity, statement editor, stale writes, live refresh across processes."""

from __future__ import annotations

from email_crisis.core.base.clock import frozen
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.forms import SeverityForm
from email_crisis.tui.screens.statement import StatementEditor
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.conftest import FROZEN_NOW
from tests.tui.conftest import AppFactory, screen_text


async def _open(pilot, app, incident_id: int) -> WorkspaceScreen:  # type: ignore[no-untyped-def]
    app.screen.query_one(IncidentTable).select(incident_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    return app.screen


async def test_change_severity_from_the_list(store: Store, make_app: AppFactory) -> None:
    incident = ops.declare(store, title="Wrong offer", kind="wrong-content", operator="x")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("s")
        assert isinstance(app.screen, SeverityForm)
        await pilot.press("up", "up", "enter")  # SEV3 -> SEV1
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert store.get_incident(incident.id).severity == "SEV1"
        assert "SEV1" in screen_text(app)
        event = store.events(incident.id)[-1]
        assert (event.type, event.operator, event.details) == (
            "severity_changed",
            "lea",
            {"from": "SEV3", "to": "SEV1"},
        )


async def test_statement_editor_drafts_saves_and_keeps_versions(
    store: Store, make_app: AppFactory
) -> None:
    incident = ops.declare(store, title="Export leaked", kind="data-breach", operator="x")
    app = make_app(store, operator="priya")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("w")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, StatementEditor)
        assert "Security and IT lead this incident" in screen_text(app)
        # Switch the draft to French: untouched text follows the language.
        await pilot.press("shift+tab", "enter", "down", "enter")
        await pilot.pause()
        assert "La sécurité et l'informatique" in editor.query_one("TextArea").text
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        first = store.statements(incident.id)
        assert len(first) == 1 and "INTERNE" in first[0].body
        assert "version 1 by priya" in screen_text(app)
        # Revise: the editor opens on the latest version, cursor at the end; ctrl+s saves.
        await pilot.press("w")
        await pilot.pause()
        await pilot.press(*" Mise à jour.", "ctrl+s")
        await pilot.pause()
        versions = store.statements(incident.id)
        assert len(versions) == 2
        assert versions[-1].body.endswith("Mise à jour.")


async def test_escape_with_unsaved_statement_asks_before_discarding(
    store: Store, make_app: AppFactory
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press(*"important detail")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StatementEditor)
        assert "Unsaved changes" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert store.statements(incident.id) == []


async def test_stale_write_is_refused_with_the_fresh_state_and_the_input_kept(
    store: Store, db_path, make_app: AppFactory
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    app = make_app(store, operator="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("c")
        await pilot.pause()
        # Meanwhile another operator, in another process, names a commander.
        other = Store.open(db_path, clock=frozen(FROZEN_NOW))
        ops.set_commander(other, other.get_incident(incident.id), "marc", operator="marc")
        other.close()
        await pilot.press("m")  # me
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "was changed by marc" in text
        assert "nothing was saved" in text
        assert store.get_incident(incident.id).commander == "marc"
        # The picker is still open; picking again now applies on top.
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert store.get_incident(incident.id).commander == "sam"
        last = store.events(incident.id)[-1]
        assert (last.type, last.operator, last.details) == (
            "commander_set",
            "sam",
            {"from": "marc", "to": "sam"},
        )


async def test_changes_from_another_process_show_without_restart(
    store: Store, db_path, make_app: AppFactory
) -> None:
    incident = ops.declare(store, title="First", kind="other", operator="x")
    app = make_app(store, poll_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        other = Store.open(db_path, clock=frozen(FROZEN_NOW))
        ops.declare(other, title="Declared elsewhere", kind="malformed", operator="y")
        await pilot.pause(0.3)
        assert "Declared elsewhere" in screen_text(app)
        await _open(pilot, app, incident.id)
        ops.acknowledge(other, other.get_incident(incident.id), operator="y")
        await pilot.pause(0.3)
        assert "Acknowledged in" in screen_text(app)
        other.close()
