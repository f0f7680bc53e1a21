"""The sections under the Monitor panel's chart, as Rich renderables (pure functions).

Before/after sentences and the checklist come from ``core.monitor.caution``, thresholds from
``core.monitor.thresholds``; every sentence from data goes through ``render.plain``. Each
list is a two-column grid, so wrapped lines keep their indent at 80 columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from email_crisis.core.base.domain import Event
from email_crisis.core.close.events_text import describe
from email_crisis.core.monitor import caution, thresholds
from email_crisis.core.monitor.metric_ids import METRICS, format_value, metric_label
from email_crisis.core.monitor.store import Point
from email_crisis.core.monitor.thresholds import Thresholds
from email_crisis.tui.render import plain
from email_crisis.tui.widgets.monitor_chart import STATUS_STYLE, STATUS_WORDS, Milestone, stamp

Styles = Mapping[str, str]

EVENT_TYPE_MILESTONE = {"acknowledged": "A", "contained": "C", "apology_sent": "N"}
"""Events that set a milestone: their line in the list carries the milestone's letter."""
EVENTS_SHOWN = 15
LEVEL_WORDS = {"critical": "CRITICAL", "warning": "WARNING", "info": "tip"}


def empty_message(incident_id: int) -> Text:
    """What the chart area says before the incident has any point."""
    out = Text("No deliverability figures for this incident yet.\n", style="bold")
    out.append("Import an export from a shell:\n")
    out.append(f"  email-crisis metrics import {incident_id} FILE\n", style="bold")
    out.append(
        "(Google Postmaster Tools, Microsoft SNDS, SparkPost, SendGrid, Mailgun, Amazon SES "
        "or a plain time,metric,value CSV), or press + to record a value by hand."
    )
    return out


def _status_word(status: str, styles: Styles, judged: bool = True) -> Text:
    if not judged:
        return Text("no limit", style="dim")
    return Text(STATUS_WORDS[status], style=styles[status])


def _list(title: str, rows: Sequence[tuple[Text, Text]], empty: str) -> Group:
    """A heading over two columns (status word, sentence), wrapped with a hanging indent."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=8, no_wrap=True)
    grid.add_column(ratio=1)
    for word, sentence in rows:
        grid.add_row(word, sentence)
    heading = Text(title, style="bold underline")
    return Group(heading, grid if rows else Text(empty, style="dim"))


def compare_text(
    comparisons: Sequence[caution.Comparison], rules: Thresholds, styles: Styles = STATUS_STYLE
) -> Group:
    """Before against since the incident, in words, worst first."""
    rows = [
        (
            Text("no data", style="dim")  # nothing since the incident: nothing to judge
            if c.after is None
            else _status_word(c.status, styles, bool(rules.bands.get(c.metric))),
            plain(c.sentence),
        )
        for c in comparisons
    ]
    return _list("Before and after the incident", rows, "No points yet: nothing to compare.")


def checklist_text(items: Sequence[caution.ChecklistItem], styles: Styles = STATUS_STYLE) -> Group:
    """Next-send guidance, most urgent first, each with the signal behind it."""
    rows = []
    for item in items:
        text = plain(item.text)
        if item.why:
            text.append("\n").append_text(plain(item.why, style="dim"))
        word = Text(LEVEL_WORDS.get(item.level, item.level), style=styles.get(item.level, ""))
        rows.append((word, text))
    return _list("Proceed with caution: before the next send", rows, "Nothing to add.")


def thresholds_text(
    rules: Thresholds, metrics: Sequence[str], styles: Styles = STATUS_STYLE
) -> Group:
    """Each shown metric's bands, with their sources and the day they were checked."""
    parts: list[RenderableType] = [
        Text("Thresholds (organisations can override them)", style="bold underline")
    ]
    shipped = str(thresholds.shipped_path())
    for metric in metrics:
        bands = rules.bands.get(metric, ())
        heading = Text(metric_label(metric), style="bold")
        parts.append(heading)
        if not bands:
            heading.append(": no threshold; shown for context", style="not bold dim")
            continue
        origin = rules.origin.get(metric, shipped)
        if origin != shipped:
            heading.append("  (your organisation's file: ", style="not bold")
            heading.append_text(plain(origin)).append(")", style="not bold")
        grid = Table.grid(padding=(0, 0, 0, 2))  # wrapped lines keep the indent
        grid.add_column(ratio=1)
        where = "at or below" if METRICS[metric].worse == "lower" else "from"
        sources: dict[str, str] = {}
        for band in bands:
            line = Text(STATUS_WORDS[band.status], style=styles[band.status])
            line.append(f" {where} {format_value(metric, band.at)}: ").append_text(
                plain(band.phrase())
            )
            grid.add_row(line)
            for source in band.sources:
                sources.setdefault(source, band.reviewed.isoformat())
        for source, reviewed in sources.items():
            line = Text("source ", style="dim").append_text(plain(source, style="dim"))
            grid.add_row(line.append(f" (checked {reviewed})", style="dim"))
        parts.append(grid)
    return Group(*parts)


def timeline_text(
    events: Sequence[Event], marks: Sequence[Milestone], start: int | None, end: int | None
) -> Group:
    """Milestones and events inside the chart's window, oldest first (the Log has all)."""

    def inside(moment: datetime) -> bool:
        seconds = moment.timestamp()
        return (start is None or seconds >= start) and (end is None or seconds < end)

    lines: list[tuple[datetime, int, str, Text]] = []
    logged = {EVENT_TYPE_MILESTONE[e.type] for e in events if e.type in EVENT_TYPE_MILESTONE}
    for mark in marks:
        if mark.letter not in logged and inside(mark.at):
            lines.append((mark.at, 0, mark.letter, Text(mark.name)))
    for event in events:
        if inside(event.at):
            what = (
                plain(event.operator, style="dim").append(": ").append_text(plain(describe(event)))
            )
            lines.append((event.at, event.id, EVENT_TYPE_MILESTONE.get(event.type, ""), what))
    lines.sort(key=lambda entry: (entry[0], entry[1]))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=11, no_wrap=True)
    grid.add_column(width=1, no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    parts: list[Text | Table] = [
        Text("Milestones and events in this window", style="bold underline")
    ]
    if len(lines) > EVENTS_SHOWN:
        hidden = len(lines) - EVENTS_SHOWN
        parts.append(Text(f"({hidden} earlier in this window: l shows the whole log)", style="dim"))
        lines = lines[-EVENTS_SHOWN:]
    for at, _, letter, what in lines:
        grid.add_row(stamp(at), letter, what)
    parts.append(grid if lines else Text("Nothing happened in this window.", style="dim"))
    return Group(*parts)


REQUIREMENTS = {
    "SPF": "SPF",
    "DKIM": "DKIM",
    "SPF_AND_DKIM": "SPF and DKIM",
    "DMARC_POLICY": "DMARC policy",
    "DMARC_ALIGNMENT": "DMARC alignment",
    "MESSAGE_FORMATTING": "message formatting",
    "DNS_RECORDS": "DNS records",
    "ENCRYPTION": "TLS encryption",
    "USER_REPORTED_SPAM_RATE": "user-reported spam rate",
    "ONE_CLICK_UNSUBSCRIBE": "one-click unsubscribe",
    "HONOR_UNSUBSCRIBE": "honouring unsubscribes",
}
"""Postmaster Tools v2 ``ComplianceRequirement`` values in words."""
V2_GAP = (
    "Postmaster Tools v2 reports no domain or IP reputation any more: judge reputation "
    "from the spam rate, the delivery errors and these requirements."
)


V2_GAP_ALONE = (
    "Postmaster Tools v2 (imported) reports no domain or IP reputation any more: judge "
    "reputation from the spam rate and the delivery errors; import Gmail's compliance "
    "status (complianceStatus) to see its sender requirements here."
)


def v2_gap_text() -> Text:
    """What Postmaster Tools v2 no longer reports, when v2 data came without Gmail's
    compliance status."""
    return Text(V2_GAP_ALONE, style="dim")


def compliance_text(points: Sequence[Point], styles: Styles = STATUS_STYLE) -> Group:
    """Gmail's sender requirements (Postmaster Tools v2), those that need work first
    (Google's NEEDS_WORK reads "TO FIX")."""
    rows = []
    for point in sorted(points, key=lambda p: (p.value, p.subject)):
        scope, _, requirement = point.subject.rpartition(" ")
        words = REQUIREMENTS.get(requirement, requirement.replace("_", " ").lower())
        text = plain(f"{words}{' (' + scope + ')' if scope else ''}")
        if point.note:
            text.append(" · ").append_text(plain(point.note, style="dim"))
        status = "ok" if point.value >= 1 else "warning"
        word = Text("ok" if status == "ok" else "TO FIX", style=styles[status])
        rows.append((word, text))
    newest = max((p.at for p in points), default=None)
    when = f", as of {stamp(newest)}" if newest else ""
    group = _list(f"Gmail sender requirements (Postmaster Tools v2{when})", rows, "")
    return Group(group, Text(V2_GAP, style="dim"))
