"""Closing an incident deliberately, from the board (``x``) or its workspace (``x``).

The dialog lists what argues against closing now (``core.close.warnings``: open plan
tasks, an apology not sent, a running breach-notification clock, a deliverability signal
at warning or critical level) and then asks for a reason to close anyway, which the
``resolved`` event and the postmortem keep. With nothing against it, the dialog only
asks for the optional one-line summary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.close import lifecycle
from email_crisis.core.close.warnings import ClosingWarning, closing_warnings
from email_crisis.tui.keyboard import focus_now
from email_crisis.tui.render import ellipsize, plain
from email_crisis.tui.screens.forms import PromptForm, _Form
from email_crisis.tui.widgets.fields import TextField

if TYPE_CHECKING:
    from email_crisis.tui.console import ConsoleApp

Done = Callable[[], None]


class CloseDialog(_Form):
    """What argues against closing, a summary for the postmortem and (if needed) a reason."""

    HELP_TITLE = "Close an incident"
    DEFAULT_CSS = """
    CloseDialog #close-warnings { height: auto; max-height: 9; margin-bottom: 1; }
    """

    def __init__(self, incident: Incident, warnings: Sequence[ClosingWarning], done: Done) -> None:
        super().__init__()
        self._incident = incident
        self._warnings = list(warnings)
        self._done = done

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as form:
            form.border_title = plain(
                f"Close incident {self._incident.id}: {ellipsize(self._incident.title, 40)}"
            )  # type: ignore[assignment]
            form.border_subtitle = "F2 closes · escape cancels"
            if self._warnings:
                listed = Text("Not ready to close:\n", style="bold yellow")
                for warning in self._warnings:
                    listed.append("- ").append_text(plain(warning.text)).append("\n")
                yield Static(listed.rstrip() or listed, id="close-warnings")
            yield Label("How it ended, in one line for the postmortem (optional)")
            yield TextField(id="summary", compact=True)
            if self._warnings:
                yield Label("Why close it anyway? (10 characters or more; the postmortem keeps it)")
                yield TextField(id="reason", compact=True)
            yield Static(classes="form-error")

    def on_mount(self) -> None:
        self.show_error(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "summary" and self._warnings:
            focus_now(self.query_one("#reason", TextField))
            return
        self.action_submit()

    def action_submit(self) -> None:
        app: ConsoleApp = self.app
        summary = self.query_one("#summary", TextField).value.strip() or None
        reason = self.query_one("#reason", TextField).value if self._warnings else None
        try:
            fresh = app.store.get_incident(self._incident.id)
            lifecycle.resolve(app.store, fresh, app.operator, summary=summary, reason=reason)
        except lifecycle.CloseNeedsReason:
            if not self._warnings:  # something argues against closing since it opened
                self.dismiss(None)
                app.call_later(close_incident, app, fresh, self._done)
                return
            self.show_error("Say why you close it anyway (it goes into the postmortem).")
            focus_now(self.query_one("#reason", TextField))
            return
        except CrisisError as error:
            self.show_error(str(error))
            return
        self.dismiss(True)
        app.notify(f"Incident {self._incident.id} closed.")
        self._done()


def close_incident(app: ConsoleApp, incident: Incident, done: Done) -> None:
    """Open the closing dialog for ``incident`` (``done`` runs once it is closed)."""
    try:
        warnings = closing_warnings(app.store, incident, app.now())
    except CrisisError as error:
        app.notify(str(error), severity="error")
        return
    app.push_screen(CloseDialog(incident, warnings, done))


def reopen_incident(app: ConsoleApp, incident: Incident, done: Done) -> None:
    """Ask why a closed incident is open again, and reopen it."""

    def submit(text: str) -> str | None:
        try:
            lifecycle.reopen(app.store, app.store.get_incident(incident.id), app.operator, text)
        except CrisisError as error:
            return str(error)
        done()
        return None

    app.push_screen(
        PromptForm(
            f"Reopen incident {incident.id}", "Why is it open again? (on the record)", submit
        )
    )
