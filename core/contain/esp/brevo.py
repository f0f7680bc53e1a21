"""Brevo (formerly Sendinblue): suspend an email campaign.

Endpoint: ``PUT /v3/emailCampaigns/{campaignId}/status`` with ``{"status": "suspended"}``
(answers 204), the key in the ``api-key`` header. Base https://api.brevo.com. Errors:
``{"code": ..., "message": ...}`` (getbrevo/brevo-python ``models/error_model.py``). A
429 carries ``x-sib-ratelimit-reset``, the seconds left in the window
(https://developers.brevo.com/docs/limit-headers).

Docs: https://developers.brevo.com/reference/update-campaign-status
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
)
from email_crisis.core.contain.esp.connector import Connector, RequestSpec

CANNOT_STOP = (
    "Suspending holds the emails of the campaign that have not gone out yet (scheduled, "
    "queued or in progress). Emails already sent stay delivered, and a campaign that "
    "finished sending cannot be suspended. Transactional emails are not affected."
)


class Brevo(Connector):
    """Brevo API v3."""

    name = "brevo"
    label = "Brevo"
    doc_urls = ("https://developers.brevo.com/reference/update-campaign-status",)
    default_base = "https://api.brevo.com"
    key_format = "a Brevo API v3 key (it starts with xkeysib-)"
    operations: ClassVar[dict[str, OperationSpec]] = {
        "suspend": OperationSpec(
            "suspend", "Suspend an email campaign", ("campaign",), CANNOT_STOP, r"\d{1,18}"
        ),
    }

    def request(
        self, op: OperationSpec, ids: Mapping[str, str], settings: EspSettings
    ) -> RequestSpec:
        campaign = ids["campaign"]
        return RequestSpec(
            method="PUT",
            path=f"/v3/emailCampaigns/{campaign}/status",
            body={"status": "suspended"},
            summary=f"Suspend email campaign {campaign}.",
        )

    def wait_seconds(self, headers: Mapping[str, str], body: bytes) -> int | None:
        from email_crisis.core.contain.esp import rate_limits

        return rate_limits.brevo(headers, body)

    def auth_display(self) -> list[tuple[str, str]]:
        return [("api-key", MASK)]

    def auth_headers(
        self, planned: PlannedRequest, secret: str, headers: Mapping[str, str], body: bytes | None
    ) -> dict[str, str]:
        return {"api-key": secret}

    def error_text(self, status: int, headers: Mapping[str, str], body: bytes) -> str:
        data = json_body(body)
        if isinstance(data, dict) and data.get("message"):
            code = data.get("code")
            return f"{data['message']} ({code})" if code else str(data["message"])
        return super().error_text(status, headers, body)
