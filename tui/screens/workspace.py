"""The incident workspace: header with steps and clocks, the step panels, the event log.

The keyboard model (``tui/keyboard.py``) lives here for every panel: a tab opens in
command mode; ``enter``/``i`` edits the field under a panel's cursor, ``escape`` stops,
``tab`` moves on; a sentence typed in command mode is swallowed, not obeyed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane, Tabs
from textual.widgets._tabbed_content import ContentTabs

from email_crisis.core.base.domain import Incident, step_name
from email_crisis.core.base.errors import CrisisError, NotFound, StaleIncident
from email_crisis.core.own import incidents as ops
from email_crisis.core.steps import machine as steps
from email_crisis.core.steps.machine import StepStatus
from email_crisis.tui import keymap, keymap_monitor, keymap_notify, keymap_plan
from email_crisis.tui.keyboard import (
    TypingGuard,
    editing,
    focus_now,
    is_text_field,
    mode_name,
)
from email_crisis.tui.screens import workspace_flows as flows
from email_crisis.tui.widgets.assess_panel import AssessPanel
from email_crisis.tui.widgets.contain_panel import ContainPanel
from email_crisis.tui.widgets.event_log import EventLog
from email_crisis.tui.widgets.fields import FieldCursor
from email_crisis.tui.widgets.incident_header import IncidentHeader
from email_crisis.tui.widgets.mode_footer import ModeFooter
from email_crisis.tui.widgets.monitor_panel import MonitorPanel
from email_crisis.tui.widgets.notify_panel import NotifyPanel
from email_crisis.tui.widgets.own_panel import OwnPanel
from email_crisis.tui.widgets.plan_panel import PlanPanel
from email_crisis.tui.widgets.step_panel import StepPanel
from email_crisis.tui.working_copy import keep_all, unsaved_in

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
GUARD_HINT = (
    "Letters are commands here, so that was not typed. To type, put the cursor on a "
    "field (up/down) and press i or enter; escape stops editing. ? lists the keys."
)
GUARD_HINT_NO_FIELD = (
    "Letters are commands here and this tab has no text field, so that was not typed. "
    "? lists the keys."
)


def field_panel(widget: Widget | None) -> FieldCursor | None:
    """The panel with a field cursor that ``widget`` belongs to, if any."""
    node = widget
    while node is not None:
        if isinstance(node, FieldCursor):
            return node
        node = node.parent  # type: ignore[assignment]
    return None


class StepTabs(TabbedContent):
    """The step tabs. A message queued before a key switched tabs (``3`` typed as the
    workspace opens: the focus of the first tab, or the tab row's own first activation)
    must not switch back to the tab it came from.

    Textual runs a message's handler in every class of the MRO, so a stale message is
    dropped with ``prevent_default`` (which skips TabbedContent's handler); a live one
    is left to TabbedContent's handler alone.
    """

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        focused = self.screen.focused
        if focused is None or event.tab_pane not in focused.ancestors_with_self:
            event.stop()
            event.prevent_default()

    def _on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        tabs = self.get_child_by_type(ContentTabs)
        if event.tabs is tabs and event.tab.id != tabs.active:
            event.stop()  # the tab row has moved on since it was posted
            event.prevent_default()


class WorkspaceScreen(Screen[None]):
    """Everything about one incident. Only steps with a working panel get a tab."""

    HELP_TITLE = "Incident workspace"
    HELP_GROUP = "Workspace"
    BINDINGS = (
        keymap.WORKSPACE
        + keymap_plan.WORKSPACE_TAB
        + keymap_notify.WORKSPACE_TAB
        + keymap_monitor.WORKSPACE_TAB
        + keymap.EDITING
    )
    app: ConsoleApp

    def __init__(self, incident_id: int) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.incident: Incident | None = None
        self.status: StepStatus | None = None
        self.guard = TypingGuard(self, GUARD_HINT)
        self._offered = False
        self._early_tab: str | None = None
        """A tab key read before the tabs exist (typed right after ``enter`` on the board)."""

    def compose(self) -> ComposeResult:
        yield IncidentHeader(id="incident-header")
        with StepTabs(initial=self._early_tab or self._start_tab(), id="steps"):
            for step, label, panel in STEP_PANELS:
                with TabPane(label, id=step):
                    yield panel(id=f"{step}-panel")
            with TabPane("Log", id="log"):
                yield EventLog(id="event-log")
        yield ModeFooter(compact=True, show_command_palette=False)

    def _start_tab(self) -> str:
        """The incident's current step: the tab it opens on (set when composed, so a key
        typed at once is not undone by a late switch)."""
        try:
            step = self.app.store.get_incident(self.incident_id).step
        except CrisisError:
            return "own"  # refresh_data says why
        return step if step in PANELS else "own"

    def on_mount(self) -> None:
        self.refresh_data()
        self.set_interval(CLOCK_TICK_SECONDS, self._tick)
        # Command mode from the first frame: left to Textual's auto-focus, the first
        # focusable widget (a text field, in some tabs) would hold the focus until after
        # the first refresh, and a key typed at once would be typed, not obeyed.
        self._focus_tab()
        self.call_after_refresh(self._focus_tab)
        self.call_after_refresh(self.app.settle)
        self.call_after_refresh(flows.offer_working_copies, self)

    def panels(self) -> list[Widget]:
        """The six step panels."""
        return [self.query_one(f"#{step}-panel") for step in PANELS]

    def _command_target(self, tab: str) -> Widget | None:
        """What has the focus when ``tab`` opens: never a text field (command mode)."""
        pane = self.query_one(f"#{tab}", TabPane)
        for widget in pane.query("*"):
            if widget.focusable and not is_text_field(widget):
                return widget
        return None

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id and event.pane.id == self._active():  # not a stale message
            self._load_panel(event.pane.id)  # a first look may set things up (contain)
            target = self._command_target(event.pane.id)
            if target is not None and not self.focused_within(event.pane):
                focus_now(target)  # command mode: no text field has the focus

    def focused_within(self, widget: Widget) -> bool:
        """Whether the focus is on ``widget`` or inside it."""
        node = self.focused
        while node is not None:
            if node is widget:
                return True
            node = node.parent  # type: ignore[assignment]
        return False

    def _tick(self) -> None:
        if self.incident is not None:
            self._read_status()
            self._show_header()

    def _read_status(self) -> None:
        assert self.incident is not None
        try:
            self.status = steps.status(self.app.store, self.incident, now=self.app.now())
        except CrisisError:
            self.status = None  # a broken rules file is reported where it is used

    def _show_header(self) -> None:
        if self.incident is None:
            return
        deadlines = self.query_one(AssessPanel).deadlines
        self.query_one(IncidentHeader).show(
            self.incident, self.app.now(), deadlines, status=self.status, mode=mode_name(self)
        )

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
            events_ = store.events(self.incident_id, after_id=log.last_event_id)
        except NotFound:
            self.notify(f"Incident {self.incident_id} no longer exists.", severity="error")
            self.app.pop_screen()
            return
        except CrisisError as error:
            self.notify(str(error), title="Cannot read the database", severity="error")
            return
        for step in PANELS:
            self._load_panel(step)
        self._read_status()
        self._show_header()
        log.append(events_)
        if before is not None and before.step != self.incident.step:
            self._step_moved(before.step, self.incident.step)

    def _step_moved(self, was: str, now: str) -> None:
        """Say so when the incident moved on (the rules decide it in core, whoever wrote)."""
        self.notify(f"Step {step_name(was)} complete: now at {step_name(now)}.")

    # -- the keyboard model ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.focused
        panel = field_panel(focused)
        if action == "edit_field":
            return (
                not self.guard.armed
                and panel is not None
                and focused is panel
                and panel.cursor_field() is not None
            )
        if action == "stop_editing":
            return editing(self) or (panel is not None and focused is not panel)
        if action == "tab_key":
            return panel is not None
        if action == "show_tab":
            return not editing(self) and not self.guard.armed
        return True

    def action_edit_field(self) -> None:
        panel = field_panel(self.focused)
        if panel is not None:
            panel.start_editing()

    def action_stop_editing(self) -> None:
        panel = field_panel(self.focused)
        if panel is not None:
            panel.stop_editing(self.focused)

    def action_tab_key(self, delta: int) -> None:
        focused = self.focused
        panel = field_panel(focused)
        if panel is None or focused is None:
            return
        if editing(self):
            panel.next_field(focused, delta)
            return
        side = panel.side_pane()
        if focused is panel and side is not None:
            focus_now(side)
        elif focused is not panel:
            panel.stop_editing()
        else:
            panel.start_editing()

    def on_key(self, event: events.Key) -> None:
        if self.query_one(TabbedContent).active in PANELS:
            has_fields = field_panel(self._command_target(self._active())) is not None
            self.guard.hint = GUARD_HINT if has_fields else GUARD_HINT_NO_FIELD
        self.guard.on_key(event)

    def on_paste(self, event: events.Paste) -> None:
        if not editing(self):
            event.stop()
            self.notify(
                "The paste went nowhere: you are in command mode. Put the cursor on a field, "
                "press i to edit it, then paste.",
                severity="warning",
            )

    def on_descendant_focus(self) -> None:
        self._show_header()  # the mode in the header follows the focus

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._show_header)

    def people(self) -> list[str]:
        """The people already on the incident (the operator first), to pick an owner."""
        return flows.people(self)

    # -- unsaved work ------------------------------------------------------------------

    def unsaved_work(self) -> list[str]:
        """What the panels hold that is not saved (the apology, the assessment)."""
        return unsaved_in(self.panels())

    def keep_working_copy(self) -> None:
        keep_all(self.panels())

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

        from email_crisis.tui.screens.owner_picker import OwnerPicker

        now = f"Now: {self.incident.commander}. " if self.incident.commander else "Nobody yet. "
        self.app.push_screen(
            OwnerPicker(
                "Incident commander",
                now + "Who leads the response?",
                self.people(),
                self.app.operator,
                submit,
            )
        )

    def action_severity(self) -> None:
        if self.incident is None:
            return

        def submit(value: str) -> str | None:
            return self.write(
                lambda i: ops.set_severity(self.app.store, i, value, operator=self.app.operator)
            )

        from email_crisis.tui.screens.forms import SeverityForm

        self.app.push_screen(SeverityForm(self.incident.severity, submit))

    def action_statement(self, text: str | None = None) -> None:
        if self.incident is None:
            return

        def submit(body: str) -> str | None:
            return self.write(
                lambda i: ops.write_statement(self.app.store, i, body, operator=self.app.operator)
            )

        from email_crisis.tui.screens.statement import StatementEditor

        statements = self.app.store.statements(self.incident_id)
        latest = statements[-1].body if statements else None
        self.app.push_screen(StatementEditor(self.incident, latest, submit, restored=text))

    def action_advance(self) -> None:
        flows.advance(self)

    def action_close_incident(self) -> None:
        flows.close_or_reopen(self)

    def action_back(self) -> None:
        """Leave the incident (asking first when something typed is not saved)."""
        flows.leave(self)

    def action_show_tab(self, tab: str) -> None:
        if not self.is_mounted:  # a key typed at once: the tabs open on it when composed
            self._early_tab = tab
            return
        self.query_one(TabbedContent).active = tab
        self._load_panel(tab)
        self._focus_tab()

    def _focus_tab(self) -> None:
        """Command mode on the active tab, unless the focus is in it already."""
        tab = self._active()
        if not self.focused_within(self.query_one(f"#{tab}", TabPane)):
            target = self._command_target(tab)
            if target is not None:
                focus_now(target)
