"""Mailgun: delete a domain's scheduled and undelivered (queued) messages.

Endpoint: ``DELETE /v3/{domain}/envelopes``, HTTP Basic authentication with user
``api`` and the private API key as password. US base https://api.mailgun.net, EU
base https://api.eu.mailgun.net (a domain lives in one region only). Answers
``{"message": "..."}`` on success and on error.

Docs: https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/messages/delete-v3--domain-name--envelopes
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import ClassVar

from email_crisis.core.contain.esp.base import EspSettings, OperationSpec, PlannedRequest
from email_crisis.core.contain.esp.connector import Connector, RequestSpec, mask_scheme, quote

CANNOT_STOP = (
    "This empties the whole domain's queue: every scheduled or not yet delivered message "
    "of the domain is deleted, including transactional mail (password resets, receipts) "
    "sent from it. Messages already delivered, or being handed to a receiving server at "
    "that moment, are not recalled, and new messages submitted afterwards are sent as "
    "usual (stop the sending application too). Use the base URL of the domain's region."
)
DOMAIN = r"(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"


class Mailgun(Connector):
    """Mailgun messages API."""

    name = "mailgun"
    label = "Mailgun"
    doc_urls = (
        "https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/"
        "messages/delete-v3--domain-name--envelopes",
    )
    default_base = "https://api.mailgun.net"
    regions: ClassVar[dict[str, str]] = {
        "us": "https://api.mailgun.net",
        "eu": "https://api.eu.mailgun.net",
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

    def auth_display(self) -> list[tuple[str, str]]:
        return [("Authorization", mask_scheme("Basic"))]

    def auth_headers(
        self, planned: PlannedRequest, secret: str, headers: Mapping[str, str], body: bytes | None
    ) -> dict[str, str]:
        token = base64.b64encode(f"api:{secret}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
