"""SparkPost (now Bird) message events, aggregated into hourly rates.

Formats: https://developers.sparkpost.com/api/events/ (Events API: pages of
``{"results": [{"type": "delivery", "timestamp": "2026-11-20T10:04:05.000Z",
"event_id": ..., ...}], "links": {...}, "total_count": ...}``), the same events on
https://docs.bird.com/api/email-api/events, and webhook batches
``[{"msys": {"message_event": {...}}}]`` whose ``timestamp`` is Unix seconds as text.

The empty batch ``[{"msys": {}}]`` SparkPost posts when a webhook is created or tested
(webhooks.apib; gosparkpost ``events/sample-webhook-validation.json``) is skipped.

Mapping (see ``_events`` for rates):

- ``injection`` → sent; ``delivery`` → delivered;
- ``bounce`` and ``out_of_band`` by ``bounce_class``: 10, 30 and 90 (invalid recipient,
  no RCPT, unsubscribe) → hard bounce; 25 and 80 (Admin in SparkPost's bounce
  classification table: SparkPost itself refused, suppressed or cancelled the message,
  e.g. "554 5.7.1 [internal] Campaign cancelled") and 26 (assumed Admin too: not in
  the published table) → skipped; every other class, blocks (50-54) included → soft;
- an ``out_of_band`` bounce arrives after the receiving server accepted the message:
  when that ``delivery`` is in the file, the bounce replaces it (one outcome per
  message), so the message is not counted twice;
- ``spam_complaint`` → complaint; ``list_unsubscribe`` and ``link_unsubscribe`` →
  unsubscribe;
- ``delay`` (retried), rejections and generation failures (never sent), opens and
  clicks → skipped.
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
    SKIP_TEST,
    SOFT,
    UNSUBSCRIBE,
    HourlyTally,
    event_where,
    events,
    hour_of,
)

SOURCE = "sparkpost"
DOC_URL = "https://developers.sparkpost.com/api/events/"
MARKERS = ('"msys"', '"rcpt_to"', '"bounce_class"', '"injection_time"', '"message_event"')

HARD_CLASSES = frozenset({10, 30, 90})
ADMIN_CLASSES = frozenset({25, 26, 80})
_OUTCOMES = {
    "injection": SENT,
    "delivery": DELIVERED,
    "spam_complaint": COMPLAINT,
    "list_unsubscribe": UNSUBSCRIBE,
    "link_unsubscribe": UNSUBSCRIBE,
}
_SKIPS = {
    "delay": SKIP_RETRY,
    "policy_rejection": SKIP_NOT_SENT,
    "generation_failure": SKIP_NOT_SENT,
    "generation_rejection": SKIP_NOT_SENT,
    "open": SKIP_ENGAGEMENT,
    "initial_open": SKIP_ENGAGEMENT,
    "click": SKIP_ENGAGEMENT,
    "amp_open": SKIP_ENGAGEMENT,
    "amp_initial_open": SKIP_ENGAGEMENT,
    "amp_click": SKIP_ENGAGEMENT,
}


def _unwrap(record: dict) -> dict | None:
    """A webhook item ``{"msys": {"message_event": {...}}}`` → the inner event; ``None``
    for the empty test item ``{"msys": {}}``."""
    wrapper = record.get("msys")
    if isinstance(wrapper, dict):
        if not wrapper:
            return None
        inner = next(iter(wrapper.values()), None)
        return inner if isinstance(inner, dict) else {}
    return record


def _bounce(event: dict, name: str, where: str, tally: HourlyTally) -> int | None:
    raw = event.get("bounce_class")
    try:
        bounce_class = int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise problem(name, where, "the bounce has no numeric 'bounce_class'.") from None
    if bounce_class in ADMIN_CLASSES:
        tally.skip(SKIP_NOT_SENT)
        return None
    return HARD if bounce_class in HARD_CLASSES else SOFT


def parse(stream: TextIO, name: str) -> Parsed:
    """Read SparkPost events from ``stream`` (named ``name`` in messages)."""
    parsed = Parsed(SOURCE)
    tally = HourlyTally()
    for number, line, item, record in events(json_records(stream, name), name, ("results",)):
        parsed.records += 1
        event = _unwrap(record)
        if event is None:
            tally.skip(SKIP_TEST)
            continue
        where = event_where(number, line, item)
        kind = event.get("type")
        if not isinstance(kind, str):
            raise problem(name, where, "the event has no 'type' field.")
        if kind in ("bounce", "out_of_band"):
            outcome = _bounce(event, name, where, tally)
        else:
            outcome = _OUTCOMES.get(kind)
            if outcome is None:
                tally.skip(_SKIPS.get(kind, SKIP_OTHER))
        if outcome is None or tally.duplicate(event.get("event_id")):
            continue
        hour = hour_of(event.get("timestamp"), name=name, where=where)
        if outcome == DELIVERED:
            tally.delivered(event.get("message_id"), hour)
        elif kind == "out_of_band":
            tally.bounced_after_delivery(event.get("message_id"), hour, outcome)
        else:
            tally.add(hour, outcome)
    return tally.into(parsed)
