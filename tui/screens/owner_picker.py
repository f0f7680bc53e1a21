"""Pick a person: someone already named on the incident, yourself, or a new name.

One picker for every "who?" of the console (the commander, a containment action's
owner, a plan task's owner): ``m`` picks you, ``1``–``9`` the people listed (the most
involved first, from ``core.plan.people``), ``t`` (or tab) types a name not listed yet.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from email_crisis.tui.keyboard import enter_field, focus_now
from email_crisis.tui.render import title_text
from email_crisis.tui.screens.forms import Submit, _Form
from email_crisis.tui.widgets.fields import TextField

LISTED = 9
"""People offered with a digit (the rest are typed)."""


class OwnerPicker(_Form):
    """``m`` me, ``1``–``9`` someone listed, ``t`` type a name; enter takes the highlighted."""

    HELP_TITLE = "Pick a person"
    DEFAULT_CSS = """
    OwnerPicker #people { height: auto; max-height: 12; margin-top: 1; }
    """

    def __init__(
        self,
        title: str | Text,
        label: str,
        people: list[str],
        me: str,
        submit: Submit,
        *,
        current: str | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._label = label
        self._me = me
        others = [p for p in people if p.casefold() != me.casefold()][:LISTED]
        self._people = [me, *others]
        self._current = current
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as form:
            form.border_title = title_text(self._title)  # type: ignore[assignment]
            form.border_subtitle = "m me · 1-9 a person · t type a name · escape cancels"
            yield Label(Text(self._label))
            options = []
            for index, person in enumerate(self._people):
                key = "m" if index == 0 else str(index)
                words = Text(f"{key}  ").append(person)
                if index == 0:
                    words.append(" (me)", style="dim")
                if self._current and person.casefold() == self._current.casefold():
                    words.append("  (now)", style="dim")
                options.append(Option(words, id=str(index)))
            yield OptionList(*options, id="people")
            yield Label("Or type a name (t or tab), then enter:")
            yield TextField(id="name", placeholder="a name not listed above", compact=True)
            yield Static(classes="form-error")

    def on_mount(self) -> None:
        self.show_error(None)
        focus_now(self.query_one(OptionList))

    def on_key(self, event: events.Key) -> None:
        # Keys pick unless a name is being typed (not only once the list has the focus:
        # a key typed as the picker opens must not be lost).
        if isinstance(self.focused, TextField) or not event.is_printable:
            return
        event.stop()
        event.prevent_default()
        key = event.character or ""
        if key == "m":
            self._pick(self._me)
        elif key.isdigit() and 0 < int(key) < len(self._people):
            self._pick(self._people[int(key)])
        elif key == "t":
            enter_field(self.query_one("#name", TextField))
        else:
            self.show_error("m picks you, a digit someone listed, t types a new name.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(self._people[int(event.option.id or 0)])

    def on_input_submitted(self, event: TextField.Submitted) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        typed = self.query_one("#name", TextField).value.strip()
        if typed:
            self._pick(typed)
            return
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._pick(self._people[options.highlighted])

    def _pick(self, person: str) -> None:
        error = self._submit(person)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)
