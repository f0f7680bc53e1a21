"""RFC 8058 one-click unsubscribe in the export, and the shipped example brand refused.

RFC 8058 §3.1 (rfc-editor.org/info/rfc8058): "The List-Unsubscribe header field MUST
contain one HTTPS URI ... The URI ... MUST contain enough information to identify the
mail recipient"; "The List-Unsubscribe-Post header MUST contain the single key/value pair
"List-Unsubscribe=One-Click"". §4: both headers must be covered by the DKIM signature
(the ESP signs; the docs say so).
"""

from __future__ import annotations

import csv
import email
from collections.abc import Callable
from email.policy import default
from pathlib import Path

import pytest

from email_crisis.core.assess.audience import build as audience
from email_crisis.core.base.domain import Incident
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.brand import load_brand
from email_crisis.core.notify.lint.rules import one_click
from email_crisis.core.store.database import Store
from tests.core.notify.conftest import SHOP_BRAND
from tests.core.notify.support import write
from tests.core.notify.test_export import CLEAN, FIELDS, REASON, export

TEMPLATE_BRAND = (
    SHOP_BRAND.read_text().replace(
        'one_click = "esp-tag"\nesp_tag = "*|UNSUB|*"\nurl = "https://www.shop.example/unsubscribe"',
        'one_click = "url-template"\nurl = "https://www.shop.example/u/{token}"',
    )
    + '\n[esp]\nname = "mailchimp"\n\n[esp.merge_tags]\nunsubscribe_token = "*|UNSUB_TOKEN|*"\n'
)


@pytest.fixture
def saved(store: Store, declare: Callable[..., Incident]) -> Incident:
    item = declare()
    notify.save_draft(store, item, FIELDS, "sam")
    return item


def _headers(path: Path) -> tuple[str, str]:
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    return str(message["List-Unsubscribe"]).strip(), str(message["List-Unsubscribe-Post"])


def test_a_url_template_puts_each_recipients_token_in_the_url(
    store: Store, saved: Incident, tmp_path: Path
) -> None:
    brand = load_brand(write(tmp_path / "b.toml", TEMPLATE_BRAND))
    assert notify.brand_problems(brand) == set()
    result = export(store, saved, tmp_path / "out", brand=brand)
    header, post = _headers(result.path)
    assert header == (
        "<mailto:unsubscribe@shop.example?subject=unsubscribe>, "
        "<https://www.shop.example/u/*|UNSUB_TOKEN|*>"
    )
    assert post == "List-Unsubscribe=One-Click"
    assert one_click.problems(header, post) == []
    assert notify.one_click_column(brand) == "unsubscribe_token"


def test_the_audience_gets_one_unguessable_token_per_recipient(
    store: Store, saved: Incident, tmp_path: Path
) -> None:
    people = tmp_path / "affected.csv"
    people.write_text("email\n" + "".join(f"p{i}@shop.example\n" for i in range(50)))
    audience.import_list(store, saved, people, role="affected", operator="sam")
    out = audience.export_audience(
        store, saved, tmp_path / "aud.csv", operator="sam", token_column="unsubscribe_token"
    )
    with out.path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 50 and list(rows[0]) == ["email", "unsubscribe_token"]
    tokens = [row["unsubscribe_token"] for row in rows]
    assert len(set(tokens)) == 50 and all(len(t) >= 21 for t in tokens)  # 128 random bits
    plain = audience.export_audience(store, saved, tmp_path / "plain.csv", operator="sam")
    assert plain.path.read_text().splitlines()[0] == "email"  # unchanged without tokens


def test_a_template_without_the_token_tag_cannot_be_exported_even_overridden(
    store: Store, saved: Incident, tmp_path: Path
) -> None:
    brand = load_brand(write(tmp_path / "b.toml", TEMPLATE_BRAND.split("\n[esp]")[0]))
    assert notify.brand_problems(brand) == {one_click.RULE}
    with pytest.raises(notify.ExportRefused, match=r"map unsubscribe_token .*\[esp.merge_tags\]"):
        export(store, saved, tmp_path / "out", brand=brand, override_reason=REASON)


def test_a_static_unsubscribe_url_is_an_error_that_needs_an_override(
    store: Store, saved: Incident, tmp_path: Path
) -> None:
    static = SHOP_BRAND.read_text().replace('one_click = "esp-tag"\nesp_tag = "*|UNSUB|*"\n', "")
    brand = load_brand(write(tmp_path / "b.toml", static))
    with pytest.raises(notify.ExportRefused, match="same for every recipient"):
        export(store, saved, tmp_path / "out", brand=brand)
    result = export(store, saved, tmp_path / "out", brand=brand, override_reason=REASON)
    assert result.overridden_rules == (one_click.RULE,)


def test_the_shipped_example_brand_is_refused(
    store: Store, saved: Incident, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EMAIL_CRISIS_BRAND")
    example = load_brand()
    assert "postal address ('1 Example Street')" in example.example_parts()
    with pytest.raises(notify.ExportRefused, match="still the shipped example"):
        export(store, saved, tmp_path / "out", brand=example, findings=CLEAN)
    # A real brand that forgot to replace the postal address: an override is recorded.
    half = SHOP_BRAND.read_text().replace("12 Harbour Road", "1 Example Street")
    brand = load_brand(write(tmp_path / "half.toml", half))
    assert notify.brand_problems(brand) == {notify.EXAMPLE_BRAND}
    with pytest.raises(notify.ExportRefused, match="example-brand"):
        export(store, saved, tmp_path / "out", brand=brand)
    result = export(store, saved, tmp_path / "out", brand=brand, override_reason=REASON)
    assert result.overridden_rules == (notify.EXAMPLE_BRAND,)
    assert notify.exports(store, saved.id)[-1].override_reason == REASON
