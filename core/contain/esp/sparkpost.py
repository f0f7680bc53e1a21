"""SparkPost (now part of Bird): cancel the scheduled transmissions of a campaign.

Endpoint: ``DELETE /api/v1/transmissions?campaign_id=…`` (the key alone in the
``Authorization`` header, no scheme). US base https://api.sparkpost.com, EU base
https://api.eu.sparkpost.com. Transmissions scheduled by a subaccount can only be
cancelled as that subaccount (its key, or ``X-MSYS-SUBACCOUNT``). Errors come back as
``{"errors": [{"message", "description", "code"}]}``.

Docs: https://developers.sparkpost.com/api/transmissions/
      https://developers.sparkpost.com/api/ (base URLs and authentication)
      https://support.sparkpost.com/docs/tech-resources/transmissions-api-scheduling
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from email_crisis.core.contain.esp.base import (
    MASK,
    EspSettings,
    OperationSpec,
    PlannedRequest,
    json_body,
    plain_text,
)
from email_crisis.core.contain.esp.connector import Connector, RequestSpec

CANNOT_STOP = (
    "Only transmissions of this campaign that are still scheduled for later are "
    "cancelled. A transmission that has started generating or sending goes on, and "
    "mail already handed to recipients' servers cannot be recalled. Transmissions of a "
    "subaccount need that subaccount's key (or its id in the config file). The deletion "
    "is processed asynchronously by SparkPost."
)


class SparkPost(Connector):
    """SparkPost / Bird transmissions API."""

    name = "sparkpost"
    label = "SparkPost"
    doc_urls = (
        "https://developers.sparkpost.com/api/transmissions/",
        "https://support.sparkpost.com/docs/tech-resources/transmissions-api-scheduling",
    )
    default_base = "https://api.sparkpost.com"
    regions: ClassVar[dict[str, str]] = {
        "us": "https://api.sparkpost.com",
        "eu": "https://api.eu.sparkpost.com",
    }
    key_format = "a SparkPost API key with the Transmissions: Read/Write permission"
    operations: ClassVar[dict[str, OperationSpec]] = {
        "cancel-scheduled": OperationSpec(
            id="cancel-scheduled",
            title="Cancel the campaign's scheduled transmissions",
            needs=("campaign",),
            cannot_stop=CANNOT_STOP,
            pattern=r"[^\s].{0,63}",  # campaign_id: up to 64 bytes of free text
        ),
    }

    def request(
        self, op: OperationSpec, ids: Mapping[str, str], settings: EspSettings
    ) -> RequestSpec:
        campaign = ids["campaign"]
        return RequestSpec(
            method="DELETE",
            path="/api/v1/transmissions",
            query=(("campaign_id", campaign),),
            summary=(
                f"Cancel every transmission of campaign {campaign!r} that SparkPost "
                "still holds scheduled for later."
            ),
        )

    def extra_headers(self, settings: EspSettings) -> list[tuple[str, str]]:
        if settings.subaccount:
            return [("X-MSYS-SUBACCOUNT", settings.subaccount)]
        return []

    def auth_display(self) -> list[tuple[str, str]]:
        return [("Authorization", MASK)]

    def auth_headers(
        self, planned: PlannedRequest, secret: str, headers: Mapping[str, str], body: bytes | None
    ) -> dict[str, str]:
        return {"Authorization": secret}

    def error_text(self, status: int, headers: Mapping[str, str], body: bytes) -> str:
        data = json_body(body)
        errors = data.get("errors") if isinstance(data, dict) else None
        if isinstance(errors, list) and errors:
            parts = []
            for item in errors:
                if not isinstance(item, dict):
                    continue
                text = str(item.get("message") or "")
                if item.get("description"):
                    text += f": {item['description']}"
                if item.get("code"):
                    text += f" (code {item['code']})"
                parts.append(text)
            if parts:
                return "; ".join(parts)
        return super().error_text(status, headers, body) or plain_text(body)
