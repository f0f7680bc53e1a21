"""Time: UTC storage, local display (TZ pinned to UTC by conftest) and durations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from email_crisis.core.base.clock import format_local, from_iso, frozen, humanize, to_iso, utc_now
from tests.conftest import FROZEN_NOW


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "0s"),
        (timedelta(seconds=1), "1s"),
        (timedelta(seconds=59), "59s"),
        (timedelta(seconds=59, milliseconds=999), "59s"),
        (timedelta(seconds=60), "1m"),
        (timedelta(seconds=119), "1m"),
        (timedelta(minutes=59, seconds=59), "59m"),
        (timedelta(hours=1), "1h 00m"),
        (timedelta(hours=3, minutes=5), "3h 05m"),
        (timedelta(hours=23, minutes=59), "23h 59m"),
        (timedelta(hours=24), "1d 00h"),
        (timedelta(days=2, hours=4), "2d 04h"),
        (timedelta(days=2, hours=4, minutes=59), "2d 04h"),
        (timedelta(days=400), "400d 00h"),
        (timedelta(seconds=-30), "-30s"),
        (timedelta(seconds=-90), "-1m"),
        (timedelta(hours=-3, minutes=-5), "-3h 05m"),
        (timedelta(days=-2, hours=-4), "-2d 04h"),
    ],
)
def test_humanize(delta: timedelta, text: str) -> None:
    assert humanize(delta) == text


def test_to_iso_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive datetimes are not stored"):
        to_iso(datetime(2026, 11, 27, 9, 30))


def test_to_iso_stores_utc_to_the_second() -> None:
    paris = timezone(timedelta(hours=1))
    moment = datetime(2026, 11, 27, 10, 30, 15, 999_999, tzinfo=paris)
    assert to_iso(moment) == "2026-11-27T09:30:15+00:00"


@pytest.mark.parametrize(
    "moment",
    [
        FROZEN_NOW,
        datetime(2000, 1, 1, tzinfo=timezone.utc),
        datetime(2026, 3, 29, 23, 59, 59, tzinfo=timezone(timedelta(hours=-7))),
    ],
)
def test_from_iso_round_trip(moment: datetime) -> None:
    back = from_iso(to_iso(moment))
    assert back == moment
    assert back is not None and back.utcoffset() == timedelta(0)


def test_from_iso_none_and_naive_text() -> None:
    assert from_iso(None) is None
    assert from_iso("2026-11-27T09:30:00") == FROZEN_NOW  # old rows without an offset: UTC


def test_frozen_clock_answers_the_same_utc_moment() -> None:
    clock = frozen(FROZEN_NOW.astimezone(timezone(timedelta(hours=5))))
    assert clock() == FROZEN_NOW
    assert clock().tzinfo == timezone.utc
    assert clock() is clock()


def test_utc_now_is_aware_and_current() -> None:
    now = utc_now()
    assert now.tzinfo == timezone.utc
    assert abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_format_local() -> None:
    assert format_local(None) == "—"
    assert format_local(FROZEN_NOW) == "2026-11-27 09:30"
    assert format_local(FROZEN_NOW, with_date=False) == "09:30"
