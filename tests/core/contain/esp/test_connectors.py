"""Every connector against a fake of its API on 127.0.0.1: success and every failure."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import pytest

from email_crisis.core.contain import esp
from email_crisis.core.contain.esp import MASK
from tests.core.contain.esp.cases import CASE, CASES, IDS, SECRETS, Case, planned_for
from tests.core.contain.esp.fake_server import APIS, SES_SIGNATURE_TEXT, WAIT, FakeEsp

FakeFactory = Callable[..., FakeEsp]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_success_sends_exactly_what_the_api_expects(case: Case, fake: FakeFactory) -> None:
    name = case.target.esp
    server = fake(name, SECRETS[name])
    server.batches.update(case.state)
    result = esp.execute(planned_for(case, server.base_url), SECRETS[name])
    assert result.ok, result
    assert result.outcome == "done"
    assert server.problems == []
    [seen] = server.requests
    assert seen.client == "127.0.0.1"
    assert (seen.method, seen.path, seen.query) == (case.method, case.path, case.query)
    assert seen.json() == case.body
    assert seen.headers["user-agent"].startswith("email-crisis/")


@pytest.mark.parametrize("status", [401, 404, 500])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_error_answers_carry_the_esp_text(case: Case, status: int, fake: FakeFactory) -> None:
    name = case.target.esp
    server = fake(name, SECRETS[name], mode=str(status))
    result = esp.execute(planned_for(case, server.base_url), SECRETS[name])
    assert not result.ok
    assert (result.status, result.outcome, result.retry_after) == (status, "refused", None)
    assert APIS[name].messages[status] in result.esp_message
    assert len(server.requests) == 1  # never retried


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_rate_limit_returns_retry_after_without_retrying(case: Case, fake: FakeFactory) -> None:
    name = case.target.esp
    server = fake(name, SECRETS[name], mode="429")
    result = esp.execute(planned_for(case, server.base_url), SECRETS[name])
    assert (result.ok, result.status, result.outcome) == (False, 429, "rate-limited")
    if name in ("sendgrid", "mailgun", "brevo"):  # they say how long; the others do not
        # An epoch or a date is rounded to whole seconds on both sides: 6 or 7.
        assert result.retry_after in (WAIT - 1, WAIT)
    else:
        assert result.retry_after is None
        assert "wait" in result.esp_message  # the provider's documented advice instead
    assert len(server.requests) == 1


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_hang_times_out_and_says_the_outcome_is_unknown(case: Case, fake: FakeFactory) -> None:
    name = case.target.esp
    server = fake(name, SECRETS[name], mode="hang")
    result = esp.execute(planned_for(case, server.base_url, timeout=0.25), SECRETS[name])
    assert (result.ok, result.status, result.outcome) == (False, None, "unknown")
    assert "within 0.25 s" in result.esp_message
    assert "may or may not" in result.esp_message
    assert len(server.requests) == 1


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_connection_refused_means_nothing_was_sent(case: Case, closed_port: int) -> None:
    name = case.target.esp
    result = esp.execute(planned_for(case, f"http://127.0.0.1:{closed_port}"), SECRETS[name])
    assert (result.ok, result.status, result.outcome) == (False, None, "not-sent")
    assert "refused the connection" in result.esp_message


def test_dns_failure_is_reported_and_nothing_leaves_loopback(lookups: list[str]) -> None:
    planned = planned_for(CASES[0], "https://api.nowhere.invalid")
    result = esp.execute(planned, SECRETS["sparkpost"])
    assert (result.ok, result.outcome) == (False, "not-sent")
    assert "DNS" in result.esp_message and "api.nowhere.invalid" in result.esp_message
    assert lookups == ["api.nowhere.invalid"]


@pytest.mark.parametrize("name", list(SECRETS))
def test_a_wrong_key_is_rejected_by_the_servers_own_auth_check(
    name: str, fake: FakeFactory
) -> None:
    case = next(c for c in CASES if c.target.esp == name)
    server = fake(name, SECRETS[name])
    wrong = SECRETS[name].replace("LEAKCHECK", "WRONGKEYX")
    result = esp.execute(planned_for(case, server.base_url), wrong)
    assert not result.ok and result.status in (401, 403)
    assert server.problems == ["authentication rejected"]


def test_ses_signature_is_verified_and_a_tampered_secret_fails(fake: FakeFactory) -> None:
    server = fake("ses", SECRETS["ses"])
    case = next(c for c in CASES if c.id == "ses-account")
    key_id, secret_key = SECRETS["ses"].split(":")
    result = esp.execute(planned_for(case, server.base_url), f"{key_id}:{secret_key[:-1]}X")
    assert (result.status, result.ok) == (403, False)
    # AWS's own words reach the operator whole: the signing header's public words
    # ("Signature", "SignedHeaders", the date) are not masked as if they were the key.
    assert result.esp_message == f"SignatureDoesNotMatch: {SES_SIGNATURE_TEXT}"
    header = server.requests[0].headers["authorization"]
    assert header.startswith(f"AWS4-HMAC-SHA256 Credential={key_id}/")
    assert "/eu-west-1/ses/aws4_request" in header
    assert "x-amz-date" in server.requests[0].headers


def test_ses_session_token_is_sent_and_signed(fake: FakeFactory) -> None:
    secret = SECRETS["ses"] + ":TOKENLEAKCHECK0123456789"
    server = fake("ses", secret)
    case = next(c for c in CASES if c.id == "ses-config-set")
    result = esp.execute(planned_for(case, server.base_url), secret)
    assert result.ok, result
    assert server.requests[0].headers["x-amz-security-token"] == "TOKENLEAKCHECK0123456789"


def test_ses_without_botocore_plans_but_does_not_send(
    fake: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("botocore", "botocore.auth", "botocore.awsrequest", "botocore.credentials"):
        monkeypatch.setitem(sys.modules, module, None)
    server = fake("ses", SECRETS["ses"])
    planned = planned_for(next(c for c in CASES if c.target.esp == "ses"), server.base_url)
    result = esp.execute(planned, SECRETS["ses"])
    assert (result.ok, result.outcome) == (False, "not-sent")
    assert "pip install 'email-crisis[ses]'" in result.esp_message
    assert server.requests == []


def test_a_malformed_ses_key_is_refused_before_sending(fake: FakeFactory) -> None:
    server = fake("ses", SECRETS["ses"])
    planned = planned_for(next(c for c in CASES if c.target.esp == "ses"), server.base_url)
    result = esp.execute(planned, "just-one-part")
    assert (result.ok, result.outcome) == (False, "not-sent")
    assert "ACCESS_KEY_ID:SECRET_ACCESS_KEY" in result.esp_message
    assert server.requests == []


def test_redirects_are_not_followed(fake: FakeFactory) -> None:
    server = fake("sendgrid", SECRETS["sendgrid"], mode="redirect")
    result = esp.execute(planned_for(CASES[1], server.base_url), SECRETS["sendgrid"])
    assert (result.ok, result.status) == (False, 302)
    assert "redirect" in result.esp_message
    assert len(server.requests) == 1


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_key_echoed_by_the_server_is_masked(case: Case, fake: FakeFactory) -> None:
    name = case.target.esp
    server = fake(name, SECRETS[name], mode="echo-key")
    result = esp.execute(planned_for(case, server.base_url), SECRETS[name])
    assert result.status == 400 and not result.ok
    assert MASK in result.esp_message
    for part in SECRETS[name].split(":"):
        assert part not in result.esp_message
    sent_auth = server.requests[0].headers.get("authorization", "")
    if sent_auth:
        assert sent_auth.split(" ", 1)[-1] not in result.esp_message
    if name == "ses":  # the signature and its every 8-character run stay hidden
        signature = sent_auth.rpartition("Signature=")[2]
        assert len(signature) == 64
        assert all(signature[i : i + 8] not in result.esp_message for i in range(57))


def test_error_bodies_that_are_not_json_are_shown_as_text(fake: FakeFactory) -> None:
    server = fake("mailgun", SECRETS["mailgun"], mode="401")
    result = esp.execute(
        planned_for(CASE["mailgun-delete-queued"], server.base_url), SECRETS["mailgun"]
    )
    assert result.esp_message == "Forbidden"


def test_success_messages_come_from_the_esp(fake: FakeFactory) -> None:
    server = fake("mailgun", SECRETS["mailgun"])
    result = esp.execute(
        planned_for(CASE["mailgun-delete-queued"], server.base_url), SECRETS["mailgun"]
    )
    assert result.esp_message == "done"
    server = fake("sendgrid", SECRETS["sendgrid"])
    result = esp.execute(planned_for(CASES[1], server.base_url), SECRETS["sendgrid"])
    assert result.esp_message == "accepted (status cancel)"


def test_an_unexpected_bug_becomes_a_result_without_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn = esp.connector("brevo")
    secret = SECRETS["brevo"]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"boom with {secret}")

    monkeypatch.setattr(type(conn), "execute", broken)
    planned = planned_for(CASES[-1], "http://127.0.0.1:9")
    result = esp.execute(planned, secret)
    assert (result.ok, result.outcome) == (False, "unknown")
    assert secret not in result.esp_message and "RuntimeError" in result.esp_message
    assert json.dumps(esp.call_record(planned, result)).count(secret) == 0
