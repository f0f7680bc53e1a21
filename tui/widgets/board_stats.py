"""The board's response-time figures: median and worst, last 30 and 90 days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rich.table import Table
from rich.text import Text

from email_crisis.core.base.clock import humanize
from email_crisis.core.close.stats import MEASURE_LABELS, WindowStats


def _span(value: timedelta | None, incident_id: int | None = None) -> str:
    if value is None:
        return "—"
    return humanize(value) + (f" #{incident_id}" if incident_id is not None else "")


def stats_table(windows: Sequence[WindowStats]) -> Table:
    """One row per measure; per window its median and its worst (with the incident)."""
    table = Table(box=None, pad_edge=False, header_style="bold", show_edge=False)
    table.add_column("", no_wrap=True)
    for window in windows:
        table.add_column(f"{window.days}d median", justify="right", no_wrap=True)
        table.add_column(f"{window.days}d worst", justify="right", no_wrap=True)
    for measure, label in MEASURE_LABELS.items():
        cells = [Text(label)]
        for window in windows:
            found = window.measure(measure)
            cells.append(Text(_span(found.median)))
            cells.append(Text(_span(found.worst, found.worst_incident)))
        table.add_row(*cells)
    caption = "  ".join(
        f"{w.days}d: {w.incidents} incidents, {w.open} open, {w.reopened} reopened" for w in windows
    )
    table.caption = caption
    table.caption_justify = "left"
    return table
