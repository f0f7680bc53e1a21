"""SendGrid (Twilio) Event Webhook JSON, aggregated into hourly rates.

Format: https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event

Each Event Webhook POST is a JSON array of events such as
``{"email": ..., "timestamp": 1513299569, "event": "delivered", "sg_event_id": ...}``
(``timestamp`` in Unix seconds). A file may hold one array, one array per line (POST
bodies appended to a log), or one event per line. Mapping (see ``_events`` for rates):

- ``processed`` → sent; ``delivered`` → delivered;
- ``bounce`` → hard bounce, except ``"type": "blocked"`` → soft bounce (a block);
- ``spamreport`` → complaint; ``unsubscribe`` and ``group_unsubscribe`` → unsubscribe;
- ``deferred`` (retried), ``dropped`` (never sent), opens and clicks are skipped.

Events repeated by webhook retries are counted once (same ``sg_event_id``).
"""

from __future__ import annotations

from typing import TextIO

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

SOURCE = "sendgrid"
DOC_URL = "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event"
MARKERS = ('"sg_event_id"', '"sg_message_id"', '"smtp-id"')

_OUTCOMES = {
    "processed": SENT,
    "delivered": DELIVERED,
    "spamreport": COMPLAINT,
    "unsubscribe": UNSUBSCRIBE,
    "group_unsubscribe": UNSUBSCRIBE,
}
_SKIPS = {
    "open": SKIP_ENGAGEMENT,
    "click": SKIP_ENGAGEMENT,
    "deferred": SKIP_RETRY,
    "dropped": SKIP_NOT_SENT,
}


def parse(stream: TextIO, name: str) -> Parsed:
    """Read SendGrid events from ``stream`` (named ``name`` in messages)."""
    parsed = Parsed(SOURCE)
    tally = HourlyTally()
    outcomes, skips, add, duplicate = _OUTCOMES, _SKIPS, tally.add, tally.duplicate
    count = 0
    for number, line, item, event in events(json_records(stream, name), name, ()):
        count += 1
        kind = event.get("event")
        if type(kind) is not str:
            raise problem(name, event_where(number, line, item), "the event has no 'event' field.")
        outcome = outcomes.get(kind)
        if outcome is None and kind == "bounce":
            outcome = SOFT if event.get("type") == "blocked" else HARD
        if outcome is None:
            tally.skip(skips.get(kind, SKIP_OTHER))
            continue
        # Only counted events are remembered: opens and clicks need no id in memory.
        if duplicate(event.get("sg_event_id")):
            continue
        stamp = event.get("timestamp")
        if type(stamp) is int and 0 <= stamp < 10_000_000_000:  # the usual case, kept fast
            add(stamp // 3600, outcome)
        else:
            add(hour_of(stamp, name=name, where=event_where(number, line, item)), outcome)
    parsed.records = count
    return tally.into(parsed)
