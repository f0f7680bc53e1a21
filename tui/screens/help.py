"""F1 / ? : the keys of the screen the operator is looking at."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from email_crisis.tui import keymap


class HelpScreen(ModalScreen[None]):
    """A table of every active key of ``screen`` with what it does."""

    BINDINGS = keymap.HELP

    def __init__(self, screen: Screen) -> None:
        super().__init__(id="help")
        self._target = screen

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column("key", no_wrap=True)
        table.add_column("does")
        table.add_column("id", style="dim", no_wrap=True)
        seen: set[str] = set()
        for active in self._target.active_bindings.values():
            binding = active.binding
            if not binding.description or (binding.id or binding.action) in seen:
                continue
            seen.add(binding.id or binding.action)
            table.add_row(
                Text(self.app.get_key_display(binding)),
                Text(binding.tooltip or binding.description),
                Text(binding.id or ""),
            )
        table.add_row(Text("ctrl+p"), Text("Command palette: every action by name"), Text(""))
        name = getattr(self._target, "HELP_TITLE", self._target.__class__.__name__)
        with VerticalScroll(id="help-box") as box:
            box.border_title = f"Keys: {name}"
            box.border_subtitle = "escape to close"
            yield Static(table)
