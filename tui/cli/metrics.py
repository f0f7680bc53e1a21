"""``email-crisis metrics``: deliverability points of an incident (step 6, monitor).

metrics import ID FILE [--source S] [--domain D] [--map NAME=STANDARD_METRIC]... [--query Q]
                                                  read an export, say what was skipped
metrics show ID [--metric M] [--window W] [--format table|json]
metrics add ID --metric M --value V [--time T] [--note N]
metrics review ID [--language en|fr]               before/after in words + checklist
metrics thresholds                                 the thresholds in force, with sources
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import click
from rich.cells import cell_len

from email_crisis.core.base.clock import format_local, to_iso
from email_crisis.core.base.text import visible
from email_crisis.core.monitor import caution, thresholds
from email_crisis.core.monitor.importers import DOC_URLS, SOURCES
from email_crisis.core.monitor.metric_ids import METRICS, WINDOWS, format_value, parse_metric
from email_crisis.core.monitor.metrics import (
    add_point,
    badge,
    describe_import,
    import_file,
    points,
    window_start,
)
from email_crisis.core.monitor.store import Point
from email_crisis.tui.cli.common import (
    INCIDENT_ID,
    PROG,
    MomentType,
    json_text,
    now,
    one_line,
    opened,
    operator_name,
    store_options,
)

HEADERS = ("TIME", "METRIC", "VALUE", "STATUS", "SOURCE", "SUBJECT", "NOTE")
NO_THRESHOLD = "-"


def _emit(lines: Sequence[str]) -> None:
    click.echo("\n".join(visible(line) for line in lines))


def _metric_names(_ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> tuple:
    try:
        return tuple(parse_metric(value) for value in values)
    except ValueError as error:
        raise click.BadParameter(str(error), param=param) from None


@click.group(name="metrics")
def metrics() -> None:
    """Deliverability signals of an incident: import, show, add, review (step 6)."""


@metrics.command(name="import")
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.argument("file", metavar="FILE")
@click.option(
    "--source",
    type=click.Choice(SOURCES),
    help="Format of FILE (detected when omitted): " + ", ".join(SOURCES) + ".",
)
@click.option("--domain", metavar="DOMAIN", help="Sending domain the figures are about.")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="NAME=STANDARD_METRIC",
    help="Postmaster v2: what a metric name of the query means, e.g. my_spam=SPAM_RATE "
    "or dkim_ok=AUTH_SUCCESS_RATE:dkim (repeat for several).",
)
@click.option(
    "--query",
    metavar="FILE",
    help="Postmaster v2: the domainStats:query request body that produced FILE.",
)
@store_options
def import_(
    incident_id: int,
    file: str,
    source: str | None,
    domain: str | None,
    mapping: tuple[str, ...],
    query: str | None,
    db: str | None,
    operator: str | None,
) -> None:
    """Import an export FILE into incident ID's timeline (all of it, or nothing)."""
    with opened(db) as store:
        report = import_file(
            store,
            incident_id,
            file,
            operator=operator_name(operator),
            source=source,
            domain=domain,
            mapping=mapping,
            query=query,
        )
    _emit(describe_import(report))


def point_record(point: Point, rules: thresholds.Thresholds) -> dict[str, Any]:
    """The JSON object for one point, with its status and the threshold behind it."""
    judgement = rules.judge(point.metric, point.value, point.qualifier)
    band = judgement.band
    return {
        "metric": point.metric,
        "time": to_iso(point.at),
        "value": point.value,
        "qualifier": point.qualifier or None,
        "unit": METRICS[point.metric].unit if point.metric in METRICS else "",
        "display": format_value(point.metric, point.value, point.qualifier),
        "source": point.source,
        "subject": point.subject or None,
        "domain": point.domain or None,
        "status": judgement.status,
        "judged": judgement.judged,
        "threshold": None
        if band is None
        else {
            "status": band.status,
            "label": band.label,
            "sources": list(band.sources),
            "reviewed": band.reviewed.isoformat(),
        },
        "note": point.note or None,
    }


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(cell_len(row[i]) for row in [HEADERS, *rows]) for i in range(len(HEADERS) - 1)]
    return [
        "  ".join(
            [cell + " " * (widths[i] - cell_len(cell)) for i, cell in enumerate(row[:-1])]
            + [row[-1]]
        ).rstrip()
        for row in [HEADERS, *rows]
    ]


@metrics.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option(
    "--metric",
    "metric_names",
    multiple=True,
    callback=_metric_names,
    metavar="M",
    help="Only this metric (repeat for several).",
)
@click.option(
    "--window",
    type=click.Choice(list(WINDOWS)),
    default="all",
    show_default=True,
    help="Only the last 24 hours, 7 or 30 days.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@store_options
def show(
    incident_id: int,
    metric_names: tuple[str, ...],
    window: str,
    fmt: str,
    db: str | None,
    operator: str | None,
) -> None:
    """Show incident ID's points with their threshold status (ok, warning, critical)."""
    rules = thresholds.load()
    with opened(db) as store:
        store.get_incident(incident_id)
        since = window_start(window, now())
        found = points(store, incident_id, metrics=metric_names, since=since)
    if fmt == "json":
        records = [point_record(p, rules) for p in found]
        click.echo(json_text(records))
        return
    if not found:
        click.echo(
            f"No points for incident {incident_id} in this window. "
            f"Import some with: {PROG} metrics import {incident_id} FILE"
        )
        return
    rows = []
    for p in found:
        judgement = rules.judge(p.metric, p.value, p.qualifier)
        status = judgement.status if judgement.judged else NO_THRESHOLD
        rows.append(
            (format_local(p.at), p.metric, format_value(p.metric, p.value, p.qualifier),
             status.upper() if status == "critical" else status, p.source,
             one_line(p.subject), one_line(p.note, ""))
        )  # fmt: skip
    _emit(_table(rows))
    click.echo(f"({len(found)} point(s); times in local time; {NO_THRESHOLD} = no threshold)")


@metrics.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option("--metric", required=True, metavar="M", help="Metric id, e.g. complaint_rate.")
@click.option("--value", required=True, metavar="V", help="0.41 or 0.41% for rates, HIGH...")
@click.option(
    "--time",
    "at",
    type=MomentType(),
    help="When it was measured, e.g. 2026-11-27T09:00Z (default: now; no offset = local).",
)
@click.option("--note", default="", metavar="TEXT", help="Where the figure comes from.")
@store_options
def add(
    incident_id: int,
    metric: str,
    value: str,
    at: datetime | None,
    note: str,
    db: str | None,
    operator: str | None,
) -> None:
    """Record one value by hand (source: manual)."""
    rules = thresholds.load()
    with opened(db) as store:
        point = add_point(
            store,
            incident_id,
            metric=metric,
            at=at or now(),
            value=value,
            operator=operator_name(operator),
            note=note,
        )
    status = rules.judge(point.metric, point.value, point.qualifier)
    shown = format_value(point.metric, point.value)
    verdict = status.status if status.judged else "no threshold"
    click.echo(
        f"Incident {incident_id}: {point.metric} {shown} at {format_local(point.at)} "
        f"recorded ({verdict})."
    )


@metrics.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option(
    "--language", type=click.Choice(list(caution.LANGUAGES)), default="en", show_default=True
)
@store_options
def review(incident_id: int, language: str, db: str | None, operator: str | None) -> None:
    """Before/after the incident in words, and the checklist for the next send."""
    with opened(db) as store:
        incident = store.get_incident(incident_id)
        moment = now()
        comparisons = caution.compare(store, incident, now=moment, language=language)
        items = caution.checklist(store, incident, now=moment, language=language)
        worst = badge(store, incident_id)
    lines = [f"Incident {incident_id}: deliverability {worst or 'not measured yet'}", ""]
    lines += [f"  [{c.status}] {c.sentence}" for c in comparisons] or ["  (no points yet)"]
    lines += ["", "Next send:"]
    for item in items:
        lines.append(f"  [{item.level}] {item.text}")
        if item.why:
            lines.append(f"      {item.why}")
    _emit(lines)


@metrics.command(name="thresholds")
def thresholds_() -> None:
    """The thresholds in force, with their sources (override: EMAIL_CRISIS_THRESHOLDS)."""
    rules = thresholds.load()
    lines = []
    for metric, bands in rules.bands.items():
        lines.append(f"{metric}  (from {rules.origin.get(metric, '?')})")
        for band in bands:
            at = format_value(metric, band.at)
            where = "at or below" if METRICS[metric].worse == "lower" else "from"
            lines.append(f"  {band.status:<8} {where} {at}: {band.label}")
            lines.append(f"           source {', '.join(band.sources)} (reviewed {band.reviewed})")
    lines.append("")
    lines.append("Import formats:")
    for source, url in DOC_URLS.items():
        described = url or "time,metric,value CSV (see core/monitor/metrics.py)"
        lines.append(f"  {source:<10} {described}")
    _emit(lines)
