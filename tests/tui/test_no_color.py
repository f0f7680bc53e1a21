"""NO_COLOR: colour is dropped, never turned into unreadable greys; meaning stays."""

from __future__ import annotations

import pytest
from textual.filter import Monochrome, NoColor

from email_crisis.core.store.database import Store
from tests.tui.conftest import AppFactory, screen_text


async def test_no_color_drops_colour_and_keeps_the_words(
    demo_store: Store, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(demo_store)
    assert any(isinstance(f, NoColor) for f in app._filters)
    assert not any(isinstance(f, Monochrome) for f in app._filters)
    async with app.run_test(size=(80, 24)) as pilot:
        text = screen_text(app)
        assert "UNACKED" in text and "SEV1" in text
        await pilot.press("enter")
        await pilot.pause()
        assert "[>] Contain" in screen_text(app)
