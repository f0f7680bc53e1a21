"""Fixtures for driving the app headless with Pilot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from email_crisis.core.base.clock import frozen
from email_crisis.core.demo import scenes as demo
from email_crisis.core.store.database import Store
from email_crisis.tui.app import EmailCrisisApp
from tests.conftest import FROZEN_NOW

AppFactory = Callable[..., EmailCrisisApp]


@pytest.fixture
def demo_store(db_path: Path) -> Store:
    store = Store.open(db_path, clock=frozen(FROZEN_NOW))
    demo.populate(store, now=FROZEN_NOW)
    yield store
    store.close()


@pytest.fixture
def make_app() -> AppFactory:
    def factory(
        store: Store, *, operator: str = "sam", poll_seconds: float = 600
    ) -> EmailCrisisApp:
        # A long poll by default, so a test decides when another process's write shows.
        return EmailCrisisApp(
            store, operator=operator, clock=frozen(FROZEN_NOW), poll_seconds=poll_seconds
        )

    return factory


def screen_text(app: EmailCrisisApp) -> str:
    """What the terminal shows right now, as plain text lines (styles dropped)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


async def notify_checked(pilot, panel) -> None:  # type: ignore[no-untyped-def]
    """Wait for the Notify panel's queued check and the list that follows it (a
    generous bound)."""
    for _ in range(50):
        await pilot.pause()
        if not panel.check_pending and not panel._list_pending:
            break
    await pilot.pause()
