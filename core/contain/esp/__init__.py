"""ESP connectors: plan a request that stops a send, show it, then make exactly one call.

Typical use (the CLI's ``esp stop`` and the Contain panel do this)::

    settings = esp.settings_for("sparkpost", secret=secret)      # config file, region
    planned = esp.plan(StopTarget("sparkpost", "cancel-scheduled", campaign="x"), settings)
    # show planned.display_lines(), planned.summary, planned.what_it_cannot_stop
    result = esp.execute(planned, secret)                         # one call, never retried
    store.append_event(..., type_="esp_call", details=esp.call_record(planned, result))

``plan`` makes no network call and raises ``CrisisError`` subclasses for bad input;
``execute`` never raises: every failure is an ``EspResult`` with ``ok=False``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from email_crisis.core.contain.esp.base import (
    DEFAULT_TIMEOUT,
    IDENTIFIERS,
    MASK,
    EspError,
    EspResult,
    EspSettings,
    OperationSpec,
    PlannedRequest,
    StopTarget,
    one_line,
    redact,
    secret_forms,
)
from email_crisis.core.contain.esp.config import settings_for as _settings_from_file
from email_crisis.core.contain.esp.connector import Connector
from email_crisis.core.contain.esp.registry import CONNECTORS, connector, names
from email_crisis.core.contain.store import mailgun_storage_hosts

if TYPE_CHECKING:
    from email_crisis.core.store.database import Store

__all__ = [
    "DEFAULT_TIMEOUT",
    "IDENTIFIERS",
    "MASK",
    "Connector",
    "EspError",
    "EspResult",
    "EspSettings",
    "OperationSpec",
    "PlannedRequest",
    "StopTarget",
    "call_record",
    "choose_operation",
    "connector",
    "describe_event",
    "describe_result",
    "execute",
    "known_hosts",
    "names",
    "operations",
    "plan",
    "settings_for",
]

# Which operation an identifier means when none is named: (esp, identifier) -> operation.
_DEFAULTS: dict[tuple[str, str], str] = {
    ("sparkpost", "campaign"): "cancel-scheduled",
    ("sendgrid", "batch"): "cancel-batch",
    ("sendgrid", "single_send"): "cancel-single-send",
    ("mailgun", "domain"): "delete-queued",
    ("ses", "config_set"): "disable-config-set",
    ("ses", "account"): "disable-account",
    ("mailchimp", "campaign"): "unschedule",
    ("brevo", "campaign"): "suspend",
}


def operations(esp: str) -> list[OperationSpec]:
    """What the ESP's connector can do, with the identifiers each needs."""
    return list(connector(esp).operations.values())


def choose_operation(
    esp: str, identifier: str, *, pause: bool = False, operation: str | None = None
) -> str:
    """The operation for an identifier kind (``campaign``, ``batch``, ..., ``account``).

    ``operation`` names one explicitly; ``pause`` turns a SendGrid batch cancel into a
    pause. Raises ``EspError`` when the combination makes no sense for that ESP.
    """
    conn = connector(esp)
    if operation:
        spec = conn.operation(operation)
        if identifier not in spec.needs:
            need = " or ".join(IDENTIFIERS.get(n, n) for n in spec.needs)
            raise EspError(f"{conn.label} {spec.id} needs the {need}.")
        chosen = spec.id
    else:
        default = _DEFAULTS.get((conn.name, identifier))
        if default is None:
            usable = sorted({k for (e, k) in _DEFAULTS if e == conn.name})
            flags = ", ".join("--" + k.replace("_", "-") for k in usable)
            raise EspError(
                f"{conn.label} cannot stop by {identifier.replace('_', ' ')}; use {flags}."
            )
        chosen = default
    if pause:
        if chosen != "cancel-batch" and chosen != "pause-batch":
            raise EspError("--pause applies only to a SendGrid batch (--batch).")
        chosen = "pause-batch"
    return chosen


def settings_for(
    esp: str,
    *,
    base_url: str | None = None,
    secret: str | None = None,
    config: Path | None = None,
) -> EspSettings:
    """Settings for one ESP: config file, ``--base-url``, then what the key tells.

    The key is only read for non-secret hints (Mailchimp's data centre suffix); it is
    never kept in the settings.
    """
    conn = connector(esp)
    return conn.derive_settings(
        _settings_from_file(conn.name, base_url=base_url, path=config), secret
    )


def known_hosts(store: Store, target: StopTarget, settings: EspSettings) -> EspSettings:
    """``settings`` with the Mailgun storage hosts learnt from imported events for the
    target's domain (unchanged for other ESPs, or when nothing was learnt)."""
    if target.esp != "mailgun" or not target.domain or settings.base_url:
        return settings
    hosts, where = mailgun_storage_hosts(store, target.domain.strip().lower())
    if not hosts:
        return settings
    return replace(settings, learnt_hosts=tuple(hosts), learnt_from=where)


def plan(target: StopTarget, settings: EspSettings) -> PlannedRequest:
    """The request that would carry out ``target``; no network call, no secret."""
    return connector(target.esp).plan(target, settings)


def execute(planned: PlannedRequest, secret: str, *, timeout: float | None = None) -> EspResult:
    """Send ``planned`` exactly once with ``secret``; never raises, never retries."""
    conn = connector(planned.esp)
    wait = planned.timeout if timeout is None else timeout
    forms = secret_forms(secret)
    try:
        return conn.execute(planned, secret, timeout=wait)
    except Exception as error:  # a bug must not take the console down with the key in it
        text = redact(f"unexpected error ({type(error).__name__}: {error})", forms)
        return EspResult(False, None, one_line(text), None, 0.0, "unknown")


def describe_result(planned: PlannedRequest, result: EspResult) -> str:
    """One sentence for the operator: what the ESP answered, or why there is no answer."""
    label = planned.esp_label
    if result.ok:
        return f"{label} accepted the request (HTTP {result.status}): {result.esp_message}"
    if result.status == 429:
        wait = f" Wait {result.retry_after} s before trying again." if result.retry_after else ""
        return f"{label} is limiting requests (HTTP 429): {result.esp_message}.{wait}"
    if result.status is not None:
        return f"{label} refused the request (HTTP {result.status}): {result.esp_message}"
    return f"{label} call failed: {result.esp_message}"


def call_record(
    planned: PlannedRequest,
    result: EspResult | None,
    *,
    key_source: str | None = None,
    secret: str | None = None,
) -> dict[str, Any]:
    """The ``esp_call`` event details: what was asked and what came back, no secret.

    With ``secret`` given, every text is scrubbed once more before it is stored.
    """
    record: dict[str, Any] = {
        "esp": planned.esp,
        "operation": planned.operation,
        "target": planned.target.identifiers(),
        "method": planned.method,
        "url": planned.url,
        "body": planned.body,
        "key_source": key_source,
    }
    if planned.also_urls:  # the same request to other hosts (Mailgun storage hosts)
        record["also_urls"] = list(planned.also_urls)
    if result is not None:
        record.update(
            ok=result.ok,
            status=result.status,
            outcome=result.outcome,
            esp_message=result.esp_message,
            retry_after=result.retry_after,
            elapsed_ms=round(result.elapsed * 1000),
        )
    if secret:
        forms = secret_forms(secret)
        record = {k: redact(v, forms) if isinstance(v, str) else v for k, v in record.items()}
    return record


def describe_event(details: dict[str, Any]) -> str:
    """A line for the event log from ``esp_call`` details."""
    connector = CONNECTORS.get(details.get("esp", ""))
    label = connector.label if connector else "ESP"
    operation = str(details.get("operation", ""))
    if connector and operation in connector.operations:
        operation = connector.operations[operation].title
    request = f"{details.get('method', '?')} {details.get('url', '?')}"
    if details.get("also_urls"):
        request += f" (and {len(details['also_urls'])} other host(s))"
    if details.get("ok"):
        verdict = f"done (HTTP {details.get('status')})"
    elif details.get("status") is not None:
        verdict = f"refused (HTTP {details.get('status')}): {details.get('esp_message', '')}"
    else:
        verdict = f"failed: {details.get('esp_message', '')}"
    return f"{label}, {operation}: {request} — {verdict}"
