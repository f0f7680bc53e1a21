"""A plain CSV of ``time,metric,value`` rows, for anything the other importers do not read.

Format (this project's own; documented in ``core/monitor/metrics.py``)::

    time,metric,value,note
    2026-11-20T10:00Z,complaint_rate,0.41%,seed test panel
    2026-11-20,domain_reputation,LOW,

- The header row is required; its columns may come in any order; ``note`` is optional.
- ``metric`` is a metric id (``email-crisis metrics show`` lists them) or an alias.
- ``value`` is in the metric's unit: rates are percentages (``0.41`` or ``0.41%`` both
  mean 0.41%), reputations are words (``HIGH``) or levels, counts are whole numbers.
- ``time`` is ISO 8601 with ``Z`` or an offset; other offsets are converted to UTC. A
  time without a zone is refused, because guessing it would shift every point. A date
  alone (``2026-11-20``) is that whole day, stored at 00:00 UTC.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import TextIO

from email_crisis.core.monitor.importers._common import (
    ImportProblem,
    Parsed,
    RawPoint,
    csv_rows,
    header_key,
    instant,
    problem,
)
from email_crisis.core.monitor.metric_ids import parse_metric, parse_value

SOURCE = "csv"
DOC_URL = ""  # this project's own format, documented above and in core/monitor/metrics.py
REQUIRED = ("time", "metric", "value")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def looks_like_csv(head: str) -> bool:
    """Whether the first line of ``head`` looks like a ``time,metric,value`` header.

    Two of the three names are enough, so that a header missing one column is
    reported as such rather than as an unknown format.
    """
    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    return len(set(REQUIRED) & {header_key(cell) for cell in first.split(",")}) >= 2


def _time(text: str, name: str, where: str) -> datetime:
    if _DATE.fullmatch(text):
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    return instant(text, name=name, where=where)


def parse(stream: TextIO, name: str) -> Parsed:
    """Read ``time,metric,value`` rows from ``stream`` (named ``name`` in messages)."""
    parsed = Parsed(SOURCE)
    rows = csv_rows(stream, name)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ImportProblem(f"{name} is empty.") from None
    keys = [header_key(cell) for cell in header]
    missing = [column for column in REQUIRED if column not in keys]
    if missing:
        raise problem(
            name,
            "line 1",
            f"missing column(s): {', '.join(missing)} (the header must name time, metric, value).",
        )
    at, metric_at, value_at = (keys.index(column) for column in REQUIRED)
    note_at = keys.index("note") if "note" in keys else None
    for line, cells in rows:
        where = f"line {line}"
        if len(cells) < len(REQUIRED) or len(cells) <= max(at, metric_at, value_at):
            raise problem(name, where, f"{len(cells)} column(s); expected time, metric, value.")
        parsed.records += 1
        try:
            metric = parse_metric(cells[metric_at])
            value = parse_value(metric, cells[value_at])
        except ValueError as error:
            raise problem(name, where, str(error)) from None
        note = cells[note_at] if note_at is not None and note_at < len(cells) else ""
        parsed.points.append(
            RawPoint(metric, _time(cells[at], name, where), value, where, note=note)
        )
    return parsed
