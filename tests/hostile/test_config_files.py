"""A broken organisation breach-rules file, in the console (issue 14).

Before, a broken file took every clock away (a toast at each refresh, nothing in the
header or the panel), and one with a list where text belongs raised ``TypeError`` in
the loader. Now the clocks run on the shipped table, the header says the organisation's
rules are broken, the first note under the clocks names the file and the line, and the
panel keeps recomputing as the operator types.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from email_crisis.core.assess.breach_rules import RULES_ENV
from email_crisis.core.base.clock import frozen
from email_crisis.core.store.database import Store
from email_crisis.tui.app import EmailCrisisApp
from email_crisis.tui.screens.workspace import WorkspaceScreen
from tests.conftest import FROZEN_NOW
from tests.core.assess.test_rules_config_errors import assessed_breach, changed
from tests.tui.conftest import screen_text


async def test_a_broken_breach_rules_file_leaves_the_console_and_its_clocks_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, line = changed("region", '["eu-eea"]')
    # Outside text in the message too: the path reads "rules [/] [@click=app.quit].toml".
    org = tmp_path / "rules [" / "] [@click=app.quit].toml"
    org.parent.mkdir()
    org.write_text(text, encoding="utf-8")
    monkeypatch.setenv(RULES_ENV, str(org))
    store = Store.open(tmp_path / "breach.db", clock=frozen(FROZEN_NOW))
    assessed_breach(store)
    app = EmailCrisisApp(store, operator="sam", clock=frozen(FROZEN_NOW), poll_seconds=600)
    try:
        async with app.run_test(size=(160, 60)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # the only incident
            await pilot.pause()
            assert isinstance(app.screen, WorkspaceScreen)
            await pilot.press("3")
            await pilot.pause()
            shown = screen_text(app)
            assert "org breach rules broken" in shown  # the header, before the clocks
            assert "GDPR authority" in shown  # the shipped clock still counts
            notes = str(app.screen.query_one("#assess-decisions-text").render())
            assert f"{org}, entry 1 (id 'acme-dpo', line 3): region must be a string" in notes
            assert f"(line {line})" in notes
            # Typing recomputes the clocks at every key: no crash, the note stays.
            app.screen.query(Input).first().focus()
            await pilot.press("1", "2")
            await pilot.pause()
            assert app.is_running
            assert "region must be a string" in str(
                app.screen.query_one("#assess-decisions-text").render()
            )
    finally:
        store.close()
