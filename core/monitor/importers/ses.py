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
  but ``bounceSubType`` ``OnAccountSuppressionList`` or ``Suppressed`` → skipped as
  "suppressed by SES": SES never attempted them ("This does not count toward your
  bounce rate metric", event-publishing contents, bounce types table);
- ``Complaint`` → complaint, except ``complaintSubType: OnAccountSuppressionList`` ("SES
  accepted the message, but didn't attempt to send it") → suppressed by SES;
- ``Subscription`` → unsubscribe only when ``newTopicPreferences`` unsubscribes from
  everything or moves a topic to ``OptOut``; an opt-in is skipped;
- ``Reject`` and ``Rendering Failure`` (never sent), ``DeliveryDelay`` (retried),
  ``Open``, ``Click`` and SNS subscription messages → skipped.

Bare records are de-duplicated on (kind, ``feedbackId``): SES's own published Bounce and
Complaint examples share one feedbackId.
Sources: github.com/awsdocs/amazon-ses-developer-guide ``doc-source/
event-publishing-retrieving-sns-contents.md``; botocore ``data/sesv2/2019-09-27/
service-2.json`` (``Complaint.ComplaintSubType``).
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
    SKIP_OPT_IN,
    SKIP_OTHER,
    SKIP_RETRY,
    SKIP_SUPPRESSED_BY_SES,
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
SUPPRESSED_SUBTYPES = frozenset({"OnAccountSuppressionList", "Suppressed"})
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
            details = details if isinstance(details, dict) else {}
            count = _count(details, "bouncedRecipients", name, where)
            if details.get("bounceSubType") in SUPPRESSED_SUBTYPES:
                tally.skip(SKIP_SUPPRESSED_BY_SES, count)
                continue
            outcome = HARD if details.get("bounceType") == "Permanent" else SOFT
        elif kind in _COUNTED:
            holder, key, outcome = _COUNTED[kind]
            details = message.get(holder)
            count = _count(details, key, name, where)
            if kind == "Complaint" and details.get("complaintSubType") in SUPPRESSED_SUBTYPES:
                tally.skip(SKIP_SUPPRESSED_BY_SES, count)
                continue
            if kind == "Subscription" and not _unsubscribes(details):
                tally.skip(SKIP_OPT_IN)
                continue
        else:
            tally.skip(_SKIPS.get(kind, SKIP_OTHER))
            continue
        stamp = details.get("timestamp") if isinstance(details, dict) else None
        hour = hour_of(stamp or mail.get("timestamp"), name=name, where=where)
        tally.add(hour, outcome, count)
    return tally.into(parsed)


def _unsubscribes(details: object) -> bool:
    """Whether a Subscription event is an unsubscribe (and not an opt-in)."""
    if not isinstance(details, dict):
        return True  # no preferences given: the event itself says someone unsubscribed
    new, old = details.get("newTopicPreferences"), details.get("oldTopicPreferences")
    if not isinstance(new, dict):
        return True
    if new.get("unsubscribeAll") is True:
        return not (isinstance(old, dict) and old.get("unsubscribeAll") is True)
    before = (
        {
            t.get("topicName"): t.get("subscriptionStatus")
            for t in (old or {}).get("topicSubscriptionStatus") or ()
            if isinstance(t, dict)
        }
        if isinstance(old, dict)
        else {}
    )
    return any(
        isinstance(t, dict)
        and t.get("subscriptionStatus") == "OptOut"
        and before.get(t.get("topicName")) != "OptOut"
        for t in new.get("topicSubscriptionStatus") or ()
    )


def _own_id(message: dict, kind: str, mail: dict) -> str | None:
    """An id for a bare notification: kind and feedback id, else kind and message id."""
    for holder in ("bounce", "complaint"):
        details = message.get(holder)
        if isinstance(details, dict) and details.get("feedbackId"):
            return f"{kind}/{details['feedbackId']}"
    message_id = mail.get("messageId")
    return f"{message_id}/{kind}" if message_id else None
