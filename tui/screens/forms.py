"""Modal forms: declare an incident, name the commander, set the severity.

Each form validates through ``core`` and keeps what was typed when something
fails, so a rejected or stale write never loses the operator's input.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.widgets.select import InvalidSelectValueError

from email_crisis.core.base.domain import KINDS, SEVERITIES, Incident
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.own import incidents as ops
from email_crisis.tui import keymap
from email_crisis.tui.keyboard import focus_now
from email_crisis.tui.render import title_text
from email_crisis.tui.widgets.fields import TextField
from email_crisis.tui.working_copy import FORM_SLOT, Keeper, when

if TYPE_CHECKING:
    from email_crisis.tui.console import ConsoleApp

Submit = Callable[[str], str | None]
"""Performs the write; returns an error message to show, or None when done."""


class _Form(ModalScreen[object]):
    """A modal form. Typed text is never lost by accident: escape asks once before
    throwing it away, quitting asks too, and over an incident's workspace what is typed
    is autosaved as a working copy that comes back when the same form opens again."""

    BINDINGS = keymap.FORM
    app: ConsoleApp

    def __init__(self, *, keep_as: str | None = None) -> None:
        super().__init__()
        self._keep_as = keep_as
        """What the working copy is filed under (default: the title); a form about one
        row names the row's id, so its copy follows the row when rows move."""
        self._initial: dict[str, str] = {}
        self._discard_armed = False
        self._keeper: Keeper | None = None

    def _fields(self) -> list[Input]:
        return [field for field in self.query(Input) if field.id]

    def _lists(self) -> list[Select[object]]:
        return [choice for choice in self.query(Select) if choice.id]

    def on_mount(self) -> None:
        self._initial = self._typed()
        self._keep_over_incident()

    def _keep_over_incident(self) -> None:
        """Over a workspace, keep what is typed as a working copy of this form."""
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 and stack[-1] is self else None
        incident = getattr(below, "incident", None)
        if not isinstance(incident, Incident) or not self._initial:
            return
        title = self.query_one(".form").border_title
        name = str(title) if title else type(self).__name__
        self._keeper = Keeper(
            self,
            f"{FORM_SLOT}{type(self).__name__}:{self._keep_as or name}",
            f"text typed in “{name}”",
            lambda: self._typed() if self.unsaved_work() else None,
        )
        self._keeper.attach(incident.id)
        copy = self._keeper.stored()
        if copy is None:
            return
        for field in self._fields():
            if field.id in copy.fields:
                field.value = copy.fields[field.id]
        for choice in self._lists():
            # A value the list no longer offers (a role renamed since) stays unchosen.
            if copy.fields.get(choice.id or ""):
                with suppress(InvalidSelectValueError):
                    choice.value = copy.fields[choice.id or ""]
        self.show_error(None)
        self.notify(
            f"What you typed here at {when(copy)} was never saved: it is back. "
            "F2 saves it; escape twice discards it.",
            title="Restored",
        )

    def _typed(self) -> dict[str, str]:
        """What the form holds: its lines of text and the choices made in its lists."""
        values = {field.id or "": field.value for field in self._fields()}
        for choice in self._lists():
            value = choice.value
            values[choice.id or ""] = "" if value is Select.NULL else str(value)
        return values

    def on_input_changed(self, event: Input.Changed) -> None:
        self._changed()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._changed()

    def _changed(self) -> None:
        self._discard_armed = False
        if self._keeper is not None:
            self._keeper.changed()

    def unsaved_work(self) -> list[str]:
        """What escape, leaving or quitting would lose (nothing when untouched)."""
        if self._typed() == self._initial:
            return []
        title = self.query_one(".form").border_title
        return [f"text typed in “{title}”" if title else "a form"]

    def keep_working_copy(self) -> None:
        if self._keeper is not None:
            self._keeper.flush()

    def dismiss(self, result: object = None):  # type: ignore[no-untyped-def]
        if self._keeper is not None:
            self._keeper.forget()  # saved or given up: nothing to offer back
        return super().dismiss(result)

    def show_error(self, message: str | None) -> None:
        error = self.query_one(".form-error", Static)
        error.update(Text(message or "", style="bold red"))
        error.display = bool(message)

    def action_cancel(self) -> None:
        if self.unsaved_work() and not self._discard_armed:
            self._discard_armed = True
            self.show_error("You typed something: escape again throws it away, F2 saves it.")
            return
        self.dismiss(None)

    def action_submit(self) -> None:
        raise NotImplementedError


class NewIncidentForm(_Form):
    """Declare an incident: title, kind, severity."""

    HELP_TITLE = "Declare an incident"

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as form:
            form.border_title = "Declare an incident"
            form.border_subtitle = "enter or F2 to declare · escape to cancel"
            yield Label("Title (what went wrong, in a few words)")
            yield TextField(id="title", placeholder="e.g. VIP preview sent to the whole list")
            yield Label("Kind")
            yield Select(
                [(label, kind) for kind, label in KINDS.items()],
                id="kind",
                prompt="Choose the kind of incident",
            )
            yield Label("Severity")
            yield Select(
                [(f"{sev}  {label}", sev) for sev, label in SEVERITIES.items()],
                id="severity",
                value=ops.DEFAULT_SEVERITY,
                allow_blank=False,
            )
            yield Static(classes="form-error")
            with Horizontal(classes="buttons"):
                yield Button("Declare", variant="primary", id="declare", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.show_error(None)

    def on_input_submitted(self) -> None:
        self._declare()

    def action_submit(self) -> None:
        self._declare()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "declare":
            self._declare()
        else:
            self.dismiss(None)

    def _declare(self) -> None:
        title = self.query_one("#title", Input).value
        kind = self.query_one("#kind", Select).value
        severity = self.query_one("#severity", Select).value
        if not title.strip():
            self.show_error("Title is required.")
            focus_now(self.query_one("#title", Input))
            return
        if kind is Select.NULL:
            self.show_error("Choose a kind (enter on the Kind list opens it).")
            focus_now(self.query_one("#kind", Select))
            return
        try:
            incident = ops.declare(
                self.app.store,
                title=title,
                kind=str(kind),
                severity=str(severity),
                operator=self.app.operator,
            )
        except CrisisError as error:
            self.show_error(str(error))
            return
        self.dismiss(incident.id)


class SeverityForm(_Form):
    """Pick a severity from the list."""

    HELP_TITLE = "Severity"

    def __init__(self, current: str, submit: Submit) -> None:
        super().__init__()
        self._current = current
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as form:
            form.border_title = "Severity"
            form.border_subtitle = "enter to choose · escape to cancel"
            yield OptionList(
                *(
                    Option(Text(f"{sev}  {label}" + ("  (now)" * (sev == self._current))), sev)
                    for sev, label in SEVERITIES.items()
                ),
                id="severity-list",
            )
            yield Static(classes="form-error")

    def on_mount(self) -> None:
        self.show_error(None)
        options = self.query_one(OptionList)
        options.highlighted = list(SEVERITIES).index(self._current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._save(str(event.option.id))

    def action_submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._save(str(options.get_option_at_index(options.highlighted).id))

    def _save(self, severity: str) -> None:
        error = self._submit(severity)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)


class PromptForm(_Form):
    """One line of text (a reason, a note, a name) with a title and an explanation."""

    HELP_TITLE = "Prompt"

    def __init__(
        self,
        title: str | Text,
        label: str,
        submit: Submit,
        *,
        value: str = "",
        keep_as: str | None = None,
    ) -> None:
        super().__init__(keep_as=keep_as)
        self._title = title
        self._label = label
        self._value = value
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as form:
            form.border_title = title_text(self._title)  # type: ignore[assignment]
            form.border_subtitle = "enter or F2 to save · escape to cancel"
            yield Label(Text(self._label))
            yield TextField(value=self._value, id="prompt")
            yield Static(classes="form-error")

    def on_mount(self) -> None:
        self.show_error(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._save(event.value)

    def action_submit(self) -> None:
        self._save(self.query_one(Input).value)

    def _save(self, value: str) -> None:
        error = self._submit(value)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)


class ChoiceMenu(_Form):
    """Pick one of a few labelled choices; dismisses with the chosen id (or None)."""

    HELP_TITLE = "Choose"

    def __init__(self, title: str | Text, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as form:
            form.border_title = title_text(self._title)  # type: ignore[assignment]
            form.border_subtitle = "enter to choose · escape to cancel"
            yield OptionList(
                *(Option(Text(label), choice) for choice, label in self._choices),
                id="choices",
            )
            yield Static(classes="form-error")

    def on_mount(self) -> None:
        self.show_error(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)


def confirm_replace(app: ConsoleApp, paths: list[str], replace: Callable[[], None]) -> None:
    """Ask before replacing existing files; ``replace`` runs only on an explicit yes."""
    names = ", ".join(paths)
    choices = [
        ("keep", "Keep the existing file; write nothing"),
        ("replace", f"Replace {names}"),
    ]

    def decided(choice: object) -> None:
        if choice == "replace":
            replace()

    app.push_screen(ChoiceMenu(f"{names} already exists", choices), decided)
