"""A large board fills in batches: the worst incidents first, then every one, in order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from email_crisis.core.own.board import board_order
from email_crisis.core.store.database import NewIncident, Store
from email_crisis.tui.screens.board import BoardScreen
from email_crisis.tui.widgets import incident_table
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.conftest import FROZEN_NOW
from tests.tui.conftest import AppFactory, screen_text

COUNT = 260


@pytest.fixture
def big_store(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """260 open incidents, and batches small enough that filling takes several refreshes."""
    monkeypatch.setattr(incident_table, "FIRST_ROWS", 40)
    monkeypatch.setattr(incident_table, "BATCH_ROWS", 70)
    store.create_incidents(
        NewIncident(
            title=f"Incident number {n}",
            kind="wrong-content",
            severity=f"SEV{1 + n % 4}",
            detected_at=FROZEN_NOW - timedelta(minutes=n),
            operator="sam",
        )
        for n in range(COUNT)
    )
    return store


def _ids(table: IncidentTable) -> list[int]:
    return [int(row.key.value) for row in table.ordered_rows]


async def _filled(pilot, table: IncidentTable) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if not table.pending and table.row_count:
            return
        await pilot.pause()
    raise AssertionError(f"still {table.pending} rows pending")


async def test_the_worst_rows_come_first_and_every_incident_arrives(
    big_store: Store, make_app: AppFactory
) -> None:
    app = make_app(big_store)
    expected = [i.id for i in board_order(big_store.list_incidents())]
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(IncidentTable)
        # Before the rest arrives, the rows on screen are the top of the board.
        assert table.pending > 0
        assert _ids(table) == expected[: table.row_count]
        assert "loading" in screen_text(app)
        await _filled(pilot, table)
        assert _ids(table) == expected
        assert table.row_count == COUNT
        assert "loading" not in screen_text(app)


async def test_a_filter_typed_while_filling_wins(big_store: Store, make_app: AppFactory) -> None:
    app = make_app(big_store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        table = board.query_one(IncidentTable)
        assert table.pending > 0
        await pilot.press("/")
        await pilot.press(*"sev:1", "enter")
        await _filled(pilot, table)
        wanted = [i.id for i in board_order(big_store.list_incidents()) if i.severity == "SEV1"]
        assert _ids(table) == wanted
        await pilot.press("escape")  # clear the filter: every incident comes back, in order
        await _filled(pilot, table)
        assert _ids(table) == [i.id for i in board_order(big_store.list_incidents())]


async def test_selecting_a_row_not_there_yet_lands_once_it_arrives(
    big_store: Store, make_app: AppFactory
) -> None:
    app = make_app(big_store)
    last = board_order(big_store.list_incidents())[-1].id
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(IncidentTable)
        assert table.pending > 0
        table.select(last)
        await _filled(pilot, table)
        assert table.highlighted_id() == last


async def test_moving_the_cursor_while_filling_is_kept(
    big_store: Store, make_app: AppFactory
) -> None:
    app = make_app(big_store)
    expected = [i.id for i in board_order(big_store.list_incidents())]
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(IncidentTable)
        assert table.pending > 0
        await pilot.press("down", "down", "down")
        await _filled(pilot, table)
        assert table.highlighted_id() == expected[3]
