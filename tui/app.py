"""The Textual application: board first, one workspace per opened incident."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from email_crisis.core.base.clock import Clock, utc_now
from email_crisis.core.store.database import Store
from email_crisis.tui.console import ConsoleApp
from email_crisis.tui.screens.board import BoardScreen


class EmailCrisisApp(ConsoleApp):
    """The incident console for one database and one operator."""

    CSS_PATH = "app.tcss"

    def get_default_screen(self) -> Screen[None]:
        return BoardScreen()

    def action_help(self) -> None:
        """Show the keys of the focused screen."""
        from email_crisis.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))


def run_app(store: Store, *, operator: str, clock: Clock = utc_now) -> None:
    """Run the full-screen console until the operator quits."""
    EmailCrisisApp(store, operator=operator, clock=clock).run()


def stylesheet_path() -> Path:
    """Where the app's stylesheet is installed (checked by the packaging test)."""
    return Path(__file__).with_name("app.tcss")
