"""Contract tests: every ESP call as the provider's own specification describes it.

Each expectation below is copied from the provider's published specification (or its
official client), named in the test. Nothing here is taken from our own fixtures.
Planning makes no network call; executions go to the fake ESP on 127.0.0.1, which
answers with the documented bodies and rate-limit headers (``fake_server.py``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

import pytest

from email_crisis.core.contain import esp
from email_crisis.core.contain.esp import EspSettings, PlannedRequest, StopTarget
from email_crisis.core.contain.esp.connector import Connector
from email_crisis.core.contain.esp.http import RawResponse
from email_crisis.core.contain.esp.mailgun import STORAGE_HOSTS, storage_host_of
from tests.core.contain.esp.cases import SECRETS
from tests.core.contain.esp.fake_server import FakeEsp

FakeFactory = Callable[..., FakeEsp]


def _plan(target: StopTarget, **settings: object) -> PlannedRequest:
    return esp.plan(target, EspSettings(esp=target.esp, **settings))  # type: ignore[arg-type]


def _sent(
    fake: FakeFactory, target: StopTarget, state: dict[str, str] | None = None, **settings: object
) -> dict[str, str]:
    """The headers the fake ESP received when ``target`` was executed (names lower-cased)."""
    name = target.esp
    server = fake(name, SECRETS[name])
    server.batches.update(state or {})
    result = esp.execute(_plan(target, base_url=server.base_url, **settings), SECRETS[name])
    assert result.ok and server.problems == [], (result, server.problems)
    [seen] = server.requests
    return seen.headers


def _basic(value: str) -> tuple[str, str]:
    scheme, _, token = value.partition(" ")
    assert scheme == "Basic"
    user, _, password = base64.b64decode(token).decode().partition(":")
    return user, password


def _answer(name: str, status: int, body: bytes, headers: dict[str, str] | None = None) -> object:
    """What the connector makes of an answer (no network)."""
    conn: Connector = esp.connector(name)
    return conn._result(RawResponse(status, "", headers or {}, body, 0.01), [])


# -- SendGrid -------------------------------------------------------------------------------
# Source: github.com/twilio/sendgrid-oai @ dbe0e0d2, spec/yaml/tsg_scheduled_sends_v3.yaml
# (servers api.sendgrid.com / api.eu.sendgrid.com; CreateScheduledSend POST 201,
# UpdateScheduledSend PATCH 204; header on-behalf-of; ErrorResponse {"errors": [...]}),
# spec/yaml/tsg_mc_singlesends_v3.yaml (DeleteScheduledSingleSend, 200). Both files:
# "security: - BearerAuth", securitySchemes BearerAuth "type: http, scheme: bearer" ("The
# API key must be sent as a bearer token in the Authorization header").


def test_sendgrid_create_scheduled_send(fake: FakeFactory) -> None:
    planned = _plan(StopTarget("sendgrid", "cancel-batch", batch="MGE2ZTk4"))
    assert (planned.method, planned.url) == (
        "POST",
        "https://api.sendgrid.com/v3/user/scheduled_sends",
    )
    assert json.loads(planned.body or "") == {"batch_id": "MGE2ZTk4", "status": "cancel"}
    assert ("Authorization", "Bearer ********") in planned.headers  # BearerAuth
    assert ("Content-Type", "application/json") in planned.headers
    sent = _sent(fake, StopTarget("sendgrid", "cancel-batch", batch="MGE2ZTk4"))
    assert sent["authorization"] == f"Bearer {SECRETS['sendgrid']}"


def test_sendgrid_update_scheduled_send_is_a_patch_on_the_batch(fake: FakeFactory) -> None:
    target = StopTarget("sendgrid", "cancel-paused-batch", batch="MGE2ZTk4")
    planned = _plan(target)
    assert (planned.method, planned.url) == (
        "PATCH",
        "https://api.sendgrid.com/v3/user/scheduled_sends/MGE2ZTk4",
    )
    assert json.loads(planned.body or "") == {"status": "cancel"}
    assert ("Authorization", "Bearer ********") in planned.headers  # BearerAuth
    sent = _sent(fake, target, state={"MGE2ZTk4": "pause"})  # a batch paused earlier
    assert sent["authorization"] == f"Bearer {SECRETS['sendgrid']}"


def test_sendgrid_single_send_schedule_delete(fake: FakeFactory) -> None:
    target = StopTarget("sendgrid", "cancel-single-send", single_send="27d1d5f4-6c5c")
    planned = _plan(target)
    assert (planned.method, planned.url, planned.body) == (
        "DELETE",
        "https://api.sendgrid.com/v3/marketing/singlesends/27d1d5f4-6c5c/schedule",
        None,
    )
    assert ("Authorization", "Bearer ********") in planned.headers  # BearerAuth
    assert _sent(fake, target)["authorization"] == f"Bearer {SECRETS['sendgrid']}"


def test_sendgrid_on_behalf_of_reaches_a_subusers_batch() -> None:
    # OnBehalfOf: "You will use the parent account's API key when using this header."
    planned = _plan(StopTarget("sendgrid", "pause-batch", batch="B1"), on_behalf_of="brand-eu")
    assert ("on-behalf-of", "brand-eu") in planned.headers
    assert _plan(StopTarget("sendgrid", "pause-batch", batch="B1"), region="eu").url.startswith(
        "https://api.eu.sendgrid.com/"
    )


def test_sendgrid_pause_then_cancel_uses_patch(fake: FakeFactory) -> None:
    # CreateScheduledSend: "Passing a status change to a scheduled send that has already
    # been paused or cancelled will result in a 400 level status code."
    server = fake("sendgrid", SECRETS["sendgrid"])
    secret = SECRETS["sendgrid"]
    settings = EspSettings(esp="sendgrid", base_url=server.base_url, on_behalf_of="brand-eu")
    paused = esp.execute(
        esp.plan(StopTarget("sendgrid", "pause-batch", batch="B7"), settings), secret
    )
    assert (paused.ok, paused.status) == (True, 201)
    again = esp.execute(
        esp.plan(StopTarget("sendgrid", "cancel-batch", batch="B7"), settings), secret
    )
    assert (again.ok, again.status) == (False, 400)
    assert "cancel-paused-batch" in again.esp_message  # what to do instead
    switched = esp.plan(StopTarget("sendgrid", "cancel-paused-batch", batch="B7"), settings)
    done = esp.execute(switched, secret)
    assert (done.ok, done.status) == (True, 204)
    assert server.batches == {"B7": "cancel"}
    assert all(seen.headers["on-behalf-of"] == "brand-eu" for seen in server.requests)


def test_sendgrid_published_429_gives_a_wait() -> None:
    # Rate-limits page (twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/
    # rate-limits), verbatim: X-RateLimit-Reset: 1392815263 and a body with a trailing comma.
    body = (
        b'{\n  "errors": [\n    {\n      "field": null,\n'
        b'       "message": "too many requests"\n    },\n  ]\n}'
    )
    conn = esp.connector("sendgrid")
    headers = {"X-RateLimit-Limit": "150", "X-RateLimit-Remaining": "0"}
    epoch = conn.wait_seconds({**headers, "X-RateLimit-Reset": "1392815263"}, body)
    assert epoch == 0  # that moment is long past: nothing to wait for, not 1.4e9 seconds
    # tsg_recipients_data_erasure_v3.yaml: "The amount of time (in seconds) until the
    # current window is over" - a small number is read as seconds.
    assert conn.wait_seconds({**headers, "X-RateLimit-Reset": "42"}, body) == 42
    result = _answer("sendgrid", 429, body, {**headers, "X-RateLimit-Reset": "42"})
    assert (result.outcome, result.retry_after) == ("rate-limited", 42)  # type: ignore[attr-defined]
    assert "too many requests" in result.esp_message  # type: ignore[attr-defined]


# -- Mailgun ---------------------------------------------------------------------------------
# Source: Mailgun API reference, "Delete envelopes" (documentation.mailgun.com/docs/mailgun/
# api-reference/send/mailgun/messages/delete-v3--domain-name--envelopes): "must be called on
# the storage API host and in the domain's region ... storage-us-east4.api.mailgun.net,
# storage-us-west1.api.mailgun.net, and storage-europe-west1.api.mailgun.net"; official
# client github.com/mailgun/mailgun.js @ 2fa8ffff, lib/Classes/Messages.ts (allowedStorageUrls,
# DELETE https://${storageUrl}/v3/${domain}/envelopes); authentication: mailgun/documentation
# @ 32f41214, source/api-intro.rst (HTTP Basic Auth, "curl --user 'api:YOUR_API_KEY'").


def test_mailgun_delete_envelopes_goes_to_the_storage_hosts_of_the_region() -> None:
    target = StopTarget("mailgun", "delete-queued", domain="mg.example.com")
    us = _plan(target)
    assert us.method == "DELETE" and us.body is None
    assert [urlsplit(u).netloc for u in us.urls] == [
        "storage-us-east4.api.mailgun.net",
        "storage-us-west1.api.mailgun.net",
    ]
    assert all(urlsplit(u).path == "/v3/mg.example.com/envelopes" for u in us.urls)
    eu = _plan(target, region="eu")
    assert eu.urls == ("https://storage-europe-west1.api.mailgun.net/v3/mg.example.com/envelopes",)
    assert not any("api.mailgun.net/v3" in u and "storage" not in u for u in us.urls + eu.urls)
    assert ("Authorization", "Basic ********") in us.headers  # user "api", the private key


def test_mailgun_storage_host_setting_and_learnt_host() -> None:
    target = StopTarget("mailgun", "delete-queued", domain="mg.example.com")
    configured = _plan(target, storage_host="storage-us-west1.api.mailgun.net")
    assert configured.urls == (
        "https://storage-us-west1.api.mailgun.net/v3/mg.example.com/envelopes",
    )
    learnt = _plan(
        target,
        storage_host="storage-us-east4.api.mailgun.net",
        learnt_hosts=("storage-us-west1.api.mailgun.net",),
        learnt_from="an imported export",
    )
    assert learnt.urls == configured.urls and "an imported export" in learnt.summary
    with pytest.raises(esp.EspError, match="not a Mailgun storage host"):
        _plan(target, storage_host="api.mailgun.net")
    assert set(STORAGE_HOSTS) == {"us", "eu"}


def test_storage_host_read_from_an_events_storage_url() -> None:
    # mailgun/documentation source/api-events.rst samples: "storage": {"url":
    # "https://storage-us-west1.api.mailgun.net/v3/domains/.../messages/...", ...}
    url = "https://storage-us-west1.api.mailgun.net/v3/domains/mg.example.com/messages/AwABB"
    assert storage_host_of(url) == ("mg.example.com", "storage-us-west1.api.mailgun.net")
    assert storage_host_of("https://se.api.mailgun.net/v3/domains/x.com/messages/A") is None
    assert storage_host_of(["not", "a", "url"]) is None


def test_mailgun_each_storage_host_is_called_once_and_each_answer_reported(
    fake: FakeFactory,
) -> None:
    east, west = (
        fake("mailgun", SECRETS["mailgun"], mode="404"),
        fake("mailgun", SECRETS["mailgun"]),
    )
    planned = _plan(StopTarget("mailgun", "delete-queued", domain="mg.example.com"))
    tail = "/v3/mg.example.com/envelopes"
    local = replace(planned, url=east.base_url + tail, also_urls=(west.base_url + tail,))
    result = esp.execute(local, SECRETS["mailgun"])
    assert result.ok and result.status == 200
    # source/api-sending.rst, "Error codes": 404 "Domain not found: example.com".
    assert "Domain not found: mg.example.com (HTTP 404)" in result.esp_message
    assert "done (HTTP 200)" in result.esp_message
    assert len(east.requests) == len(west.requests) == 1
    for seen in east.requests + west.requests:  # each host gets the key, as user "api"
        assert _basic(seen.headers["authorization"]) == ("api", SECRETS["mailgun"])
    record = esp.call_record(local, result, secret=SECRETS["mailgun"])
    assert record["also_urls"] == [west.base_url + tail]
    assert "(and 1 other host(s))" in esp.describe_event(record)


def test_mailgun_published_rate_limit_answers_give_a_wait() -> None:
    # mailgun/documentation @ 32f41214, source/api-domains.rst (verbatim, trailing comma).
    conn = esp.connector("mailgun")
    assert conn.wait_seconds({}, b'{\n  "retry-seconds": 60,\n}') == 60
    # source/api-sending.rst: "... request limit exceeded, try again after <date>".
    text = (
        b'{"message": "Domain example.com is not allowed to send: request limit exceeded, '
        b'try again after Mon, 20 Dec 2021 20:33:21 UTC"}'
    )
    assert conn.wait_seconds({}, text) == 0  # in the past: nothing to wait for
    assert conn.wait_seconds({"Retry-After": "30"}, b"") == 30


# -- Amazon SES ------------------------------------------------------------------------------
# Source: botocore 1.44.18 botocore/data/sesv2/2019-09-27/service-2.json
# (PutConfigurationSetSendingOptions PUT /v2/email/configuration-sets/{name}/sending,
# PutAccountSendingAttributes PUT /v2/email/account/sending, SendingEnabled; metadata
# endpointPrefix "email", signingName "ses", signatureVersion "v4"); botocore/parsers.py reads
# "code" or "Code"; botocore/auth.py SigV4Auth.add_auth sets X-Amz-Date and an Authorization
# header "AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request, ...".


def test_ses_operations(fake: FakeFactory) -> None:
    config = _plan(
        StopTarget("ses", "disable-config-set", config_set="marketing"), region="eu-west-1"
    )
    assert (config.method, config.url) == (
        "PUT",
        "https://email.eu-west-1.amazonaws.com/v2/email/configuration-sets/marketing/sending",
    )
    assert json.loads(config.body or "") == {"SendingEnabled": False}
    account = _plan(StopTarget("ses", "disable-account", account=True), region="us-east-1")
    assert (account.method, account.url) == (
        "PUT",
        "https://email.us-east-1.amazonaws.com/v2/email/account/sending",
    )
    access_key = SECRETS["ses"].split(":")[0]
    for target in (
        StopTarget("ses", "disable-config-set", config_set="marketing"),
        StopTarget("ses", "disable-account", account=True),
    ):
        shown = dict(_plan(target, region="eu-west-1").headers)
        assert shown["Authorization"].startswith("AWS4-HMAC-SHA256 ") and "X-Amz-Date" in shown
        # The fake also checks the signature itself with botocore (no problems recorded).
        sent = _sent(fake, target, region="eu-west-1")
        assert sent["authorization"].startswith(
            f"AWS4-HMAC-SHA256 Credential={access_key}/{sent['x-amz-date'][:8]}/eu-west-1/ses/"
            "aws4_request, SignedHeaders="
        )
        assert "x-amz-date" in sent["authorization"].split("SignedHeaders=")[1].split(",")[0]


def test_ses_error_code_in_either_case() -> None:
    body = b'{"Code": "NotFoundException", "Message": "Configuration set <x> does not exist."}'
    result = _answer("ses", 404, body)
    assert result.esp_message == "NotFoundException: Configuration set <x> does not exist."  # type: ignore[attr-defined]
    limited = _answer(
        "ses",
        429,
        b'{"message": "Too many requests."}',
        {"x-amzn-ErrorType": "TooManyRequestsException:"},
    )
    assert limited.retry_after is None and "wait" in limited.esp_message  # type: ignore[attr-defined]


# -- Mailchimp -------------------------------------------------------------------------------
# Source: github.com/mailchimp/mailchimp-marketing-python @ 3305fa45,
# mailchimp_marketing/api/campaigns_api.py (unschedule, cancel_send: POST
# /campaigns/{campaign_id}/actions/..., no body), mailchimp_marketing/api_client.py (request:
# auth = ('user', self.api_key), HTTP Basic with the key as password); errors page
# mailchimp.com/developer/marketing/docs/errors/ (problem+json with "instance").


def test_mailchimp_operations_and_problem_document(fake: FakeFactory) -> None:
    for operation, action in (("unschedule", "unschedule"), ("cancel-send", "cancel-send")):
        planned = _plan(
            StopTarget("mailchimp", operation, campaign="42694e9e57"), server_prefix="us19"
        )
        assert (planned.method, planned.url, planned.body) == (
            "POST",
            f"https://us19.api.mailchimp.com/3.0/campaigns/42694e9e57/actions/{action}",
            None,
        )
        assert ("Authorization", "Basic ********") in planned.headers
        sent = _sent(fake, StopTarget("mailchimp", operation, campaign="42694e9e57"))
        assert _basic(sent["authorization"])[1] == SECRETS["mailchimp"]  # any user name
    body = json.dumps(
        {
            "type": "https://mailchimp.com/developer/marketing/docs/errors/",
            "title": "Method Not Allowed",
            "status": 405,
            "detail": "The requested method and resource are not compatible. See the Allow "
            "header for this resource's available methods.",
            "instance": "3b4dcb40-0b6b-4820-bfaa-41267b3826ea",
        }
    ).encode()
    result = _answer("mailchimp", 405, body, {"Content-Type": "application/problem+json"})
    assert result.esp_message.startswith("Method Not Allowed: The requested method")  # type: ignore[attr-defined]
    assert "instance 3b4dcb40-0b6b-4820-bfaa-41267b3826ea" in result.esp_message  # type: ignore[attr-defined]


# -- Brevo -----------------------------------------------------------------------------------
# Source: github.com/getbrevo/brevo-python @ c280e379, brevo_python/api/email_campaigns_api.py
# (update_campaign_status: PUT /emailCampaigns/{campaignId}/status, header api-key, 204),
# models/error_model.py ({code, message}), configuration.py (auth_settings: api_key "in":
# "header", "key": "api-key"); developers.brevo.com/docs/limit-headers.


def test_brevo_update_campaign_status_and_rate_limit(fake: FakeFactory) -> None:
    planned = _plan(StopTarget("brevo", "suspend", campaign="12345"))
    assert (planned.method, planned.url) == (
        "PUT",
        "https://api.brevo.com/v3/emailCampaigns/12345/status",
    )
    assert json.loads(planned.body or "") == {"status": "suspended"}
    assert ("api-key", "********") in planned.headers
    sent = _sent(fake, StopTarget("brevo", "suspend", campaign="12345"))
    assert sent["api-key"] == SECRETS["brevo"] and "authorization" not in sent
    refused = _answer(
        "brevo", 400, b'{"code": "campaign_sent", "message": "Campaign already sent"}'
    )
    assert refused.esp_message == "Campaign already sent (campaign_sent)"  # type: ignore[attr-defined]
    limited = _answer(
        "brevo", 429, b'{"message": "Too many requests"}', {"x-sib-ratelimit-reset": "12"}
    )
    assert limited.retry_after == 12  # type: ignore[attr-defined]


# -- SparkPost -------------------------------------------------------------------------------
# Source: github.com/SparkPost/developers.sparkpost.com @ 88f24dc3, content/api/
# transmissions.apib ("Delete Scheduled Transmissions By Campaign ID [DELETE
# /v1/transmissions{?campaign_id}]", 204; X-MSYS-SUBACCOUNT; 409 code 2003 verbatim),
# content/api/index.apib (429: "wait 1 to 5 seconds"; Authentication: "We accept just the API
# key" as the Authorization header, no scheme).


def test_sparkpost_delete_by_campaign(fake: FakeFactory) -> None:
    planned = _plan(
        StopTarget("sparkpost", "cancel-scheduled", campaign="white-christmas"), subaccount="101"
    )
    assert (planned.method, planned.url) == (
        "DELETE",
        "https://api.sparkpost.com/api/v1/transmissions?campaign_id=white-christmas",
    )
    assert ("X-MSYS-SUBACCOUNT", "101") in planned.headers
    assert ("Authorization", "********") in planned.headers
    target = StopTarget("sparkpost", "cancel-scheduled", campaign="white-christmas")
    assert _sent(fake, target)["authorization"] == SECRETS["sparkpost"]
    eu = _plan(StopTarget("sparkpost", "cancel-scheduled", campaign="x"), region="eu")
    assert eu.url.startswith("https://api.eu.sparkpost.com/api/v1/")


def test_sparkpost_too_close_to_generation_is_explained() -> None:
    body = b"""{
    "errors": [
        {
            "message": "too close to generation time to delete transmission",
            "code": "2003",
            "description": "Deletion time window (660 seconds) doesn't permit transmission deletion"
        }
    ]
}"""
    result = _answer("sparkpost", 409, body)
    message = result.esp_message  # type: ignore[attr-defined]
    assert "too close to generation time" in message and "(code 2003)" in message
    assert "no longer lets it be cancelled: it will go out" in message
    limited = _answer("sparkpost", 429, b"")
    assert "wait 1 to 5 seconds" in limited.esp_message  # type: ignore[attr-defined]
