"""The Monitor panel's form: record one deliverability value by hand (source ``manual``).

The time is typed in local time, as the app shows times (an offset may be added).
Checks on the value (a rate between 0% and 100%, a known level, a whole count) are
``core.monitor.metrics.add_point``'s; this form only shows its message and keeps what was
typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from email_crisis.core.assess.assessment import FieldError, datetime_parser
from email_crisis.core.base.clock import local
from email_crisis.core.monitor.metric_ids import METRICS, metric_label
from email_crisis.tui.keyboard import focus_now
from email_crisis.tui.screens.forms import _Form
from email_crisis.tui.widgets.fields import TextField

PointSubmit = Callable[[str, datetime, str, str], "str | None"]
"""(metric id, time in UTC, value as typed, note) -> an error message, or None when saved."""

_parse_time = datetime_parser("at", "Time", required=True)


def value_hint(metric: str) -> str:
    """What a value of ``metric`` looks like, for the field's placeholder."""
    info = METRICS[metric]
    if info.kind == "level":
        return " / ".join(reversed(info.levels))
    if info.kind == "count":
        return "a whole number, like 1200"
    return "a percentage, like 0.41 (means 0.41%)"


class PointForm(_Form):
    """Metric, time and value of one measurement, plus an optional note."""

    HELP_TITLE = "Record a value"

    def __init__(self, metric: str, now: datetime, submit: PointSubmit) -> None:
        super().__init__()
        self._metric = metric if metric in METRICS else "complaint_rate"
        self._now = now
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="form") as form:
            form.border_title = "Record a value by hand"
            form.border_subtitle = "enter or F2 to save · escape to cancel"
            yield Label("Metric")
            yield Select(
                [(metric_label(m), m) for m in METRICS],
                id="metric",
                value=self._metric,
                allow_blank=False,
                compact=True,
            )
            yield Label("When it was measured (local time; add +00:00 for another zone)")
            yield TextField(
                value=local(self._now).strftime("%Y-%m-%d %H:%M"), id="at", compact=True
            )
            yield Label("Value")
            yield TextField(placeholder=value_hint(self._metric), id="value", compact=True)
            yield Label("Where the figure comes from (optional)")
            yield TextField(id="note", placeholder="e.g. seed test, ESP dashboard", compact=True)
            yield Static(classes="form-error")

    def on_mount(self) -> None:
        self.show_error(None)
        focus_now(self.query_one("#value", Input))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value in METRICS:
            self.query_one("#value", Input).placeholder = value_hint(str(event.value))

    def on_input_submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        metric = str(self.query_one("#metric", Select).value)
        at = _parse_time(self.query_one("#at", Input).value)
        if isinstance(at, FieldError) or at is None:
            self.show_error(at.message if isinstance(at, FieldError) else "Time is required.")
            focus_now(self.query_one("#at", Input))
            return
        value = self.query_one("#value", Input).value
        if not value.strip():
            self.show_error(f"Type the value ({value_hint(metric)}).")
            focus_now(self.query_one("#value", Input))
            return
        error = self._submit(metric, at, value, self.query_one("#note", Input).value)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)
