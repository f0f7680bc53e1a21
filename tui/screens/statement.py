"""The internal statement editor: a draft from the template, every saved version kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static, TextArea

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.templates import LANGUAGES, TemplateProblem
from email_crisis.core.own.statement import draft_statement
from email_crisis.tui import keymap
from email_crisis.tui.keyboard import KeysInOrder, focus_now
from email_crisis.tui.screens.forms import Submit
from email_crisis.tui.widgets.mode_footer import ModeFooter
from email_crisis.tui.working_copy import Keeper

STATEMENT_SLOT = "own.statement"
STATEMENT_LABEL = "the internal statement"

if TYPE_CHECKING:
    from email_crisis.tui.console import ConsoleApp


class StatementText(KeysInOrder, TextArea):
    """The statement's text: a burst of keys is applied in order."""


class StatementEditor(ModalScreen[bool]):
    """Write or revise the internal statement. F2 saves; escape twice discards.

    What is typed is kept as a working copy a few seconds after the last key; a copy left
    by a session that ended is passed in as ``restored`` (it opens as unsaved changes).
    """

    HELP_TITLE = "Internal statement"
    BINDINGS = keymap.STATEMENT_EDITOR
    app: ConsoleApp

    def __init__(
        self,
        incident: Incident,
        latest: str | None,
        submit: Submit,
        *,
        restored: str | None = None,
    ) -> None:
        super().__init__()
        self._incident = incident
        self._latest = latest
        self._submit = submit
        self._restored = restored
        self._draft = ""
        self._discard_armed = False
        self.keeper = Keeper(self, STATEMENT_SLOT, STATEMENT_LABEL, self._unsaved_fields)
        self.keeper.attach(incident.id)

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
            yield StatementText(id="statement-text", soft_wrap=True, show_line_numbers=False)
            yield Static(classes="form-error")
        yield ModeFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show_error(None)
        editor = self.query_one(TextArea)
        if not self._latest:
            self._draft = self._render_draft("en")
        editor.text = self._restored or self._latest or self._draft
        editor.move_cursor(editor.document.end)  # the one rule: the cursor at the end
        focus_now(editor)

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
        self.keeper.changed()

    def _unchanged(self) -> bool:
        text = self.query_one(TextArea).text
        return text.strip() in ("", (self._latest or self._draft).strip())

    def _unsaved_fields(self) -> dict[str, str] | None:
        return None if self._unchanged() else {"body": self.query_one(TextArea).text}

    def unsaved_work(self) -> list[str]:
        """The statement being written, unless it is unchanged."""
        return [] if self._unchanged() else [STATEMENT_LABEL]

    def keep_working_copy(self) -> None:
        self.keeper.flush()

    def _show_error(self, message: str | None) -> None:
        error = self.query_one(".form-error", Static)
        error.update(Text(message or "", style="bold red"))
        error.display = bool(message)

    def action_save(self) -> None:
        error = self._submit(self.query_one(TextArea).text)
        if error:
            self._show_error(error)
        else:
            self.keeper.forget()
            self.dismiss(True)

    def action_cancel(self) -> None:
        if self._unchanged() or self._discard_armed:
            self.keeper.forget()
            self.dismiss(False)
            return
        self._discard_armed = True
        self._show_error("Unsaved changes: F2 saves them, escape again discards them.")
