"""The internal statement editor: a draft from the template, every saved version kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Select, Static, TextArea

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.templates import LANGUAGES, TemplateProblem
from email_crisis.core.own.statement import draft_statement
from email_crisis.tui import keymap
from email_crisis.tui.screens.forms import Submit

if TYPE_CHECKING:
    from email_crisis.tui.console import ConsoleApp


class StatementEditor(ModalScreen[bool]):
    """Write or revise the internal statement. F2 saves; escape twice discards."""

    HELP_TITLE = "Internal statement"
    BINDINGS = keymap.STATEMENT_EDITOR
    app: ConsoleApp

    def __init__(self, incident: Incident, latest: str | None, submit: Submit) -> None:
        super().__init__()
        self._incident = incident
        self._latest = latest
        self._submit = submit
        self._draft = ""
        self._discard_armed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="statement-box") as box:
            box.border_title = "Internal statement"
            box.border_subtitle = "F2 save · escape cancel"
            with Horizontal(id="statement-options"):
                yield Label("Draft language ")
                yield Select(
                    [(code, code) for code in LANGUAGES],
                    value="en",
                    allow_blank=False,
                    id="language",
                    compact=True,
                )
            yield TextArea(id="statement-text", soft_wrap=True, show_line_numbers=False)
            yield Static(classes="form-error")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show_error(None)
        editor = self.query_one(TextArea)
        if self._latest:
            editor.text = self._latest
            editor.move_cursor(editor.document.end)  # revisions usually add an update
        else:
            self._draft = self._render_draft("en")
            editor.text = self._draft
        editor.focus()

    def _render_draft(self, language: str) -> str:
        try:
            return draft_statement(
                self._incident, operator=self.app.operator, now=self.app.now(), language=language
            )
        except TemplateProblem as error:
            self._show_error(f"The statement template failed: {error}")
            return ""

    def on_select_changed(self, event: Select.Changed) -> None:
        editor = self.query_one(TextArea)
        # Only replace text the operator has not touched.
        if editor.text in ("", self._draft):
            self._draft = self._render_draft(str(event.value))
            editor.text = self._draft

    def on_text_area_changed(self) -> None:
        self._discard_armed = False

    def _show_error(self, message: str | None) -> None:
        error = self.query_one(".form-error", Static)
        error.update(Text(message or "", style="bold red"))
        error.display = bool(message)

    def action_save(self) -> None:
        error = self._submit(self.query_one(TextArea).text)
        if error:
            self._show_error(error)
        else:
            self.dismiss(True)

    def action_cancel(self) -> None:
        text = self.query_one(TextArea).text
        unchanged = text.strip() in ("", (self._latest or self._draft).strip())
        if unchanged or self._discard_armed:
            self.dismiss(False)
            return
        self._discard_armed = True
        self._show_error("Unsaved changes: F2 saves them, escape again discards them.")
