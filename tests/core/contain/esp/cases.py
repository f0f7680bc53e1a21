"""Every connector operation, with the request the real API expects for it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from email_crisis.core.contain import esp
from email_crisis.core.contain.esp import EspSettings, PlannedRequest, StopTarget

# Distinctive keys, so a leak is easy to spot in any output or file.
SECRETS = {
    "sparkpost": "sp-LEAKCHECK-5f1e0c9a8b7d6e5f4a3b2c1d",
    "sendgrid": "SG.LEAKCHECK-sendgrid.9f8e7d6c5b4a3f2e1d0c",
    "mailgun": "key-LEAKCHECK-mailgun-0a1b2c3d4e5f6a7b",
    "ses": "AKIALEAKCHECK0000001:LEAKCHECKsesSecretAccessKey0000000000000",
    "mailchimp": "LEAKCHECKmailchimp0123456789abcd-us21",
    "brevo": "xkeysib-LEAKCHECK-brevo-0123456789abcdef",
}
SES_REGION = "eu-west-1"


@dataclass(frozen=True)
class Case:
    id: str
    target: StopTarget
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    state: dict[str, str] = field(default_factory=dict)  # what the fake ESP holds already


CASES = [
    Case(
        "sparkpost-cancel",
        StopTarget("sparkpost", "cancel-scheduled", campaign="spring sale & more"),
        "DELETE",
        "/api/v1/transmissions",
        {"campaign_id": ["spring sale & more"]},
        None,
    ),
    Case(
        "sendgrid-cancel-batch",
        StopTarget("sendgrid", "cancel-batch", batch="YOUR_BATCH_ID-1"),
        "POST",
        "/v3/user/scheduled_sends",
        {},
        {"batch_id": "YOUR_BATCH_ID-1", "status": "cancel"},
    ),
    Case(
        "sendgrid-pause-batch",
        StopTarget("sendgrid", "pause-batch", batch="B2"),
        "POST",
        "/v3/user/scheduled_sends",
        {},
        {"batch_id": "B2", "status": "pause"},
    ),
    Case(
        "sendgrid-cancel-paused-batch",
        StopTarget("sendgrid", "cancel-paused-batch", batch="B2"),
        "PATCH",
        "/v3/user/scheduled_sends/B2",
        {},
        {"status": "cancel"},
        state={"B2": "pause"},
    ),
    Case(
        "sendgrid-single-send",
        StopTarget("sendgrid", "cancel-single-send", single_send="27c4ae21-0bc1-4e4c"),
        "DELETE",
        "/v3/marketing/singlesends/27c4ae21-0bc1-4e4c/schedule",
        {},
        None,
    ),
    Case(
        "mailgun-delete-queued",
        StopTarget("mailgun", "delete-queued", domain="mg.Example.com"),
        "DELETE",
        "/v3/mg.example.com/envelopes",
        {},
        None,
    ),
    Case(
        "ses-config-set",
        StopTarget("ses", "disable-config-set", config_set="marketing_eu-1"),
        "PUT",
        "/v2/email/configuration-sets/marketing_eu-1/sending",
        {},
        {"SendingEnabled": False},
    ),
    Case(
        "ses-account",
        StopTarget("ses", "disable-account", account=True),
        "PUT",
        "/v2/email/account/sending",
        {},
        {"SendingEnabled": False},
    ),
    Case(
        "mailchimp-unschedule",
        StopTarget("mailchimp", "unschedule", campaign="42a9f0c1d2"),
        "POST",
        "/3.0/campaigns/42a9f0c1d2/actions/unschedule",
        {},
        None,
    ),
    Case(
        "mailchimp-cancel-send",
        StopTarget("mailchimp", "cancel-send", campaign="42a9f0c1d2"),
        "POST",
        "/3.0/campaigns/42a9f0c1d2/actions/cancel-send",
        {},
        None,
    ),
    Case(
        "brevo-suspend",
        StopTarget("brevo", "suspend", campaign="1234"),
        "PUT",
        "/v3/emailCampaigns/1234/status",
        {},
        {"status": "suspended"},
    ),
]
IDS = [case.id for case in CASES]
CASE = {case.id: case for case in CASES}


def settings(esp_name: str, base_url: str | None = None, timeout: float = 5.0) -> EspSettings:
    """Settings pointing a connector at ``base_url`` (SES gets its region)."""
    region = SES_REGION if esp_name == "ses" else None
    return EspSettings(esp=esp_name, base_url=base_url, region=region, timeout=timeout)


def planned_for(case: Case, base_url: str, timeout: float = 5.0) -> PlannedRequest:
    return esp.plan(case.target, settings(case.target.esp, base_url, timeout))


def with_base(planned: PlannedRequest, base_url: str) -> PlannedRequest:
    path = planned.url.split("/", 3)[3]
    return replace(planned, url=f"{base_url}/{path}")
