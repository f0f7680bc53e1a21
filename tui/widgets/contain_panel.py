"""Step 2, "contain": the playbook's actions, who owns them, where they stand, escalations."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import Incident
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.actions import ContainAction, Escalation
from email_crisis.core.contain.playbooks import ROLES, KindPlaybook
from email_crisis.core.steps import machine as steps
from email_crisis.tui import keymap
from email_crisis.tui.keyboard import focus_now
from email_crisis.tui.render import CUT, MORE, ellipsize, fit_rows, plain
from email_crisis.tui.screens.contain_forms import ContainActions, owner_text
from email_crisis.tui.widgets.step_panel import WorkspaceHost

DETAIL_ROWS = 6
"""The details pane's height under the actions (``#contain-detail`` in app.tcss)."""
PANE_NOTES = 3
"""The notes the pane shows (the latest); ``space`` shows them all."""
STATUS_STYLE = {
    "todo": "",
    "in-progress": "bold yellow",
    "done": "green",
    "skipped": "dim",
    "failed": "bold red",
}


class ActionTable(DataTable[Text]):
    """The incident's containment actions, rows keyed by action id, updated in place."""

    BINDINGS = keymap.ACTION_TABLE

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        self._shown: dict[int, tuple[Text, ...]] = {}

    def on_mount(self) -> None:
        # 2 cells of padding per column, the scrollbar and the panel's own padding.
        rest = max(20, self.app.size.width - (2 + 1 + 11 + 12 + 5) - 2 * 6 - 2 - 2)
        self.add_column("#", key="number", width=2)
        self.add_column(" ", key="mark", width=1)
        self.add_column("STATUS", key="status", width=11)
        self.add_column("ACTION", key="title", width=rest)
        self.add_column("OWNER", key="owner", width=12)
        self.add_column("WHEN", key="when", width=5)

    def highlighted(self) -> int | None:
        """The row id of the highlighted action."""
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(key.value) if key.value is not None else None

    def sync(self, actions: Sequence[ContainAction]) -> None:
        """Make the rows match ``actions`` (in playbook order), in place."""
        keys = ("number", "mark", "status", "title", "owner", "when")
        title_width = self.columns[next(k for k in self.columns if k.value == "title")].width
        wanted = {a.id for a in actions}
        for gone in [pk for pk in self._shown if pk not in wanted]:
            self.remove_row(str(gone))
            del self._shown[gone]
        for number, action in enumerate(actions, start=1):
            cells = _cells(action, number, title_width)
            old = self._shown.get(action.id)
            if old is None:
                self.add_row(*cells, key=str(action.id))
            else:
                for key, before, after in zip(keys, old, cells, strict=True):
                    if before != after:
                        self.update_cell(str(action.id), key, after)
            self._shown[action.id] = cells
        order = [a.id for a in actions]
        if [int(r.key.value) for r in self.ordered_rows if r.key.value] != order:
            self.sort("number", key=lambda cell: int(cell.plain))


def _cells(action: ContainAction, number: int, title_width: int) -> tuple[Text, ...]:
    when = action.finished_at or action.started_at
    return (
        Text(str(number), justify="right"),
        Text("*" if action.stops_harm else "", style="bold"),
        Text(
            contain.STATUSES.get(action.status, action.status),
            style=STATUS_STYLE.get(action.status, ""),
        ),
        plain(ellipsize(action.title, title_width)),
        plain(ellipsize(owner_text(action), 12)),
        Text(format_local(when, with_date=False) if when else ""),
    )


class ContainPanel(Vertical):
    """What stops the harm, who does it, what is done, and who has been told."""

    BINDINGS = keymap.CONTAIN_PANEL
    HELP_GROUP = "2 Contain"
    screen: WorkspaceHost

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._actions: dict[int, ContainAction] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="contain-status")
        yield ActionTable(id="contain-actions")
        yield Static(id="contain-detail")

    def on_focus(self) -> None:
        focus_now(self.query_one(ActionTable))

    def _highlighted(self) -> ContainAction | None:
        pk = self.query_one(ActionTable).highlighted()
        return self._actions.get(pk) if pk is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        action = self._highlighted()
        if action is not None:
            ContainActions(self).open_menu(action)

    def action_add_action(self) -> None:
        if self.screen.incident is not None:
            ContainActions(self).add(self.screen.incident, self._highlighted())

    def action_escalate(self) -> None:
        ContainActions(self).escalate()

    def action_pick_owner(self) -> None:
        action = self._highlighted()
        if action is not None:
            ContainActions(self).pick_owner(action)

    def load(self, incident: Incident, *, active: bool) -> None:
        """Read actions and escalations; the first look at the tab creates the actions."""
        store = self.app.store
        section = self.app.playbook().for_kind(incident.kind)
        actions = contain.list_actions(store, incident.id)
        if not actions and active:
            actions = contain.ensure_actions(
                store, incident, self.app.playbook(), operator=self.app.operator
            )
        # What still keeps the incident in Contain is core's call (the step rules).
        missing = steps.status(store, incident).missing if incident.step == "contain" else ()
        escalations = contain.list_escalations(store, incident.id)
        self.show(incident, actions, escalations, section, missing)

    def show(
        self,
        incident: Incident,
        actions: Sequence[ContainAction],
        escalations: Sequence[Escalation],
        section: KindPlaybook | None,
        missing: Sequence[str] = (),
    ) -> None:
        """Render the panel from fresh data (``missing``: what step 2 still needs)."""
        status = _status(incident, escalations, section, missing)
        self.query_one("#contain-status", Static).update(status)
        table = self.query_one(ActionTable)
        table.sync(actions)
        self._actions = {a.id: a for a in actions}
        self._show_detail()

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#contain-detail", Static)
        action = self._highlighted()
        if action is None:
            detail.update("")
            return
        text = action_detail(action, notes=PANE_NOTES)
        width = detail.content_size.width
        if width:  # else the resize that follows the first layout fits it
            table = self.query_one(ActionTable)
            more = MORE if table.has_focus else CUT
            text = fit_rows(text, width, DETAIL_ROWS, self.app.console, more)
        detail.update(text)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_detail)

    def on_descendant_focus(self) -> None:
        self._show_detail()

    def on_descendant_blur(self) -> None:
        self._show_detail()

    def action_read_row(self) -> None:
        """The highlighted action whole in a dialog; ``enter`` there opens its menu."""
        from email_crisis.tui.screens.read_dialog import ReadDialog

        action = self._highlighted()
        if action is None:
            return
        table = self.query_one(ActionTable)
        title = f"Action {table.cursor_row + 1} of {table.row_count}"

        def answered(act: bool | None) -> None:
            current = self._highlighted()
            if act and current is not None and current.id == action.id:
                ContainActions(self).open_menu(current)

        self.app.push_screen(
            ReadDialog(title, action_detail(action), "What to do with it"), answered
        )


def action_detail(action: ContainAction, *, notes: int | None = None) -> Text:
    """Everything about one action: what happened to it first, then its notes (the last
    ``notes`` of them, or all), then the playbook's advice (the same for every incident)."""
    lines: list[Text] = [action_heading(action)]
    if action.reason:
        label = "Error" if action.status == "failed" else "Reason"
        lines.append(Text(f"{label}: ", style="bold").append_text(plain(action.reason)))
    if action.manual:
        lines.append(Text("Done by hand (outside this app).", style="italic"))
    shown = action.notes if notes is None else action.notes[-notes:]
    if len(shown) < len(action.notes):
        earlier = len(action.notes) - len(shown)
        lines.append(Text(f"({earlier} earlier note{'s' * (earlier != 1)})", style="dim"))
    for note in shown:
        lines.append(
            Text(
                f"{format_local(note.at, with_date=False)} {note.operator}: ", style="dim"
            ).append_text(plain(note.body))
        )
    if action.stops_harm:
        lines.append(
            Text("* Doing this stops the harm: the incident counts as contained.", style="bold")
        )
    if action.guidance:
        lines.append(plain(action.guidance, single_line=False))
    return Text("\n").join(lines)


def action_heading(action: ContainAction) -> Text:
    """The highlighted action in full: its title, owner and status (the table cuts them)."""
    line = plain(action.title, style="bold")
    line.append(" · Owner: ").append_text(plain(owner_text(action)))
    line.append(f" · {contain.STATUSES.get(action.status, action.status)}")
    return line


def _status(
    incident: Incident,
    escalations: Sequence[Escalation],
    section: KindPlaybook | None,
    missing: Sequence[str],
) -> Text:
    line = Text()
    if incident.contained_at:
        line.append(f"Contained at {format_local(incident.contained_at)}.", style="green")
    else:
        line.append("Not contained yet: ", style="bold red")
        line.append("finish the action marked * to stop the harm.")
    told = ", ".join(
        f"{ROLES.get(e.to, e.to)} ({format_local(e.at, with_date=False)})" for e in escalations
    )
    if told:
        line.append("\nTold: ").append(told)
    if section is not None:
        pending = contain.pending_escalations(section, escalations)
        if pending:
            names = ", ".join(
                ROLES.get(rule.to, rule.to) + (" NOW" if rule.immediate else "") for rule in pending
            )
            line.append("\nStill to tell: ", style="bold").append(names, style="bold yellow")
    if incident.contained_at and missing:
        line.append("\nStill needed to leave Contain: ", style="bold yellow")
        line.append("; ".join(missing), style="bold yellow")
    return line
