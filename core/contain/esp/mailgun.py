"""Mailgun: delete a domain's scheduled and undelivered (queued) messages.

Endpoint: ``DELETE /v3/{domain}/envelopes`` on the domain's **storage** host, HTTP Basic
authentication with user ``api`` and the private API key as password; answers
``{"message": "done"}``, errors ``{"message": "..."}``. Mailgun's API reference: "This
endpoint must be called on the storage API host and in the domain's region ... The
storage hosts are storage-us-east4.api.mailgun.net, storage-us-west1.api.mailgun.net,
and storage-europe-west1.api.mailgun.net" (on api.mailgun.net the call does nothing
useful). The official JS client (mailgun/mailgun.js ``lib/Classes/Messages.ts``,
``clearMessagesQueue``) accepts only those three hosts.

Which storage host, first found wins:

1. the host of the ``storage.url`` of the domain's events in an imported Mailgun export
   (``esp.known_hosts`` reads what the importer kept: domain and host, no address);
2. ``storage_host`` under ``[esp.mailgun]`` in the config file;
3. every documented storage host of the region (US: us-east4 and us-west1; EU:
   europe-west1), one call each, every answer reported.

``base_url`` (config or ``--base-url``) replaces all of this (a proxy, a test server).

Docs: https://documentation.mailgun.com/docs/mailgun/api-reference/send/mailgun/messages/delete-v3--domain-name--envelopes
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from collections.abc import Mapping
from typing import ClassVar

from email_crisis.core.contain.esp.base import EspError, EspSettings, OperationSpec, PlannedRequest
from email_crisis.core.contain.esp.connector import Connector, RequestSpec, mask_scheme, quote

CANNOT_STOP = (
    "This empties the whole domain's queue: every scheduled or not yet delivered message "
    "of the domain is deleted, including transactional mail (password resets, receipts) "
    "sent from it. Messages already delivered, or being handed to a receiving server at "
    "that moment, are not recalled, and new messages submitted afterwards are sent as "
    "usual (stop the sending application too). The call must reach the storage host "
    "that holds the domain's messages; when it is not known, every storage host of the "
    "region is called and each answer is shown."
)
STORAGE_HOSTS: dict[str, tuple[str, ...]] = {
    "us": ("storage-us-east4.api.mailgun.net", "storage-us-west1.api.mailgun.net"),
    "eu": ("storage-europe-west1.api.mailgun.net",),
}
"""The documented storage hosts of each region (Mailgun's API reference, mailgun.js)."""
KNOWN_HOSTS = frozenset(host for hosts in STORAGE_HOSTS.values() for host in hosts)
DOMAIN = r"(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"


class Mailgun(Connector):
    """Mailgun messages API."""

    name = "mailgun"
    label = "Mailgun"
    doc_urls = (
        "https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/"
        "messages/delete-v3--domain-name--envelopes",
    )
    default_base = f"https://{STORAGE_HOSTS['us'][0]}"
    regions: ClassVar[dict[str, str]] = {
        region: f"https://{hosts[0]}" for region, hosts in STORAGE_HOSTS.items()
    }
    key_format = "the Mailgun private API key"
    operations: ClassVar[dict[str, OperationSpec]] = {
        "delete-queued": OperationSpec(
            id="delete-queued",
            title="Delete the domain's scheduled and queued messages",
            needs=("domain",),
            cannot_stop=CANNOT_STOP,
            pattern=DOMAIN,
        ),
    }

    def request(
        self, op: OperationSpec, ids: Mapping[str, str], settings: EspSettings
    ) -> RequestSpec:
        domain = ids["domain"].lower()
        return RequestSpec(
            method="DELETE",
            path=f"/v3/{quote(domain)}/envelopes",
            summary=f"Delete every scheduled and undelivered message queued for {domain}.",
        )

    def bases(self, settings: EspSettings, ids: Mapping[str, str]) -> tuple[list[str], str]:
        if settings.base_url:
            return [settings.base_url.rstrip("/")], ""
        learnt = [host for host in settings.learnt_hosts if host in KNOWN_HOSTS]
        if learnt:
            return [f"https://{host}" for host in learnt], (
                f"Storage host from {settings.learnt_from or 'imported Mailgun events'}."
            )
        if settings.storage_host:
            host = settings.storage_host.strip().lower()
            if host not in KNOWN_HOSTS:
                raise EspError(
                    f"storage_host {settings.storage_host!r} (from {settings.source}) is not a "
                    f"Mailgun storage host; use one of: {', '.join(sorted(KNOWN_HOSTS))}."
                )
            return [f"https://{host}"], f"Storage host from {settings.source}."
        region = (settings.region or "us").strip().lower()
        if region not in STORAGE_HOSTS:
            raise EspError(
                f"Mailgun has no region {settings.region!r} (from {settings.source}); "
                "known regions: us, eu."
            )
        hosts = STORAGE_HOSTS[region]
        if len(hosts) == 1:
            return [f"https://{hosts[0]}"], f"The {region.upper()} region has one storage host."
        return [f"https://{host}" for host in hosts], (
            f"The domain's storage host is not known (import its Mailgun events, or set "
            f"storage_host), so each {region.upper()} storage host is called once."
        )

    def wait_seconds(self, headers: Mapping[str, str], body: bytes) -> int | None:
        from email_crisis.core.contain.esp import rate_limits

        return rate_limits.mailgun(headers, body)

    def auth_display(self) -> list[tuple[str, str]]:
        return [("Authorization", mask_scheme("Basic"))]

    def auth_headers(
        self, planned: PlannedRequest, secret: str, headers: Mapping[str, str], body: bytes | None
    ) -> dict[str, str]:
        token = base64.b64encode(f"api:{secret}".encode()).decode()
        return {"Authorization": f"Basic {token}"}


_STORAGE_PATH = re.compile(r"/v3/domains/([^/]+)/messages/")


def storage_host_of(url: object) -> tuple[str, str] | None:
    """(sending domain, storage host) from an event's ``storage.url``, when documented.

    ``https://storage-us-west1.api.mailgun.net/v3/domains/mg.example.com/messages/AwAB…``
    gives ``("mg.example.com", "storage-us-west1.api.mailgun.net")``. Older hosts such as
    ``se.api.mailgun.net`` are not storage hosts the delete call accepts: ``None``.
    """
    if not isinstance(url, str):
        return None
    parts = urllib.parse.urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    match = _STORAGE_PATH.match(parts.path)
    if host not in KNOWN_HOSTS or not match:
        return None
    domain = urllib.parse.unquote(match.group(1)).lower()
    return (domain, host) if re.fullmatch(DOMAIN, domain) else None
