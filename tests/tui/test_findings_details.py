"""The findings table shows the highlighted finding in full (issue 11, item 6).

At 80x24 the Notify panel's findings table cuts each message to a few words; the
details line below it shows the highlighted finding's severity, rule, place and whole
message, and follows the cursor as the operator moves through the list.
"""

from __future__ import annotations

from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui.app import EmailCrisisApp
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.notify_panel import NotifyPanel
from tests.tui.conftest import AppFactory, screen_text
from tests.tui.conftest import notify_checked as _checked

TYPED = " Oops, lol. We apologize for any inconvenience."
OOPS = '"Oops" sounds like a joke; an apology reads best plain and serious.'
LOL = '"lol" sounds like a joke; an apology reads best plain and serious.'
CONDITIONAL = (
    '"apologize for any" is a conditional apology, which reads as no apology; '
    "say plainly that you are sorry."
)


def _flat(app: EmailCrisisApp) -> str:
    return " ".join(screen_text(app).split())


async def test_the_details_line_shows_the_highlighted_finding_in_full_and_follows_the_cursor(
    store: Store, make_app: AppFactory
) -> None:
    ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("5", "i", *TYPED)  # typed at the end of the body
        panel = app.screen.query_one(NotifyPanel)
        await _checked(pilot, panel)
        assert [f.rule for f in panel.findings] == ["humor", "humor", "no-apology"]
        await pilot.press("escape", "tab")  # command mode: tab reaches the findings
        await pilot.pause()
        assert panel.table.has_focus
        text = _flat(app)
        lines = screen_text(app).splitlines()
        rows = [line for line in lines if line.lstrip()[:1].isdigit() and "body 13:" in line]
        assert len(rows) == 3 and all(OOPS not in row for row in rows)  # the table cuts them
        assert f"warning humor (body 13:2): {OOPS}" in text
        assert LOL not in text
        await pilot.press("down")
        await pilot.pause()
        text = _flat(app)
        assert f"warning humor (body 13:8): {LOL}" in text and OOPS not in text
        await pilot.press("down")
        await pilot.pause()
        text = _flat(app)
        assert f"info no-apology (body 13:16): {CONDITIONAL}" in text
        assert LOL not in text
        await pilot.press("up", "up")
        await pilot.pause()
        assert OOPS in _flat(app) and CONDITIONAL not in _flat(app)
