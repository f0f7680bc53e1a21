"""Time: UTC storage, local display, and human durations.

Everything that asks for "now" takes a ``Clock`` so that tests, screenshots and
the demo data can freeze time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


def frozen(at: datetime) -> Clock:
    """A clock that always answers ``at``."""
    fixed = at.astimezone(timezone.utc)
    return lambda: fixed


def to_iso(moment: datetime) -> str:
    """Format a datetime for storage: ISO 8601 in UTC with a ``Z``-free offset."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored; attach a timezone")
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def from_iso(text: str | None) -> datetime | None:
    """Parse a stored timestamp; ``None`` stays ``None``."""
    if text is None:
        return None
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def local(moment: datetime) -> datetime:
    """Convert to the machine's local time zone for display."""
    return moment.astimezone()


def format_local(moment: datetime | None, *, with_date: bool = True) -> str:
    """Show a moment in local time, or an em dash when absent."""
    if moment is None:
        return "—"
    shown = local(moment)
    return shown.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def humanize(delta: timedelta) -> str:
    """A compact duration: ``45s``, ``12m``, ``3h 05m``, ``2d 04h``."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 60:
        return f"{sign}{seconds}s"
    minutes, _ = divmod(seconds, 60)
    if minutes < 60:
        return f"{sign}{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{sign}{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{sign}{days}d {hours:02d}h"
