"""Issue 14 in the console: outside text in toasts, broken organisation files, and
exports that would replace a file.

A toast used to parse its text as markup: an ESP error body with ``[/]`` or a CSV
header ``[/]`` crashed the console (Rich ``MarkupError``) right after the call or the
import, and ``[@click=app.quit]`` in a header became a link in the success toast.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from email_crisis.core.assess.audience import build as audience
from email_crisis.core.contain import actions as contain
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.core.contain.esp.fake_server import FakeEsp
from tests.tui.conftest import AppFactory, screen_text
from tests.tui.test_assess_audience import _import, _open_assess
from tests.tui.test_contain_esp import (  # noqa: F401  (sendgrid is a fixture)
    _choose_sendgrid_cancel,
    _owned,
    _to_esp_menu,
    sendgrid,
)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, {"message": "bad token [/] here"}),
        (404, {"message": "Not Found [/v3/user/scheduled_sends]"}),
        (500, {"message": "[@click=app.quit]quit[/] \x1b]0;owned\x07"}),
    ],
)
async def test_an_esp_error_with_markup_is_shown_literally(
    store: Store,
    make_app: AppFactory,
    sendgrid: FakeEsp,  # noqa: F811  (the fixture, imported above)
    status: int,
    body: dict,
) -> None:
    sendgrid.reply = (status, json.dumps(body).encode(), {"Content-Type": "application/json"})
    _owned(store)
    app = make_app(store)
    async with app.run_test(size=(110, 32)) as pilot:
        action_pk = await _to_esp_menu(pilot, app, store)
        await _choose_sendgrid_cancel(pilot, app)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        action = contain.get_action(store, action_pk)
        assert action.status == "failed"  # the call was recorded, then the toast shown
        shown = " ".join(screen_text(app).split())
        expected = body["message"].split(" \x1b")[0]
        assert expected in shown, shown
        assert "\x1b" not in shown and "\x07" not in shown
        toasts = [n for n in app._notifications if expected in n.message]
        assert toasts and not toasts[-1].markup


async def test_csv_headers_with_markup_are_shown_literally(
    store: Store, make_app: AppFactory, tmp_path: Path
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    refused = tmp_path / "refused.csv"
    refused.write_text("[/],[b]\n1,2\n")  # no address column: the error quotes the header
    linked = tmp_path / "linked.csv"
    linked.write_text("Email [@click=app.quit]x[/],Name\nana@example.com,Ana\n")
    app = make_app(store)
    async with app.run_test(size=(110, 32)) as pilot:
        await _open_assess(pilot, app, incident.id)
        await _import(pilot, app, 0, refused)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert audience.audience_lists(store, incident.id) == []
        await _import(pilot, app, 0, linked)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert app.is_running  # the header was no link that quits the console
        assert [x.file_name for x in audience.audience_lists(store, incident.id)] == ["linked.csv"]
        messages = " ".join(n.message for n in app._notifications)
        assert "[@click=app.quit]x[/]" in messages
        assert all(not n.markup for n in app._notifications)


async def test_a_broken_thresholds_file_keeps_the_board(
    store: Store, make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: a thresholds syntax error emptied the board under a toast titled
    "Cannot read the database"; the database was fine."""
    broken = tmp_path / "thresholds.toml"
    broken.write_text("[complaint_rate\n")
    monkeypatch.setenv("EMAIL_CRISIS_THRESHOLDS", str(broken))
    ops.declare(store, title="Still on the board", kind="other", operator="x")
    app = make_app(store)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Still on the board" in shown
        titles = [n.title for n in app._notifications]
        assert "Cannot read the database" not in titles
        (problem,) = [n for n in app._notifications if n.title.startswith("Configuration")]
        assert f"{broken}, line 1" in problem.message and "not valid TOML" in problem.message


@pytest.mark.parametrize(
    ("variable", "name", "content", "expected"),
    [
        ("EMAIL_CRISIS_PLAYBOOK", "playbook.toml", "x = " + "[" * 5000 + "]" * 5000, "nested"),
        (
            "EMAIL_CRISIS_PLAN_SUGGESTIONS",
            "suggestions.toml",
            "[roles]\nowner = 'équipe'\n".encode("latin-1"),
            "not UTF-8",
        ),
        (
            "EMAIL_CRISIS_PLAN_SUGGESTIONS",
            "suggestions.toml",
            "[roles]\nmarketing = 'Marketing'\n[[suggest.all]]\nid = 'a'\ntitle = 'A'\n"
            "kind = 'internal-fix'\nrole = 'marketing'\ndue_hours = nan\n",
            "nan is not a usable number",
        ),
    ],
)
async def test_broken_organisation_files_are_one_toast_in_the_workspace(
    store: Store,
    make_app: AppFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    name: str,
    content: str | bytes,
    expected: str,
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    monkeypatch.setenv(variable, str(path))
    incident = ops.declare(store, title="Broken files", kind="wrong-segment", operator="x")
    incident = ops.acknowledge(store, incident, operator="x")
    ops.set_commander(store, incident, "lea", operator="x")
    app = make_app(store)
    async with app.run_test(size=(110, 32)) as pilot:
        app.screen.query_one(IncidentTable).select(incident.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        for key in ("2", "4", "g"):
            await pilot.press(key)
            await pilot.pause()
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert any(str(path) in m and expected in m for m in messages), messages


async def test_the_audience_export_asks_before_replacing_a_file(
    store: Store, make_app: AppFactory, tmp_path: Path
) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    sent = tmp_path / "sent.csv"
    sent.write_text("email\nana@example.com\n")
    audience.import_list(store, incident, sent, role="affected", operator="x")
    out = tmp_path / "audience.csv"
    out.write_text("an older export\n")
    app = make_app(store)
    async with app.run_test(size=(110, 32)) as pilot:
        await _open_assess(pilot, app, incident.id)
        for choice, expected in (("keep", "an older export\n"), ("replace", "email\nana@")):
            await pilot.press("f6")
            await pilot.pause()
            prompt = app.screen
            assert isinstance(prompt, PromptForm)
            await pilot.press("ctrl+u", *str(out), "enter")
            await pilot.pause()
            await pilot.pause()
            menu = app.screen
            assert isinstance(menu, ChoiceMenu), "no question before replacing the file"
            options = menu.query_one("OptionList")
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            options.highlighted = ids.index(choice)
            await pilot.press("enter")
            await pilot.pause()
            assert out.read_text().startswith(expected)
        assert [e.type for e in store.events(incident.id)].count("audience_exported") == 1
