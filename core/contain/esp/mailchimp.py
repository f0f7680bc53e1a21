"""Mailchimp Marketing API: unschedule a campaign, or cancel one that is sending.

Endpoints (no body, answer 204):
- ``POST /3.0/campaigns/{campaign_id}/actions/unschedule`` (scheduled, not yet sending);
- ``POST /3.0/campaigns/{campaign_id}/actions/cancel-send`` (Regular or Plain-Text
  campaign that is being delivered; a Mailchimp Pro feature).
Base https://{dc}.api.mailchimp.com, where ``dc`` is the data centre that ends the API
key (``…-us21``) or ``server_prefix`` in the config file. HTTP Basic authentication,
any user name, the key as password. Errors are problem documents:
``{"type", "title", "status", "detail", "instance"}``.

Docs: https://mailchimp.com/developer/marketing/api/campaigns/ (Unschedule campaign,
      Cancel campaign)
      https://mailchimp.com/developer/guides/marketing-api-conventions/ (authentication,
      data centre)
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

from email_crisis.core.base.errors import ValidationError
from email_crisis.core.contain.esp.base import EspSettings, OperationSpec, PlannedRequest, json_body
from email_crisis.core.contain.esp.connector import Connector, RequestSpec, mask_scheme, quote

DATA_CENTRE = re.compile(r"[a-z]{2,4}\d{1,3}")
UNSCHEDULE = (
    "Works only while the campaign is scheduled and has not started sending; it goes "
    "back to draft. Once sending has begun, use cancel-send instead."
)
CANCEL_SEND = (
    "Works only for a Regular or Plain-Text campaign that is being delivered, and needs "
    "the Mailchimp Pro plan. Recipients who already received it keep it; a campaign that "
    "finished sending cannot be cancelled."
)
CAMPAIGN = r"[A-Za-z0-9]{1,40}"


def data_centre(secret: str | None) -> str | None:
    """The data centre at the end of a Mailchimp API key (``…-us21`` → ``us21``)."""
    if not secret or "-" not in secret:
        return None
    suffix = secret.strip().rsplit("-", 1)[1]
    return suffix if DATA_CENTRE.fullmatch(suffix) else None


class Mailchimp(Connector):
    """Mailchimp Marketing API 3.0."""

    name = "mailchimp"
    label = "Mailchimp"
    doc_urls = (
        "https://mailchimp.com/developer/marketing/api/campaigns/",
        "https://mailchimp.com/developer/guides/marketing-api-conventions/",
    )
    default_base = ""  # depends on the data centre
    key_format = "a Mailchimp Marketing API key ending in its data centre, like …-us21"
    operations: ClassVar[dict[str, OperationSpec]] = {
        "unschedule": OperationSpec(
            "unschedule", "Unschedule a scheduled campaign", ("campaign",), UNSCHEDULE, CAMPAIGN
        ),
        "cancel-send": OperationSpec(
            "cancel-send", "Cancel a campaign that is sending", ("campaign",), CANCEL_SEND, CAMPAIGN
        ),
    }

    def derive_settings(self, settings: EspSettings, secret: str | None) -> EspSettings:
        if settings.server_prefix or settings.base_url:
            return settings
        found = data_centre(secret)
        if not found:
            return settings
        return replace(settings, server_prefix=found, source=f"{settings.source}, the key's suffix")

    def base_url(self, settings: EspSettings) -> str:
        if settings.base_url:
            return settings.base_url.rstrip("/")
        prefix = (settings.server_prefix or "").strip().lower()
        if not prefix:
            raise ValidationError(
                "Mailchimp needs the account's data centre (the end of the API key, like "
                "us21): store the key first, or set server_prefix under [esp.mailchimp] "
                "in the config file."
            )
        if not DATA_CENTRE.fullmatch(prefix):
            raise ValidationError(f"{prefix!r} is not a Mailchimp data centre (like us21).")
        return f"https://{prefix}.api.mailchimp.com"

    def request(
        self, op: OperationSpec, ids: Mapping[str, str], settings: EspSettings
    ) -> RequestSpec:
        campaign = ids["campaign"]
        action = "unschedule" if op.id == "unschedule" else "cancel-send"
        summary = (
            f"Unschedule campaign {campaign} (it goes back to draft)."
            if op.id == "unschedule"
            else f"Cancel campaign {campaign} while it is being delivered."
        )
        return RequestSpec(
            method="POST",
            path=f"/3.0/campaigns/{quote(campaign)}/actions/{action}",
            summary=summary,
        )

    def auth_display(self) -> list[tuple[str, str]]:
        return [("Authorization", mask_scheme("Basic"))]

    def auth_headers(
        self, planned: PlannedRequest, secret: str, headers: Mapping[str, str], body: bytes | None
    ) -> dict[str, str]:
        token = base64.b64encode(f"anystring:{secret}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def error_text(self, status: int, headers: Mapping[str, str], body: bytes) -> str:
        data = json_body(body)
        if isinstance(data, dict) and (data.get("title") or data.get("detail")):
            title, detail = str(data.get("title") or ""), str(data.get("detail") or "")
            text = f"{title}: {detail}" if title and detail else title or detail
            instance = str(data.get("instance") or "").strip()
            # Mailchimp asks for this id when contacting support.
            return f"{text} (instance {instance})" if instance else text
        return super().error_text(status, headers, body)
