"""Forms of the Plan panel (add a task, set a task's owner) and the flows behind its keys.

Like every form, they keep what was typed when the write is refused, so a bad
due time or a stale task never loses the operator's input. Compact fields keep
the whole form inside 80x24. Every change goes through ``core.plan.tasks`` and
``screen.write``, so it becomes an event and a stale edit is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import Incident
from email_crisis.core.plan import tasks as plan
from email_crisis.core.plan.tasks import PlanTask, SuggestionBook
from email_crisis.core.steps import machine as steps
from email_crisis.tui.console import ConsoleApp
from email_crisis.tui.keyboard import focus_now
from email_crisis.tui.render import article, ellipsize, plain
from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm, _Form
from email_crisis.tui.widgets.fields import TextField
from email_crisis.tui.widgets.step_panel import WorkspaceHost

DUE_HINT = "Due: 4h, 90m, 2d or 2026-11-28 14:00 (local time); empty for none"


@dataclass(frozen=True)
class TaskInput:
    """What the operator typed in the new-task form (validated by ``core.plan.tasks``)."""

    title: str
    kind: str
    role: str
    person: str
    due: str


TaskSubmit = Callable[[TaskInput], "str | None"]
"""Performs the write; returns an error message to show, or None when saved."""
OwnerSubmit = Callable[[str, str], "str | None"]
"""(role, person) -> an error message, or None when saved."""


def _role_select(roles: Mapping[str, str], value: str | None) -> Select[str]:
    return Select(
        [(label, role) for role, label in roles.items()],
        id="role",
        value=value if value in roles else Select.NULL,
        prompt="(choose the role that owns it)",
        compact=True,
    )


class TaskForm(_Form):
    """A new task: title, kind, owner role, person and due time."""

    HELP_TITLE = "Add a plan task"

    def __init__(
        self, kinds: Mapping[str, str], roles: Mapping[str, str], submit: TaskSubmit
    ) -> None:
        super().__init__()
        self._kinds = dict(kinds)
        self._roles = dict(roles)
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as form:
            form.border_title = "Add a task to the plan"
            form.border_subtitle = "F2 to save · escape to cancel"
            yield Label("What has to be done?")
            yield TextField(
                id="title", placeholder="e.g. Add a fallback to every merge field", compact=True
            )
            yield Label("Kind")
            yield Select(
                [(label, kind) for kind, label in self._kinds.items()],
                id="kind",
                value=next(iter(self._kinds)),
                allow_blank=False,
                compact=True,
            )
            yield Label("Owner role")
            yield _role_select(self._roles, None)
            yield Label("Person who owns it (name or handle; needed to finish the plan)")
            yield TextField(id="person", placeholder="e.g. priya (empty: nobody yet)", compact=True)
            yield Label(DUE_HINT)
            yield TextField(id="due", placeholder="e.g. 4h (empty: no due time)", compact=True)
            yield Static(classes="form-error")

    def on_mount(self) -> None:
        self.show_error(None)

    def on_input_submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        role = self.query_one("#role", Select).value
        if role is Select.NULL:
            self.show_error("Choose the role that owns the task (enter opens the list).")
            focus_now(self.query_one("#role", Select))
            return
        typed = TaskInput(
            title=self.query_one("#title", Input).value,
            kind=str(self.query_one("#kind", Select).value),
            role=str(role),
            person=self.query_one("#person", Input).value,
            due=self.query_one("#due", Input).value,
        )
        error = self._submit(typed)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)


class OwnerForm(_Form):
    """A task's owner: the role that answers for it and the person doing it."""

    HELP_TITLE = "Task owner"

    def __init__(
        self,
        task_title: str,
        roles: Mapping[str, str],
        submit: OwnerSubmit,
        *,
        role: str,
        person: str,
    ) -> None:
        super().__init__()
        self._task_title = task_title
        self._roles = dict(roles)
        self._submit = submit
        self._role = role
        self._person = person

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as form:
            form.border_title = plain(self._task_title)  # type: ignore[assignment]
            form.border_subtitle = "F2 or enter to save · escape to cancel"
            yield Label("Owner role")
            yield _role_select(self._roles, self._role)
            yield Label("Person who owns it (name or handle; empty for nobody yet)")
            yield TextField(value=self._person, id="person", placeholder="e.g. priya", compact=True)
            yield Static(classes="form-error")

    def on_mount(self) -> None:
        self.show_error(None)
        focus_now(self.query_one("#person", Input))  # the person changes far more often

    def on_input_submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        role = self.query_one("#role", Select).value
        if role is Select.NULL:
            self.show_error("Choose the role that owns the task.")
            return
        error = self._submit(str(role), self.query_one("#person", Input).value)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)


# -- what the operator can do -------------------------------------------------------------

_MENU_LABELS = {
    "in-progress": "Start: someone is working on it",
    "done": "Mark done",
    "dropped": "Drop… (say why: it goes into the postmortem)",
    "todo": "Back to to-do",
    "title": "Edit the title…",
    "owner": "Set the owner (role and person)…",
    "due": "Set the due time…",
    "kind": "Change the kind…",
    "up": "Move up",
    "down": "Move down",
}
_NEXT_STATUSES = {
    "todo": ("in-progress", "done", "dropped"),
    "in-progress": ("done", "todo", "dropped"),
    "done": ("todo",),
    "dropped": ("todo",),
}


def menu_choices(task: PlanTask, *, first: bool, last: bool) -> list[tuple[str, str]]:
    """The operations that make sense for ``task`` where it stands."""
    choices = list(_NEXT_STATUSES.get(task.status, ("todo",)))
    choices += ["title", "owner", "due", "kind"]
    choices += [move for move, edge in (("up", first), ("down", last)) if not edge]
    return [(choice, _MENU_LABELS[choice]) for choice in choices]


class PlanHost(Protocol):
    """What the Plan flows use of the panel."""

    @property
    def app(self) -> ConsoleApp: ...

    @property
    def screen(self) -> WorkspaceHost: ...

    def select_task(self, task_id: int) -> None: ...

    def is_first(self, task: PlanTask) -> bool: ...

    def is_last(self, task: PlanTask) -> bool: ...

    def tell(self, message: str, *, title: str = "", warn: bool = False) -> None: ...

    def safe_suggestions(self) -> SuggestionBook | None: ...


class PlanActions:
    """The Plan panel's operations, kept apart from its rendering."""

    def __init__(self, panel: PlanHost) -> None:
        self.panel = panel
        self.app = panel.app
        self.store = panel.app.store
        self.who = panel.app.operator

    def _write(self, change) -> str | None:  # type: ignore[no-untyped-def]
        return self.panel.screen.write(change)

    def _report(self, error: str | None) -> None:
        if error:
            self.panel.tell(error, warn=True)

    def open_menu(self, task: PlanTask) -> None:
        def chosen(choice: object) -> None:
            if isinstance(choice, str):
                self.run(task, choice)

        title = plain(f"Task {task.position}: " + ellipsize(task.title, 50))
        choices = menu_choices(task, first=self.panel.is_first(task), last=self.panel.is_last(task))
        self.app.push_screen(ChoiceMenu(title, choices), chosen)  # type: ignore[arg-type]

    def run(self, task: PlanTask, choice: str) -> None:
        """Carry out one entry of the task menu."""
        store, who = self.store, self.who
        if choice in ("in-progress", "done", "todo"):
            self._report(self._write(lambda _i: plan.set_status(store, task, choice, operator=who)))
        elif choice in ("up", "down"):
            move = plan.move_up if choice == "up" else plan.move_down
            self._report(self._write(lambda _i: move(store, task, operator=who)))
            self.panel.select_task(task.id)  # the cursor follows the task it moved
        else:
            forms = {
                "dropped": self._drop,
                "title": self._title,
                "owner": self._owner,
                "due": self._due,
                "kind": self._kind,
            }
            forms[choice](task)

    def _title(self, task: PlanTask) -> None:
        store, who = self.store, self.who

        def submit(text: str) -> str | None:
            return self._write(lambda _i: plan.edit_task(store, task, title=text, operator=who))

        title = f"Task {task.position}: title"
        form = PromptForm(
            title, "What has to be done?", submit, value=task.title, keep_as=f"task {task.id} title"
        )
        self.app.push_screen(form)

    def _drop(self, task: PlanTask) -> None:
        store, who = self.store, self.who

        def submit(reason: str) -> str | None:
            return self._write(
                lambda _i: plan.set_status(store, task, "dropped", operator=who, note=reason)
            )

        self.app.push_screen(
            PromptForm(
                f"Drop task {task.position}",
                "Why is this task no longer needed? (a sentence; it goes into the postmortem)",
                submit,
                keep_as=f"task {task.id} drop",
            )
        )

    def _owner(self, task: PlanTask) -> None:
        book = self.panel.safe_suggestions()
        if book is None:
            return
        store, who = self.store, self.who

        def submit(role: str, person: str) -> str | None:
            return self._write(
                lambda _i: plan.edit_task(
                    store,
                    task,
                    owner_role=role,
                    owner=person or None,
                    roles=book.roles,
                    operator=who,
                )
            )

        self.app.push_screen(
            OwnerForm(
                f"Task {task.position}: " + ellipsize(task.title, 50),
                book.roles,
                submit,
                role=task.owner_role,
                person=task.owner or "",
            )
        )

    def _due(self, task: PlanTask) -> None:
        store, who = self.store, self.who
        shown = format_local(task.due_at) if task.due_at else ""

        def submit(text: str) -> str | None:
            if text.strip() == shown:
                return "Nothing changed."

            def change(_incident: Incident) -> object:
                due = plan.parse_due(text, self.app.now())
                return plan.edit_task(store, task, due_at=due, operator=who)

            return self._write(change)

        self.app.push_screen(
            PromptForm(
                f"Task {task.position}: due time",
                DUE_HINT,
                submit,
                value=shown,
                keep_as=f"task {task.id} due",
            )
        )

    def _kind(self, task: PlanTask) -> None:
        store, who = self.store, self.who

        def chosen(kind: object) -> None:
            if isinstance(kind, str):
                self._report(
                    self._write(lambda _i: plan.edit_task(store, task, kind=kind, operator=who))
                )

        choices = [
            (kind, label + ("  (now)" if kind == task.kind else ""))
            for kind, label in plan.TASK_KINDS.items()
        ]
        self.app.push_screen(ChoiceMenu(f"Task {task.position}: kind", choices), chosen)

    def add(self) -> None:
        """The new-task form."""
        book = self.panel.safe_suggestions()
        if book is None:
            return
        store, who = self.store, self.who

        def submit(typed: TaskInput) -> str | None:
            def change(incident: Incident) -> object:
                return plan.add_task(
                    store,
                    incident,
                    title=typed.title,
                    kind=typed.kind,
                    owner_role=typed.role,
                    owner=typed.person or None,
                    due_at=plan.parse_due(typed.due, self.app.now()),
                    roles=book.roles,
                    operator=who,
                )

            return self._write(change)

        self.app.push_screen(TaskForm(plan.TASK_KINDS, book.roles, submit))

    def add_suggested(self) -> None:
        """Add the kind's suggested tasks that are not in the plan yet, and say how many."""
        incident = self.panel.screen.incident
        book = self.panel.safe_suggestions()
        if incident is None or book is None:
            return
        added: list[PlanTask] = []
        error = self._write(
            lambda i: added.extend(plan.add_suggested(self.store, i, operator=self.who, book=book))
        )
        if error:
            self._report(error)
        elif not added:
            kind = f"{article(incident.kind)} {incident.kind} incident"
            offered = book.for_kind(incident.kind)
            self.panel.tell(
                f"No suggested task to add: every one for {kind} is already in the plan. "
                "+ adds your own."
                if offered
                else f"The suggestions file has no task for {kind}: + adds your own."
            )
        else:
            count = len(added)
            self.panel.tell(
                f"Added {count} suggested task{'s' * (count > 1)}. Name a person for each "
                "and check the due times before finishing the plan."
            )

    def finish(self) -> None:
        """Move on to step 5 if the plan is complete, or list what still keeps it open.

        The incident moves on by itself as soon as the plan is complete; this asks core
        to check again (say, for a plan made before the rules existed).
        """
        incident = self.panel.screen.incident
        if incident is None:
            return
        gaps = plan.plan_gaps(plan.list_tasks(self.store, incident.id))
        if gaps:
            self.panel.tell(
                "\n".join(f"- {gap}" for gap in gaps),
                title="The plan is not complete yet",
                warn=True,
            )
            return
        if incident.step != "plan":
            self.panel.tell(
                f"The plan is complete. The incident is at step {incident.step}: it moves on "
                "past the plan by itself once it gets there."
            )
            return
        error = self._write(lambda i: steps.advance(self.store, i, operator=self.who))
        if error:
            self._report(error)
            return
        self.panel.tell("Plan complete. Step 5, Notify, is next.")
        self.panel.screen.action_show_tab("notify")
