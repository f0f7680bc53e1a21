"""Step 6, "monitor deliverability": the incident's signals on one time axis, and what
they mean for the next send.

The panel scrolls as a whole: the chart first (``monitor_chart``), then the
before/after sentences, the "proceed with caution" checklist, the thresholds with
their sources, and the incident's milestones and events inside the chart's window.
Chart data is fetched for the visible window only and kept per (window, metrics,
width); moving the cursor redraws from that cache without touching the database.
Any new event of the incident (a new import, a value typed in, an acknowledgement)
empties the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from email_crisis.core.assess.store import load_assessment
from email_crisis.core.base.clock import humanize
from email_crisis.core.base.domain import Event, Incident
from email_crisis.core.monitor import caution, thresholds
from email_crisis.core.monitor.metric_ids import METRICS, WINDOWS, format_value, metric_label
from email_crisis.core.monitor.metrics import POSTMASTER_API_KEY, window_start
from email_crisis.core.monitor.store import Point, latest_points, series_overview
from email_crisis.core.monitor.thresholds import STATUSES, Thresholds
from email_crisis.tui import keymap_monitor
from email_crisis.tui.widgets.monitor_chart import (
    ChartData,
    Milestone,
    MonitorChart,
    fetch,
    milestones,
    stamp,
    status_styles,
)
from email_crisis.tui.widgets.monitor_sections import (
    checklist_text,
    compare_text,
    compliance_text,
    empty_message,
    thresholds_text,
    timeline_text,
    v2_gap_text,
)
from email_crisis.tui.widgets.step_panel import WorkspaceHost

if TYPE_CHECKING:
    from textual.app import ComposeResult


DEFAULT_WINDOW = "7d"
PRESETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "all": ("All metrics", tuple(METRICS)),
    "complaints": (
        "Complaints and bounces",
        ("complaint_rate", "hard_bounce_rate", "soft_bounce_rate", "unsubscribe_rate"),
    ),
    "reputation": (
        "Reputation and filters",
        ("domain_reputation", "ip_reputation", "snds_filter", "trap_hits"),
    ),
    "delivery": (
        "Delivery and placement",
        ("delivery_rate", "inbox_placement", "delivery_error_rate", "volume"),
    ),
    "authentication": ("Authentication", ("spf_pass_rate", "dkim_pass_rate", "dmarc_pass_rate")),
}
"""Metric sets the ``m`` menu offers (each also offers every metric on its own)."""
CACHE_SIZE = 16


class MonitorPanel(VerticalScroll):
    """Deliverability after the incident: chart, before/after, checklist, thresholds."""

    BINDINGS = keymap_monitor.MONITOR_PANEL
    HELP_GROUP = "6 Monitor"
    DEFAULT_CSS = """
    MonitorPanel {
        padding: 0 1;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }
    MonitorPanel > .monitor-section {
        height: auto;
        margin-top: 1;
    }
    """
    screen: WorkspaceHost

    class ChartResized(Message):
        """The chart's width changed: the columns must be fetched again."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.window = DEFAULT_WINDOW
        self.preset = "all"
        self._cursor: int | None = None  # None: follow the newest column
        self._incident: Incident | None = None
        self._events: list[Event] = []
        self._latest: dict[str, Point] = {}
        self._marks: tuple[Milestone, ...] = ()
        self._rules: Thresholds | None = None
        self._now: datetime | None = None
        self._first: datetime | None = None  # first point, only needed by "all"
        self._cache: dict[tuple[object, ...], ChartData] = {}
        self._review: tuple[object, list[caution.Comparison], list[caution.ChecklistItem]]
        self._review = (None, [], [])
        self._shown_sections: dict[str, object] = {}
        self._compliance: list[Point] = []
        self._v2 = False

    def compose(self) -> ComposeResult:
        yield _Chart(id="monitor-chart")
        yield Static(id="monitor-compliance", classes="monitor-section")
        yield Static(id="monitor-compare", classes="monitor-section")
        yield Static(id="monitor-checklist", classes="monitor-section")
        yield Static(id="monitor-thresholds", classes="monitor-section")
        yield Static(id="monitor-events", classes="monitor-section")

    # -- data --------------------------------------------------------------------------

    @property
    def available(self) -> tuple[str, ...]:
        """The metrics this incident has points for, in the registry's order."""
        return tuple(m for m in METRICS if m in self._latest)

    def shown(self) -> tuple[str, ...]:
        """The metrics the chart draws: the chosen set, or all when none of it exists."""
        if self.preset.startswith("only:"):
            wanted: tuple[str, ...] = (self.preset[5:],)
        else:
            wanted = PRESETS.get(self.preset, PRESETS["all"])[1]
        picked = tuple(m for m in self.available if m in wanted)
        return picked or self.available

    def load(self, incident: Incident, *, active: bool) -> None:
        """Read what changed since the last load and redraw; a hidden tab waits until shown
        (the workspace loads the panel again with ``active`` when its tab appears)."""
        if not active:
            return
        store = self.app.store
        if self._incident is None or self._incident.id != incident.id:
            self._events = []
            self._v2 = False  # a Postmaster Tools v2 file was imported for this incident
        fresh = store.events(incident.id, after_id=self._events[-1].id if self._events else 0)
        if fresh or self._incident is None:
            self._cache.clear()  # any change to the incident may touch its points
            self._first = None
        self._events += fresh
        self._incident = incident
        self._now = self.app.now()
        self._rules = thresholds.load()
        newest = latest_points(store, incident.id)
        self._latest = _newest_by_metric(newest, self._rules)
        self._compliance = [p for p in newest if p.metric == "gmail_compliance"]
        self._v2 = self._v2 or any(
            e.type == "metrics_imported" and e.details.get(POSTMASTER_API_KEY) == "v2"
            for e in fresh
        )
        self._marks = milestones(incident, load_assessment(store, incident).send_start)
        if self._latest and self._first is None:
            # Read here, when the data changed, so the "all" window costs one query per
            # metric like the others (the overview scans every point).
            overview = series_overview(store, incident.id)
            self._first = min((s.first for s in overview), default=None)
        self.redraw()

    @property
    def fingerprint(self) -> tuple[object, ...]:
        """What the cached chart data depends on besides window, metrics and width."""
        last = self._events[-1].id if self._events else 0
        return (last, id(self._rules))

    def _chart_data(self, width: int) -> ChartData:
        assert self._incident is not None and self._now is not None and self._rules
        since, until = window_bounds(self.window, self._now, self._first, self._marks)
        metrics = self.shown()
        key = (self.window, metrics, width, until, *self.fingerprint)
        data = self._cache.get(key)
        if data is None:
            data = fetch(
                self.app.store,
                self._incident.id,
                metrics,
                window=self.window,
                since=since,
                until=until,
                width=width,
                latest=self._latest,
                rules=self._rules,
                marks=self._marks,
            )
            if len(self._cache) >= CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = data
        return data

    # -- rendering ---------------------------------------------------------------------

    def redraw(self) -> None:
        """Draw the chart for the current window and metrics, then the sections below."""
        if self._incident is None:
            return
        chart = self.query_one(_Chart)
        data = None
        if not self._latest:
            chart.show_message(empty_message(self._incident.id))
        elif chart.size.width > 0:  # not laid out yet: the resize comes back here
            data = self._chart_data(chart.size.width)
            cursor = data.columns - 1 if self._cursor is None else self._cursor
            self._cursor = None if cursor >= data.columns - 1 else cursor
            chart.show(
                data, min(cursor, data.columns - 1), header_text(self.window, data, self._what())
            )
        self._render_sections(data)

    def _what(self) -> str:
        shown = self.shown()
        if self.preset.startswith("only:") or len(shown) == 1:
            return metric_label(shown[0]) if shown else ""
        name = PRESETS.get(self.preset, PRESETS["all"])[0].lower()
        return f"{name} ({len(shown)})"

    def _render_sections(self, data: ChartData | None) -> None:
        assert self._incident is not None and self._rules is not None
        # Points are never in the future, so new points always come with a new event:
        # the review depends on the events and the incident, not on the clock.
        key = (*self.fingerprint, self._incident.version)
        if self._review[0] != key:
            store, now = self.app.store, self._now
            self._review = (
                key,
                caution.compare(store, self._incident, now=now, thresholds=self._rules),
                caution.checklist(store, self._incident, now=now, thresholds=self._rules),
            )
        _, comparisons, items = self._review
        rules, wanted = self._rules, self.shown() or tuple(self._rules.bands)
        start, end = (data.start, data.end) if data else (None, None)
        styles = status_styles(self.app.no_color)
        self._update("compare", key, lambda: compare_text(comparisons, rules, styles))
        self._update("checklist", key, lambda: checklist_text(items, styles))
        self._update(
            "thresholds", (id(rules), wanted), lambda: thresholds_text(rules, wanted, styles)
        )
        compliance = self.query_one("#monitor-compliance", Static)
        # Only once Gmail's status or other v2 data was imported; v2 without the status
        # still says what v2 no longer reports (domain and IP reputation).
        compliance.display = bool(self._compliance) or self._v2
        if self._compliance:
            self._update("compliance", key, lambda: compliance_text(self._compliance, styles))
        elif self._v2:
            self._update("compliance", key, v2_gap_text)
        events = (key, start, end)
        self._update("events", events, lambda: timeline_text(self._events, self._marks, start, end))

    def _update(self, section: str, key: object, build: Callable[[], RenderableType]) -> None:
        """Replace a section only when what it shows changed (each update costs a layout)."""
        if self._shown_sections.get(section) != key:
            self._shown_sections[section] = key
            self.query_one(f"#monitor-{section}", Static).update(build())

    def on_monitor_panel_chart_resized(self) -> None:
        self.redraw()

    # -- actions -----------------------------------------------------------------------

    def action_cycle_window(self) -> None:
        spans = list(WINDOWS)
        self.window = spans[(spans.index(self.window) + 1) % len(spans)]
        self._cursor = None
        self._now = self.app.now()
        self.redraw()

    def action_step(self, delta: int) -> None:
        chart = self.query_one(_Chart)
        if chart.data is None:
            return
        cursor = min(max(chart.cursor + delta, 0), chart.data.columns - 1)
        self._cursor = None if cursor == chart.data.columns - 1 else cursor
        chart.move(cursor)

    def action_step_to(self, where: str) -> None:
        chart = self.query_one(_Chart)
        if chart.data is not None:
            self.action_step(-chart.data.columns if where == "first" else chart.data.columns)

    def action_pick_metrics(self) -> None:
        from email_crisis.tui.screens.forms import ChoiceMenu

        if not self.available:
            self.notify("No points yet: import a file or press + to record a value.")
            return
        choices = []
        for preset, (label, members) in PRESETS.items():
            present = [m for m in self.available if m in members]
            if preset == "all" or len(present) > 1:
                choices.append((preset, f"{label} ({len(present)})"))
        choices += [(f"only:{m}", f"Only {metric_label(m)}") for m in self.available]
        choices = [
            (c, label + ("  (shown now)" if c == self.preset else "")) for c, label in choices
        ]

        def chosen(choice: object) -> None:
            if isinstance(choice, str):
                self.preset = choice
                self.redraw()

        self.app.push_screen(ChoiceMenu("Metrics on the chart", choices), chosen)

    def action_add_point(self) -> None:
        from email_crisis.core.monitor.metric_ids import parse_value
        from email_crisis.core.monitor.metrics import add_point
        from email_crisis.tui.screens.monitor_forms import PointForm

        if self._incident is None:
            return
        store, who = self.app.store, self.app.operator

        def submit(metric: str, at: datetime, value: str, note: str) -> str | None:
            error = self.screen.write(
                lambda i: add_point(
                    store, i.id, metric=metric, at=at, value=value, operator=who, note=note
                )
            )
            if error is None:
                shown = format_value(metric, parse_value(metric, value))
                chart = self.query_one(_Chart).data
                outside = chart is not None and chart.column_of(at) is None
                hint = f" It is outside the {self.window} window: w shows more." if outside else ""
                self.notify(
                    f"Recorded {metric_label(metric)} {shown} at {stamp(at)}.{hint}", markup=False
                )
            return error

        shown = self.shown()
        self.app.push_screen(
            PointForm(shown[0] if shown else "complaint_rate", self.app.now(), submit)
        )


class _Chart(MonitorChart):
    """The chart, telling the panel when its width changes."""

    _width = 0

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._width = self.size.width
            self.post_message(MonitorPanel.ChartResized())


def _newest_by_metric(latest: Sequence[Point], rules: Thresholds) -> dict[str, Point]:
    """The newest point of each metric; several series at that time: the worst one."""
    found: dict[str, Point] = {}
    for point in latest:
        other = found.get(point.metric)
        if other is None or point.at > other.at:
            found[point.metric] = point
        elif point.at == other.at:
            rank = STATUSES.index
            mine = rank(rules.judge(point.metric, point.value, point.qualifier).status)
            theirs = rank(rules.judge(other.metric, other.value, other.qualifier).status)
            if mine > theirs:
                found[point.metric] = point
    return found


def window_bounds(
    window: str, now: datetime, first: datetime | None, marks: Sequence[Milestone]
) -> tuple[datetime, datetime]:
    """[since, until) of a window; ``all`` runs from the first point or milestone to now.

    ``until`` is the next whole minute after ``now``, so a value recorded "now" shows.
    """
    until = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    since = window_start(window, now)
    if since is None:
        candidates = [m.at for m in marks] + ([first] if first else [])
        since = min(candidates) if candidates else until - timedelta(days=1)
    if since >= until:
        since = until - timedelta(hours=1)
    return since, until


def header_text(window: str, data: ChartData, what: str) -> str:
    """The chart's first line: window, where it starts, what one column is, which metrics."""
    started = stamp(datetime.fromtimestamp(data.start, timezone.utc))
    column = humanize(timedelta(seconds=data.step))
    return f"Window {window} from {started} · 1 column = {column} · {what}"
