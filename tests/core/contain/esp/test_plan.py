"""Planning: exact requests for the real endpoints, masking, validation, no network."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from email_crisis.core.base.errors import CrisisError, ValidationError
from email_crisis.core.contain import esp
from email_crisis.core.contain.esp import MASK, EspError, EspResult, EspSettings, StopTarget
from email_crisis.core.contain.esp.mailchimp import data_centre
from tests.core.contain.esp.cases import CASE, CASES, IDS, SECRETS, Case, settings

DEFAULT_URLS = {
    "sparkpost-cancel": "https://api.sparkpost.com/api/v1/transmissions"
    "?campaign_id=spring+sale+%26+more",
    "sendgrid-cancel-batch": "https://api.sendgrid.com/v3/user/scheduled_sends",
    "sendgrid-pause-batch": "https://api.sendgrid.com/v3/user/scheduled_sends",
    "sendgrid-cancel-paused-batch": "https://api.sendgrid.com/v3/user/scheduled_sends/B2",
    "sendgrid-single-send": "https://api.sendgrid.com/v3/marketing/singlesends/27c4ae21-0bc1-4e4c/schedule",
    # No storage host known: the first of the US storage hosts (the second is also called).
    "mailgun-delete-queued": "https://storage-us-east4.api.mailgun.net/v3/mg.example.com/envelopes",
    "ses-config-set": "https://email.eu-west-1.amazonaws.com/v2/email/configuration-sets/marketing_eu-1/sending",
    "ses-account": "https://email.eu-west-1.amazonaws.com/v2/email/account/sending",
    "mailchimp-unschedule": "https://us21.api.mailchimp.com/3.0/campaigns/42a9f0c1d2/actions/unschedule",
    "mailchimp-cancel-send": "https://us21.api.mailchimp.com/3.0/campaigns/42a9f0c1d2/actions/cancel-send",
    "brevo-suspend": "https://api.brevo.com/v3/emailCampaigns/1234/status",
}
AUTH_DISPLAY = {
    "sparkpost": ("Authorization", MASK),
    "sendgrid": ("Authorization", f"Bearer {MASK}"),
    "mailgun": ("Authorization", f"Basic {MASK}"),
    "ses": ("Authorization", f"AWS4-HMAC-SHA256 {MASK} (signed by botocore at send time)"),
    "mailchimp": ("Authorization", f"Basic {MASK}"),
    "brevo": ("api-key", MASK),
}


def _default_settings(name: str) -> EspSettings:
    base = settings(name)
    if name == "mailchimp":
        return esp.connector(name).derive_settings(base, SECRETS[name])
    return base


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Planning must not open any connection."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("plan() tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_plan_targets_the_documented_endpoint(case: Case) -> None:
    name = case.target.esp
    planned = esp.plan(case.target, _default_settings(name))
    assert planned.url == DEFAULT_URLS[case.id]
    assert planned.method == case.method
    assert (json.loads(planned.body) if planned.body else None) == case.body
    assert AUTH_DISPLAY[name] in planned.headers
    assert ("Accept", "application/json") in planned.headers
    assert (("Content-Type", "application/json") in planned.headers) == (case.body is not None)
    assert planned.summary and planned.what_it_cannot_stop


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_plan_never_holds_the_key(case: Case) -> None:
    name = case.target.esp
    settings_with_key = (
        esp.settings_for(name, secret=SECRETS[name]) if name == "mailchimp" else None
    )
    planned = esp.plan(case.target, settings_with_key or _default_settings(name))
    shown = "\n".join(planned.display_lines()) + repr(planned) + repr(settings_with_key)
    for part in SECRETS[name].split(":"):
        assert part not in shown
    assert MASK in "\n".join(planned.display_lines())


@pytest.mark.parametrize(
    ("name", "region", "host"),
    [
        ("sparkpost", "eu", "https://api.eu.sparkpost.com/"),
        ("sendgrid", "eu", "https://api.eu.sendgrid.com/"),
        ("mailgun", "eu", "https://storage-europe-west1.api.mailgun.net/"),
        ("ses", "us-east-2", "https://email.us-east-2.amazonaws.com/"),
    ],
)
def test_regions_choose_the_regional_base_url(name: str, region: str, host: str) -> None:
    case = next(c for c in CASES if c.target.esp == name)
    planned = esp.plan(case.target, EspSettings(esp=name, region=region))
    assert planned.url.startswith(host)


def test_unknown_region_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(EspError, match="known regions: us, eu"):
        esp.plan(CASES[0].target, EspSettings(esp="sparkpost", region="apac"))


def test_a_base_url_wins_over_the_region_and_keeps_a_path_prefix() -> None:
    settings_ = EspSettings(esp="mailgun", region="eu", base_url="https://proxy.example.com/mg/")
    planned = esp.plan(CASE["mailgun-delete-queued"].target, settings_)
    assert planned.url == "https://proxy.example.com/mg/v3/mg.example.com/envelopes"


def test_sparkpost_subaccount_header() -> None:
    planned = esp.plan(CASES[0].target, EspSettings(esp="sparkpost", subaccount="42"))
    assert ("X-MSYS-SUBACCOUNT", "42") in planned.headers


def test_mailchimp_data_centre_from_key_or_config() -> None:
    assert data_centre("abc-us21") == "us21"
    assert data_centre("nodash") is None and data_centre("abc-../x") is None
    target = StopTarget("mailchimp", "unschedule", campaign="abc")
    with pytest.raises(ValidationError, match="data centre"):
        esp.plan(target, EspSettings(esp="mailchimp"))
    configured = EspSettings(esp="mailchimp", server_prefix="us6")
    derived = esp.connector("mailchimp").derive_settings(configured, "key-us21")
    assert esp.plan(target, derived).url.startswith("https://us6.api.mailchimp.com/")
    with pytest.raises(ValidationError, match="not a Mailchimp data centre"):
        esp.plan(target, EspSettings(esp="mailchimp", server_prefix="evil.com/x"))


def test_ses_needs_a_region(monkeypatch: pytest.MonkeyPatch) -> None:
    target = StopTarget("ses", "disable-account", account=True)
    with pytest.raises(ValidationError, match="needs a region"):
        esp.plan(target, EspSettings(esp="ses"))
    with pytest.raises(ValidationError, match="not an AWS region"):
        esp.plan(target, EspSettings(esp="ses", region="europe"))
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    derived = esp.settings_for("ses")
    assert (
        esp.plan(target, derived).url
        == "https://email.ap-south-1.amazonaws.com/v2/email/account/sending"
    )


def test_ses_account_stop_must_be_explicit() -> None:
    with pytest.raises(EspError, match="--account"):
        esp.plan(StopTarget("ses", "disable-account"), settings("ses"))


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (StopTarget("sparkpost", "cancel-scheduled"), "campaign id is required"),
        (StopTarget("sparkpost", "cancel-scheduled", campaign="a\x1b[2Jb"), "control characters"),
        (StopTarget("mailchimp", "unschedule", campaign="../../lists"), "does not look like"),
        (StopTarget("brevo", "suspend", campaign="12; DROP"), "does not look like"),
        (StopTarget("mailgun", "delete-queued", domain="not a domain"), "does not look like"),
        (StopTarget("sendgrid", "cancel-batch", batch="a/b"), "does not look like"),
        (StopTarget("ses", "disable-config-set", config_set="x/../account"), "does not look like"),
        (StopTarget("sendgrid", "stop-everything", batch="b"), "no operation 'stop-everything'"),
        (StopTarget("postmark", "x"), "no connector for 'postmark'"),
    ],
)
def test_bad_targets_are_refused_with_a_clear_message(target: StopTarget, message: str) -> None:
    with pytest.raises(CrisisError, match=message):
        esp.plan(target, settings(target.esp) if target.esp in esp.names() else settings("ses"))


def test_choose_operation() -> None:
    assert esp.choose_operation("sendgrid", "batch") == "cancel-batch"
    assert esp.choose_operation("sendgrid", "batch", pause=True) == "pause-batch"
    assert esp.choose_operation("sendgrid", "single_send") == "cancel-single-send"
    assert esp.choose_operation("mailchimp", "campaign") == "unschedule"
    assert esp.choose_operation("mailchimp", "campaign", operation="cancel-send") == "cancel-send"
    assert esp.choose_operation("ses", "account") == "disable-account"
    with pytest.raises(EspError, match="--pause applies only"):
        esp.choose_operation("brevo", "campaign", pause=True)
    with pytest.raises(EspError, match="use --campaign"):
        esp.choose_operation("sparkpost", "domain")
    with pytest.raises(EspError, match="needs the configuration set"):
        esp.choose_operation("ses", "account", operation="disable-config-set")


def test_operations_list_every_connector_with_what_it_needs() -> None:
    assert esp.names() == ["sparkpost", "sendgrid", "mailgun", "ses", "mailchimp", "brevo"]
    needs = {(n, op.id): op.needs for n in esp.names() for op in esp.operations(n)}
    assert needs[("sendgrid", "cancel-single-send")] == ("single_send",)
    assert needs[("ses", "disable-account")] == ("account",)
    assert len(needs) == 11


def test_describe_result_and_event() -> None:
    planned = esp.plan(CASES[-1].target, settings("brevo"))
    ok = EspResult(True, 204, "accepted (no content)", None, 0.1)
    limited = EspResult(False, 429, "Too many requests", 30, 0.1, "rate-limited")
    down = EspResult(False, None, "no answer from x within 1 s.", None, 1.0, "unknown")
    assert esp.describe_result(planned, ok).startswith("Brevo accepted the request (HTTP 204)")
    assert "Wait 30 s" in esp.describe_result(planned, limited)
    assert esp.describe_result(planned, down) == "Brevo call failed: no answer from x within 1 s."
    record = esp.call_record(planned, limited, key_source="keyring")
    assert record["target"] == {"campaign": "1234"} and record["retry_after"] == 30
    assert esp.describe_event(record).startswith(
        "Brevo, Suspend an email campaign: PUT https://api.brevo.com"
    )
    assert "refused (HTTP 429)" in esp.describe_event(record)


def test_settings_for_reads_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[esp.sparkpost]\nregion = "eu"\ntimeout = 3\n', encoding="utf-8")
    chosen = esp.settings_for("sparkpost", config=config)
    assert (chosen.region, chosen.timeout) == ("eu", 3.0)
    planned = esp.plan(CASES[0].target, chosen)
    assert planned.url.startswith("https://api.eu.sparkpost.com/") and planned.timeout == 3.0
    overridden = esp.settings_for("sparkpost", config=config, base_url="https://p.example.com")
    assert esp.plan(CASES[0].target, overridden).url.startswith("https://p.example.com/api/v1/")
