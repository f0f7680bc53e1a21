"""The part every connector shares: validating a target, building the plan, one call.

A connector module describes its ESP (operations, base URLs, how the key is sent,
how errors look) and inherits ``plan`` and ``execute`` from ``Connector``.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from email_crisis.core.base.version import app_version
from email_crisis.core.contain.esp.base import (
    IDENTIFIERS,
    MASK,
    EspError,
    EspResult,
    EspSettings,
    OperationSpec,
    PlannedRequest,
    StopTarget,
    check_identifier,
    header,
    json_body,
    one_line,
    plain_text,
    redact,
    secret_forms,
)
from email_crisis.core.contain.esp.rate_limits import ADVICE

if TYPE_CHECKING:
    from email_crisis.core.contain.esp.http import RawResponse


@dataclass(frozen=True)
class RequestSpec:
    """The ESP-specific part of a request: everything but the host and the key."""

    method: str
    path: str  # percent-encoded, starting with "/"
    summary: str
    query: tuple[tuple[str, str], ...] = ()
    body: Mapping[str, Any] | None = None


def quote(value: str) -> str:
    """One path segment, percent-encoded (nothing the user typed can add a segment)."""
    return urllib.parse.quote(value, safe="")


class Connector:
    """Base class: subclasses fill in the class attributes and the ESP-specific hooks."""

    name: ClassVar[str]
    label: ClassVar[str]
    doc_urls: ClassVar[tuple[str, ...]]
    operations: ClassVar[dict[str, OperationSpec]]
    default_base: ClassVar[str]
    regions: ClassVar[dict[str, str]] = {}  # region name -> base URL
    key_format: ClassVar[str] = "the API key as shown by the ESP"

    # -- ESP-specific hooks ---------------------------------------------------------

    def request(
        self, op: OperationSpec, ids: Mapping[str, str], settings: EspSettings
    ) -> RequestSpec:
        """The method, path, query and body for ``op``."""
        raise NotImplementedError

    def auth_display(self) -> list[tuple[str, str]]:
        """The authentication headers as shown: the scheme, never the key."""
        raise NotImplementedError

    def auth_headers(
        self, planned: PlannedRequest, secret: str, headers: Mapping[str, str], body: bytes | None
    ) -> dict[str, str]:
        """The real authentication headers, computed at send time."""
        raise NotImplementedError

    def secret_values(self, auth: Mapping[str, str]) -> list[str]:
        """What in the sent ``auth`` headers an answer must never show (all of them,
        unless the connector knows which parts are public words)."""
        return list(auth.values())

    def error_text(self, status: int, headers: Mapping[str, str], body: bytes) -> str:
        """The ESP's own explanation of an error answer."""
        data = json_body(body)
        if isinstance(data, dict):
            for key in ("message", "Message", "error", "detail"):
                if isinstance(data.get(key), str) and data[key].strip():
                    return data[key]
        return plain_text(body)

    def success_text(self, status: int, headers: Mapping[str, str], body: bytes) -> str:
        """What the ESP said when it accepted the request."""
        data = json_body(body)
        if isinstance(data, dict) and isinstance(data.get("message"), str):
            return data["message"]
        return "accepted" if status != 204 else "accepted (no content)"

    def extra_headers(self, settings: EspSettings) -> list[tuple[str, str]]:
        """Headers beyond Accept/Content-Type and authentication (none by default)."""
        return []

    def bases(self, settings: EspSettings, ids: Mapping[str, str]) -> tuple[list[str], str]:
        """Every base URL the request goes to (one call each), and a sentence saying
        why those (empty when there is one obvious host)."""
        return [self.base_url(settings)], ""

    def wait_seconds(self, headers: Mapping[str, str], body: bytes) -> int | None:
        """How long the ESP asks to wait after a 429 (``Retry-After`` by default)."""
        from email_crisis.core.contain.esp import rate_limits

        return rate_limits.retry_after(headers)

    def derive_settings(self, settings: EspSettings, secret: str | None) -> EspSettings:
        """Fill settings that can be read from the key itself (Mailchimp's data centre)."""
        return settings

    def check_secret(self, secret: str) -> str:
        """Return the key cleaned up, or raise ``EspError`` saying what is wrong."""
        key = secret.strip()
        if not key:
            raise EspError(f"the {self.label} key is empty.")
        if any(ch.isspace() or ord(ch) < 0x20 for ch in key):
            raise EspError(
                f"the {self.label} key contains spaces or control characters; "
                f"expected {self.key_format}."
            )
        return key

    # -- shared behaviour -----------------------------------------------------------

    def operation(self, operation_id: str) -> OperationSpec:
        """The operation with that id, or ``EspError`` listing the valid ones."""
        try:
            return self.operations[operation_id]
        except KeyError:
            valid = ", ".join(self.operations)
            raise EspError(
                f"{self.label} has no operation {operation_id!r}; choose one of: {valid}."
            ) from None

    def base_url(self, settings: EspSettings) -> str:
        """The scheme and host (and optional path prefix) requests go to."""
        if settings.base_url:
            return settings.base_url.rstrip("/")
        if settings.region:
            try:
                return self.regions[settings.region.lower()]
            except KeyError:
                valid = ", ".join(self.regions) or "none (set base_url instead)"
                raise EspError(
                    f"{self.label} has no region {settings.region!r} "
                    f"(from {settings.source}); known regions: {valid}."
                ) from None
        return self.default_base

    def plan(self, target: StopTarget, settings: EspSettings) -> PlannedRequest:
        """Build the request for ``target`` without any network call."""
        op = self.operation(target.operation)
        ids: dict[str, str] = {}
        for need in op.needs:
            if need == "account":
                if not target.account:
                    raise EspError(f"{op.title}: confirm the account-wide stop (--account).")
                continue
            label = IDENTIFIERS[need]
            ids[need] = check_identifier(getattr(target, need), label=label, pattern=op.pattern)
        spec = self.request(op, ids, settings)
        bases, why = self.bases(settings, ids)
        tail = spec.path + ("?" + urllib.parse.urlencode(spec.query) if spec.query else "")
        urls = [base + tail for base in bases]
        body = None if spec.body is None else json.dumps(spec.body, sort_keys=True)
        headers = [("Accept", "application/json")]
        if body is not None:
            headers.append(("Content-Type", "application/json"))
        headers += self.extra_headers(settings)
        shown_auth = self.auth_display()
        headers += shown_auth
        return PlannedRequest(
            esp=self.name,
            esp_label=self.label,
            operation=op.id,
            method=spec.method,
            url=urls[0],
            headers=tuple(headers),
            body=body,
            summary=f"{spec.summary} {why}".strip(),
            what_it_cannot_stop=op.cannot_stop,
            target=target,
            timeout=settings.timeout,
            signing_region=settings.region,
            masked_headers=frozenset(name for name, _ in shown_auth),
            also_urls=tuple(urls[1:]),
        )

    def execute(self, planned: PlannedRequest, secret: str, *, timeout: float) -> EspResult:
        """Send ``planned`` once to each of its URLs; never retries.

        Every failure becomes an ``EspResult``; with several URLs, the answers are
        reported host by host and the result is ``ok`` when one host carried it out.
        """
        results = [self._execute_one(planned, url, secret, timeout) for url in planned.urls]
        return results[0] if len(results) == 1 else combine(planned.urls, results)

    def _execute_one(
        self, planned: PlannedRequest, url: str, secret: str, timeout: float
    ) -> EspResult:
        planned = replace(planned, url=url, also_urls=())
        body = planned.body.encode() if planned.body is not None else None
        headers = {k: v for k, v in planned.headers if k not in planned.masked_headers}
        headers["User-Agent"] = f"email-crisis/{app_version()}"
        forms = secret_forms(secret)
        try:
            key = self.check_secret(secret)
            auth = self.auth_headers(planned, key, headers, body)
        except EspError as error:
            return EspResult(False, None, redact(str(error), forms), None, 0.0, "not-sent")
        forms = secret_forms(secret, self.secret_values(auth))
        headers.update(auth)
        from email_crisis.core.contain.esp import (
            http,  # urllib and ssl load only when a call is made
        )

        try:
            raw = http.send(planned.method, planned.url, headers, body, timeout=timeout)
        except http.TransportError as error:
            outcome = "unknown" if error.kind in ("timeout", "dropped") else "not-sent"
            text = redact(error.message, forms)
            return EspResult(False, None, text, None, error.elapsed, outcome)
        return self._result(raw, forms)

    def _result(self, raw: RawResponse, forms: list[str]) -> EspResult:
        if 200 <= raw.status < 300:
            text = self.success_text(raw.status, raw.headers, raw.body)
            return EspResult(True, raw.status, one_line(redact(text, forms)), None, raw.elapsed)
        if 300 <= raw.status < 400:
            where = redact(header(raw.headers, "Location") or "elsewhere", forms)
            text = (
                f"the server redirected to {one_line(where, 200)}; redirects are not followed "
                "(the key would go along). Check the base URL."
            )
            return EspResult(False, raw.status, text, None, raw.elapsed, "refused")
        text = self.error_text(raw.status, raw.headers, raw.body) or raw.reason
        text = one_line(redact(text, forms)) or f"HTTP {raw.status}"  # masked, then cut
        if raw.status == 429:
            retry = self.wait_seconds(raw.headers, raw.body)
            advice = ADVICE.get(self.name) if retry is None else None
            text = f"{text} ({advice})" if advice else text
            return EspResult(False, 429, text, retry, raw.elapsed, "rate-limited")
        return EspResult(False, raw.status, text, None, raw.elapsed, "refused")


def combine(urls: tuple[str, ...], results: list[EspResult]) -> EspResult:
    """One result for the same request sent to several hosts: each host's answer in turn."""
    parts = []
    for url, result in zip(urls, results, strict=True):
        host = urllib.parse.urlsplit(url).netloc
        answer = f"HTTP {result.status}" if result.status is not None else result.outcome
        parts.append(f"{host}: {result.esp_message} ({answer})")
    done = [r for r in results if r.ok]
    chosen = done[0] if done else next((r for r in results if r.status is not None), results[0])
    return EspResult(
        ok=bool(done),
        status=chosen.status,
        esp_message="; ".join(parts),
        retry_after=max((r.retry_after or 0 for r in results), default=0) or None,
        elapsed=sum(r.elapsed for r in results),
        outcome=chosen.outcome,
    )


def mask_scheme(scheme: str) -> str:
    """``Bearer ********``-style display value."""
    return f"{scheme} {MASK}" if scheme else MASK
