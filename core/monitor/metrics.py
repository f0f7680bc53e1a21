"""Deliverability metrics for step 6 (monitor): ids and units, and the public API.

Metric ids (stored values are in the unit shown; rates are percentages, 0.41 = 0.41%)::

    complaint_rate       %         spam complaints / delivered (Postmaster, SNDS, ESP events)
    hard_bounce_rate     %         permanent bounces / messages with an outcome
    soft_bounce_rate     %         temporary-type bounces and blocks / messages with an outcome
    delivery_rate        %         delivered / messages with an outcome
    unsubscribe_rate     %         unsubscribes / delivered
    inbox_placement      %         share that reached the inbox (seed tests; manual or CSV)
    delivery_error_rate  %         Gmail delivery errors / traffic (Postmaster)
    spf_pass_rate        %         (and dkim_pass_rate, dmarc_pass_rate) Postmaster
    domain_reputation    level     BAD 0, LOW 1, MEDIUM 2, HIGH 3 (Postmaster)
    ip_reputation        level     worst category holding IPs, same levels (Postmaster)
    snds_filter          level     RED 0, YELLOW 1, GREEN 2 (Microsoft SNDS)
    trap_hits            hits      spam-trap hits (SNDS)
    gmail_compliance     level     NEEDS_WORK 0, COMPLIANT 1, one series per requirement
                                   (subject: SPF, ONE_CLICK_UNSUBSCRIBE...; Postmaster v2)
    volume               messages  messages sent in the period of the point

ESP events become hourly points: bounces and deliveries over the messages that had an
outcome in that hour, complaints and unsubscribes over that hour's deliveries (the
reasons are in ``importers/_events.py``).

Times are stored in UTC. Offsets in files are converted; a time without a zone is
refused in CSV and ESP events. Formats that never carry a zone (SNDS, Postmaster days)
are read as UTC and the import report says so. ``metrics add --time`` without an
offset is local time, like every time typed at the CLI.

Public API (the CLI uses it; the Monitor panel builds on it):

- ``METRICS``, ``metric_info(id)``: the registry (labels in en/fr, unit, kind, levels).
- ``parse_metric(text)``, ``parse_value(metric, text)``, ``format_value(...)``.
- ``import_file(store, incident_id, path, operator=..., source=None, domain=None)``
  → ``ImportReport`` (source detected when None); ``describe_import(report)`` in words.
- ``add_point(store, incident_id, metric=..., at=..., value=..., operator=...)``: manual
  entry, source ``manual``.
- ``points(store, incident_id, metrics=(), since=None, until=None)`` → ``Point`` list;
  ``window_start(span, now)`` for the panel's spans in ``WINDOWS`` (24h, 7d, 30d, all);
  ``monitor.store.timeline(...)`` → ``(unix_seconds, value)`` for charts,
  ``monitor.store.timeline_buckets(...)`` → one row per screen column (mean/min/max),
  ``monitor.store.series_overview(...)`` lists the series an incident has.
- ``status_of(point)`` → ok | warning | critical; ``thresholds.load()`` gives the
  thresholds with their sources.
- ``badge(store, incident_id)`` → the worst status among the newest points, or None.
- ``caution.compare(...)`` (before/after in words) and ``caution.checklist(...)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from email_crisis.core.base.clock import format_local, from_iso
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import clean_line
from email_crisis.core.contain.store import STORAGE_HOSTS_KEY
from email_crisis.core.monitor.importers import ImportHints, read_file
from email_crisis.core.monitor.importers.checks import checked
from email_crisis.core.monitor.importers.postmaster_v2 import V2_NOTE
from email_crisis.core.monitor.metric_ids import (
    _DOMAIN,
    ESP_SOURCES,
    FUTURE_TOLERANCE,
    NOTE_MAX,
    WINDOWS,
    format_value,
    metric_label,
    parse_metric,
    parse_value,
)
from email_crisis.core.monitor.store import (
    NewPoint,
    Point,
    find_point,
    latest_points,
    latest_points_by_incident,
    query_points,
    save_points,
)
from email_crisis.core.monitor.thresholds import STATUSES, Thresholds, load
from email_crisis.core.store.database import Store

POSTMASTER_API_KEY = "postmaster_api"
"""Key of a ``metrics_imported`` event whose file held Postmaster Tools v2 records."""

if TYPE_CHECKING:
    from email_crisis.core.base.domain import Event


# -- importing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """What one import read, stored and skipped (counts only: no recipient data)."""

    file_name: str
    source: str
    detected: bool
    domain: str
    records: int
    points: int
    added: int
    updated: int
    unchanged: int
    skipped: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    storage_hosts: dict[str, list[str]] = field(default_factory=dict)


def check_domain(text: str | None) -> str:
    """A sending domain, lower case, or '' ; ``ValidationError`` for anything else."""
    domain = (text or "").strip().lower().rstrip(".")
    if domain and not _DOMAIN.fullmatch(domain):
        raise ValidationError(f"{domain[:60]!r} is not a domain name such as news.example.com.")
    return domain


def import_file(
    store: Store,
    incident_id: int | None,
    path: Path | str,
    *,
    operator: str,
    source: str | None = None,
    domain: str | None = None,
    mapping: Sequence[str] = (),
    query: Path | str | None = None,
) -> ImportReport:
    """Import one export file into the incident's timeline, all of it or nothing.

    ``mapping`` (``NAME=STANDARD_METRIC`` pairs) and ``query`` (the file of the request
    body) say what the metric names of a Postmaster v2 answer mean.

    The file is read and checked in full before anything is written (unknown metric,
    impossible value, time in the future, two different values for one time: an
    ``ImportProblem`` naming the file and the line or record). Then one transaction
    stores the points, the import row and the ``metrics_imported`` event. Importing
    the same file again adds nothing.
    """
    if incident_id is not None:
        store.get_incident(incident_id)  # NotFound before reading a large file
    hints = ImportHints.from_options(mapping, query)
    parsed, detected = read_file(Path(path).expanduser(), source, hints)
    name = Path(path).name
    chosen = check_domain(domain) or check_domain(parsed.domain)
    if incident_id is None and not chosen:
        raise ValidationError(f"{name}: points without an incident need a sending domain.")
    points, repeated = checked(parsed.points, name, store.clock())
    skipped = Counter(parsed.skipped)
    if repeated:
        skipped["repeated rows (same time, same value)"] += repeated
    details = {
        "file": name,
        "source": parsed.source,
        "detected": detected,
        "domain": chosen,
        "records": parsed.records,
        "points": len(points),
        "skipped": dict(skipped),
    }
    if V2_NOTE in parsed.notes:  # the Monitor panel says what v2 no longer reports
        details[POSTMASTER_API_KEY] = "v2"
    if parsed.storage_hosts:  # domains and hosts only: where Mailgun keeps their messages
        details[STORAGE_HOSTS_KEY] = {d: sorted(h) for d, h in sorted(parsed.storage_hosts.items())}
    saved = save_points(
        store,
        incident_id=incident_id,
        domain=chosen,
        source=parsed.source,
        points=points,
        operator=operator,
        event=("metrics_imported", details),
        file_name=name,
        records=parsed.records,
        skipped=skipped,
    )
    return ImportReport(
        name, parsed.source, detected, chosen, parsed.records, len(points),
        saved.added, saved.updated, saved.unchanged, dict(skipped), tuple(parsed.notes),
        details.get(STORAGE_HOSTS_KEY, {}),
    )  # fmt: skip


def describe_import(report: ImportReport) -> list[str]:
    """The import in a few lines: what was read, stored and skipped, and why."""
    how = "detected" if report.detected else "as given"
    domain = f", domain {report.domain}" if report.domain else ""
    lines = [
        f"Imported {report.file_name} ({report.source}, {how}{domain}): "
        f"{report.records:,} record(s) read, {report.points:,} point(s): "
        f"{report.added:,} added, {report.updated:,} updated, "
        f"{report.unchanged:,} already there.",
    ]
    if report.skipped:
        lines.append("Skipped:")
        lines += [f"  {count:,} {reason}" for reason, count in sorted(report.skipped.items())]
    lines += [f"Note: {note}" for note in report.notes]
    if report.storage_hosts:
        where = "; ".join(f"{d}: {', '.join(h)}" for d, h in report.storage_hosts.items())
        lines.append(
            f"Mailgun storage hosts kept for the stop call ({where}): a Mailgun stop for "
            "these domains goes straight to that host."
        )
    if report.updated and report.source in ESP_SOURCES:
        lines.append(
            f"Note: {report.updated:,} hourly value(s) from an earlier import were replaced. "
            "Each import recomputes whole hours: if this file and an earlier one are parts "
            "of one export, join them and import the whole."
        )
    return lines


def describe_event(event: Event) -> str | None:
    """Words for this module's events (``metrics_imported``, ``metric_added``), else None."""
    d = event.details
    if event.type == "metrics_imported":
        return (
            f"imported {d.get('file')} ({d.get('source')}): {d.get('added', 0)} point(s) "
            f"added, {d.get('updated', 0)} updated"
        )
    if event.type == "metric_added":
        value = format_value(d.get("metric", ""), float(d.get("value", 0)))
        at = d.get("at")
        moment = format_local(from_iso(at)) if isinstance(at, str) else "an unknown time"
        return f"recorded {metric_label(d.get('metric', ''))} {value} for {moment}"
    return None


# -- manual entry and reading ---------------------------------------------------------------


def add_point(
    store: Store,
    incident_id: int,
    *,
    metric: str,
    at: datetime,
    value: str | float,
    operator: str,
    note: str = "",
) -> Point:
    """Record one value by hand (source ``manual``), with its event."""
    try:
        metric_id = parse_metric(metric)
        number = parse_value(metric_id, value)
        text = clean_line(note, field="Note", max_length=NOTE_MAX) if note.strip() else ""
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if at.tzinfo is None:
        raise ValidationError("The time needs a time zone (for example +00:00).")
    if at > store.clock() + FUTURE_TOLERANCE:
        raise ValidationError("The time is in the future.")
    existing = find_point(store, incident_id, metric=metric_id, at=at, source="manual")
    if existing is not None:
        raise ValidationError(
            f"{metric_id} already has a manual value at that time "
            f"({format_value(metric_id, existing.value)})."
        )
    details = {"metric": metric_id, "at": at.isoformat(), "value": number, "note": text}
    save_points(
        store,
        incident_id=incident_id,
        domain="",
        source="manual",
        points=[NewPoint(metric_id, at, number, note=text)],
        operator=operator,
        event=("metric_added", details),
    )
    found = find_point(store, incident_id, metric=metric_id, at=at, source="manual")
    assert found is not None
    return found


def window_start(span: str, now: datetime) -> datetime | None:
    """Where a window of ``span`` (24h, 7d, 30d, all) starts; None for all."""
    if span not in WINDOWS:
        raise ValueError(f"unknown window {span!r}; use one of: {', '.join(WINDOWS)}")
    length = WINDOWS[span]
    return None if length is None else now - length


def points(
    store: Store,
    incident_id: int,
    *,
    metrics: tuple[str, ...] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Point]:
    """The incident's points in time order (``since`` inclusive, ``until`` exclusive)."""
    return query_points(store, incident_id=incident_id, metrics=metrics, since=since, until=until)


def status_of(point: Point, thresholds: Thresholds | None = None) -> str:
    """ok, warning or critical for one point (ok when no threshold covers the metric)."""
    return (thresholds or load()).judge(point.metric, point.value, point.qualifier).status


def badges(store: Store, thresholds: Thresholds | None = None) -> dict[int, str]:
    """``badge`` for every incident that has points, in one query (for the board)."""
    rules = thresholds or load()
    return {
        incident_id: max(
            (rules.judge(p.metric, p.value, p.qualifier).status for p in latest),
            key=STATUSES.index,
        )
        for incident_id, latest in latest_points_by_incident(store).items()
    }


def badge(store: Store, incident_id: int, thresholds: Thresholds | None = None) -> str | None:
    """The worst status among the incident's newest points; None when it has no points.

    One query on a partial index (``is_latest``): cheap enough for every board row.
    """
    latest = latest_points(store, incident_id)
    if not latest:
        return None
    rules = thresholds or load()
    statuses = [rules.judge(p.metric, p.value, p.qualifier).status for p in latest]
    return max(statuses, key=STATUSES.index)
