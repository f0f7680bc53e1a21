"""``space`` on a table row: the row read in full, however long, in a scrollable dialog.

At 80x24 a table cuts its rows and the details pane under it has a few lines; a
finding's advice, an ESP error pasted into an action, or a long task title can be
longer. The dialog shows every word; the arrows and page keys scroll it, ``enter``
does the row's usual thing (jump to the finding, open the action's menu), and escape,
``space`` or ``q`` close it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from email_crisis.tui.render import title_text

CLOSE_KEYS = frozenset({"escape", "space", "q"})
SCROLL_KEYS = frozenset({"up", "down", "pageup", "pagedown", "home", "end"})


class ReadDialog(ModalScreen[bool]):
    """``title``, ``body`` in full, and what ``enter`` does (``None``: enter closes).

    Dismissed with ``True`` when the operator pressed ``enter`` for that action.
    """

    HELP_TITLE = "Read in full"
    DEFAULT_CSS = """
    ReadDialog > .form { height: auto; max-height: 100%; }
    ReadDialog #read-body { height: auto; max-height: 70vh; }
    ReadDialog #read-keys { height: auto; margin-top: 1; }
    """

    def __init__(self, title: str, body: Text, enter: str | None = None) -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._enter = enter

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as box:
            box.border_title = title_text(self._title)  # type: ignore[assignment]
            box.border_subtitle = "↑↓ pgup pgdn scroll · escape: close"
            with VerticalScroll(id="read-body"):
                yield Static(self._body)
            keys = Text()
            if self._enter:
                keys.append(" enter ", style="bold reverse").append(f"  {self._enter}\n")
            keys.append(" esc ", style="bold reverse").append("  Close")
            yield Static(keys, id="read-keys")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#read-body"))

    def on_key(self, event: events.Key) -> None:
        if event.key in SCROLL_KEYS:
            return  # the scroll area's own keys
        event.stop()
        event.prevent_default()
        if self.is_attached and self.app.screen is not self:
            return  # already closed: the rest of a burst goes nowhere
        if event.key == "enter":
            self.dismiss(self._enter is not None)
        elif event.key in CLOSE_KEYS:
            self.dismiss(False)
