"""Snapshots of each screen at fixed sizes, from demo data at a frozen clock."""

from __future__ import annotations

import pytest

from email_crisis.core.store.database import Store
from tests.tui.conftest import AppFactory

SIZES = [(80, 24), (120, 40)]


async def _open_first(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_board(snap_compare, demo_store: Store, make_app: AppFactory, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_store), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_workspace(snap_compare, demo_store: Store, make_app: AppFactory, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_store), terminal_size=size, run_before=_open_first)


def test_workspace_event_log(snap_compare, demo_store: Store, make_app: AppFactory) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open_first(pilot)
        await pilot.press("l")

    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), run_before=run_before)


def test_unacknowledged_workspace(snap_compare, demo_store: Store, make_app: AppFactory) -> None:  # type: ignore[no-untyped-def]
    unacked = next(i for i in demo_store.list_incidents() if not i.is_acknowledged)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()  # the board has filled its table
        pilot.app.screen.query_one("IncidentTable").select(unacked.id)
        await _open_first(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), run_before=run_before)


def test_new_incident_form(snap_compare, demo_store: Store, make_app: AppFactory) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), press=["n"])


def test_help(snap_compare, demo_store: Store, make_app: AppFactory) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), press=["question_mark"])
