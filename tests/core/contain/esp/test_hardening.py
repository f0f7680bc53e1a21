"""Issue 14: a key echoed back is masked before anything is cut; a slow server cannot
stretch a call past its timeout."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from email_crisis.core.contain import esp
from email_crisis.core.contain.esp.base import MASK, redact, secret_forms
from tests.core.contain.esp.cases import CASES, planned_for
from tests.core.contain.esp.fake_server import FakeEsp

FakeFactory = Callable[..., FakeEsp]
SENDGRID = CASES[1]
assert SENDGRID.target.esp == "sendgrid"
# 69 characters, like the key of the attack run (SendGrid keys are "SG." + 66).
KEY = "SG." + "LEAKCHECKkey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR"[:66]


def _runs(text: str, secret: str, size: int = 8) -> list[str]:
    """Every run of ``size`` characters of ``secret`` that appears in ``text``."""
    return [
        secret[i : i + size] for i in range(len(secret) - size + 1) if secret[i : i + size] in text
    ]


def test_the_key_is_69_characters() -> None:
    assert len(KEY) == 69


def test_an_html_error_page_quoting_the_key_late_is_masked_before_it_is_cut(
    fake: FakeFactory,
) -> None:
    """A proxy's 500 page: the key starts 140 characters in, past where a cut at 200
    would have left 60 of its characters visible."""
    server = fake("sendgrid", KEY)
    padding = "Upstream error. " * 9  # 144 characters of words before the key
    page = f"<html><body><h1>500</h1><p>{padding}Authorization: Bearer {KEY} rejected</p>"
    server.reply = (500, page.encode(), {"Content-Type": "text/html"})
    result = esp.execute(planned_for(SENDGRID, server.base_url), KEY)
    assert not result.ok and result.status == 500
    assert _runs(result.esp_message, KEY) == [], result.esp_message
    assert MASK in result.esp_message and "Upstream error." in result.esp_message
    record = esp.call_record(planned_for(SENDGRID, server.base_url), result, secret=KEY)
    assert _runs(str(record), KEY) == []


def test_a_redirect_location_quoting_the_key_is_masked(fake: FakeFactory) -> None:
    server = fake("sendgrid", KEY)
    where = "https://login.example/" + "a" * 150 + f"?next=/v3&token={KEY}"
    server.reply = (302, b"", {"Location": where})
    result = esp.execute(planned_for(SENDGRID, server.base_url), KEY)
    assert result.outcome == "refused" and result.status == 302
    assert _runs(result.esp_message, KEY) == [], result.esp_message


@pytest.mark.parametrize(
    "shown",
    [
        KEY[:20],  # cut short by a proxy
        KEY[30:50],  # a middle part
        KEY[:30] + "!" + KEY[31:],  # one character changed: both halves are long runs
        KEY.swapcase()[:3] + KEY[3:40],
    ],
)
def test_any_run_of_eight_characters_of_the_key_is_masked(shown: str) -> None:
    text = redact(f"error: token {shown} is invalid", secret_forms(KEY))
    assert _runs(text, KEY) == [], text
    assert text.startswith("error: token ") and text.endswith(" is invalid")


def test_text_that_shares_no_run_with_the_key_is_left_alone() -> None:
    text = "error: the batch id B-123 does not exist (see the docs)"
    assert redact(text, secret_forms(KEY)) == text


def test_a_slow_server_cannot_stretch_the_call_past_its_timeout(fake: FakeFactory) -> None:
    """The attack run's ESP sent one byte every 1.5 s to a 3 s call: each read came in
    time, so the call went on. Here one byte every 0.4 s to a 1 s call: an answer of
    ~200 bytes would take over a minute to arrive; the call ends as a timeout instead."""
    server = fake("sendgrid", KEY)
    server.drip = 0.4
    result = esp.execute(planned_for(SENDGRID, server.base_url, timeout=1.0), KEY)
    assert not result.ok
    assert result.outcome == "unknown"  # it may or may not have happened
    assert "within 1 s" in result.esp_message
