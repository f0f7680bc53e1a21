"""The Contain panel's operations (the action menu and its flows) and its forms: assign
an owner, add an action, escalate."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from email_crisis.core.base.domain import Incident
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.actions import ContainAction
from email_crisis.core.contain.playbooks import ROLES
from email_crisis.tui.render import ellipsize, plain, title_text
from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm, _Form
from email_crisis.tui.widgets.fields import TextField
from email_crisis.tui.widgets.step_panel import WorkspaceHost

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from email_crisis.tui.console import ConsoleApp


def owner_text(action: ContainAction) -> str:
    """``rosa (Marketing)``, the role alone, or a dash."""
    role = ROLES.get(action.owner_role or "", action.owner_role or "")
    if action.owner_person:
        return f"{action.owner_person} ({role})" if role else action.owner_person
    return role or "—"


class ContainHost(Protocol):
    """What the Contain flows use of the panel."""

    @property
    def app(self) -> ConsoleApp: ...

    @property
    def screen(self) -> WorkspaceHost: ...

    def notify(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float = 5
    ) -> None: ...


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


# -- what the operator can do -------------------------------------------------------------

_MENU_LABELS = {
    "in-progress": "Start: I am working on it",
    "done": "Mark done",
    "by-hand": "Done by hand (for example in the ESP's console)…",
    "skipped": "Skip… (say why)",
    "failed": "Mark failed… (paste the error)",
    "todo": "Back to to-do",
    "esp": "Run it through the ESP… (you see the request before anything is sent)",
    "assign": "Assign an owner…",
    "note": "Add a note…",
}


def menu_choices(action: ContainAction) -> list[tuple[str, str]]:
    """The operations that make sense for ``action`` in its current status."""
    allowed = contain.next_statuses(action)
    choices = [s for s in ("in-progress", "done") if s in allowed]
    if "done" in allowed:
        choices.append("by-hand")
    choices += [s for s in ("skipped", "failed", "todo") if s in allowed]
    if action.esp_operation and ("done" in allowed or action.status == "failed"):
        choices.insert(0, "esp")
    choices += ["assign", "note"]
    labels = dict(_MENU_LABELS)
    if action.stops_harm:
        labels["done"] = "Mark done: the harm has stopped"
    return [(choice, labels[choice]) for choice in choices]


class ContainActions:
    """The panel's operations, kept apart from its rendering."""

    def __init__(self, panel: ContainHost) -> None:
        self.panel = panel

    @property
    def _app(self):  # type: ignore[no-untyped-def]
        return self.panel.app

    def _write(self, change) -> str | None:  # type: ignore[no-untyped-def]
        return self.panel.screen.write(change)

    def _refresh(self) -> None:
        self._app.refresh_screens()

    def open_menu(self, action: ContainAction) -> None:
        def chosen(choice: object) -> None:
            if isinstance(choice, str):
                self.run(action, choice)

        title = ellipsize(action.title, 60)
        self._app.push_screen(ChoiceMenu(title, menu_choices(action)), chosen)

    def run(self, action: ContainAction, choice: str) -> None:
        store, who = self._app.store, self._app.operator
        if choice == "esp":
            from email_crisis.tui.screens.esp_run import run_through_esp

            run_through_esp(self._app, action, self._refresh)
            return
        if choice == "assign":
            self.pick_owner(action)
            return
        if choice in ("in-progress", "done", "todo"):
            error = self._write(lambda _i: contain.set_status(store, action, choice, operator=who))
            if error:
                self.panel.notify(error, severity="warning", timeout=8)
            return
        prompts = {
            "skipped": ("Skip this action", "Why is it not needed?"),
            "failed": ("Mark failed", "What went wrong (the error)?"),
            "by-hand": (
                "Done by hand",
                "Where and how was it done? (e.g. paused in the ESP console)",
            ),
            "note": ("Add a note", "Note (who you called, what you saw…)"),
        }
        title, label = prompts[choice]
        title = f"{title}: {ellipsize(action.title, 40)}"  # which action, and its own slot

        def submit(text: str) -> str | None:
            def change(_incident: Incident) -> object:
                if choice in ("skipped", "failed"):
                    return contain.set_status(store, action, choice, operator=who, reason=text)
                if choice == "by-hand":
                    return contain.mark_done_by_hand(store, action, text, operator=who)
                return contain.add_note(store, action, text, operator=who)

            return self._write(change)

        self._app.push_screen(PromptForm(title, label, submit))

    def pick_owner(self, action: ContainAction) -> None:
        """The owner picker: someone already on the incident (``m``: me) or a new name."""
        from email_crisis.tui.screens.owner_picker import OwnerPicker

        store, who = self._app.store, self._app.operator

        def submit(person: str) -> str | None:
            return self._write(
                lambda _i: contain.assign(
                    store, action, role=action.owner_role, person=person, operator=who
                )
            )

        self._app.push_screen(
            OwnerPicker(
                plain(f"Owner of: {ellipsize(action.title, 50)}"),
                f"Now: {owner_text(action)}. Who does it?",
                self.panel.screen.people(),
                who,
                submit,
                current=action.owner_person,
            )
        )

    def add(self, incident: Incident, after: ContainAction | None) -> None:
        store, who = self._app.store, self._app.operator

        def submit(role: str | None, title: str, person: str) -> str | None:
            return self._write(
                lambda i: contain.add_custom_action(
                    store,
                    i,
                    title=title,
                    role=role,
                    person=person or None,
                    after=after,
                    operator=who,
                )
            )

        self._app.push_screen(
            RoleAndTextForm(
                "Add an action", "What needs doing?", submit, extra_label="Person (optional)"
            )
        )

    def escalate(self) -> None:
        store, who = self._app.store, self._app.operator

        def submit(role: str | None, contact: str, note: str) -> str | None:
            if role is None:
                return "Choose who was told (a role)."
            return self._write(
                lambda i: contain.escalate(
                    store, i, to=role, contact=contact, note=note, operator=who
                )
            )

        self._app.push_screen(
            RoleAndTextForm(
                "Record an escalation",
                "Whom did you tell, and how? (name, channel)",
                submit,
                role_required=True,
                extra_label="Note (optional)",
            )
        )
