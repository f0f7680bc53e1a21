"""Common types of the ESP connectors: what to stop, the planned request, the result.

A plan never holds a secret: the key is added only by ``execute``, at the moment the
request is built, so everything a plan shows, logs or records is safe by construction.
Answers from an ESP are scrubbed again (``redact``) in case a server echoes the key.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from email_crisis.core.base.errors import CrisisError, ValidationError
from email_crisis.core.base.text import visible

MASK = "********"
DEFAULT_TIMEOUT = 10.0
MAX_MESSAGE = 500
SECRET_RUN = 8  # any run this long of a known secret is masked, not only the whole secret

# Identifiers a stop may need, in the order they are shown.
IDENTIFIERS: dict[str, str] = {
    "campaign": "campaign id",
    "batch": "batch id",
    "single_send": "Single Send id",
    "domain": "sending domain",
    "config_set": "configuration set",
    "list_id": "list id",
}


class EspError(CrisisError):
    """A stop cannot be planned: unknown ESP or operation, missing setting or identifier."""


@dataclass(frozen=True)
class OperationSpec:
    """One thing a connector can do, what it needs, and what it cannot reach."""

    id: str
    title: str
    needs: tuple[str, ...]  # identifier names from IDENTIFIERS, or "account"
    cannot_stop: str
    pattern: str = r"[^\s]{1,200}"  # what a valid identifier looks like


@dataclass(frozen=True)
class StopTarget:
    """What to stop at which ESP: the operation and the identifiers it needs."""

    esp: str
    operation: str
    campaign: str | None = None
    batch: str | None = None
    single_send: str | None = None
    domain: str | None = None
    config_set: str | None = None
    list_id: str | None = None  # reserved: no connector needs a list id yet
    account: bool = False

    def identifiers(self) -> dict[str, Any]:
        """The identifiers that are set, for display and the event log."""
        found: dict[str, Any] = {
            name: getattr(self, name) for name in IDENTIFIERS if getattr(self, name)
        }
        if self.account:
            found["account"] = True
        return found


@dataclass(frozen=True)
class EspSettings:
    """Where and how to reach one ESP (from the config file and ``--base-url``)."""

    esp: str
    base_url: str | None = None  # None: the connector's default for the region
    region: str | None = None
    server_prefix: str | None = None  # Mailchimp data centre, e.g. us21
    subaccount: str | None = None  # SparkPost subaccount id
    on_behalf_of: str | None = None  # SendGrid subuser (sent as on-behalf-of)
    storage_host: str | None = None  # Mailgun storage host of the domain (config file)
    timeout: float = DEFAULT_TIMEOUT
    source: str = "built-in defaults"
    # Mailgun storage hosts seen in imported events for the target's domain, and where
    # they come from (filled by ``esp.known_hosts`` before planning).
    learnt_hosts: tuple[str, ...] = ()
    learnt_from: str = ""


@dataclass(frozen=True)
class PlannedRequest:
    """Exactly what ``execute`` will send, with every secret shown as a mask.

    ``url`` and ``body`` never contain a secret (keys travel only in headers), so
    they are shown and recorded as they are. ``headers`` holds the display values:
    authentication headers read ``Bearer ********`` and are filled in at send time.
    """

    esp: str
    esp_label: str
    operation: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: str | None
    summary: str
    what_it_cannot_stop: str
    target: StopTarget
    timeout: float = DEFAULT_TIMEOUT
    signing_region: str | None = None  # Amazon SES only
    masked_headers: frozenset[str] = field(default_factory=frozenset)
    also_urls: tuple[str, ...] = ()
    """The same request to other hosts, one call each (Mailgun: every storage host of
    the region when the domain's own is not known)."""

    @property
    def urls(self) -> tuple[str, ...]:
        """Every URL the request goes to, in order (usually one)."""
        return (self.url, *self.also_urls)

    def request_line(self) -> str:
        """``METHOD URL`` on one line (the first URL when there are several)."""
        return f"{self.method} {self.url}"

    def display_lines(self) -> list[str]:
        """The request as the operator sees it before confirming (safe for a terminal)."""
        lines = [f"  {visible(f'{self.method} {url}', single_line=True)}" for url in self.urls]
        if self.also_urls:
            lines.append(f"  (one call to each of these {len(self.urls)} hosts)")
        lines += [f"  {visible(f'{k}: {v}', single_line=True)}" for k, v in self.headers]
        if self.body is None:
            lines.append("  (no body)")
        else:
            lines.append(f"  {visible(self.body, single_line=True)}")
        return lines


@dataclass(frozen=True)
class EspResult:
    """What came of one call. ``esp_message`` is the ESP's own words, or ours when
    there was no answer; it never contains the key.

    ``outcome`` is one of ``done``, ``refused`` (the ESP answered with an error),
    ``rate-limited``, ``unknown`` (no answer: it may or may not have happened) and
    ``not-sent`` (the request never left this machine).
    """

    ok: bool
    status: int | None
    esp_message: str
    retry_after: int | None
    elapsed: float
    outcome: str = "done"


def check_identifier(value: str | None, *, label: str, pattern: str) -> str:
    """Return a clean identifier or raise ``ValidationError`` naming it."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"the {label} is required for this operation.")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise ValidationError(f"the {label} contains control characters; type it as plain text.")
    if not re.fullmatch(pattern, text):
        raise ValidationError(
            f"{visible(text, single_line=True)!r} does not look like a {label} for this ESP."
        )
    return text


def secret_forms(secret: str, sent_values: Iterable[str] = ()) -> list[str]:
    """Every form in which ``secret`` could come back: raw, its parts, Basic-encoded."""
    forms = {secret, *sent_values}
    forms.update(part for part in secret.split(":") if len(part) >= 8)
    for user in ("api", "anystring", "email-crisis", ""):
        pair = f"{user}:{secret}" if user else f"{secret}:"
        forms.add(base64.b64encode(pair.encode()).decode())
    for value in list(sent_values):
        _, _, token = value.partition(" ")
        if len(token) >= 8:
            forms.add(token)
    # Longest first, so a form that contains another is masked whole.
    return sorted((f for f in forms if len(f) >= 4), key=len, reverse=True)


def redact(text: str, forms: Iterable[str]) -> str:
    """``text`` with every secret form, and every run of ``SECRET_RUN`` or more characters
    of one, replaced by the mask.

    The runs matter when a proxy or an error page quotes a key cut short, or with a
    character changed: what is left of it is still masked. Always redact *before*
    cutting a text short (``one_line``), never after.
    """
    forms = [form for form in forms if form]
    for form in forms:
        text = text.replace(form, MASK)
    grams = {form[i : i + SECRET_RUN] for form in forms for i in range(len(form) - SECRET_RUN + 1)}
    if not grams or len(text) < SECRET_RUN:
        return text
    covered = bytearray(len(text))
    for start in range(len(text) - SECRET_RUN + 1):
        if text[start : start + SECRET_RUN] in grams:
            covered[start : start + SECRET_RUN] = b"\x01" * SECRET_RUN
    if not any(covered):
        return text
    kept: list[str] = []
    start = 0
    while start < len(text):
        if covered[start]:
            end = start
            while end < len(text) and covered[end]:
                end += 1
            kept.append(MASK)
            start = end
        else:
            kept.append(text[start])
            start += 1
    return "".join(kept)


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """Collapse whitespace and cut to ``limit`` characters (redact first: see ``redact``)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def json_body(body: bytes) -> Any:
    """The decoded JSON body, or ``None`` when it is not JSON."""
    if not body.strip():
        return None
    try:
        return json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        return None


def plain_text(body: bytes) -> str:
    """A one-line rendering of a non-JSON body (an HTML error page, say), not cut short:
    the caller redacts it first, then cuts."""
    text = body.decode("utf-8", errors="replace")
    text = re.sub(r"<[^>]+>", " ", text)  # keep the words of an HTML error page
    return " ".join(text.split())


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A response header, looked up without regard to case."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None
