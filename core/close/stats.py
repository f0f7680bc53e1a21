"""Board metrics: how fast incidents are acknowledged, contained, notified and resolved.

Pure functions over ``IncidentTimes`` records (``plan.store.incident_times`` loads
them in one query). The rules, so that every figure can be checked by hand:

* **Window.** An incident belongs to the "last N days" when it was *detected* in
  ``[now - N days, now]``. Each incident counts once, in every window that holds it.
* **Measure.** Time from detection to the milestone: ``acknowledged_at``,
  ``contained_at``, ``notified_at`` or ``resolved_at``.
* **Done.** Incidents that reached the milestone give the ``median`` and the
  ``worst`` (longest). The median of an even count is the mean of the two middle
  values, rounded down to the whole second.
* **Pending.** Incidents still open that have not reached the milestone are not in
  the median or the worst (their time is not known yet); they are counted as
  ``pending``, with the age of the oldest one (``now - detected``), which is a
  lower bound of its eventual time.
* **Skipped.** Resolved incidents that never reached the milestone (closed without
  a notification, say) are counted as ``skipped`` and in no figure.
* **Reopened.** A reopen clears ``resolved_at``, so a reopened incident that is
  open again counts as pending for "resolve"; once resolved again, its time to
  resolve runs to the *last* resolution (the problem was not over before). Its
  other milestones keep their first values. ``reopened`` counts incidents whose
  event log holds at least one reopen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from email_crisis.core.base.clock import to_iso
from email_crisis.core.plan.store import IncidentTimes, incident_times
from email_crisis.core.store.database import Store

MEASURES: dict[str, str] = {
    "acknowledge": "acknowledged_at",
    "contain": "contained_at",
    "notify": "notified_at",
    "resolve": "resolved_at",
}
"""Measure name to the incident milestone it runs to (from detection)."""

MEASURE_LABELS: dict[str, str] = {
    "acknowledge": "Time to acknowledge",
    "contain": "Time to contain",
    "notify": "Time to notify",
    "resolve": "Time to resolve",
}

WINDOWS: tuple[int, ...] = (30, 90)


@dataclass(frozen=True)
class MeasureStats:
    """One measure over one window."""

    measure: str
    count: int
    median: timedelta | None
    worst: timedelta | None
    worst_incident: int | None
    pending: int
    longest_pending: timedelta | None
    longest_pending_incident: int | None
    skipped: int


@dataclass(frozen=True)
class WindowStats:
    """Every measure over the incidents detected in the last ``days`` days."""

    days: int
    since: datetime
    incidents: int
    open: int
    reopened: int
    measures: tuple[MeasureStats, ...]

    def measure(self, name: str) -> MeasureStats:
        """The figures of one measure (``acknowledge``, ``contain``, ``notify``, ``resolve``)."""
        return next(m for m in self.measures if m.measure == name)


def median(values: Sequence[timedelta]) -> timedelta | None:
    """The median, rounded down to the whole second; ``None`` for no values."""
    if not values:
        return None
    seconds = sorted(int(v.total_seconds()) for v in values)
    middle = len(seconds) // 2
    if len(seconds) % 2:
        return timedelta(seconds=seconds[middle])
    return timedelta(seconds=(seconds[middle - 1] + seconds[middle]) // 2)


def _longest(pairs: Iterable[tuple[timedelta, int]]) -> tuple[timedelta | None, int | None]:
    # Ties go to the lowest incident id, so the answer does not depend on row order.
    best: tuple[timedelta, int] | None = None
    for value, incident_id in pairs:
        if best is None or value > best[0] or (value == best[0] and incident_id < best[1]):
            best = (value, incident_id)
    return (best[0], best[1]) if best else (None, None)


def measure_stats(records: Sequence[IncidentTimes], measure: str, now: datetime) -> MeasureStats:
    """One measure over ``records`` (already limited to a window)."""
    field = MEASURES[measure]
    done: list[tuple[timedelta, int]] = []
    pending: list[tuple[timedelta, int]] = []
    skipped = 0
    for record in records:
        reached: datetime | None = getattr(record, field)
        if reached is not None:
            done.append((reached - record.detected_at, record.id))
        elif record.resolved_at is None:
            pending.append((now - record.detected_at, record.id))
        else:
            skipped += 1
    worst, worst_id = _longest(done)
    longest, longest_id = _longest(pending)
    return MeasureStats(
        measure=measure,
        count=len(done),
        median=median([value for value, _ in done]),
        worst=worst,
        worst_incident=worst_id,
        pending=len(pending),
        longest_pending=longest,
        longest_pending_incident=longest_id,
        skipped=skipped,
    )


def window_stats(records: Iterable[IncidentTimes], now: datetime, days: int) -> WindowStats:
    """Every measure over the records detected in ``[now - days, now]``."""
    since = now - timedelta(days=days)
    inside = [r for r in records if since <= r.detected_at <= now]
    return WindowStats(
        days=days,
        since=since,
        incidents=len(inside),
        open=sum(1 for r in inside if r.resolved_at is None),
        reopened=sum(1 for r in inside if r.reopen_count),
        measures=tuple(measure_stats(inside, name, now) for name in MEASURES),
    )


def compute(
    records: Sequence[IncidentTimes], now: datetime, windows: Sequence[int] = WINDOWS
) -> tuple[WindowStats, ...]:
    """The figures for each window (30 and 90 days by default)."""
    return tuple(window_stats(records, now, days) for days in windows)


def load_metrics(
    store: Store, now: datetime, windows: Sequence[int] = WINDOWS
) -> tuple[WindowStats, ...]:
    """Load the widest window's incidents in one query and compute every window."""
    records = incident_times(store, now - timedelta(days=max(windows)))
    return compute(records, now, windows)


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds())


def as_json(windows: Sequence[WindowStats], now: datetime) -> dict[str, Any]:
    """The figures as plain JSON data (durations in whole seconds, times in UTC ISO 8601)."""
    return {
        "as_of": to_iso(now),
        "windows": [
            {
                "days": w.days,
                "since": to_iso(w.since),
                "incidents": w.incidents,
                "open": w.open,
                "reopened": w.reopened,
                "measures": {
                    m.measure: {
                        "done": m.count,
                        "median_seconds": _seconds(m.median),
                        "worst_seconds": _seconds(m.worst),
                        "worst_incident": m.worst_incident,
                        "pending": m.pending,
                        "longest_pending_seconds": _seconds(m.longest_pending),
                        "longest_pending_incident": m.longest_pending_incident,
                        "skipped": m.skipped,
                    }
                    for m in w.measures
                },
            }
            for w in windows
        ],
    }
