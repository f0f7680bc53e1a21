"""Board metrics, checked by hand against a fixture that covers every counting rule."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from email_crisis.core.close import lifecycle, stats
from email_crisis.core.own import incidents as ops
from email_crisis.core.plan.store import IncidentTimes, incident_times
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.plan.helpers import Moving

M, H, D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
NOW = FROZEN_NOW


def _times(
    id: int,
    detected_ago: timedelta,
    ack: timedelta | None = None,
    contain: timedelta | None = None,
    notify: timedelta | None = None,
    resolve: timedelta | None = None,
    first_resolve: timedelta | None = None,
    reopens: int = 0,
) -> IncidentTimes:
    detected = NOW - detected_ago

    def at(offset: timedelta | None) -> datetime | None:
        return None if offset is None else detected + offset

    return IncidentTimes(
        id=id,
        detected_at=detected,
        acknowledged_at=at(ack),
        contained_at=at(contain),
        notified_at=at(notify),
        resolved_at=at(resolve),
        first_resolved_at=at(first_resolve if first_resolve is not None else resolve),
        reopen_count=reopens,
    )


RECORDS = [
    _times(1, 2 * D, ack=10 * M, contain=H, notify=5 * H, resolve=D),
    _times(2, 10 * D, ack=30 * M, contain=2 * H, resolve=3 * D),  # closed without notifying
    _times(3, 5 * D),  # never acknowledged, still open
    _times(
        4,
        20 * D,
        ack=20 * M,
        contain=40 * M,
        notify=D,
        resolve=6 * D,
        first_resolve=2 * D,
        reopens=1,
    ),  # reopened, then resolved again
    _times(5, 3 * D, ack=5 * M, first_resolve=D, reopens=1),  # reopened and open again
    _times(6, 60 * D, ack=2 * H, contain=3 * H, notify=D, resolve=10 * D),  # only in 90 days
    _times(7, 100 * D, ack=M, resolve=H),  # outside both windows
    _times(8, D, resolve=H),  # false alarm: resolved without anything else
]


def _figures(window: stats.WindowStats, name: str) -> tuple:
    m = window.measure(name)
    return (
        m.count,
        m.median,
        m.worst,
        m.worst_incident,
        m.pending,
        m.longest_pending,
        m.longest_pending_incident,
        m.skipped,
    )


def test_the_30_day_window_by_hand() -> None:
    window = stats.window_stats(RECORDS, NOW, 30)
    assert (window.incidents, window.open, window.reopened) == (6, 2, 2)
    # ack: 5m, 10m, 20m, 30m -> median 15m; #3 pending 5 days; #8 skipped
    assert _figures(window, "acknowledge") == (4, 15 * M, 30 * M, 2, 1, 5 * D, 3, 1)
    # contain: 40m, 1h, 2h -> 1h; #3 and #5 pending (5d, 3d); #8 skipped
    assert _figures(window, "contain") == (3, H, 2 * H, 2, 2, 5 * D, 3, 1)
    # notify: 5h, 1d -> 14h 30m; #2 and #8 were resolved without it
    assert _figures(window, "notify") == (2, 14 * H + 30 * M, D, 4, 2, 5 * D, 3, 2)
    # resolve: 1h, 1d, 3d, 6d (#4 to its last resolution) -> 2d; #5 reopened so pending
    assert _figures(window, "resolve") == (4, 2 * D, 6 * D, 4, 2, 5 * D, 3, 0)


def test_the_90_day_window_by_hand() -> None:
    window = stats.window_stats(RECORDS, NOW, 90)
    assert (window.incidents, window.open, window.reopened) == (7, 2, 2)
    assert _figures(window, "acknowledge") == (5, 20 * M, 2 * H, 6, 1, 5 * D, 3, 1)
    assert _figures(window, "contain") == (4, 90 * M, 3 * H, 6, 2, 5 * D, 3, 1)
    # notify: 5h, 1d (#4), 1d (#6): the tie for worst goes to the lower id
    assert _figures(window, "notify") == (3, D, D, 4, 2, 5 * D, 3, 2)
    assert _figures(window, "resolve") == (5, 3 * D, 10 * D, 6, 2, 5 * D, 3, 0)


def test_the_window_includes_its_first_instant() -> None:
    edge = [_times(1, 30 * D, ack=M), _times(2, 30 * D + timedelta(seconds=1), ack=M)]
    assert stats.window_stats(edge, NOW, 30).incidents == 1


def test_no_incidents_gives_no_figures() -> None:
    window = stats.window_stats([], NOW, 30)
    assert window.incidents == 0
    assert _figures(window, "acknowledge") == (0, None, None, None, 0, None, None, 0)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [([], None), ([7], 7), ([1, 2], 1), ([3, 1, 2], 2), ([10, 1, 4, 3], 3)],
)
def test_median_rounds_down_to_the_second(seconds: list[int], expected: int | None) -> None:
    values = [timedelta(seconds=s) for s in seconds]
    result = stats.median(values)
    assert (None if result is None else int(result.total_seconds())) == expected


def test_json_has_the_exact_figures() -> None:
    data = stats.as_json(stats.compute(RECORDS, NOW), NOW)
    assert data["as_of"] == "2026-11-27T09:30:00+00:00"
    first = data["windows"][0]
    assert (first["days"], first["since"]) == (30, "2026-10-28T09:30:00+00:00")
    assert first["measures"]["notify"] == {
        "done": 2,
        "median_seconds": 52200,
        "worst_seconds": 86400,
        "worst_incident": 4,
        "pending": 2,
        "longest_pending_seconds": 432000,
        "longest_pending_incident": 3,
        "skipped": 2,
    }


def test_the_store_reads_reopens_from_the_event_log(store: Store) -> None:
    clock = Moving(NOW - 2 * D)
    store.clock = clock
    first = ops.declare(store, title="A", kind="other", operator="sam", detected_at=clock.moment)
    clock.moment += 15 * M
    first = ops.acknowledge(store, first, operator="sam")
    clock.moment += H
    first = lifecycle.resolve(store, first, "sam", reason="A false alarm, it seemed.")
    clock.moment += H
    first = lifecycle.reopen(store, first, "sam", "It came back an hour later.")
    clock.moment += 3 * H
    first = lifecycle.resolve(store, first, "sam", reason="Nobody was mailed after all.")
    clock.moment = NOW - 40 * D
    ops.declare(store, title="Old", kind="other", operator="sam", detected_at=clock.moment)
    clock.moment = NOW

    (record,) = incident_times(store, NOW - 30 * D)
    assert record.first_resolved_at == NOW - 2 * D + 75 * M
    assert record.resolved_at == NOW - 2 * D + 75 * M + 4 * H
    assert record.reopen_count == 1
    thirty, ninety = stats.load_metrics(store, NOW)
    assert (thirty.incidents, thirty.reopened, ninety.incidents) == (1, 1, 2)
    assert thirty.measure("resolve").worst == 75 * M + 4 * H
    assert thirty.measure("acknowledge").median == 15 * M
    assert ninety.measure("acknowledge").longest_pending == 40 * D
