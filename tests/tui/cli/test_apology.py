"""``email-crisis apology export``: the shipped example brand refused, RFC 8058 headers."""

from __future__ import annotations

import csv
import email
from email.policy import default
from pathlib import Path

import pytest

from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.brand import BRAND_ENV
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.tui.cli.helpers import Invoke, one_error_line

SHOP = Path(__file__).parents[2] / "data" / "shop_brand.toml"
TOKEN_BRAND = (
    SHOP.read_text()
    .replace('one_click = "esp-tag"\nesp_tag = "*|UNSUB|*"\n', 'one_click = "url-template"\n')
    .replace(
        'url = "https://www.shop.example/unsubscribe"', 'url = "https://www.shop.example/u/{token}"'
    )
    + '\n[esp.merge_tags]\nunsubscribe_token = "*|UNSUB_TOKEN|*"\n'
)
BODY = (
    "Hello,\n\nYesterday we sent you an email meant for another list. We are sorry.\n\n"
    "Reply to this email if you have any question.\n\nThe Shop team"
)


@pytest.fixture
def incident_id(store: Store, tmp_path: Path) -> int:
    incident = ops.declare(
        store, title="Preview sent to everyone", kind="wrong-segment", operator="sam"
    )
    fields = {
        "from_address": "The Shop <care@shop.example>",
        "reply_to": "care@shop.example",
        "subject": "We emailed you by mistake",
        "template": "default",
        "language": "en",
        "body": BODY,
    }
    notify.save_draft(store, incident, fields, "sam")
    people = tmp_path / "affected.csv"
    people.write_text("email\nana@shop.example\nbo@shop.example\n")
    from email_crisis.core.assess.audience import build as audience

    audience.import_list(store, incident, people, role="affected", operator="sam")
    return incident.id


def test_the_example_brand_is_refused(invoke: Invoke, db_path: Path, incident_id: int) -> None:
    result = invoke("--db", str(db_path), "apology", "export", str(incident_id))
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "still the shipped example" in line and "1 Example Street" in line
    assert "unsubscribe_token" in line  # and the one-click URL cannot be made


def test_a_url_template_brand_writes_tokens_and_per_recipient_headers(
    invoke: Invoke, db_path: Path, incident_id: int, tmp_path: Path
) -> None:
    brand = tmp_path / "brand.toml"
    brand.write_text(TOKEN_BRAND)
    out = tmp_path / "out"
    result = invoke(
        "--db",
        str(db_path),
        "apology",
        "export",
        str(incident_id),
        "--out",
        str(out),
        env={BRAND_ENV: str(brand)},
    )
    assert result.exit_code == 0, result.stderr
    assert "DKIM" in result.stdout  # both unsubscribe headers must be signed (RFC 8058 §4)
    eml = out / f"incident-{incident_id}-apology-v1.eml"
    message = email.message_from_bytes(eml.read_bytes(), policy=default)
    assert "<https://www.shop.example/u/*|UNSUB_TOKEN|*>" in str(message["List-Unsubscribe"])
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    with (out / f"incident-{incident_id}-apology-v1-audience.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["email"] for r in rows] == ["ana@shop.example", "bo@shop.example"]
    assert len({r["unsubscribe_token"] for r in rows}) == 2


def test_a_half_example_brand_needs_a_recorded_override(
    invoke: Invoke, db_path: Path, incident_id: int, tmp_path: Path, store: Store
) -> None:
    brand = tmp_path / "brand.toml"
    brand.write_text(SHOP.read_text().replace("12 Harbour Road", "1 Example Street"))
    args = ("--db", str(db_path), "apology", "export", str(incident_id), "--out", str(tmp_path))
    refused = invoke(*args, env={BRAND_ENV: str(brand)})
    assert refused.exit_code == 1 and "example-brand" in one_error_line(refused.stderr)
    reason = "The brand file is being fixed; legal approved this send as it stands."
    done = invoke(*args, "--override", reason, env={BRAND_ENV: str(brand)})
    assert done.exit_code == 0, done.stderr
    assert "Overridden (recorded): example-brand" in done.stdout
    assert notify.exports(store, incident_id)[-1].override_reason == reason
