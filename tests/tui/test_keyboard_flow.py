"""The main path, keyboard only: create, open, acknowledge, command, back, filter, quit."""

from __future__ import annotations

from email_crisis.core.store.database import Store
from email_crisis.tui.screens.board import BoardScreen
from email_crisis.tui.screens.forms import NewIncidentForm
from email_crisis.tui.screens.owner_picker import OwnerPicker
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.tui.conftest import AppFactory, screen_text


async def test_create_open_acknowledge_command_back_filter_quit(
    store: Store, make_app: AppFactory
) -> None:
    app = make_app(store, operator="dana")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, BoardScreen)
        assert "No open incidents" in screen_text(app)

        # Declare: n, type the title, choose the kind from the list, enter declares.
        await pilot.press("n")
        assert isinstance(app.screen, NewIncidentForm)
        await pilot.press(*"Spring sale sent to the wrong segment")
        await pilot.press("tab", "enter")  # open the Kind list
        await pilot.press("down", "down", "down", "enter")  # -> Sent to the wrong segment
        await pilot.press("tab", "enter")  # open the Severity list (SEV3 selected)
        await pilot.press("up", "enter")  # -> SEV2
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        (incident,) = store.list_incidents()
        assert incident.title == "Spring sale sent to the wrong segment"
        assert incident.kind == "wrong-segment"
        assert incident.severity == "SEV2"
        assert incident.created_by == "dana"
        table = app.screen.query_one(IncidentTable)
        assert table.row_count == 1
        assert table.highlighted_id() == incident.id

        # Open it.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        text = screen_text(app)
        assert "NOT ACKNOWLEDGED" in text
        assert "[>] Own it" in text

        # Acknowledge.
        await pilot.press("a")
        await pilot.pause()
        incident = store.get_incident(incident.id)
        assert incident.acknowledged_at is not None
        assert "Acknowledged in" in screen_text(app)

        # Name the commander: c opens the picker (m: me), t types a name not listed yet.
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, OwnerPicker)
        assert "dana (me)" in screen_text(app)
        await pilot.press("t", *"priya", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        incident = store.get_incident(incident.id)
        assert incident.commander == "priya"
        assert incident.step == "contain"  # own it is complete
        text = screen_text(app)
        assert "[x] Own it" in text
        assert "[>] Contain" in text
        assert "Commander: priya" in text

        # The log tab shows every change, who made it.
        await pilot.press("l")
        await pilot.pause()
        text = screen_text(app)
        assert "acknowledged the incident" in text
        assert "named priya incident commander" in text
        assert "dana" in text

        # Back to the board; the row shows the new state.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert "2 Contain" in screen_text(app)

        # Filter: a term that matches nothing, then one that matches.
        await pilot.press("slash", *"kind:breach", "enter")
        await pilot.pause()
        assert table.row_count == 0
        assert "No open incident matches" in screen_text(app)
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("slash", *"spring cmdr:priya", "enter")
        await pilot.pause()
        assert table.row_count == 1

        # Quit: from the board, with nothing unsaved, q quits at once.
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
