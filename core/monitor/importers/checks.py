"""Checking what an importer read against the metric registry, before anything is written.

Shared by every source: unknown metrics, impossible values, times in the future and
two different values for one series at one time are refused with the file and the
line or record; a row repeated with the same value is dropped and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from email_crisis.core.base.text import visible
from email_crisis.core.monitor.importers._common import ImportProblem, RawPoint
from email_crisis.core.monitor.metric_ids import (
    FUTURE_TOLERANCE,
    NOTE_MAX,
    check_value,
    parse_metric,
)
from email_crisis.core.monitor.store import NewPoint


def checked(raw_points: Sequence[RawPoint], name: str, now: datetime) -> tuple[list[NewPoint], int]:
    """The points ready to store, and how many exact repeats were dropped."""
    seen: dict[tuple[str, str, datetime], tuple[float, str, str]] = {}
    points: list[NewPoint] = []
    repeated = 0
    for raw in raw_points:
        if raw.at is None:  # a status as of now: stored at the minute of the import
            raw = replace(raw, at=now.replace(second=0, microsecond=0))
        try:
            metric = parse_metric(raw.metric)
            value = check_value(metric, raw.value)
        except ValueError as error:
            raise ImportProblem(f"{name}, {raw.where}: {error}") from None
        if raw.at > now + FUTURE_TOLERANCE:
            raise ImportProblem(
                f"{name}, {raw.where}: {raw.at:%Y-%m-%d %H:%M} UTC is in the future "
                "(a wrong time zone or year?)."
            )
        key = (metric, raw.subject, raw.at)
        if key in seen:
            if seen[key][:2] == (value, raw.qualifier):
                repeated += 1
                continue
            raise ImportProblem(
                f"{name}, {raw.where}: {metric} at {raw.at:%Y-%m-%d %H:%M} UTC was already "
                f"given on {seen[key][2]} with another value; remove one of the two."
            )
        seen[key] = (value, raw.qualifier, raw.where)
        # Notes from files are kept, made printable (control characters become stand-ins).
        note = visible(raw.note.strip(), single_line=True)[:NOTE_MAX]
        points.append(NewPoint(metric, raw.at, value, raw.subject, raw.qualifier, note))
    return points, repeated
