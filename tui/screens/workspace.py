"""The incident workspace: header with steps and clocks, the step panels, the event log."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Input, TabbedContent, TabPane, Tabs, TextArea

from email_crisis.core.base.domain import Incident, step_name
from email_crisis.core.base.errors import CrisisError, NotFound, StaleIncident
from email_crisis.core.own import incidents as ops
from email_crisis.tui import keymap, keymap_monitor, keymap_notify, keymap_plan
from email_crisis.tui.widgets.assess_panel import AssessPanel
from email_crisis.tui.widgets.contain_panel import ContainPanel
from email_crisis.tui.widgets.event_log import EventLog
from email_crisis.tui.widgets.incident_header import IncidentHeader
from email_crisis.tui.widgets.monitor_panel import MonitorPanel
from email_crisis.tui.widgets.notify_panel import NotifyPanel
from email_crisis.tui.widgets.own_panel import OwnPanel
from email_crisis.tui.widgets.plan_panel import PlanPanel
from email_crisis.tui.widgets.step_panel import StepPanel

if TYPE_CHECKING:
    from email_crisis.tui.console import ConsoleApp

CLOCK_TICK_SECONDS = 15

STEP_PANELS: tuple[tuple[str, str, type[StepPanel]], ...] = (
    ("own", "1 Own it", OwnPanel),
    ("contain", "2 Contain", ContainPanel),
    ("assess", "3 Assess", AssessPanel),
    ("plan", "4 Plan", PlanPanel),
    ("notify", "5 Notify", NotifyPanel),
    ("monitor", "6 Monitor", MonitorPanel),
)
"""(step, tab label, panel): only steps with a working panel get a tab. Each panel
loads its own data in ``load(incident, active)`` and writes through ``screen.write``."""
PANELS = tuple(step for step, _, _ in STEP_PANELS)


class WorkspaceScreen(Screen[None]):
    """Everything about one incident. Only steps with a working panel get a tab."""

    HELP_TITLE = "Incident workspace"
    BINDINGS = (
        keymap.WORKSPACE
        + keymap_plan.WORKSPACE_TAB
        + keymap_notify.WORKSPACE_TAB
        + keymap_monitor.WORKSPACE_TAB
    )
    app: ConsoleApp

    def __init__(self, incident_id: int) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.incident: Incident | None = None
        self._discard_armed = False

    def compose(self) -> ComposeResult:
        yield IncidentHeader(id="incident-header")
        with TabbedContent(initial="own", id="steps"):
            for step, label, panel in STEP_PANELS:
                with TabPane(label, id=step):
                    yield panel(id=f"{step}-panel")
            with TabPane("Log", id="log"):
                yield EventLog(id="event-log")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_data()
        self.set_interval(CLOCK_TICK_SECONDS, self._tick)
        start = self.incident.step if self.incident and self.incident.step in PANELS else "own"
        self.call_after_refresh(self.action_show_tab, start)
        self.call_after_refresh(self.app.settle)

    def _focus_tab(self, tab: str) -> None:
        """Give the focus to the panel inside ``tab``, so its keys are the live ones."""
        pane = self.query_one(f"#{tab}", TabPane)
        target = next((w for w in pane.query("*") if w.focusable), None)
        if target is not None:
            target.focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            self._load_panel(event.pane.id)  # a first look may set things up (contain)
            self._focus_tab(event.pane.id)

    def _tick(self) -> None:
        if self.incident is not None:
            self._show_header()

    def _show_header(self) -> None:
        assert self.incident is not None
        deadlines = self.query_one(AssessPanel).deadlines
        self.query_one(IncidentHeader).show(self.incident, self.app.now(), deadlines)

    def _load_panel(self, step: str) -> None:
        if self.incident is None or step not in PANELS:
            return
        panel = self.query_one(f"#{step}-panel")
        try:
            panel.load(self.incident, active=self._active() == step)  # type: ignore[attr-defined]
        except CrisisError as error:  # a broken organisation data file, say
            self.notify(str(error), title=f"Step {step}", severity="error")

    def _active(self) -> str:
        return str(self.query_one(TabbedContent).active)

    def refresh_data(self) -> None:
        """Reload the incident, its statements and any new events."""
        store = self.app.store
        before = self.incident
        try:
            self.incident = store.get_incident(self.incident_id)
            log = self.query_one(EventLog)
            events = store.events(self.incident_id, after_id=log.last_event_id)
        except NotFound:
            self.notify(f"Incident {self.incident_id} no longer exists.", severity="error")
            self.app.pop_screen()
            return
        except CrisisError as error:
            self.notify(str(error), title="Cannot read the database", severity="error")
            return
        for step in PANELS:
            self._load_panel(step)
        self._show_header()
        log.append(events)
        if before is not None and before.step != self.incident.step:
            self._step_moved(before.step, self.incident.step)

    def _step_moved(self, was: str, now: str) -> None:
        """Say so when the incident moved on (the rules decide it in core, whoever wrote)."""
        self.notify(f"Step {step_name(was)} complete: now at {step_name(now)}.")

    # -- writes ----------------------------------------------------------------------

    def write(self, change: Callable[[Incident], object]) -> str | None:
        """Run one change on the current incident; returns an error message or None.

        Panels call this for every write, so a stale write refreshes the screen. Whether
        the change completed a step is decided by core in the same transaction; the
        refresh shows where the incident is now (and says so when it moved on).
        """
        if self.incident is None:
            return "The incident is not loaded."
        try:
            change(self.incident)
        except StaleIncident as error:
            return f"{error} The screen now shows the latest state."
        except CrisisError as error:
            return str(error)
        finally:
            self.app.refresh_screens()
        return None

    def action_acknowledge(self) -> None:
        operator = self.app.operator
        error = self.write(lambda i: ops.acknowledge(self.app.store, i, operator=operator))
        if error:
            self.notify(error, severity="warning", timeout=8)
        else:
            self.notify(f"Acknowledged by {self.app.operator}.")

    def action_commander(self) -> None:
        if self.incident is None:
            return

        def submit(name: str) -> str | None:
            return self.write(
                lambda i: ops.set_commander(self.app.store, i, name, operator=self.app.operator)
            )

        from email_crisis.tui.screens.forms import PromptForm

        now = f"Now: {self.incident.commander}. " if self.incident.commander else "Nobody yet. "
        label = now + "Who leads the response? (name or handle)"
        value = self.incident.commander or self.app.operator
        self.app.push_screen(PromptForm("Incident commander", label, submit, value=value))

    def action_severity(self) -> None:
        if self.incident is None:
            return

        def submit(value: str) -> str | None:
            return self.write(
                lambda i: ops.set_severity(self.app.store, i, value, operator=self.app.operator)
            )

        from email_crisis.tui.screens.forms import SeverityForm

        self.app.push_screen(SeverityForm(self.incident.severity, submit))

    def action_statement(self) -> None:
        if self.incident is None:
            return

        def submit(body: str) -> str | None:
            return self.write(
                lambda i: ops.write_statement(self.app.store, i, body, operator=self.app.operator)
            )

        from email_crisis.tui.screens.statement import StatementEditor

        statements = self.app.store.statements(self.incident_id)
        latest = statements[-1].body if statements else None
        self.app.push_screen(StatementEditor(self.incident, latest, submit))

    def action_back(self) -> None:
        """Leave the field being edited first; then leave the incident (asking about edits)."""
        if isinstance(self.focused, (Input, TextArea)):
            self.query_one(Tabs).focus()  # digits and letters are keys again
            return
        unsaved = [
            label
            for step, label, _ in STEP_PANELS
            if getattr(self.query_one(f"#{step}-panel"), "has_unsaved", False)
        ]
        if unsaved and not self._discard_armed:
            self._discard_armed = True
            self.notify(
                f"Unsaved changes in {', '.join(unsaved)}: F2 saves them, "
                "escape again discards them.",
                severity="warning",
            )
            return
        self.app.pop_screen()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._load_panel(tab)
        self._focus_tab(tab)
