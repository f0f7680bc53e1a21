"""The audience from the Assess panel: import in a worker with progress, cancel, export."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

from email_crisis.core.assess.audience import build as audience
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.assess_panel import AssessPanel
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.tui.conftest import AppFactory, screen_text


async def _open_assess(pilot, app, incident_id: int) -> AssessPanel:  # type: ignore[no-untyped-def]
    app.screen.query_one(IncidentTable).select(incident_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    app.screen.action_show_tab("assess")
    await pilot.pause()
    return app.screen.query_one(AssessPanel)


async def _import(pilot, app, role_index: int, path: Path) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("f5")
    await pilot.pause()
    menu = app.screen
    assert isinstance(menu, ChoiceMenu)
    menu.query_one("OptionList").highlighted = role_index
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, PromptForm)
    await pilot.press(*str(path), "enter")
    await pilot.pause()


def _csv(path: Path, addresses: list[str]) -> Path:
    path.write_text("Email,Name\n" + "".join(f"{a},x\n" for a in addresses), encoding="utf-8")
    return path


async def test_import_affected_and_suppressed_then_export(
    store: Store, make_app: AppFactory, tmp_path: Path
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    affected = _csv(tmp_path / "sent.csv", ["a@x.example", "B@x.example", "c@x.example", "bad"])
    suppressed = _csv(tmp_path / "unsubs.csv", ["b@x.example"])
    app = make_app(store, operator="lea")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_assess(pilot, app, incident.id)
        await _import(pilot, app, 0, affected)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await _import(pilot, app, 1, suppressed)
        await app.workers.wait_for_complete()
        await pilot.pause()
        counts = audience.audience_counts(store, incident.id)
        assert (counts.affected, counts.invalid, counts.suppressed, counts.final) == (4, 1, 1, 2)
        text = " ".join(screen_text(app).split())
        assert "final audience" in text
        events = [e.type for e in store.events(incident.id)]
        assert events.count("audience_imported") == 2
        assert "x.example" not in str([e.details for e in store.events(incident.id)])
        # Export: F6, accept the suggested path.
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        await pilot.press("enter")
        await pilot.pause()
        out = store.path.parent / "exports" / f"incident-{incident.id}-audience.csv"
        assert out.read_text().split() == ["email", "a@x.example", "c@x.example"]
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


async def test_a_cancelled_import_changes_nothing(
    store: Store, make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    big = _csv(tmp_path / "big.csv", [f"user{n}@x.example" for n in range(50_000)])
    started = threading.Event()
    real = audience.import_list

    def slow_import(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.set()
        kwargs["cancel"].wait(5)  # hold until the operator presses F8
        return real(*args, **kwargs)

    monkeypatch.setattr(audience, "import_list", slow_import)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await _open_assess(pilot, app, incident.id)
        await _import(pilot, app, 0, big)
        assert started.wait(5)
        await pilot.pause()
        assert panel.check_action("cancel_import", ()) is True  # F8 is offered while it runs
        await pilot.press("f8")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert audience.audience_lists(store, incident.id) == []
        assert any("cancel" in n.message.lower() for n in app._notifications)
        assert panel.check_action("cancel_import", ()) is False


async def test_a_file_that_is_not_csv_is_refused_with_its_name(
    store: Store, make_app: AppFactory, tmp_path: Path
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    junk = tmp_path / "photo.csv"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_assess(pilot, app, incident.id)
        await _import(pilot, app, 0, junk)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert audience.audience_lists(store, incident.id) == []
        assert any("photo.csv" in n.message for n in app._notifications)
