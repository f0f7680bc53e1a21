"""The dialog ``space`` opens on a table row: every word, scrollable by keyboard."""

from __future__ import annotations

from rich.text import Text
from textual.app import App

from email_crisis.tui.screens.read_dialog import ReadDialog
from tests.tui.conftest import screen_text


async def test_a_body_taller_than_the_screen_scrolls_and_each_key_closes_as_it_says() -> None:
    body = Text("\n".join(f"note {n}: [bold]kept literally[/bold]" for n in range(1, 61)))
    answers: list[bool | None] = []
    app: App[None] = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ReadDialog("Action 3 of 7", body, "What to do with it"), answers.append)
        await pilot.pause()
        shown = screen_text(app)  # type: ignore[arg-type]
        assert "note 1: [bold]kept literally[/bold]" in shown and "note 60:" not in shown
        await pilot.press("end")
        await pilot.pause()
        shown = screen_text(app)  # type: ignore[arg-type]
        assert "note 60:" in shown and "note 1:" not in shown
        assert "enter   What to do with it" in shown  # the keys stay in view
        await pilot.press("x")  # not a key of this dialog: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, ReadDialog) and answers == []
        await pilot.press("enter")
        await pilot.pause()
        assert answers == [True]

        for key in ("escape", "space", "q"):
            app.push_screen(ReadDialog("Finding", Text("short")), answers.append)
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, ReadDialog)
        assert answers == [True, False, False, False]
        app.push_screen(ReadDialog("No enter action", Text("short")), answers.append)
        await pilot.pause()
        assert "enter" not in screen_text(app)  # type: ignore[arg-type]
        await pilot.press("enter")
        await pilot.pause()
        assert answers[-1] is False
