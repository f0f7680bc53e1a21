"""Turning ESP message events into hourly rates.

Every ESP importer classifies each event into one of the outcomes below and hands it
to ``HourlyTally`` with the hour it happened in (UTC). Only counts are kept: the
recipient address in each event is never read into the tally, stored or logged.

Per hour, with ``outcomes = delivered + hard + soft`` (every message that left the ESP
ends in exactly one of them):

- ``volume``            messages sent: the export's send events (processed, injection,
                        accepted, Send) when it has any for that hour, else ``outcomes``;
- ``delivery_rate``     delivered / outcomes;
- ``hard_bounce_rate``  permanent bounces / outcomes (the rate ESPs such as SES judge);
- ``soft_bounce_rate``  final temporary-type bounces and blocks / outcomes;
- ``complaint_rate``    spam complaints / delivered of the same hour;
- ``unsubscribe_rate``  unsubscribes / delivered of the same hour.

``outcomes`` rather than send events is the denominator for bounces so that a message
sent at 10:59 and delivered at 11:00 cannot push a rate above 100%. Complaints and
unsubscribes arrive after delivery, so an hour with complaints but no deliveries has
no rate; such hours are reported as skipped, never guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

from email_crisis.core.monitor.importers._common import (
    Parsed,
    RawPoint,
    instant,
    problem,
    record_where,
)

SENT, DELIVERED, HARD, SOFT, COMPLAINT, UNSUBSCRIBE = range(6)

SKIP_ENGAGEMENT = "engagement events (opens, clicks) are not deliverability signals"
SKIP_RETRY = "temporary delays the ESP retried (the final outcome is counted instead)"
SKIP_NOT_SENT = "messages the ESP refused or suppressed before sending"
SKIP_DUPLICATE = "duplicate events (same event id seen earlier in the file)"
SKIP_OTHER = "other event types"
SKIP_SUPPRESSED_BY_SES = (
    "suppressed by SES (on a suppression list: SES never attempted them, and they do "
    "not count in its bounce or complaint rates)"
)
SKIP_TEST = "webhook test batches (empty events the ESP posts to check the endpoint)"
SKIP_OPT_IN = "subscription changes that are not unsubscribes (opt-ins, other topics)"
SKIP_NO_DELIVERIES = (
    "hourly rates left out: complaints or unsubscribes in an hour with no deliveries"
)
SKIP_LATE = "hourly rates left out: more complaints or unsubscribes than deliveries (late feedback)"


def events(
    records: Iterable[tuple[int, int, Any]], name: str, pages: tuple[str, ...]
) -> Iterator[tuple[int, int, int, dict[str, Any]]]:
    """Event objects as ``(number, line, item, event)``, with API pages opened.

    A record that is an API page (``{"items": [...]}``, keys in ``pages``) or a saved
    webhook POST (an array of events) yields each event with its 1-based ``item``;
    a plain event has ``item`` 0. ``event_where`` turns the three numbers into words
    only when a message needs them.
    """
    for number, line, record in records:
        if isinstance(record, dict):
            page = None
            for key in pages:
                page = record.get(key)
                if isinstance(page, list):
                    break
            else:
                yield number, line, 0, record
                continue
        elif isinstance(record, list):
            page = record
        else:
            raise problem(name, record_where(number, line), "expected an event object.")
        for index, item in enumerate(page, 1):
            if not isinstance(item, dict):
                raise problem(name, event_where(number, line, index), "expected an event object.")
            yield number, line, index, item


def event_where(number: int, line: int, item: int) -> str:
    """Words for the position of one event: ``record 3 (line 4), item 2``."""
    where = record_where(number, line)
    return f"{where}, item {item}" if item else where


def hour_of(raw: object, *, name: str, where: str) -> int:
    """The UTC hour (Unix seconds // 3600) of an event time (Unix seconds or ISO 8601)."""
    if raw is None:
        raise problem(name, where, "the event has no timestamp.")
    return int(instant(raw, name=name, where=where).timestamp()) // 3600


class HourlyTally:
    """Counts per UTC hour; event ids are remembered (as hashes) to drop duplicates."""

    def __init__(self) -> None:
        self.hours: dict[int, list[int]] = {}
        self.skipped: Counter[str] = Counter()
        self._seen: set[int] = set()
        self._delivered: dict[int, int] = {}  # hash of a message id -> hour of delivery

    def delivered(self, message_id: object, hour: int) -> None:
        """Count a delivery and remember its hour, so a later bounce can replace it."""
        self.add(hour, DELIVERED)
        if message_id:
            self._delivered[hash(str(message_id))] = hour

    def bounced_after_delivery(self, message_id: object, hour: int, outcome: int) -> None:
        """An out-of-band bounce: the message did not stay delivered. It replaces the
        delivery in that delivery's hour (each message has one outcome), or counts in
        its own hour when the delivery is not in the file."""
        delivered_in = self._delivered.pop(hash(str(message_id)), None) if message_id else None
        if delivered_in is None:
            self.add(hour, outcome)
            return
        self.add(delivered_in, DELIVERED, -1)
        self.add(delivered_in, outcome)

    def duplicate(self, event_id: object) -> bool:
        """True when this event id was already counted (webhook retries repeat events)."""
        if not event_id:
            return False
        key = hash(str(event_id))
        if key in self._seen:
            self.skipped[SKIP_DUPLICATE] += 1
            return True
        self._seen.add(key)
        return False

    def add(self, hour: int, outcome: int, count: int = 1) -> None:
        """Count ``count`` messages with ``outcome`` in ``hour`` (Unix seconds // 3600)."""
        counts = self.hours.get(hour)
        if counts is None:
            counts = self.hours[hour] = [0, 0, 0, 0, 0, 0]
        counts[outcome] += count

    def skip(self, reason: str, count: int = 1) -> None:
        """Count events that give no signal, grouped by a fixed reason."""
        self.skipped[reason] += count

    def into(self, parsed: Parsed) -> Parsed:
        """Add the hourly points and the skip counts to ``parsed``."""
        parsed.skipped.update(self.skipped)
        for hour in sorted(self.hours):
            sent, delivered, hard, soft, complaints, unsubscribes = self.hours[hour]
            at = datetime.fromtimestamp(hour * 3600, tz=timezone.utc)
            where = f"hour {at:%Y-%m-%d %H}:00 UTC"
            outcomes = delivered + hard + soft
            volume = sent or outcomes
            points = parsed.points
            if volume:
                points.append(RawPoint("volume", at, float(volume), where))
            if outcomes:
                points.append(RawPoint("delivery_rate", at, 100 * delivered / outcomes, where))
                points.append(RawPoint("hard_bounce_rate", at, 100 * hard / outcomes, where))
                points.append(RawPoint("soft_bounce_rate", at, 100 * soft / outcomes, where))
            feedback = (("complaint_rate", complaints), ("unsubscribe_rate", unsubscribes))
            for metric, count in feedback:
                if delivered and count <= delivered:
                    points.append(RawPoint(metric, at, 100 * count / delivered, where))
                elif count and not delivered:
                    parsed.skipped[SKIP_NO_DELIVERIES] += 1
                elif count:
                    parsed.skipped[SKIP_LATE] += 1
        return parsed
