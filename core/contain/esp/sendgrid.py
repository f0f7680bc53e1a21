"""SendGrid (Twilio): pause or cancel a scheduled batch; cancel a scheduled Single Send.

Endpoints (twilio/sendgrid-oai ``spec/yaml/tsg_scheduled_sends_v3.yaml`` and
``tsg_mc_singlesends_v3.yaml``):
- ``POST /v3/user/scheduled_sends`` with ``{"batch_id": …, "status": "pause"|"cancel"}``
  (CreateScheduledSend; answers 201);
- ``PATCH /v3/user/scheduled_sends/{batch_id}`` with ``{"status": "cancel"}``
  (UpdateScheduledSend; answers 204). Once a batch is paused or cancelled, a second
  POST is refused with a 400: "you must use the Update a scheduled send endpoint";
- ``DELETE /v3/marketing/singlesends/{id}/schedule`` (cancels the schedule, keeps the
  Single Send as a draft; answers 200).
``Authorization: Bearer <key>``; ``on-behalf-of: <subuser>`` to act for a subuser with
the parent account's key (``on_behalf_of`` in the config file). Global base
https://api.sendgrid.com, EU regional subusers https://api.eu.sendgrid.com. Errors:
``{"errors": [{"field", "message"}]}``. A 429 carries ``X-RateLimit-Reset``.

Docs: https://www.twilio.com/docs/sendgrid/api-reference/cancel-scheduled-sends/cancel-or-pause-a-scheduled-send
      https://www.twilio.com/docs/sendgrid/api-reference/single-sends/delete-single-send-schedule
      https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/errors
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from email_crisis.core.contain.esp.base import EspSettings, OperationSpec, PlannedRequest, json_body
from email_crisis.core.contain.esp.connector import Connector, RequestSpec, mask_scheme, quote

BATCH_LIMITS = (
    "SendGrid does not guarantee a pause or cancel made less than 10 minutes before the "
    "batch's send time, and holds at most 10 paused or cancelled batches at once. Mail "
    "of the batch already sent, or sent without the batch id, is not affected."
)
CANCEL_BATCH = (
    BATCH_LIMITS + " A cancelled batch is discarded at its send time and cannot be resumed."
)
PAUSE_BATCH = (
    BATCH_LIMITS + " A paused batch is kept until resumed, and discarded as expired 72 hours "
    "after its send time."
)
CANCEL_PAUSED = (
    BATCH_LIMITS + " This changes a batch that is already paused (or cancelled) to "
    "cancelled; a cancelled batch is discarded at its send time and cannot be resumed."
)
ALREADY_SET = (
    " If this batch is already paused or cancelled, SendGrid refuses a second status: "
    "switch it with the operation cancel-paused-batch (PATCH)."
)
CANCEL_SINGLE_SEND = (
    "Only the schedule of a Single Send that has not started is removed (it goes back to "
    "draft). A Single Send that is already sending cannot be stopped through the API: "
    "contact SendGrid support. Delivered mail cannot be recalled."
)
ID = r"[A-Za-z0-9_-]{1,100}"


class SendGrid(Connector):
    """SendGrid v3 API."""

    name = "sendgrid"
    label = "SendGrid"
    doc_urls = (
        "https://www.twilio.com/docs/sendgrid/api-reference/cancel-scheduled-sends/"
        "cancel-or-pause-a-scheduled-send",
        "https://www.twilio.com/docs/sendgrid/api-reference/single-sends/"
        "delete-single-send-schedule",
    )
    default_base = "https://api.sendgrid.com"
    regions: ClassVar[dict[str, str]] = {
        "global": "https://api.sendgrid.com",
        "eu": "https://api.eu.sendgrid.com",
    }
    key_format = "a SendGrid API key (it starts with SG.)"
    operations: ClassVar[dict[str, OperationSpec]] = {
        "cancel-batch": OperationSpec(
            "cancel-batch", "Cancel a scheduled batch", ("batch",), CANCEL_BATCH, ID
        ),
        "pause-batch": OperationSpec(
            "pause-batch", "Pause a scheduled batch", ("batch",), PAUSE_BATCH, ID
        ),
        "cancel-paused-batch": OperationSpec(
            "cancel-paused-batch",
            "Cancel a batch that is already paused",
            ("batch",),
            CANCEL_PAUSED,
            ID,
        ),
        "cancel-single-send": OperationSpec(
            "cancel-single-send",
            "Cancel a scheduled Single Send",
            ("single_send",),
            CANCEL_SINGLE_SEND,
            ID,
        ),
    }

    def request(
        self, op: OperationSpec, ids: Mapping[str, str], settings: EspSettings
    ) -> RequestSpec:
        if op.id == "cancel-single-send":
            single_send = ids["single_send"]
            return RequestSpec(
                method="DELETE",
                path=f"/v3/marketing/singlesends/{quote(single_send)}/schedule",
                summary=f"Remove the schedule of Single Send {single_send!r} (it stays a draft).",
            )
        batch = ids["batch"]
        if op.id == "cancel-paused-batch":
            return RequestSpec(
                method="PATCH",
                path=f"/v3/user/scheduled_sends/{quote(batch)}",
                body={"status": "cancel"},
                summary=f"Change the paused batch {batch!r} to cancelled.",
            )
        status = "pause" if op.id == "pause-batch" else "cancel"
        verb = "Pause" if status == "pause" else "Cancel"
        return RequestSpec(
            method="POST",
            path="/v3/user/scheduled_sends",
            body={"batch_id": batch, "status": status},
            summary=f"{verb} every message scheduled with batch id {batch!r}.",
        )

    def extra_headers(self, settings: EspSettings) -> list[tuple[str, str]]:
        if settings.on_behalf_of:
            return [("on-behalf-of", settings.on_behalf_of)]
        return []

    def wait_seconds(self, headers: Mapping[str, str], body: bytes) -> int | None:
        from email_crisis.core.contain.esp import rate_limits

        return rate_limits.sendgrid(headers, body)

    def auth_display(self) -> list[tuple[str, str]]:
        return [("Authorization", mask_scheme("Bearer"))]

    def auth_headers(
        self, planned: PlannedRequest, secret: str, headers: Mapping[str, str], body: bytes | None
    ) -> dict[str, str]:
        return {"Authorization": f"Bearer {secret}"}

    def error_text(self, status: int, headers: Mapping[str, str], body: bytes) -> str:
        data = json_body(body)
        errors = data.get("errors") if isinstance(data, dict) else None
        if isinstance(errors, list):
            parts = []
            for item in errors:
                if isinstance(item, dict) and item.get("message"):
                    field = item.get("field")
                    parts.append(f"{field}: {item['message']}" if field else str(item["message"]))
            if parts:
                text = "; ".join(parts)
                return text + ALREADY_SET if status == 400 and "batch" in text.lower() else text
        return super().error_text(status, headers, body)

    def success_text(self, status: int, headers: Mapping[str, str], body: bytes) -> str:
        data = json_body(body)
        if isinstance(data, dict) and data.get("status"):
            return f"accepted (status {data['status']})"
        return super().success_text(status, headers, body)
