"""A question answered with one key: quit?, leave?, restore the unsaved apology?

The dialog lists its answers with their keys; escape is always the harmless one. Any
other printable key counts as "no" (a sentence typed by mistake must not answer "yes").
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from email_crisis.tui.render import title_text

STRAY = "stray"
"""What the dialog answers when a key that is no answer was pressed."""


class KeyDialog(ModalScreen[str | None]):
    """``title``, a few lines, and answers ``(key, answer id, words)``; escape: ``None``."""

    HELP_TITLE = "Question"
    DEFAULT_CSS = """
    KeyDialog > .form { height: auto; }
    KeyDialog #dialog-answers { margin-top: 1; height: auto; }
    """

    def __init__(
        self, title: str | Text, body: Text | str, answers: Sequence[tuple[str, str, str]]
    ) -> None:
        super().__init__()
        self._title = title
        self._body = body if isinstance(body, Text) else Text(body)
        self._answers = list(answers)

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as box:
            box.border_title = title_text(self._title)  # type: ignore[assignment]
            box.border_subtitle = "one key answers · escape: no"
            yield Static(self._body, id="dialog-body")
            lines = Text()
            for keys, _answer, words in self._answers:
                if lines:
                    lines.append("\n")
                shown = " or ".join(keys.split(","))
                lines.append(f" {shown} ", style="bold reverse").append(f"  {words}")
            lines.append("\n").append(" esc ", style="bold reverse").append("  Neither: go back")
            yield Static(lines, id="dialog-answers")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if self.is_attached and self.app.screen is not self:
            return  # already answered: the rest of a burst goes nowhere
        if event.key == "escape":
            self.dismiss(None)
            return
        for keys, answer, _words in self._answers:
            for key in keys.split(","):
                if event.key == key or (event.character and event.character == key):
                    self.dismiss(answer)
                    return
        if event.is_printable:
            self.dismiss(STRAY)
