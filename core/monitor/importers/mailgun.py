"""Mailgun events JSON, aggregated into hourly rates.

Formats: https://documentation.mailgun.com/docs/mailgun/user-manual/events/event-types
(event types) and the Events API, whose pages look like
``{"items": [{"event": "delivered", "timestamp": 1521472262.908181, "id": ...}], "paging": {...}}``
(``timestamp`` in Unix seconds with a fraction). Webhook bodies
``{"signature": {...}, "event-data": {...}}`` are read too, one per line or in an array,
and pages of the Logs API that replaces the Events API (``POST /v1/analytics/logs``:
``{"items": [...], "pagination": {...}}``, each item with ``@timestamp`` in ISO 8601 and
``storage.url`` as a list; mailgun/mailgun.js ``lib/Types/Logs/Logs.ts``).

The storage host of each event's ``storage.url`` is kept per sending domain (never the
address or the message key): Mailgun deletes a domain's queued messages only on that
host, so the Contain step's stop call goes there.

Mapping (see ``_events`` for rates):

- ``accepted`` → sent; ``delivered`` → delivered;
- ``failed`` with ``severity: permanent`` → hard bounce, except reason ``old`` (gave up
  after retries) and ``espblock`` → soft bounce, and the ``suppress-*`` reasons (Mailgun
  never sent it) → skipped;
- ``failed`` with ``severity: temporary`` (Mailgun retries) → skipped;
- ``complained`` → complaint; ``unsubscribed`` → unsubscribe;
- ``rejected`` (never sent), ``opened``, ``clicked``, ``stored`` → skipped.
"""

from __future__ import annotations

from typing import TextIO

from email_crisis.core.contain.esp.mailgun import storage_host_of
from email_crisis.core.monitor.importers._common import Parsed, json_records, problem
from email_crisis.core.monitor.importers._events import (
    COMPLAINT,
    DELIVERED,
    HARD,
    SENT,
    SKIP_ENGAGEMENT,
    SKIP_NOT_SENT,
    SKIP_OTHER,
    SKIP_RETRY,
    SOFT,
    UNSUBSCRIBE,
    HourlyTally,
    event_where,
    events,
    hour_of,
)

SOURCE = "mailgun"
DOC_URL = "https://documentation.mailgun.com/docs/mailgun/user-manual/events/event-types"
MARKERS = ('"event-data"', '"log-level"', '"delivery-status"', '"paging"', '"@timestamp"')

_OUTCOMES = {
    "accepted": SENT,
    "delivered": DELIVERED,
    "complained": COMPLAINT,
    "unsubscribed": UNSUBSCRIBE,
}
_SKIPS = {
    "opened": SKIP_ENGAGEMENT,
    "clicked": SKIP_ENGAGEMENT,
    "rejected": SKIP_NOT_SENT,
}
_SOFT_REASONS = frozenset({"old", "espblock"})


def _failure(event: dict, tally: HourlyTally) -> int | None:
    """The outcome of a ``failed`` event, or None when it is skipped."""
    if event.get("severity") != "permanent":
        tally.skip(SKIP_RETRY)
        return None
    reason = str(event.get("reason") or "")
    if reason.startswith("suppress-"):
        tally.skip(SKIP_NOT_SENT)
        return None
    return SOFT if reason in _SOFT_REASONS else HARD


def parse(stream: TextIO, name: str) -> Parsed:
    """Read Mailgun events from ``stream`` (named ``name`` in messages)."""
    parsed = Parsed(SOURCE)
    tally = HourlyTally()
    for number, line, item, record in events(json_records(stream, name), name, ("items",)):
        parsed.records += 1
        event = record.get("event-data", record)
        if not isinstance(event, dict) or not isinstance(event.get("event"), str):
            raise problem(name, event_where(number, line, item), "the event has no 'event' field.")
        kind = event["event"]
        _storage(event, parsed)
        outcome = _failure(event, tally) if kind == "failed" else _OUTCOMES.get(kind)
        if outcome is None:
            if kind != "failed":
                tally.skip(_SKIPS.get(kind, SKIP_OTHER))
            continue
        if tally.duplicate(event.get("id")):
            continue
        where = event_where(number, line, item)
        stamp = event.get("timestamp", event.get("@timestamp"))
        tally.add(hour_of(stamp, name=name, where=where), outcome)
    return tally.into(parsed)


def _storage(event: dict, parsed: Parsed) -> None:
    """Keep (domain, storage host) from ``storage.url`` (a string, or a list in Logs)."""
    storage = event.get("storage")
    urls = storage.get("url") if isinstance(storage, dict) else None
    for url in urls if isinstance(urls, list) else [urls]:
        found = storage_host_of(url)
        if found:
            parsed.storage_hosts.setdefault(found[0], set()).add(found[1])
