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
    "cancelled. SparkPost will not cancel one whose generation starts within about 10 "
    "minutes; a transmission that has started generating or sending goes on, and mail "
    "already handed to recipients' servers cannot be recalled. SparkPost answers 204 at "
    "once and deletes in the background: each cancelled message appears in the events as "
    "a bounce '554 5.7.1 [internal] Campaign cancelled'. Transmissions of a subaccount "
    "need that subaccount's key (or its id in the config file)."
)


EXPLAINED = {
    # transmissions.apib, "Delete a Transmission": 409 with code 2003 within ten minutes
    # (660 s) of the scheduled generation time, 2006 once generation has started.
    "2003": (
        ". In plain words: the transmission starts in less than about 10 minutes, and "
        "SparkPost no longer lets it be cancelled: it will go out at its scheduled time. "
        "Contact SparkPost support now if it must not, and prepare for the messages "
        "being delivered"
    ),
    "2006": (
        ". In plain words: SparkPost is already generating or sending this transmission; "
        "it can no longer be cancelled"
    ),
}


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
                parts.append(text + EXPLAINED.get(str(item.get("code") or ""), ""))
            if parts:
                return "; ".join(parts)
        return super().error_text(status, headers, body) or plain_text(body)
