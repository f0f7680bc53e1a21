"""Working copies: unsaved text kept per operator and slot, outside the event log."""

from __future__ import annotations

import stat
from pathlib import Path

from email_crisis.core.base.clock import frozen
from email_crisis.core.own import incidents as ops
from email_crisis.core.store import working
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW


def test_keep_replace_find_and_drop(store: Store) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="sam")
    version = incident.version
    events = len(store.events(incident.id))
    working.keep(
        store, incident.id, operator="sam", slot="notify.draft", label="the apology",
        fields={"body": "We are sorry", "from_address": "care@shop.example"}, base="2",
    )  # fmt: skip
    working.keep(
        store, incident.id, operator="sam", slot="notify.draft", label="the apology",
        fields={"body": "We are sorry. It was our mistake."}, base="2",
    )  # fmt: skip
    copy = working.find(store, incident.id, operator="sam", slot="notify.draft")
    assert copy is not None
    assert copy.fields == {"body": "We are sorry. It was our mistake."}
    assert (copy.label, copy.base, copy.saved_at) == ("the apology", "2", FROZEN_NOW)
    # Not an event, and not a change of the incident (nobody's save is made stale).
    assert len(store.events(incident.id)) == events
    assert store.get_incident(incident.id).version == version
    # Another operator's copy of the same slot is theirs.
    assert working.find(store, incident.id, operator="lea", slot="notify.draft") is None
    working.drop(store, incident.id, operator="sam", slot="notify.draft")
    assert working.list_copies(store, incident.id, operator="sam") == []


def test_copies_survive_the_process_in_the_private_file(db_path: Path) -> None:
    with Store.open(db_path, clock=frozen(FROZEN_NOW)) as first:
        incident = ops.declare(first, title="Leak", kind="data-breach", operator="sam")
        working.keep(
            first, incident.id, operator="sam", slot="assess.form", label="the assessment",
            fields={"affected_count": "12,500"},
        )  # fmt: skip
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    with Store.open(db_path) as second:
        (copy,) = working.list_copies(second, incident.id, operator="sam")
    assert copy.fields == {"affected_count": "12,500"}


def test_a_huge_copy_is_not_kept(store: Store) -> None:
    incident = ops.declare(store, title="Leak", kind="data-breach", operator="sam")
    kept = working.keep(
        store, incident.id, operator="sam", slot="own.statement", label="the statement",
        fields={"body": "x" * (working.MAX_CHARACTERS + 1)},
    )  # fmt: skip
    assert kept is None
    assert working.list_copies(store, incident.id, operator="sam") == []
