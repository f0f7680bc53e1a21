"""Exporting the approved apology as an .eml, its refusals, and marking it sent."""

from __future__ import annotations

import email
import os
import stat
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from email_crisis.core.assess.apology_lock import override_lock
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import NotFound, StaleIncident, ValidationError
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.brand import Brand, load_brand
from email_crisis.core.notify.export import is_no_reply
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.notify.conftest import SHOP_BRAND
from tests.core.notify.support import FakeFinding, write

BODY = "Hello,\n\nOn 27 November we sent you the wrong price.\n\nWe are sorry.\n\nThe Shop team"
FIELDS = {
    "from_address": "The Shop <care@shop.example>",
    "reply_to": "care@shop.example",
    "subject": "We sent you the wrong price",
    "preheader": "What happened",
    "template": "default",
    "language": "en",
    "body": BODY,
}
CLEAN: list[FakeFinding] = [FakeFinding("vague-language", "warning")]
ERRORS = [FakeFinding("no-apology", "error"), FakeFinding("humor", "error")]
REASON = "Legal approved the wording as it stands."


@pytest.fixture
def saved(store: Store, declare: Callable[..., Incident]) -> Incident:
    item = declare()
    notify.save_draft(store, item, FIELDS, "sam")
    return item


def export(
    store: Store, item: Incident, out: Path, findings: list[FakeFinding] = CLEAN, **kw: object
) -> notify.ExportResult:
    return notify.export_eml(
        store, item, kw.pop("version", 1), out, operator="sam", findings=findings, **kw
    )  # type: ignore[arg-type]


def parse(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    return message


def test_the_eml_parses_back_with_both_parts_and_the_headers(
    store: Store, saved: Incident, tmp_path: Path, brand: Brand
) -> None:
    result = export(store, saved, tmp_path / "out")
    assert result.path == tmp_path / "out" / f"incident-{saved.id}-apology-v1.eml"
    message = parse(result.path)
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "We are sorry." in text and "We are sorry." in html
    assert "<table" in html
    assert message["From"] == "The Shop <care@shop.example>"
    assert message["Reply-To"] == "care@shop.example"
    assert not is_no_reply(str(message["Reply-To"]))
    assert message["Subject"] == "We sent you the wrong price"
    assert parsedate_to_datetime(str(message["Date"])) == FROZEN_NOW
    assert str(message["Message-ID"]).endswith("@shop.example>")
    # RFC 8058 §3.1: one URI that identifies the recipient - here the ESP's own tag.
    assert str(message["List-Unsubscribe"]).strip() == (
        f"<mailto:{brand.unsubscribe_mailto}?subject=unsubscribe>, <*|UNSUB|*>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert b"\r\n" in result.path.read_bytes()  # RFC 5322 line endings


def test_the_file_is_private_and_never_overwritten(
    store: Store, saved: Incident, tmp_path: Path
) -> None:
    path = export(store, saved, tmp_path / "out").path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()
    with pytest.raises(notify.ExportRefused, match="already exists"):
        export(store, saved, tmp_path / "out")
    assert path.read_bytes() == before
    assert len(notify.exports(store, saved.id)) == 1


def test_a_strict_umask_still_gives_mode_0600(
    store: Store, saved: Incident, tmp_path: Path
) -> None:
    old = os.umask(0o277)
    try:
        path = export(store, saved, tmp_path / "out").path
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_export_is_recorded(store: Store, saved: Incident, tmp_path: Path) -> None:
    csv_file = write(tmp_path / "audience.csv", "email\na@x.example\nb@x.example\n\n")
    result = export(store, saved, tmp_path / "out", audience_csv=csv_file)
    event = store.events(saved.id)[-1]
    assert event.type == "apology_exported"
    assert event.details == {
        "version": 1,
        "file": result.path.name,
        "audience_file": "audience.csv",
        "audience_count": 2,
        "overridden": False,
    }
    (record,) = notify.exports(store, saved.id)
    assert record == result.record
    assert (record.draft_version, record.audience_count, record.override_reason) == (1, 2, None)
    assert store.get_incident(saved.id).notified_at is None  # exporting is not sending


def test_error_findings_refuse_the_export(store: Store, saved: Incident, tmp_path: Path) -> None:
    before = store.count_events()
    with pytest.raises(notify.ExportRefused, match=r"errors \(humor, no-apology\)"):
        export(store, saved, tmp_path / "out", ERRORS + CLEAN)
    assert not (tmp_path / "out").exists()
    assert store.count_events() == before


def test_an_override_with_a_reason_is_recorded(
    store: Store, saved: Incident, tmp_path: Path
) -> None:
    result = export(store, saved, tmp_path / "out", ERRORS, override_reason=REASON)
    assert result.overridden_rules == ("humor", "no-apology")
    override, exported = store.events(saved.id)[-2:]
    assert override.type == "notify_export_override"
    assert override.details == {"reason": REASON, "rules": ["humor", "no-apology"], "version": 1}
    assert exported.details["overridden"] is True
    assert notify.exports(store, saved.id)[0].override_reason == REASON


def test_an_override_needs_a_real_reason(store: Store, saved: Incident, tmp_path: Path) -> None:
    with pytest.raises(notify.ExportRefused, match="full sentence"):
        export(store, saved, tmp_path / "out", ERRORS, override_reason="ok")
    assert not (tmp_path / "out").exists()


def test_a_reason_without_errors_records_no_override(
    store: Store, saved: Incident, tmp_path: Path
) -> None:
    export(store, saved, tmp_path / "out", CLEAN, override_reason=REASON)
    assert "notify_export_override" not in [e.type for e in store.events(saved.id)]


def test_a_locked_kind_is_refused_until_overridden(
    store: Store, declare: Callable[..., Incident], tmp_path: Path
) -> None:
    item = declare("suppression-list-send")
    override_lock(store, item, "Regulator asked us to inform these people.", operator="lee")
    notify.save_draft(store, item, FIELDS, "sam")
    locked = declare("suppression-list-send")  # no override: the lock is in force
    with pytest.raises(notify.NotifyLocked, match="Do not send an apology"):
        export(store, locked, tmp_path)
    assert export(store, item, tmp_path).path.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reply_to", "noreply@shop.example"),
        ("reply_to", "no-reply@shop.example"),
        ("reply_to", "DoNotReply@shop.example"),
        ("reply_to", "ne-pas-répondre@boutique.example"),
        ("reply_to", "The Shop <no_reply+news@shop.example>"),
        ("from_address", "The Shop <noreply@shop.example>"),
        ("reply_to", ""),
        ("reply_to", "care@shop.example, other@shop.example"),
    ],
)
def test_no_reply_and_missing_addresses_are_refused(
    store: Store, saved: Incident, tmp_path: Path, field: str, value: str
) -> None:
    notify.save_draft(store, saved, {field: value}, "sam")
    with pytest.raises(notify.ExportRefused, match=r"Reply-To|From"):
        export(store, saved, tmp_path / "out", version=2)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("local", ["care", "reply", "noreen", "replies", "support"])
def test_ordinary_mailboxes_are_not_no_reply(local: str) -> None:
    assert not is_no_reply(f"{local}@shop.example")


def test_merge_fields_need_esp_tags(store: Store, saved: Incident, tmp_path: Path) -> None:
    notify.save_draft(store, saved, {"body": "Hello {{ first_name }},\n\n" + BODY}, "sam")
    with pytest.raises(notify.ExportRefused, match=r"first_name \(body line 1\).*esp.merge_tags"):
        export(store, saved, tmp_path / "out", version=2)


def test_mapped_merge_fields_become_esp_tags(store: Store, saved: Incident, tmp_path: Path) -> None:
    tags = '\n[esp.merge_tags]\nfirst_name = "*|FNAME|*"\n'
    brand = load_brand(write(tmp_path / "b.toml", SHOP_BRAND.read_text() + tags))
    body = "Hello {{ first_name }},\n\n" + BODY
    notify.save_draft(store, saved, {"body": body, "subject": "{{ first_name }}, sorry"}, "sam")
    message = parse(export(store, saved, tmp_path / "out", version=2, brand=brand).path)
    assert message["Subject"] == "*|FNAME|*, sorry"
    assert "Hello *|FNAME|*," in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Hello *|FNAME|*," in message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    notify.save_draft(store, saved, {"body": "{{ last_name }}\n" + body}, "sam")
    with pytest.raises(notify.ExportRefused, match=r"no ESP tag .*: last_name"):
        export(store, saved, tmp_path / "out", version=3, brand=brand)


def test_a_draft_that_does_not_render_is_refused(
    store: Store, saved: Incident, tmp_path: Path
) -> None:
    notify.save_draft(store, saved, {"body": "We are sorry.\n{% if %}"}, "sam")
    with pytest.raises(notify.ExportRefused, match="body, line 2"):
        export(store, saved, tmp_path / "out", version=2)


def test_an_unknown_version_is_refused(store: Store, saved: Incident, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no apology draft version 9"):
        export(store, saved, tmp_path / "out", version=9)


def test_mark_sent_sets_notified_at_once(store: Store, saved: Incident, tmp_path: Path) -> None:
    export(store, saved, tmp_path / "out")
    fresh = store.get_incident(saved.id)
    sent_at = FROZEN_NOW - timedelta(minutes=5)
    done = notify.mark_sent(store, fresh, "sam", sent_at=sent_at, note="Sent from the ESP.")
    assert done.notified_at == sent_at
    event = store.events(saved.id)[-1]
    assert event.type == "apology_sent"
    assert event.details == {
        "sent_at": sent_at.isoformat(),
        "note": "Sent from the ESP.",
        "version": 1,
        "file": f"incident-{saved.id}-apology-v1.eml",
    }
    with pytest.raises(ValidationError, match="already marked as notified"):
        notify.mark_sent(store, done, "sam")
    assert store.get_incident(saved.id).notified_at == sent_at


def test_mark_sent_defaults_to_now_and_checks_the_time(store: Store, saved: Incident) -> None:
    with pytest.raises(ValidationError, match="in the future"):
        notify.mark_sent(store, saved, "sam", sent_at=FROZEN_NOW + timedelta(hours=1))
    with pytest.raises(ValidationError, match="before the incident was detected"):
        notify.mark_sent(store, saved, "sam", sent_at=saved.detected_at - timedelta(days=1))
    assert notify.mark_sent(store, saved, "sam").notified_at == FROZEN_NOW


def test_mark_sent_on_a_stale_incident_changes_nothing(store: Store, saved: Incident) -> None:
    notify.mark_sent(store, saved, "sam")
    before = store.count_events()
    with pytest.raises(StaleIncident):
        notify.mark_sent(store, saved, "kim")  # ``saved`` predates the first mark
    assert store.count_events() == before


def test_mark_sent_is_refused_while_locked(store: Store, declare: Callable[..., Incident]) -> None:
    item = declare("suppression-list-send")
    with pytest.raises(notify.NotifyLocked):
        notify.mark_sent(store, item, "sam")
    assert store.get_incident(item.id).notified_at is None
