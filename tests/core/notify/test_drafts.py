"""Draft versions: every version kept, events without body text, stale saves, validation."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

import pytest

from email_crisis.core.assess.apology_lock import override_lock
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import NotFound, ValidationError
from email_crisis.core.notify import drafts as notify
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW

SECRET_BODY = (
    "Hello {{ first_name }},\n\nWe sent the wrong price. We are sorry.\nPrivate detail 4242."
)

FIELDS = {
    "from_address": "Shop <care@shop.example>",
    "reply_to": "care@shop.example",
    "subject": "We sent you the wrong price",
    "preheader": "What happened",
    "template": "default",
    "language": "en",
    "body": SECRET_BODY,
}


def test_every_version_is_kept(store: Store, declare: Callable[..., Incident]) -> None:
    item = declare()
    assert notify.latest_draft(store, item.id) is None
    assert notify.draft_versions(store, item.id) == []

    first = notify.save_draft(store, item, FIELDS, "sam")
    second = notify.save_draft(store, item, {"subject": "We sent you the wrong price list"}, "kim")
    third = notify.save_draft(store, item, {"body": SECRET_BODY + "\nThanks."}, "sam")

    assert [d.version for d in (first, second, third)] == [1, 2, 3]
    versions = notify.draft_versions(store, item.id)
    assert [d.version for d in versions] == [1, 2, 3]
    assert [d.operator for d in versions] == ["sam", "kim", "sam"]
    assert versions[0].subject == "We sent you the wrong price"
    assert versions[1].subject == "We sent you the wrong price list"
    assert versions[1].body == SECRET_BODY  # partial save keeps the other fields
    assert versions[2].body.endswith("Thanks.")
    assert notify.latest_draft(store, item.id) == versions[2] == third
    assert notify.draft(store, item.id, 1) == versions[0]
    assert versions[0].saved_at == FROZEN_NOW


def test_draft_saved_events_name_fields_not_text(
    store: Store, declare: Callable[..., Incident]
) -> None:
    item = declare()
    notify.save_draft(store, item, FIELDS, "sam")
    notify.save_draft(store, item, {"body": SECRET_BODY + " More.", "preheader": "x"}, "kim")
    events = [e for e in store.events(item.id) if e.type == "draft_saved"]
    assert [e.details for e in events] == [
        {
            "version": 1,
            "changed": ["from_address", "reply_to", "subject", "preheader", "body"],
        },
        {"version": 2, "changed": ["preheader", "body"]},
    ]
    assert [e.operator for e in events] == ["sam", "kim"]
    raw = json.dumps([e.details for e in store.events(item.id)])
    assert "4242" not in raw and "wrong price" not in raw and "first_name" not in raw


def test_saving_identical_fields_writes_nothing(
    store: Store, declare: Callable[..., Incident]
) -> None:
    item = declare()
    first = notify.save_draft(store, item, FIELDS, "sam")
    before = store.count_events()
    again = notify.save_draft(store, item, dict(FIELDS), "kim")
    assert again == first
    assert store.count_events() == before
    assert len(notify.draft_versions(store, item.id)) == 1


def test_a_stale_base_version_is_refused(store: Store, declare: Callable[..., Incident]) -> None:
    item = declare()
    notify.save_draft(store, item, FIELDS, "sam", base_version=0)
    notify.save_draft(store, item, {"subject": "Kim's subject"}, "kim", base_version=1)
    with pytest.raises(notify.StaleDraft, match=r"kim saved version 2 .* editing version 1"):
        notify.save_draft(store, item, {"subject": "Sam's subject"}, "sam", base_version=1)
    assert notify.latest_draft(store, item.id).subject == "Kim's subject"  # type: ignore[union-attr]
    assert len(notify.draft_versions(store, item.id)) == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"subject": "two\nlines"}, "Subject must be a single line"),
        ({"body": "hi \x1b[31mred"}, "Body contains control characters"),
        ({"reply_to": "care@x.example\x07"}, "Reply to contains control characters"),
        ({"language": "de"}, "unknown language 'de'"),
        ({"template": "../../etc/passwd"}, "template name"),
        ({"colour": "red"}, "unknown draft field 'colour'"),
        ({"subject": "x" * 301}, "the limit is 300"),
    ],
)
def test_invalid_fields_are_refused(
    store: Store, declare: Callable[..., Incident], fields: dict[str, str], message: str
) -> None:
    item = declare()
    with pytest.raises(ValidationError, match=message):
        notify.save_draft(store, item, fields, "sam")
    assert notify.draft_versions(store, item.id) == []


def test_fields_are_normalised(store: Store, declare: Callable[..., Incident]) -> None:
    item = declare()
    saved = notify.save_draft(
        store,
        item,
        {"from": "  care@x.example ", "subject": " Cafe\u0301 closed ", "body": "a\r\nb  \n\n"},
        "sam",
    )
    assert saved.from_address == "care@x.example"
    assert saved.subject == "Café closed"  # NFC
    assert saved.body == "a\nb"


def test_unknown_version_and_incident(store: Store, declare: Callable[..., Incident]) -> None:
    item = declare()
    with pytest.raises(NotFound, match="no apology draft version 4"):
        notify.draft(store, item.id, 4)
    ghost = Incident(**{**item.__dict__, "id": 999})
    with pytest.raises(NotFound, match="no incident 999"):
        notify.save_draft(store, ghost, FIELDS, "sam")


def test_saving_is_refused_while_the_apology_is_locked(
    store: Store, declare: Callable[..., Incident]
) -> None:
    item = declare("suppression-list-send")
    with pytest.raises(notify.NotifyLocked, match="Do not send an apology"):
        notify.save_draft(store, item, FIELDS, "sam")
    assert notify.draft_versions(store, item.id) == []
    override_lock(store, item, "Legal requires a notice to these people.", operator="lee")
    assert notify.save_draft(store, item, FIELDS, "sam").version == 1


def test_versions_are_append_only_in_the_database(
    store: Store, declare: Callable[..., Incident]
) -> None:
    item = declare()
    notify.save_draft(store, item, FIELDS, "sam")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store._conn.execute("UPDATE notify_drafts SET body = 'rewritten'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store._conn.execute("DELETE FROM notify_drafts")
    assert notify.draft(store, item.id, 1).body == SECRET_BODY
