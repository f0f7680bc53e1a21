"""Forms of the Contain panel: assign an owner, add an action, escalate."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from email_crisis.core.contain.playbooks import ROLES
from email_crisis.tui.render import title_text
from email_crisis.tui.screens.forms import _Form
from email_crisis.tui.widgets.fields import TextField

RoleSubmit = Callable[[str | None, str, str], "str | None"]
"""(role or None, text, extra text) -> an error message, or None when saved."""


class RoleAndTextForm(_Form):
    """A role from the list plus one line of text (owner, new action, escalation)."""

    HELP_TITLE = "Contain"

    def __init__(
        self,
        title: str,
        text_label: str,
        submit: RoleSubmit,
        *,
        role: str | None = None,
        text: str = "",
        role_required: bool = False,
        extra_label: str | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._text_label = text_label
        self._submit = submit
        self._role = role
        self._text = text
        self._role_required = role_required
        self._extra_label = extra_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as form:
            form.border_title = title_text(self._title)  # type: ignore[assignment]
            form.border_subtitle = "F2 to save · escape to cancel"
            yield Label("Role")
            yield Select(
                [(label, role) for role, label in ROLES.items()],
                id="role",
                value=self._role if self._role in ROLES else Select.NULL,
                allow_blank=not self._role_required,
                prompt="(no role)",
            )
            yield Label(self._text_label)
            yield TextField(value=self._text, id="text")
            if self._extra_label:
                yield Label(self._extra_label)
                yield TextField(id="extra")
            yield Static(classes="form-error")

    def on_mount(self) -> None:
        self.show_error(None)

    def on_input_submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        role = self.query_one("#role", Select).value
        extra = self.query_one("#extra", Input).value if self._extra_label else ""
        error = self._submit(
            str(role) if role is not Select.NULL else None,
            self.query_one("#text", Input).value,
            extra,
        )
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)
