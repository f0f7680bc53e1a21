"""Closing incidents and looking back: resolve, reopen, report, stats."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import click

from email_crisis.core.base.clock import humanize
from email_crisis.core.base.files import check_output, database_files, write_private
from email_crisis.core.close.report import FORMATS, build_report, render_report, when
from email_crisis.core.close.stats import WindowStats, as_json, load_metrics
from email_crisis.tui.cli.common import (
    INCIDENT_ID,
    PROG,
    force_option,
    json_text,
    now,
    one_line,
    opened,
    operator_name,
    refuse,
    store_options,
    sweep,
)

# -- resolve / reopen ----------------------------------------------------------------------


@click.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option("--summary", metavar="TEXT", help="What happened and how it ended (for the report).")
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why close it although something is still open (needed when anything is; recorded).",
)
@store_options
def resolve(
    incident_id: int, summary: str | None, reason: str | None, db: str | None, operator: str | None
) -> None:
    """Mark an incident resolved (it leaves the board; the report can be written).

    Open plan tasks, an apology not marked sent, a running breach-notification clock or
    a deliverability signal at warning or critical level are listed, and the incident
    is closed only with --reason (which goes into the postmortem).
    """
    from email_crisis.core.close.lifecycle import CloseNeedsReason
    from email_crisis.core.close.lifecycle import resolve as resolve_incident

    with opened(db) as store:
        incident = store.get_incident(incident_id)
        try:
            done = resolve_incident(
                store, incident, operator_name(operator), summary, reason=reason
            )
        except CloseNeedsReason as blocked:
            refuse(
                f"incident {incident_id} is not ready to close:",
                [w.text for w in blocked.warnings],
                f"To close it anyway: {PROG} resolve {incident_id} --reason TEXT "
                "(the reason and this list go into the postmortem).",
            )
    click.echo(f"Incident {incident_id} resolved at {when(done.resolved_at)}.")
    click.echo(f"Write the postmortem with: email-crisis report {incident_id}")


@click.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option("--reason", required=True, metavar="TEXT", help="Why it is open again (recorded).")
@store_options
def reopen(incident_id: int, reason: str, db: str | None, operator: str | None) -> None:
    """Open a resolved incident again, with the reason on the record."""
    from email_crisis.core.close.lifecycle import reopen as reopen_incident

    with opened(db) as store:
        incident = store.get_incident(incident_id)
        reopen_incident(store, incident, operator_name(operator), reason)
    click.echo(f"Incident {incident_id} reopened; it is back on the board.")


# -- report --------------------------------------------------------------------------------


@click.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="md", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@force_option
@store_options
def report(
    incident_id: int,
    fmt: str,
    output: str | None,
    force: bool,
    db: str | None,
    operator: str | None,
) -> None:
    """Write the postmortem of an incident (Markdown or a standalone HTML page).

    FILE is written with mode 0600; it is never the database or a link, and an
    existing FILE is replaced only with --force.
    """
    with opened(db) as store:
        path = Path(output).expanduser() if output is not None else None
        kept = database_files(store.path)
        if path is not None:
            check_output(path, force=force, protect=kept)  # before any work
        text = render_report(build_report(store, incident_id, store.clock()), fmt)
    if path is None:
        click.echo(text, nl=False)
        return
    sweep(path.parent)
    write_private(path, text, force=force, protect=kept)
    click.echo(f"Wrote the postmortem of incident {incident_id} to {one_line(str(path))}", err=True)


# -- stats ---------------------------------------------------------------------------------


def _span(value: timedelta | None, incident_id: int | None = None) -> str:
    if value is None:
        return "—"
    return humanize(value) + (f" (#{incident_id})" if incident_id is not None else "")


def stats_table(windows: Sequence[WindowStats]) -> list[str]:
    """The ``stats`` text: one block per window, one row per measure."""
    headers = ("MEASURE", "DONE", "MEDIAN", "WORST", "PENDING", "OLDEST PENDING", "SKIPPED")
    lines: list[str] = []
    for window in windows:
        if lines:
            lines.append("")
        lines.append(
            f"Last {window.days} days (detected since {when(window.since)}): "
            f"{window.incidents} incident(s), {window.open} open, {window.reopened} reopened"
        )
        rows = [
            (
                m.measure,
                str(m.count),
                _span(m.median),
                _span(m.worst, m.worst_incident),
                str(m.pending),
                _span(m.longest_pending, m.longest_pending_incident),
                str(m.skipped),
            )
            for m in window.measures
        ]
        widths = [max(len(row[n]) for row in [headers, *rows]) for n in range(len(headers))]
        for row in [headers, *rows]:
            cells = [
                cell.rjust(widths[n]) if n in (1, 4, 6) else cell.ljust(widths[n])
                for n, cell in enumerate(row)
            ]
            lines.append("  " + "  ".join(cells).rstrip())
    lines += [
        "",
        "Times run from detection. Median and worst count incidents that reached the "
        "milestone; pending ones are still open without it (oldest shown by age); "
        "skipped ones were resolved without it.",
    ]
    return lines


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@store_options
def stats(fmt: str, db: str | None, operator: str | None) -> None:
    """Time to acknowledge, contain, notify and resolve over the last 30 and 90 days."""
    moment = now()
    with opened(db) as store:
        windows = load_metrics(store, moment)
    if fmt == "json":
        click.echo(json_text(as_json(windows, moment)))
    else:
        click.echo("\n".join(stats_table(windows)))
