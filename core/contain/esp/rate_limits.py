"""How long an ESP asks us to wait after a 429, read the way each provider documents it.

Only ``Retry-After`` is standard (RFC 9110 §10.2.3); each ESP has its own signal:

- SendGrid: ``X-RateLimit-Reset``. The rate-limits page shows an epoch value
  (``1392815263``); the OpenAPI spec (``tsg_recipients_data_erasure_v3.yaml``) calls it
  "the amount of time (in seconds) until the current window is over". Both are read:
  a value above ``EPOCH_FLOOR`` is a moment, anything smaller a number of seconds.
- Brevo: ``x-sib-ratelimit-reset``, "time remaining until the rate limit resets"
  (seconds; a delta, not an epoch).
- Mailgun: no header is documented; the wait is in the answer: ``{"retry-seconds":
  60}`` (published with a trailing comma, so read from the text) or "try again after
  Mon, 20 Dec 2021 20:33:21 UTC" in the message.
- SparkPost, Amazon SES and Mailchimp send no wait; ``ADVICE`` holds what their
  documentation says instead.

Every function returns whole seconds (rounded up, never negative) or ``None``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime, timezone

from email_crisis.core.contain.esp.base import header

EPOCH_FLOOR = 1_000_000_000  # 2001-09-09: no window lasts that many seconds
MAX_WAIT = 24 * 3600  # a "wait" beyond a day is a misread header, not advice
_RETRY_SECONDS = re.compile(rb'"retry-seconds"\s*:\s*(\d+(?:\.\d+)?)')
_TRY_AFTER = re.compile(rb"try again after ([A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} [\d:]+ \w+)")

ADVICE: dict[str, str] = {
    "sparkpost": "SparkPost asks to wait 1 to 5 seconds after a 429 before trying again.",
    "ses": "Amazon SES sends no wait time; wait a little (up to a few minutes) and try again.",
    "mailchimp": "Mailchimp sends no wait time; close other API sessions using this key "
    "and try again in a few seconds.",
}


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def _seconds(value: float) -> int | None:
    if not math.isfinite(value) or value < 0:
        return None
    wait = math.ceil(value)
    return wait if wait <= MAX_WAIT else None


def _number(text: str | None) -> float | None:
    try:
        return float((text or "").strip())
    except ValueError:
        return None


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> int | None:
    """``Retry-After``: seconds, or an HTTP date."""
    from email_crisis.core.contain.esp import http  # loaded once a call was made anyway

    found = http.retry_after(header(headers, "Retry-After"), now=now)
    return None if found is None else _seconds(found)


def reset_seconds(value: str | None, now: datetime | None = None) -> int | None:
    """A reset header that may be an epoch moment or a number of seconds (SendGrid)."""
    number = _number(value)
    if number is None:
        return None
    if number >= EPOCH_FLOOR:
        return _seconds(max(0.0, number - _now(now).timestamp()))
    return _seconds(number)


def sendgrid(headers: Mapping[str, str], body: bytes, now: datetime | None = None) -> int | None:
    """SendGrid: ``Retry-After`` if a proxy adds one, else ``X-RateLimit-Reset``."""
    found = retry_after(headers, now)
    if found is not None:
        return found
    return reset_seconds(header(headers, "X-RateLimit-Reset"), now)


def brevo(headers: Mapping[str, str], body: bytes, now: datetime | None = None) -> int | None:
    """Brevo: ``x-sib-ratelimit-reset`` (seconds left in the window)."""
    found = retry_after(headers, now)
    if found is not None:
        return found
    number = _number(header(headers, "x-sib-ratelimit-reset"))
    return None if number is None else _seconds(number)


def mailgun(headers: Mapping[str, str], body: bytes, now: datetime | None = None) -> int | None:
    """Mailgun: ``Retry-After``, else ``retry-seconds`` or "try again after <date>"."""
    found = retry_after(headers, now)
    if found is not None:
        return found
    match = _RETRY_SECONDS.search(body)
    if match:
        return _seconds(float(match.group(1)))
    match = _TRY_AFTER.search(body)
    if match:
        return retry_after({"Retry-After": match.group(1).decode("ascii")}, now)
    return None
