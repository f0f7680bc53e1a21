"""The Monitor panel's chart: one row of block characters per metric, on one time axis.

Each metric gets a title line (label, value under the cursor, worst value in the
window, latest value and its status word), a row of ``▁▂▃▄▅▆▇█`` with one cell per
time column, and, when some column crossed a threshold, a row of flags under it
(``!`` warning, ``X`` critical). Below the rows, the shared axis carries the
incident's milestones as letters, the cursor ``▲`` and the window's ends. Colour
only repeats what the words and markers say, so the chart reads the same with
``NO_COLOR``.

The data comes from ``monitor.store.timeline_buckets``: one query per metric
returns at most one row per column, however many points the window holds. The
drawing is pure (``draw``), so moving the cursor redraws from the fetched data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from rich.text import Text
from textual.widget import Widget

from email_crisis.core.base.clock import local
from email_crisis.core.base.domain import Incident
from email_crisis.core.monitor.metric_ids import METRICS, format_value, metric_label
from email_crisis.core.monitor.store import Point, timeline_buckets
from email_crisis.core.monitor.thresholds import Thresholds
from email_crisis.core.store.database import Store
from email_crisis.tui.render import ellipsize

BLOCKS = "▁▂▃▄▅▆▇█"
FLAGS = {"warning": "!", "critical": "X"}
STATUS_WORDS = {"ok": "ok", "warning": "WARNING", "critical": "CRITICAL"}
STATUS_STYLE = {"ok": "green", "warning": "bold yellow", "critical": "bold red"}
BAR_STYLE = {"ok": "cyan", "warning": "yellow", "critical": "red"}
# With NO_COLOR, Textual turns colours into greys by luminance: red becomes dark grey
# on a dark background. Emphasis then comes from bold, underline and reverse video.
MONO_STATUS_STYLE = {"ok": "", "warning": "bold underline", "critical": "bold reverse"}
MONO_BAR_STYLE = {"ok": "", "warning": "", "critical": "bold"}


def status_styles(mono: bool) -> Mapping[str, str]:
    """Styles of the status words: coloured, or colour-free for ``NO_COLOR``."""
    return MONO_STATUS_STYLE if mono else STATUS_STYLE


_NAMES = ("send start", "detected", "acknowledged", "contained", "apology sent")
MILESTONES = tuple(zip("SDACN", _NAMES, strict=True))


@dataclass(frozen=True)
class Milestone:
    """A moment of the incident marked on the axis by its letter."""

    letter: str
    name: str
    at: datetime


def milestones(incident: Incident, send_start: datetime | None) -> tuple[Milestone, ...]:
    """The incident's milestones that have happened, in the order of ``MILESTONES``."""
    times = (
        send_start,
        incident.detected_at,
        incident.acknowledged_at,
        incident.contained_at,
        incident.notified_at,
    )
    return tuple(
        Milestone(letter, name, at)
        for (letter, name), at in zip(MILESTONES, times, strict=True)
        if at is not None
    )


def stamp(moment: datetime) -> str:
    """A compact local time for the axis and lists: ``11-27 09:30``."""
    return local(moment).strftime("%m-%d %H:%M")


@dataclass(frozen=True)
class Row:
    """One metric, ready to draw: a display value and a status per column."""

    metric: str
    values: Mapping[int, float]  # column -> value shown (mean, total or worst level)
    counts: Mapping[int, int]  # column -> points in it
    bars: str  # one block (or a space) per column
    flags: str  # one flag (or a space) per column; "" when nothing crossed
    statuses: Mapping[int, str]  # column -> warning/critical (ok columns are absent)
    worst: str  # the worst value in the window, with its word ("worst 0.52%")
    latest: str  # "now 0.41%" or ""
    latest_status: str | None  # ok, warning, critical; None when not judged

    def value_text(self, column: int) -> str:
        """What the cursor column holds for this metric, as people read it."""
        if column not in self.values:
            return "–"
        return format_value(self.metric, self.values[column])


@dataclass(frozen=True)
class ChartData:
    """Everything ``draw`` needs for one window, set of metrics and width."""

    window: str
    start: int  # unix seconds, inclusive
    end: int  # unix seconds, exclusive
    step: int  # seconds per column
    columns: int  # columns in use (at most the width asked for)
    rows: tuple[Row, ...]
    milestones: tuple[Milestone, ...]

    def column_of(self, moment: datetime) -> int | None:
        """The column ``moment`` falls in, or None outside the window."""
        seconds = int(moment.timestamp())
        if not self.start <= seconds < self.end:
            return None
        return (seconds - self.start) // self.step

    def column_span(self, column: int) -> tuple[datetime, datetime]:
        """The time slice a column covers."""
        first = self.start + column * self.step
        last = min(first + self.step, self.end)
        return (
            datetime.fromtimestamp(first, timezone.utc),
            datetime.fromtimestamp(last, timezone.utc),
        )


def fetch(
    store: Store,
    incident_id: int,
    metrics: Sequence[str],
    *,
    window: str,
    since: datetime,
    until: datetime,
    width: int,
    latest: Mapping[str, Point],
    rules: Thresholds,
    marks: Sequence[Milestone] = (),
) -> ChartData:
    """Read one bucket row per column of each metric and prepare the rows to draw."""
    start, end = int(since.timestamp()), int(until.timestamp())
    width = max(1, width)
    step = max(1, -(-(end - start) // width))  # as timeline_buckets cuts the window
    columns = -(-(end - start) // step)
    rows = []
    for metric in metrics:
        found = timeline_buckets(
            store, incident_id, metric, since=since, until=until, buckets=width
        )
        rows.append(_row(metric, found, start, step, columns, latest.get(metric), rules))
    return ChartData(window, start, end, step, columns, tuple(rows), tuple(marks))


def _row(
    metric: str,
    found: Sequence[tuple[int, float, float, float, int]],
    start: int,
    step: int,
    columns: int,
    latest: Point | None,
    rules: Thresholds,
) -> Row:
    info = METRICS[metric]
    values: dict[int, float] = {}
    worst: dict[int, float] = {}
    counts: dict[int, int] = {}
    for slice_start, mean, low, high, count in found:
        column = (slice_start - start) // step
        worst[column] = low if info.worse == "lower" else high
        if info.kind == "level":
            values[column] = worst[column]  # an average of levels means nothing
        elif info.kind == "count":
            values[column] = round(mean * count)  # the column's total
        else:
            values[column] = mean
        counts[column] = count
    statuses = {}
    for column, value in worst.items():
        status = rules.judge(metric, value).status
        if status != "ok":
            statuses[column] = status
    bars = _bars(metric, values, columns)
    flags = "".join(FLAGS.get(statuses.get(c, ""), " ") for c in range(columns))
    overall = ""
    if worst:
        pick = min if info.worse == "lower" else max
        word = "max" if not info.worse else "worst"
        # Counts: the busiest column; rates and levels: the worst single point.
        shown = values if info.kind == "count" else worst
        overall = f"{word} {format_value(metric, pick(shown.values()))}"
    latest_text, latest_status = "", None
    if latest is not None:
        latest_text = "now " + format_value(metric, latest.value, latest.qualifier)
        judgement = rules.judge(metric, latest.value, latest.qualifier)
        latest_status = judgement.status if judgement.judged else None
    return Row(
        metric, values, counts, bars, flags if statuses else "", statuses, overall,
        latest_text, latest_status,
    )  # fmt: skip


def _bars(metric: str, values: Mapping[int, float], columns: int) -> str:
    """One block per column: rates and counts from zero, levels on their own scale,
    metrics that are worse when lower from their lowest value (so a dip shows)."""
    if not values:
        return " " * columns
    info = METRICS[metric]
    if info.kind == "level":
        low, high = 0.0, float(len(info.levels) - 1)
    elif info.worse == "lower":
        low, high = min(values.values()), max(values.values())
    else:
        low, high = 0.0, max(values.values())
    span = high - low
    top = len(BLOCKS) - 1
    cells = []
    for column in range(columns):
        if column not in values:
            cells.append(" ")
        elif span <= 0:
            cells.append(BLOCKS[top // 2 if high > 0 else 0])
        else:
            level = round((values[column] - low) / span * top)
            cells.append(BLOCKS[min(top, max(0, level))])
    return "".join(cells)


# -- drawing --------------------------------------------------------------------------------


def draw(data: ChartData, cursor: int, header: str, *, mono: bool = False) -> Text:
    """The chart as ``Text``: header, one block per metric, axis, cursor detail, legend.
    ``mono``: no colour at all (``NO_COLOR``)."""
    words, bars = status_styles(mono), MONO_BAR_STYLE if mono else BAR_STYLE
    cursor = min(max(cursor, 0), data.columns - 1)
    width = data.columns
    out = Text(no_wrap=False)
    out.append(ellipsize(header, width), style="bold")
    for row in data.rows:
        out.append("\n")
        out.append_text(_title(row, cursor, width, words))
        out.append("\n")
        if row.values:
            out.append_text(_cells(row.bars, row.statuses, cursor, bars))
        else:
            out.append(ellipsize("(no points in this window)", width), style="dim")
        if row.flags:
            out.append("\n")
            out.append_text(_cells(row.flags, row.statuses, cursor, words))
    out.append("\n")
    out.append_text(_axis(data))
    out.append("\n")
    out.append(_ends(data, cursor))
    out.append("\n")
    out.append_text(_detail(data, cursor))
    legend = _legend(data)
    if legend:
        out.append("\n")
        out.append(legend, style="dim")
    return out


def _title(row: Row, cursor: int, width: int, words: Mapping[str, str]) -> Text:
    """Label at the left; value under the cursor, worst, latest and its word at the right.
    When the line is too narrow, the worst value is dropped first, then the cursor value."""
    at_cursor = f"▲ {row.value_text(cursor)}"
    for parts in ((at_cursor, row.worst, row.latest), (at_cursor, row.latest), (row.latest,)):
        right = Text("  ".join(p for p in parts if p))
        if row.latest_status is not None:
            right.append(" ")
            right.append(STATUS_WORDS[row.latest_status], style=words[row.latest_status])
        if right.cell_len <= width - 8:
            break
    room = max(4, width - right.cell_len - 1)
    label = ellipsize(metric_label(row.metric), room)
    line = Text(label, style="bold")
    line.append(" " * max(1, width - len(label) - right.cell_len))
    line.append_text(right)
    line.truncate(width)
    return line


def _cells(chars: str, statuses: Mapping[int, str], cursor: int, styles: Mapping) -> Text:
    """A row of one-cell characters, styled by status; the cursor column in reverse video.

    Columns are appended in runs of one style: a span per cell would make every
    redraw convert hundreds of styles."""
    line = Text()
    run_start, run_style = 0, None
    for column in range(len(chars) + 1):
        style = None
        if column < len(chars):
            style = styles.get(statuses.get(column, "ok"), "")
            if column == cursor:
                style = f"{style} reverse".strip()
        if column == len(chars) or style != run_style:
            if column > run_start:
                line.append(chars[run_start:column], style=run_style or "")
            run_start, run_style = column, style
    return line


def _axis(data: ChartData) -> Text:
    """The time axis, with each milestone's letter in its column (or next to it)."""
    cells = ["─"] * data.columns
    for column, mark in _places(data):
        cells[column] = mark.letter
    line = Text("".join(cells), style="dim")
    for column, _ in _places(data):
        line.stylize("bold not dim", column, column + 1)
    return line


def _places(data: ChartData) -> list[tuple[int, Milestone]]:
    """A column per milestone inside the window. Milestones that share a column stay in
    time order side by side: later ones move right, or the group moves left at the end."""
    inside = sorted(
        (
            (column, mark)
            for mark in data.milestones
            if (column := data.column_of(mark.at)) is not None
        ),
        key=lambda entry: (entry[1].at, entry[0]),
    )
    columns = [column for column, _ in inside]
    for i in range(1, len(columns)):
        columns[i] = max(columns[i], columns[i - 1] + 1)
    limit = data.columns - 1
    for i in reversed(range(len(columns))):
        columns[i] = min(columns[i], limit)
        limit = columns[i] - 1
    return [(c, mark) for c, (_, mark) in zip(columns, inside, strict=True) if c >= 0]


def _ends(data: ChartData, cursor: int) -> str:
    """Under the axis: the window's start at the left, ``now`` at the right, and ``▲``."""
    cells = [" "] * data.columns
    left = stamp(datetime.fromtimestamp(data.start, timezone.utc))
    right = "now"
    for text, at in ((left, 0), (right, data.columns - len(right))):
        # Keep a label only if it leaves room for the cursor mark.
        if at >= 0 and not at - 1 <= cursor <= at + len(text) and at + len(text) <= data.columns:
            cells[at : at + len(text)] = text
    cells[cursor] = "▲"
    return "".join(cells)


def _detail(data: ChartData, cursor: int) -> Text:
    first, last = data.column_span(cursor)
    count = sum(row.counts.get(cursor, 0) for row in data.rows)
    end = stamp(last) if last.date() != first.date() else local(last).strftime("%H:%M")
    line = Text(f"▲ {stamp(first)} → {end}: ")
    line.append(f"{count:,} point{'s' * (count != 1)}" if count else "no points")
    return line


def _legend(data: ChartData) -> str:
    parts = []
    for mark in data.milestones:
        where = "" if data.column_of(mark.at) is not None else _outside(data, mark.at)
        parts.append(f"{mark.letter} {mark.name}{where}")
    if any(row.flags for row in data.rows):
        parts.append("! warning  X critical")
    return "  ".join(parts)


def _outside(data: ChartData, moment: datetime) -> str:
    return " (earlier)" if moment.timestamp() < data.start else " (later)"


class MonitorChart(Widget):
    """Draws ``ChartData`` with a cursor; knows nothing about the store."""

    DEFAULT_CSS = """
    MonitorChart {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.data: ChartData | None = None
        self.cursor = 0
        self.header = ""
        self.message: Text | None = None

    def show(self, data: ChartData, cursor: int, header: str) -> None:
        """Draw new data (the height may change)."""
        self.data, self.cursor, self.header, self.message = data, cursor, header, None
        self.refresh(layout=True)

    def show_message(self, message: Text) -> None:
        """Show words instead of a chart (no data yet)."""
        self.data, self.message = None, message
        self.refresh(layout=True)

    def move(self, cursor: int) -> None:
        """Move the cursor: same data, same height, so no layout pass."""
        self.cursor = cursor
        self.refresh()

    def render(self) -> Text:
        if self.data is not None:
            return draw(self.data, self.cursor, self.header, mono=self.app.no_color)
        return self.message or Text("")
