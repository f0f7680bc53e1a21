"""Step 4, "plan": the tasks that put things right, who owns them, when they are due."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from email_crisis.core.base.clock import format_local, humanize, local
from email_crisis.core.base.domain import STEP_LABELS, STEPS, Incident
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.contain.playbooks import ROLES
from email_crisis.core.plan import tasks as plan
from email_crisis.core.plan.tasks import PlanTask, SuggestionBook
from email_crisis.tui import keymap_plan
from email_crisis.tui.keyboard import focus_now
from email_crisis.tui.render import article, ellipsize, plain
from email_crisis.tui.widgets.step_panel import WorkspaceHost

if TYPE_CHECKING:
    from email_crisis.tui.screens.plan_forms import PlanActions

# Short words for the table's narrow columns; the detail line below uses the full ones.
STATUS_WORDS = {"todo": "To do", "in-progress": "Started", "done": "Done", "dropped": "Dropped"}
STATUS_STYLE = {"todo": "", "in-progress": "bold yellow", "done": "green", "dropped": "dim"}
KIND_WORDS = {
    "subscriber-action": "Subscr.",
    "internal-fix": "Fix",
    "compensation": "Comp.",
    "process-change": "Process",
}
ROLE_WORDS = {
    "marketing": "Mkt",
    "leadership": "Lead",
    "it": "IT",
    "security": "Sec",
    "legal": "Legal",
    "deliverability": "Deliv",
    "esp-support": "ESP",
    "support": "Supp",
}
GAP_LINES = 3
"""Gaps listed under the table; ``f`` lists them all when it refuses."""


def role_word(role: str) -> str:
    """A role in a few letters (unknown roles from an organisation's file as they are)."""
    return ROLE_WORDS.get(role, role)


def matrix_lines(step_owners: Mapping[str, Sequence[str]], width: int) -> list[str]:
    """The responsibility matrix packed into as few lines of ``width`` as it takes."""
    entries = [
        f"{STEP_LABELS[step]}: {'+'.join(role_word(r) for r in step_owners.get(step, ())) or '—'}"
        for step in STEPS
    ]
    lines: list[str] = []
    current = "Owners"
    for entry in entries:
        candidate = f"{current} · {entry}"
        if len(candidate) > width and current != "Owners":
            lines.append(current)
            current = entry
        else:
            current = candidate
    lines.append(current)
    return lines


def empty_hint(kind: str) -> str:
    """The one line shown while the plan has no task."""
    return f"Press g for the suggested tasks for {article(kind)} {kind} incident, or + to add one."


def owner_text(task: PlanTask) -> str:
    """``Role/person`` for the narrow column; ``nobody`` until a person is named."""
    return f"{role_word(task.owner_role)}/{task.owner or 'nobody'}"


def due_text(task: PlanTask, now: datetime) -> Text:
    """The due time in local time, today's without a date, ``OVERDUE`` when past."""
    if task.due_at is None:
        return Text("no due time" if task.is_open else "", style="dim")
    due = local(task.due_at)
    same_day = due.date() == local(now).date()
    when = format_local(task.due_at, with_date=False)
    if task.is_overdue(now):  # the date when it is not today: the detail line has the rest
        return Text(f"OVERDUE {when if same_day else f'{due:%m-%d}'}", style="bold red")
    return Text(when if same_day else f"{due:%m-%d} {when}")


def short_gap(gap: str, tasks: Sequence[PlanTask]) -> str:
    """A gap from ``plan_gaps`` with the task's title cut short, so it fits one line."""
    for task in tasks:
        quoted = f"({task.title})"
        if quoted in gap:
            return gap.replace(quoted, f"({ellipsize(task.title, 28)})")
    return gap


def detail_owner_due(task: PlanTask, roles: Mapping[str, str], now: datetime) -> Text:
    """``Owner: role, person · Due: when (in …/OVERDUE by …)`` for the detail lines."""
    line = Text("Owner: ")
    line.append_text(plain(roles.get(task.owner_role, task.owner_role)))
    line.append(", ").append_text(plain(task.owner or "nobody named yet"))
    if task.due_at is None:
        return line.append(" · no due time")
    line.append(f" · Due: {format_local(task.due_at)}")
    if task.is_overdue(now):
        line.append(f" OVERDUE by {humanize(now - task.due_at)}", style="bold red")
    elif task.is_open:
        line.append(f" (in {humanize(task.due_at - now)})")
    return line


def detail_facts(task: PlanTask) -> Text:
    """Status, kind, and who added the task when (and whether it was suggested)."""
    line = Text(
        f"{plan.STATUSES.get(task.status, task.status)} · "
        f"{plan.TASK_KINDS.get(task.kind, task.kind)} · added by "
    )
    line.append_text(plain(task.created_by)).append(f" {format_local(task.created_at)}")
    if (task.source or "").startswith("suggested:"):
        line.append(" from the suggestions")
    return line


class TaskTable(DataTable[Text]):
    """The plan's tasks in plan order; rows keyed by task id and updated in place."""

    BINDINGS = keymap_plan.TASK_TABLE
    KEYS = ("number", "status", "title", "kind", "owner", "due")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        self._shown: dict[int, tuple[Text, ...]] = {}
        self._title_width = 20

    def on_mount(self) -> None:
        # 2 cells of padding per column, the scrollbar and the panel's own padding.
        fixed = 2 + 7 + 7 + 12 + 13
        self._title_width = max(16, self.app.size.width - fixed - 2 * 6 - 1 - 2)
        widths = (2, 7, self._title_width, 7, 12, 13)
        labels = ("#", "STATUS", "TASK", "KIND", "OWNER", "DUE")
        for key, label, width in zip(self.KEYS, labels, widths, strict=True):
            self.add_column(label, key=key, width=width)

    def highlighted(self) -> int | None:
        """The id of the highlighted task."""
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(key.value) if key.value is not None else None

    def select_task(self, task_id: int) -> None:
        """Put the cursor on that task (after a move, it follows the task)."""
        if str(task_id) in self.rows:
            self.move_cursor(row=self.get_row_index(str(task_id)))

    def sync(self, tasks: Sequence[PlanTask], now: datetime) -> None:
        """Make the rows match ``tasks`` (in plan order), in place."""
        wanted = {task.id for task in tasks}
        for gone in [pk for pk in self._shown if pk not in wanted]:
            self.remove_row(str(gone))
            del self._shown[gone]
        for task in tasks:
            cells = self._cells(task, now)
            old = self._shown.get(task.id)
            if old is None:
                self.add_row(*cells, key=str(task.id))
            else:
                for key, before, after in zip(self.KEYS, old, cells, strict=True):
                    if before != after:
                        self.update_cell(str(task.id), key, after)
            self._shown[task.id] = cells
        order = [str(task.id) for task in tasks]
        if [row.key.value for row in self.ordered_rows] != order:
            keep = self.highlighted()
            self.sort("number", key=lambda cell: int(cell.plain))
            if keep is not None:
                self.select_task(keep)

    def _cells(self, task: PlanTask, now: datetime) -> tuple[Text, ...]:
        dim = "dim" if task.status == "dropped" else ""
        return (
            Text(str(task.position), justify="right"),
            Text(
                STATUS_WORDS.get(task.status, task.status), style=STATUS_STYLE.get(task.status, "")
            ),
            plain(ellipsize(task.title, self._title_width), style=dim),
            Text(KIND_WORDS.get(task.kind, task.kind)),
            plain(ellipsize(owner_text(task), 12)),
            due_text(task, now),
        )


class PlanPanel(Vertical):
    """The plan: tasks, owners, due times, and what keeps it from being finished."""

    BINDINGS = keymap_plan.PLAN_PANEL
    HELP_GROUP = "4 Plan"
    DEFAULT_CSS = """
    PlanPanel { padding: 0 1; }
    PlanPanel #plan-owners { height: auto; color: $text-muted; }
    PlanPanel #plan-tasks { height: 1fr; min-height: 4; }
    PlanPanel #plan-detail { height: auto; max-height: 5; }
    PlanPanel #plan-gaps { height: auto; max-height: 4; }
    """
    screen: WorkspaceHost

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._tasks: dict[int, PlanTask] = {}
        self._order: list[int] = []
        self._incident: Incident | None = None
        self._book: SuggestionBook | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="plan-owners")
        yield TaskTable(id="plan-tasks")
        yield Static(id="plan-detail")
        yield Static(id="plan-gaps")

    def on_focus(self) -> None:
        focus_now(self.query_one(TaskTable))

    def suggestions(self) -> SuggestionBook:
        """The suggestions file (roles and tasks per kind), read once."""
        if self._book is None:
            self._book = plan.load_suggestions()
        return self._book

    def _roles(self) -> Mapping[str, str]:
        """Role ids to names: the suggestions file's once read, else the playbook's."""
        return self._book.roles if self._book else ROLES

    def highlighted(self) -> PlanTask | None:
        """The task under the cursor."""
        pk = self.query_one(TaskTable).highlighted()
        return self._tasks.get(pk) if pk is not None else None

    def load(self, incident: Incident, *, active: bool) -> None:
        """Read the plan's tasks and render them."""
        tasks = plan.list_tasks(self.app.store, incident.id)
        with contextlib.suppress(CrisisError):  # g and + report a broken suggestions file
            self.suggestions()  # its role labels (falls back to the playbook's)
        self.show(incident, tasks, self.app.playbook().step_owners)

    def show(
        self,
        incident: Incident,
        tasks: Sequence[PlanTask],
        step_owners: Mapping[str, Sequence[str]],
    ) -> None:
        """Render the panel from fresh data."""
        self._incident = incident
        self._tasks = {task.id: task for task in tasks}
        self._order = [task.id for task in tasks]
        width = max(40, self.app.size.width - 2)
        self.query_one("#plan-owners", Static).update(
            Text("\n".join(matrix_lines(step_owners, width)), no_wrap=True, overflow="ellipsis")
        )
        self.query_one(TaskTable).sync(tasks, self.app.now())
        self.query_one("#plan-gaps", Static).update(self._gaps(incident, tasks))
        self._show_detail()
        self.refresh_bindings()

    def _gaps(self, incident: Incident, tasks: Sequence[PlanTask]) -> Group:
        if not tasks:
            return Group()
        if STEPS.index(incident.step) > STEPS.index("plan"):
            return Group(
                Text("The plan is complete; its tasks can still be updated.", style="green")
            )
        gaps = [short_gap(gap, tasks) for gap in plan.plan_gaps(tasks)]
        if not gaps:
            if incident.step != "plan":
                return Group(Text("The plan is ready: the incident moves on past it at step 4."))
            return Group(
                Text.assemble(
                    ("Ready: every open task has an owner and a due time. ", "green"),
                    ("f moves on to step 5.", "bold"),
                )
            )
        lines = [Text(f"Before the plan is complete ({len(gaps)}):", style="bold")]
        shown = gaps if len(gaps) <= GAP_LINES else gaps[: GAP_LINES - 1]
        lines += [Text("- ").append_text(plain(gap)) for gap in shown]
        if len(shown) < len(gaps):
            more = len(gaps) - len(shown)
            lines.append(Text(f"… and {more} more: f lists them all.", style="dim"))
        for line in lines:
            line.no_wrap, line.overflow = True, "ellipsis"
        return Group(*lines)

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#plan-detail", Static)
        if self._incident is not None and not self._tasks:
            detail.update(Text(empty_hint(self._incident.kind), style="bold"))
            return
        task = self.highlighted()
        if task is None:
            detail.update("")
            return
        roles = self._roles()
        facts = [detail_owner_due(task, roles, self.app.now()), detail_facts(task)]
        for line in facts:
            line.no_wrap, line.overflow = True, "ellipsis"
        # The title in full (the table cuts it at 80x24): it wraps.
        detail.update(Group(plain(task.title, style="bold"), *facts))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        task = self.highlighted()
        if task is not None:
            self._actions().open_menu(task)

    def action_read_row(self) -> None:
        """The highlighted task whole in a dialog; ``enter`` there opens its menu."""
        from email_crisis.tui.screens.read_dialog import ReadDialog

        task = self.highlighted()
        if task is None:
            return
        roles = self._roles()
        owner_due = detail_owner_due(task, roles, self.app.now())
        body = Text("\n").join([plain(task.title, style="bold"), owner_due, detail_facts(task)])
        position = self._order.index(task.id) + 1 if task.id in self._order else 0
        title = f"Task {position} of {len(self._order)}"

        def answered(act: bool | None) -> None:
            current = self.highlighted()
            if act and current is not None and current.id == task.id:
                self._actions().open_menu(current)

        self.app.push_screen(ReadDialog(title, body, "What to do with it"), answered)

    def _actions(self) -> PlanActions:
        from email_crisis.tui.screens.plan_forms import PlanActions  # the forms import this module

        return PlanActions(self)

    def select_task(self, task_id: int) -> None:
        """Put the table's cursor on that task."""
        self.query_one(TaskTable).select_task(task_id)

    def is_first(self, task: PlanTask) -> bool:
        return bool(self._order) and self._order[0] == task.id

    def is_last(self, task: PlanTask) -> bool:
        return bool(self._order) and self._order[-1] == task.id

    def tell(self, message: str, *, title: str = "", warn: bool = False) -> None:
        """A notification whose text is never read as markup (it may quote task titles)."""
        severity = "warning" if warn else "information"
        self.notify(
            message, title=title, severity=severity, timeout=10 if warn else 5, markup=False
        )

    # -- keys ------------------------------------------------------------------------

    def action_add_task(self) -> None:
        self._actions().add()

    def action_add_suggested(self) -> None:
        self._actions().add_suggested()

    def action_finish(self) -> None:
        self._actions().finish()

    def action_pick_owner(self) -> None:
        """The owner picker for the highlighted task (``m``: me; the role is kept)."""
        from email_crisis.tui.screens.owner_picker import OwnerPicker

        task = self.highlighted()
        if task is None:
            self.tell("No task yet: g adds the suggested ones, + your own.")
            return
        store, who = self.app.store, self.app.operator

        def submit(person: str) -> str | None:
            return self.screen.write(
                lambda _i: plan.edit_task(store, task, owner=person, operator=who)
            )

        self.app.push_screen(
            OwnerPicker(
                plain(f"Task {task.position}: {ellipsize(task.title, 50)}"),
                f"Owner now: {task.owner or 'nobody named'} ({role_word(task.owner_role)}). "
                "Who does it?",
                self.screen.people(),
                who,
                submit,
                current=task.owner,
            )
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "finish":
            return self._incident is not None and self._incident.step == "plan"
        return True

    def safe_suggestions(self) -> SuggestionBook | None:
        """The suggestions, or ``None`` after telling the operator what is wrong with them."""
        try:
            return self.suggestions()
        except CrisisError as error:
            self.tell(str(error), title="Plan suggestions", warn=True)
            return None
