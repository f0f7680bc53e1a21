"""How the CLI prints incidents and templates: JSON records, the aligned table, the
detail view, the template listing.

Everything a person typed or imported goes through ``visible`` before it reaches the
terminal, so an escape sequence in a title shows as a stand-in instead of acting.
The CLI prints with ``click.echo`` (never Rich), so markup such as ``[bold]`` stays literal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.cells import cell_len

from email_crisis.core.base.clock import format_local, humanize, to_iso
from email_crisis.core.base.domain import KINDS, STEP_LABELS, Event, Incident
from email_crisis.core.base.text import visible
from email_crisis.core.close.events_text import describe
from email_crisis.core.store.database import Statement
from email_crisis.tui.cli.common import one_line

ELLIPSIS = "…"
MIN_TITLE_WIDTH = 12
HEADERS = ("ID", "SEV", "STEP", "KIND", "COMMANDER", "AGE", "TITLE")


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, or ``None``."""
    return to_iso(moment) if moment is not None else None


def incident_record(incident: Incident) -> dict[str, Any]:
    """The JSON object for one incident (times in UTC, ISO 8601, or null)."""
    return {
        "id": incident.id,
        "title": incident.title,
        "kind": incident.kind,
        "severity": incident.severity,
        "step": incident.step,
        "commander": incident.commander,
        "created_by": incident.created_by,
        "detected_at": iso(incident.detected_at),
        "acknowledged_at": iso(incident.acknowledged_at),
        "contained_at": iso(incident.contained_at),
        "notified_at": iso(incident.notified_at),
        "resolved_at": iso(incident.resolved_at),
        "updated_at": iso(incident.updated_at),
        "version": incident.version,
    }


def event_record(event: Event) -> dict[str, Any]:
    """The JSON object for one event, with its plain-English description."""
    return {
        "id": event.id,
        "at": iso(event.at),
        "operator": event.operator,
        "type": event.type,
        "details": event.details,
        "text": describe(event),
    }


def statement_record(statement: Statement, number: int) -> dict[str, Any]:
    """The JSON object for the latest internal statement."""
    return {
        "version": number,
        "at": iso(statement.at),
        "operator": statement.operator,
        "body": statement.body,
    }


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` terminal cells, ending with an ellipsis when cut."""
    if cell_len(text) <= width:
        return text
    kept = ""
    for char in text:
        if cell_len(kept + char) + 1 > width:
            break
        kept += char
    return kept + ELLIPSIS


def _pad(text: str, width: int) -> str:
    # ljust counts characters; wide (CJK) characters take two cells.
    return text + " " * max(0, width - cell_len(text))


def table(incidents: Sequence[Incident], *, now: datetime, width: int | None) -> list[str]:
    """Aligned rows under a header; the title is cut to fit ``width`` when given."""
    rows = [
        (
            str(i.id),
            i.severity,
            "resolved" if i.resolved_at else one_line(i.step),
            one_line(i.kind),
            one_line(i.commander),
            humanize(now - i.detected_at),
            one_line(i.title),
        )
        for i in incidents
    ]
    widths = [max(cell_len(row[n]) for row in [HEADERS, *rows]) for n in range(len(HEADERS) - 1)]
    title_room = None
    if width:
        title_room = max(MIN_TITLE_WIDTH, width - sum(widths) - 2 * len(widths))
    lines = []
    for row in [HEADERS, *rows]:
        cells = [_pad(cell, widths[n]) for n, cell in enumerate(row[:-1])]
        title = truncate(row[-1], title_room) if title_room else row[-1]
        lines.append("  ".join([*cells, title]).rstrip())
    return lines


def _when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "—"
    return f"{format_local(moment)}  ({humanize(now - moment)} ago)"


def detail(
    incident: Incident,
    statement: Statement | None,
    statement_count: int,
    events: Sequence[Event],
    *,
    now: datetime,
) -> list[str]:
    """The ``show`` text: fields, timestamps (local time), statement and event log."""
    lines = [
        f"Incident {incident.id}: {one_line(incident.title)}",
        f"  kind          {one_line(incident.kind)} ({KINDS.get(incident.kind, '?')})",
        f"  severity      {incident.severity}",
        f"  step          {STEP_LABELS.get(incident.step, one_line(incident.step))}"
        + ("  [resolved]" if incident.resolved_at else ""),
        f"  commander     {one_line(incident.commander, '—')}",
        f"  declared by   {one_line(incident.created_by)}",
        f"  detected      {_when(incident.detected_at, now)}",
        f"  acknowledged  {_when(incident.acknowledged_at, now)}",
        f"  contained     {_when(incident.contained_at, now)}",
        f"  notified      {_when(incident.notified_at, now)}",
        f"  resolved      {_when(incident.resolved_at, now)}",
        f"  version       {incident.version}",
        "",
    ]
    if statement is None:
        lines.append("Internal statement: none yet.")
    else:
        lines.append(
            f"Internal statement (version {statement_count}, by {one_line(statement.operator)}, "
            f"{format_local(statement.at)}):"
        )
        lines += [f"  {visible(line)}".rstrip() for line in statement.body.splitlines()]
    lines += ["", f"Event log ({len(events)}):"]
    for event in events:
        lines.append(
            f"  {format_local(event.at)}  {one_line(event.operator)}: "
            f"{visible(describe(event), single_line=True)}"
        )
    return lines


def template_names(folder: Path) -> list[str]:
    """The ``.j2`` templates under ``folder``, as the Jinja2 loader names them."""
    import jinja2  # only the templates command needs it

    names = jinja2.FileSystemLoader(str(folder)).list_templates()
    return sorted(name for name in names if name.endswith(".j2"))


def template_listing(org: Path, shipped: Path, shipped_names: Sequence[str]) -> list[str]:
    """The ``templates`` text: the organisation's folder first, as the loader searches."""
    org_names = template_names(org) if org.is_dir() else []
    lines = [f"Organisation templates ({one_line(str(org))}):"]
    if not org_names:
        lines.append("  none" + ("" if org.is_dir() else " (folder does not exist)"))
    lines += [f"  {one_line(name)}" for name in org_names]
    lines.append(f"Shipped templates ({one_line(str(shipped))}):")
    for name in shipped_names:
        overridden = "  (overridden by the organisation's)" if name in org_names else ""
        lines.append(f"  {one_line(name)}{overridden}")
    return lines
