"""Amazon SES (API v2): stop sending for a configuration set, or for the whole account.

Endpoints (JSON body ``{"SendingEnabled": false}``, answer 200 with an empty body):
- ``PUT /v2/email/configuration-sets/{name}/sending`` (PutConfigurationSetSendingOptions);
- ``PUT /v2/email/account/sending`` (PutAccountSendingAttributes).
Base https://email.{region}.amazonaws.com; requests are signed with AWS Signature
Version 4 by botocore (optional extra ``email-crisis[ses]``), service name ``ses``.
Errors: ``{"message": ...}`` with the error type in the ``x-amzn-ErrorType`` header.

The key is stored as ``ACCESS_KEY_ID:SECRET_ACCESS_KEY`` (or
``ACCESS_KEY_ID:SECRET_ACCESS_KEY:SESSION_TOKEN`` for temporary credentials).

Docs: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_PutConfigurationSetSendingOptions.html
      https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_PutAccountSendingAttributes.html
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

from email_crisis.core.base.errors import ValidationError
from email_crisis.core.contain.esp.base import (
    MASK,
    EspError,
    EspSettings,
    OperationSpec,
    PlannedRequest,
    header,
    json_body,
)
from email_crisis.core.contain.esp.connector import Connector, RequestSpec, quote

SIGNING_SERVICE = "ses"
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
SIGNATURE = re.compile(r"Signature=([0-9a-f]+)")
INSTALL = (
    "signing Amazon SES requests needs botocore, which is not installed: run "
    "pip install 'email-crisis[ses]' (or pip install botocore); nothing was sent."
)
CONFIG_SET = (
    "Only mail sent with this configuration set, in this region, is refused from now on; "
    "the sending application gets errors for each new message and should be stopped too. "
    "Messages SES has already accepted are still delivered. Sending stays off until "
    "someone turns it back on (in the console, or the same call with true)."
)
ACCOUNT = (
    "All sending of the account in this region stops, transactional mail included "
    "(password resets, receipts); other regions keep sending. Messages SES has already "
    "accepted are still delivered. Sending stays off until someone turns it back on; if "
    "AWS itself paused the account, this call cannot resume it."
)


class Ses(Connector):
    """Amazon SES API v2."""

    name = "ses"
    label = "Amazon SES"
    doc_urls = (
        "https://docs.aws.amazon.com/ses/latest/APIReference-V2/"
        "API_PutConfigurationSetSendingOptions.html",
        "https://docs.aws.amazon.com/ses/latest/APIReference-V2/"
        "API_PutAccountSendingAttributes.html",
    )
    default_base = ""  # depends on the region
    key_format = "ACCESS_KEY_ID:SECRET_ACCESS_KEY (optionally :SESSION_TOKEN)"
    operations: ClassVar[dict[str, OperationSpec]] = {
        "disable-config-set": OperationSpec(
            "disable-config-set",
            "Disable sending for a configuration set",
            ("config_set",),
            CONFIG_SET,
            r"[A-Za-z0-9_-]{1,64}",
        ),
        "disable-account": OperationSpec(
            "disable-account", "Disable sending for the whole account", ("account",), ACCOUNT
        ),
    }

    def derive_settings(self, settings: EspSettings, secret: str | None) -> EspSettings:
        if settings.region:
            return settings
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        if not region:
            return settings
        return replace(settings, region=region.strip(), source=f"{settings.source}, AWS_REGION")

    def base_url(self, settings: EspSettings) -> str:
        region = self._region(settings)
        if settings.base_url:
            return settings.base_url.rstrip("/")
        return f"https://email.{region}.amazonaws.com"

    @staticmethod
    def _region(settings: EspSettings) -> str:
        region = (settings.region or "").strip()
        if not region:
            raise ValidationError(
                "Amazon SES needs a region (sending is switched off per region): set "
                "region under [esp.ses] in the config file, or AWS_REGION."
            )
        if not REGION.fullmatch(region):
            raise ValidationError(f"{region!r} is not an AWS region name (like eu-west-1).")
        return region

    def request(
        self, op: OperationSpec, ids: Mapping[str, str], settings: EspSettings
    ) -> RequestSpec:
        region = self._region(settings)
        if op.id == "disable-account":
            return RequestSpec(
                method="PUT",
                path="/v2/email/account/sending",
                body={"SendingEnabled": False},
                summary=f"Switch off all sending of the AWS account in {region}.",
            )
        name = ids["config_set"]
        return RequestSpec(
            method="PUT",
            path=f"/v2/email/configuration-sets/{quote(name)}/sending",
            body={"SendingEnabled": False},
            summary=f"Switch off sending for configuration set {name!r} in {region}.",
        )

    def auth_display(self) -> list[tuple[str, str]]:
        return [
            ("Authorization", f"AWS4-HMAC-SHA256 {MASK} (signed by botocore at send time)"),
            ("X-Amz-Date", "(the time of sending)"),
        ]

    def check_secret(self, secret: str) -> str:
        key = super().check_secret(secret)
        parts = key.split(":")
        if len(parts) not in (2, 3) or not all(parts):
            raise EspError(f"the Amazon SES key must be {self.key_format}.")
        return key

    def auth_headers(
        self, planned: PlannedRequest, secret: str, headers: Mapping[str, str], body: bytes | None
    ) -> dict[str, str]:
        try:
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
        except ImportError:
            raise EspError(INSTALL) from None
        access_key, secret_key, *token = secret.split(":")
        signed = {k: v for k, v in headers.items() if k.lower() != "user-agent"}
        request = AWSRequest(method=planned.method, url=planned.url, data=body, headers=signed)
        credentials = Credentials(access_key, secret_key, token[0] if token else None)
        SigV4Auth(credentials, SIGNING_SERVICE, planned.signing_region or "").add_auth(request)
        wanted = {"authorization", "x-amz-date", "x-amz-security-token"}
        return {k: v for k, v in request.headers.items() if k.lower() in wanted}

    def secret_values(self, auth: Mapping[str, str]) -> list[str]:
        """The signature and the session token. The rest of a SigV4 header is public
        words ("SignedHeaders", "aws4_request", the date), and masking any run of them
        turned AWS's own "SignatureDoesNotMatch: The request signature…" into
        "********DoesNotMatch: The request s********"."""
        values: list[str] = []
        for key, value in auth.items():
            if key.lower() == "x-amz-security-token":
                values.append(value)
            elif key.lower() == "authorization":
                values += SIGNATURE.findall(value)
        return values

    def error_text(self, status: int, headers: Mapping[str, str], body: bytes) -> str:
        data = json_body(body)
        text = ""
        kind = header(headers, "x-amzn-ErrorType") or ""
        if isinstance(data, dict):
            text = str(data.get("message") or data.get("Message") or "")
            kind = kind or str(data.get("__type") or data.get("code") or data.get("Code") or "")
        kind = kind.split(":")[0].split("#")[-1]
        if text:
            return f"{kind}: {text}" if kind else text
        return kind or super().error_text(status, headers, body)
