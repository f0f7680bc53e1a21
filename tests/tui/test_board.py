"""Board behaviour: order, in-place updates, filter errors, acknowledge, validation, safety."""

from __future__ import annotations

from email_crisis.core.base.clock import frozen
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import NewIncident, Store
from email_crisis.tui.screens.board import BoardScreen
from email_crisis.tui.screens.forms import NewIncidentForm
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.conftest import FROZEN_NOW
from tests.tui.conftest import AppFactory, screen_text


def _ids(table: IncidentTable) -> list[int]:
    return [int(row.key.value) for row in table.ordered_rows]


async def test_board_lists_open_incidents_worst_first_then_oldest(
    demo_store: Store, make_app: AppFactory
) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)):
        table = app.screen.query_one(IncidentTable)
        open_incidents = demo_store.list_incidents()
        assert table.row_count == len(open_incidents) == 8
        expected = [
            i.id for i in sorted(open_incidents, key=lambda i: (i.severity, i.detected_at, i.id))
        ]
        assert _ids(table) == expected
        text = screen_text(app)
        for column in ("ID", "SEV", "TITLE", "KIND", "STEP", "FLAG", "AGE", "CMDR"):
            assert column in text
        assert "UNACKED" in text  # unacknowledged incidents stand out


async def test_rows_are_updated_in_place_not_rebuilt(
    demo_store: Store, make_app: AppFactory
) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        table = board.query_one(IncidentTable)
        row_objects = dict(table.rows)
        await pilot.press("down", "down")
        selected = table.highlighted_id()
        # Another operator escalates the incident at the bottom to SEV1.
        bottom = demo_store.get_incident(_ids(table)[-1])
        ops.set_severity(demo_store, bottom, "SEV1", operator="other")
        board.refresh_data()
        await pilot.pause()
        assert _ids(table)[0] == bottom.id or _ids(table)[1] == bottom.id
        # Same row objects (keyed by id), cursor still on the same incident.
        assert set(table.rows) == set(row_objects)
        assert table.highlighted_id() == selected


async def test_acknowledge_from_the_board(demo_store: Store, make_app: AppFactory) -> None:
    app = make_app(demo_store, operator="noor")
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(IncidentTable)
        unacked = [i for i in demo_store.list_incidents() if not i.is_acknowledged]
        table.select(unacked[0].id)
        await pilot.press("a")
        await pilot.pause()
        assert demo_store.get_incident(unacked[0].id).acknowledged_at is not None
        events = demo_store.events(unacked[0].id)
        assert events[-1].type == "acknowledged"
        assert events[-1].operator == "noor"
        # A second press explains instead of failing silently.
        await pilot.press("a")
        await pilot.pause()
        assert any("already acknowledged" in n.message for n in app._notifications)


async def test_filter_rejects_bad_terms_and_keeps_the_list(
    demo_store: Store, make_app: AppFactory
) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(IncidentTable)
        await pilot.press("slash", *"colour:red")
        await pilot.pause()
        assert "unknown filter 'colour'" in screen_text(app)
        # The table keeps the last filter that parsed ("colour" as a word: no match).
        assert table.row_count == 0
        await pilot.press("ctrl+u", *"sev:2 ack:yes", "enter")
        await pilot.pause()
        shown = [demo_store.get_incident(i) for i in _ids(table)]
        assert shown and all(i.severity == "SEV2" and i.is_acknowledged for i in shown)
        assert "showing" in screen_text(app)
        # q typed into the filter is text, not quit.
        await pilot.press("slash", "ctrl+u", "q")
        await pilot.pause()
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 8


async def test_new_incident_form_validates(store: Store, make_app: AppFactory) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NewIncidentForm)
        assert "Title is required." in screen_text(app)
        await pilot.press(*"Dear <FirstName> in the welcome mail", "enter")
        await pilot.pause()
        assert "Choose a kind" in screen_text(app)
        assert store.list_incidents() == []
        await pilot.press("escape")  # a title was typed: escape asks once
        await pilot.pause()
        assert isinstance(app.screen, NewIncidentForm)
        assert "escape again throws it away" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert store.list_incidents() == []


async def test_markup_and_escape_sequences_in_titles_show_literally(
    store: Store, make_app: AppFactory
) -> None:
    # Written straight through the store, as another tool or an import might.
    store.create_incidents(
        [
            NewIncident("[bold red]PWNED[/] \x1b[2J\x1b[31mred", "other", "SEV1", FROZEN_NOW, "x"),
            NewIncident("[link=http://x]click[/link]", "other", "SEV2", FROZEN_NOW, "x"),
        ]
    )
    app = make_app(store)
    async with app.run_test(size=(120, 24)) as pilot:
        text = screen_text(app)
        assert "[bold red]PWNED[/]" in text
        assert "␛[2J␛[31mred" in text
        assert "[link=http://x]click[/link]" in text
        await pilot.press("enter")
        await pilot.pause()
        assert "[bold red]PWNED[/] ␛[2J" in screen_text(app)


async def test_empty_board_explains_what_to_do(store: Store, make_app: AppFactory) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)):
        assert "Press n to declare one" in screen_text(app)


async def test_resolved_incidents_are_not_on_the_board(
    demo_store: Store, make_app: AppFactory
) -> None:
    resolved = [i for i in demo_store.list_incidents(include_resolved=True) if i.resolved_at]
    assert resolved
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)):
        assert resolved[0].id not in _ids(app.screen.query_one(IncidentTable))


async def test_title_column_uses_the_width_it_is_given(
    demo_store: Store, make_app: AppFactory
) -> None:
    long_title = demo_store.get_incident(1).title
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)):
        assert long_title not in screen_text(app)  # cut with an ellipsis at 80 columns
    app = make_app(demo_store)
    async with app.run_test(size=(160, 24)):
        assert long_title in screen_text(app)


def test_clock_is_injected(store: Store) -> None:
    assert store.clock() == frozen(FROZEN_NOW)()
