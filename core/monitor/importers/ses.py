"""Amazon SES notifications (bounce, complaint, delivery), aggregated into hourly rates.

Formats: https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
(``{"notificationType": "Bounce", "bounce": {"bounceType": "Permanent",
"bouncedRecipients": [...], "timestamp": ...}, "mail": {...}}``), the event-publishing
records of configuration sets (same shape with ``eventType``, plus ``Send``,
``Reject``, ``DeliveryDelay``, ``Subscription``...), either bare or inside the SNS
envelope ``{"Type": "Notification", "MessageId": ..., "Message": "<JSON text>"}``;
one per line, concatenated, or in an array.

One notification can cover several recipients: each recipient counts once (the
lists are only counted, never read). Mapping (see ``_events`` for rates):

- ``Send`` → sent; ``Delivery`` → delivered;
- ``Bounce``: ``Permanent`` → hard bounce; ``Transient`` and ``Undetermined`` → soft;
- ``Complaint`` → complaint; ``Subscription`` (list unsubscribe) → unsubscribe;
- ``Reject`` and ``Rendering Failure`` (never sent), ``DeliveryDelay`` (retried),
  ``Open``, ``Click`` and SNS subscription messages → skipped.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

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

SOURCE = "ses"
DOC_URL = "https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html"
MARKERS = (
    '"notificationType"',
    '"eventType"',
    '"bounceType"',
    '"complainedRecipients"',
    '"TopicArn"',
)

# kind -> (object holding the details, list counted for recipients, outcome)
_COUNTED = {
    "Send": ("mail", "destination", SENT),
    "Delivery": ("delivery", "recipients", DELIVERED),
    "Complaint": ("complaint", "complainedRecipients", COMPLAINT),
    "Subscription": ("subscription", None, UNSUBSCRIBE),
}
_SKIPS = {
    "Reject": SKIP_NOT_SENT,
    "Rendering Failure": SKIP_NOT_SENT,
    "DeliveryDelay": SKIP_RETRY,
    "Open": SKIP_ENGAGEMENT,
    "Click": SKIP_ENGAGEMENT,
}


def _message(record: dict, name: str, where: str) -> tuple[Any, dict | None]:
    """The SES message inside an SNS envelope (or the record itself) and its event id."""
    if "Message" in record and "Type" in record:
        if record.get("Type") != "Notification":
            return None, None  # SubscriptionConfirmation and the like
        try:
            message = json.loads(record["Message"])
        except (TypeError, json.JSONDecodeError):
            raise problem(name, where, "the SNS 'Message' is not SES JSON.") from None
        return record.get("MessageId"), message if isinstance(message, dict) else None
    return None, record


def _count(details: object, key: str | None, name: str, where: str) -> int:
    if key is None:
        return 1
    recipients = details.get(key) if isinstance(details, dict) else None
    if not isinstance(recipients, list) or not recipients:
        raise problem(name, where, f"the notification lists no recipients ('{key}').")
    return len(recipients)


def parse(stream: TextIO, name: str) -> Parsed:
    """Read SES notifications from ``stream`` (named ``name`` in messages)."""
    parsed = Parsed(SOURCE)
    tally = HourlyTally()
    for number, line, item, record in events(json_records(stream, name), name, ()):
        parsed.records += 1
        where = event_where(number, line, item)
        event_id, message = _message(record, name, where)
        if message is None:
            tally.skip(SKIP_OTHER)
            continue
        kind = message.get("notificationType") or message.get("eventType")
        if not isinstance(kind, str):
            raise problem(name, where, "no 'notificationType' or 'eventType' field.")
        mail = message.get("mail") if isinstance(message.get("mail"), dict) else {}
        counted = kind in _COUNTED or kind == "Bounce"
        if counted and tally.duplicate(event_id or _own_id(message, kind, mail)):
            continue
        if kind == "Bounce":
            details = message.get("bounce")
            bounce_type = details.get("bounceType") if isinstance(details, dict) else None
            outcome, count = (
                HARD if bounce_type == "Permanent" else SOFT,
                _count(details, "bouncedRecipients", name, where),
            )
        elif kind in _COUNTED:
            holder, key, outcome = _COUNTED[kind]
            details = message.get(holder)
            count = _count(details, key, name, where)
        else:
            tally.skip(_SKIPS.get(kind, SKIP_OTHER))
            continue
        stamp = details.get("timestamp") if isinstance(details, dict) else None
        hour = hour_of(stamp or mail.get("timestamp"), name=name, where=where)
        tally.add(hour, outcome, count)
    return tally.into(parsed)


def _own_id(message: dict, kind: str, mail: dict) -> str | None:
    """An id for a bare notification: the feedback id, else the message id and kind."""
    for holder in ("bounce", "complaint"):
        details = message.get(holder)
        if isinstance(details, dict) and details.get("feedbackId"):
            return str(details["feedbackId"])
    message_id = mail.get("messageId")
    return f"{message_id}/{kind}" if message_id else None
