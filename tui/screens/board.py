"""The incident board: every open incident, worst first, filterable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError, StaleIncident
from email_crisis.core.base.toml_file import ConfigProblem
from email_crisis.core.close import report, stats
from email_crisis.core.monitor import metrics
from email_crisis.core.own import incidents as ops
from email_crisis.core.own.board import BoardFilter, FilterError, board_order, parse_filter
from email_crisis.core.plan import tasks as plan
from email_crisis.tui import keymap
from email_crisis.tui.keyboard import focus_now, is_text_field
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.board_stats import stats_table
from email_crisis.tui.widgets.fields import TextField
from email_crisis.tui.widgets.incident_table import IncidentTable
from email_crisis.tui.widgets.mode_footer import ModeFooter

if TYPE_CHECKING:
    from email_crisis.tui.console import ConsoleApp

AGE_TICK_SECONDS = 30


def board_flags(overdue: dict[int, int], badges: dict[int, str]) -> dict[int, str]:
    """Short alerts per incident: ``T2`` two overdue plan tasks, ``M`` / ``M!`` a
    deliverability metric at warning / critical level."""
    flags: dict[int, str] = {}
    for incident_id in overdue.keys() | badges.keys():
        parts = [f"T{overdue[incident_id]}" if overdue.get(incident_id) else ""]
        parts.append({"warning": "M", "critical": "M!"}.get(badges.get(incident_id, ""), ""))
        text = "".join(parts)
        if text:
            flags[incident_id] = text
    return flags


class FilterInput(TextField):
    """The board's filter line; ``escape`` clears it and goes back to the table."""

    BINDINGS = keymap.FILTER_INPUT

    def action_cancel(self) -> None:
        self.screen.action_cancel_filter()  # type: ignore[attr-defined]


class BoardScreen(Screen[None]):
    """The first screen: the open incidents in one table."""

    HELP_TITLE = "Incident board"
    HELP_GROUP = "Board"
    BINDINGS = keymap.BOARD
    app: ConsoleApp

    def __init__(self) -> None:
        super().__init__(id="board")
        self._incidents: list[Incident] = []
        self._filter = BoardFilter()
        self._filter_text = ""
        self._show_closed = False
        self._flags: dict[int, str] = {}
        self._shown: list[Incident] = []

    def compose(self) -> ComposeResult:
        yield Static(id="board-bar")
        yield IncidentTable(id="incidents")
        yield Static(id="board-empty")
        yield Static(id="board-stats")
        with Horizontal(id="filter-bar"):
            yield Label("/", id="filter-prompt")
            yield FilterInput(
                placeholder="words  kind:breach  sev:1,2  step:own  ack:no  cmdr:none",
                id="filter",
                select_on_focus=False,
            )
        yield Static(id="filter-error")
        yield ModeFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(IncidentTable).fit_title(self.size.width)
        self.refresh_data()
        self.set_interval(AGE_TICK_SECONDS, self._show)

    def on_resize(self, event: Resize) -> None:
        self.query_one(IncidentTable).fit_title(event.size.width)

    # -- data ------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Reload from the database and update the table in place."""
        store, now = self.app.store, self.app.now()
        try:
            self._incidents = store.list_incidents(include_resolved=self._show_closed)
            overdue = plan.overdue_counts(store, now)
            try:
                badges = metrics.badges(store)
            except ConfigProblem as problem:  # a broken thresholds file: the rest still shows
                badges = {}
                self._config_problem(str(problem))
            self._flags = board_flags(overdue, badges)
        except CrisisError as error:
            self.notify(str(error), title="Cannot read the database", severity="error")
            return
        self._show()
        if self.query_one("#board-stats").display:
            self._show_stats()

    def _config_problem(self, message: str) -> None:
        """Say once (not on every refresh) that a configuration file is unusable."""
        if message != getattr(self, "_config_shown", None):
            self._config_shown = message
            title = "Configuration problem: no deliverability flags"
            self.notify(message, title=title, severity="error", timeout=15)

    def _show(self) -> None:
        shown = board_order(i for i in self._incidents if self._filter.matches(i))
        table = self.query_one(IncidentTable)
        table.sync(shown, self.app.now(), self._flags)
        self._shown = shown
        self._show_bar(shown)
        empty = self.query_one("#board-empty", Static)
        if shown:
            empty.display = False
        else:
            empty.display = True
            if self._incidents:
                empty.update(
                    Text.assemble(
                        "No open incident matches ",
                        (repr(self._filter_text), "bold"),
                        ". Press escape to clear the filter.",
                    )
                )
            else:
                empty.update(
                    "No open incidents. Press n to declare one "
                    "(or run `email-crisis demo` on a test database to see sample data)."
                )

    def _show_bar(self, shown: list[Incident]) -> None:
        open_ = [i for i in self._incidents if i.is_open]
        unacked = sum(1 for i in open_ if not i.is_acknowledged)
        sev1 = sum(1 for i in open_ if i.severity == "SEV1")
        bar = Text.assemble(
            (" email-crisis ", "bold reverse"),
            f"  {len(open_)} open",
            ("  ", ""),
            (f"{unacked} unacknowledged", "bold red" if unacked else ""),
            ("  ", ""),
            (f"{sev1} SEV1", "bold red" if sev1 else ""),
            f"   operator: {self.app.operator}",
        )
        if self._show_closed:
            bar.append("   with closed ones", style="bold")
        if not self._filter.is_empty:
            bar.append(f"   showing {len(shown)} matching ", style="bold")
            bar.append(self._filter_text, style="italic")
        pending = self.query_one(IncidentTable).pending
        if pending:
            bar.append(f"   loading {pending:,} more…", style="italic")
        bar.no_wrap = True
        bar.overflow = "ellipsis"
        self.query_one("#board-bar", Static).update(bar)

    def on_incident_table_filled(self, event: IncidentTable.Filled) -> None:
        self._show_bar(self._shown)

    def incident(self, incident_id: int) -> Incident | None:
        """The loaded incident with that id, if shown."""
        return next((i for i in self._incidents if i.id == incident_id), None)

    # -- actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return not self._filter.is_empty
        if action == "open_row":  # enter in the filter field applies the filter
            return not is_text_field(self.focused)
        return True

    def on_data_table_row_selected(self, event: IncidentTable.RowSelected) -> None:
        if event.row_key.value is not None:  # a click on a row
            self.open_incident(int(event.row_key.value))

    def action_open_row(self) -> None:
        self.query_one(IncidentTable).action_open_row()

    def open_incident(self, incident_id: int) -> None:
        """Open the incident's workspace (``enter`` calls this while it is read)."""
        self.app.push_screen(WorkspaceScreen(incident_id))

    def action_new_incident(self) -> None:
        from email_crisis.tui.screens.forms import NewIncidentForm

        def declared(incident_id: int | None) -> None:
            if incident_id is not None:
                self.refresh_data()
                self.query_one(IncidentTable).select(incident_id)
                self.notify(f"Incident {incident_id} declared. Press enter to open it.")

        self.app.push_screen(NewIncidentForm(), declared)

    def action_acknowledge(self) -> None:
        incident = self._highlighted()
        if incident is None:
            return
        try:
            ops.acknowledge(self.app.store, incident, operator=self.app.operator)
        except StaleIncident as error:
            self.notify(str(error), title="Changed elsewhere", severity="warning", timeout=8)
        except CrisisError as error:
            self.notify(str(error), severity="warning")
        else:
            self.notify(f"Incident {incident.id} acknowledged by {self.app.operator}.")
        self.refresh_data()

    def _highlighted(self) -> Incident | None:
        incident_id = self.query_one(IncidentTable).highlighted_id()
        incident = self.incident(incident_id) if incident_id is not None else None
        if incident is None:
            self.notify("No incident selected.", severity="warning")
        return incident

    def action_close_incident(self) -> None:
        """x: the closing dialog (what argues against closing, then a reason), or reopen."""
        from email_crisis.tui.screens.close_dialog import close_incident, reopen_incident

        incident = self._highlighted()
        if incident is None:
            return
        if incident.is_open:
            close_incident(self.app, incident, self.refresh_data)
        else:
            reopen_incident(self.app, incident, self.refresh_data)

    def action_report(self) -> None:
        incident = self._highlighted()
        if incident is None:
            return
        folder = self.app.store.path.parent / "reports"
        try:
            written = report.write_reports(self.app.store, incident.id, self.app.now(), folder)
        except CrisisError as error:
            self.notify(str(error), title="No report", severity="error")
            return
        self.notify(
            "Postmortem written: " + ", ".join(str(path) for path in written),
            title=f"Incident {incident.id}",
            timeout=15,
        )

    def action_toggle_stats(self) -> None:
        panel = self.query_one("#board-stats", Static)
        panel.display = not panel.display
        if panel.display:
            self._show_stats()

    def _show_stats(self) -> None:
        try:
            windows = stats.load_metrics(self.app.store, self.app.now())
        except CrisisError as error:
            self.notify(str(error), severity="error")
            return
        self.query_one("#board-stats", Static).update(stats_table(windows))

    def action_toggle_closed(self) -> None:
        self._show_closed = not self._show_closed
        self.refresh_data()

    def action_filter(self) -> None:
        self.query_one("#filter-bar").display = True
        focus_now(self.query_one(FilterInput))

    def action_clear_filter(self) -> None:
        self.action_cancel_filter()

    def action_cancel_filter(self) -> None:
        self.query_one(FilterInput).value = ""
        self._set_filter("")
        self.query_one("#filter-bar").display = False
        focus_now(self.query_one(IncidentTable))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._set_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        if self._set_filter(event.value):
            self.query_one("#filter-bar").display = bool(event.value.strip())
            focus_now(self.query_one(IncidentTable))

    def _set_filter(self, text: str) -> bool:
        error_line = self.query_one("#filter-error", Static)
        try:
            parsed = parse_filter(text)
        except FilterError as error:
            error_line.update(Text(f"Filter: {error}", style="bold red"))
            error_line.display = True
            return False
        error_line.display = False
        self._filter, self._filter_text = parsed, text.strip()
        self.refresh_bindings()
        self._show()
        return True
