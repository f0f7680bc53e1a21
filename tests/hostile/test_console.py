"""The console with a hostile incident: every screen shows the text literally.

Pilot drives every tab, the event log and the help; a crash (Rich's ``MarkupError``)
would end the test with the app's exception, and text that was taken for markup or
obeyed as a control would be missing or raw in what the screen shows. The real
terminal (tmux) is checked in ``test_terminal.py``.
"""

from __future__ import annotations

from pathlib import Path

from email_crisis.core.base.clock import frozen
from email_crisis.core.store.database import Store
from email_crisis.tui.app import EmailCrisisApp
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.conftest import FROZEN_NOW
from tests.hostile.strings import raw_controls
from tests.tui.conftest import screen_text

TABS = ("1", "2", "3", "4", "5", "6", "l")


async def test_every_tab_shows_hostile_text_literally(hostile: tuple[Path, int]) -> None:
    db, number = hostile
    store = Store.open(db, clock=frozen(FROZEN_NOW))
    app = EmailCrisisApp(store, operator="sam", clock=frozen(FROZEN_NOW), poll_seconds=600)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            board = screen_text(app)
            assert "[bold red]Boom[/]" in board and "[@click=app.quit]" in board
            app.screen.query_one(IncidentTable).select(number)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, WorkspaceScreen)
            seen = ""
            for key in TABS:
                await pilot.press(key)
                await pilot.pause()
                shown = screen_text(app)
                assert raw_controls(shown) == [], (key, shown)
                seen += shown
            assert app.is_running  # [@click=app.quit] never became a link that quits
            for literal in ("[@click=app.quit]", "[/]", "<script>", "{{ 7*7 }}"):
                assert literal in seen, literal
            # An ESP's answer holding OSC 0, OSC 52 and 8-bit CSI/OSC: shown as symbols.
            assert "\u241b]0;pane-owned\u2407\u241b]52;c;SGFja2VkIQ==\u2407\\x9b31m" in seen
            assert "bad token [/] here" in seen  # the ESP's answer, in the event log
    finally:
        store.close()
