"""Saving assessments: round trip, one event per change, no personal data in events, stale
saves, severity acceptance and the notify gate."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.apology_lock import LOCKED_KINDS, gate, override_lock
from email_crisis.core.assess.decisions import ALLOWED_WITH_OVERRIDE, BREACH_NOTICE, DO_NOT_SEND
from email_crisis.core.assess.form import (
    AssessmentInvalid,
    StaleAssessment,
    accept_suggested_severity,
    assess_view,
    describe_event,
    load_assessment,
    record_imported_count,
    update_assessment,
)
from email_crisis.core.assess.store import from_json, save_assessment, to_json
from email_crisis.core.base.clock import frozen
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import NotFound, StoreError, ValidationError
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW

UTC = timezone.utc
Declare = Callable[..., Incident]

FORM = {
    "campaigns": "Black Friday preview",
    "send_start": "2026-11-27 08:00",
    "send_end": "2026-11-27 08:45",
    "segments": "VIP, Lapsed",
    "affected_count": "12,500",
    "data_exposed": "email-addresses, names",
    "regions": "eu, us",
    "us_states": "CA",
    "cause": "human-error",
    "cause_text": "Jane Doe <jane@example.com> uploaded the old list.",
    "cost_amount": "2500.00",
    "cost_currency": "eur",
    "needs_legal": "yes",
    "needs_security": "yes",
    "needs_law_enforcement": "no",
    "affected_by_place": "EU 9000, CA 3000, unknown 500",
}


def assessment_events(store: Store, incident: Incident) -> list:
    return [e for e in store.events(incident.id) if e.type == "assessment_updated"]


def test_a_new_incident_has_a_default_assessment(store: Store, declare: Declare) -> None:
    incident = declare()
    current = load_assessment(store, incident)
    assert current.version == 0 and current.updated_by is None
    assert current.aware_at == incident.detected_at
    assert current.data_exposed == frozenset() and current.affected_count is None


def test_round_trip_through_the_database(store: Store, declare: Declare, db_path: Path) -> None:
    incident = declare()
    saved = update_assessment(store, incident, FORM, operator="priya")
    assert saved.version == 1 and saved.updated_by == "priya" and saved.updated_at == FROZEN_NOW
    reopened = Store.open(db_path, clock=frozen(FROZEN_NOW))
    try:
        loaded = load_assessment(reopened, incident)
    finally:
        reopened.close()
    assert loaded == saved
    assert loaded.affected_count == 12500 and loaded.cost_amount == Decimal("2500.00")
    assert loaded.us_states == frozenset({"CA"}) and loaded.cost_currency == "EUR"
    assert loaded.campaigns == ("Black Friday preview",)
    assert loaded.send_end == datetime(2026, 11, 27, 8, 45, tzinfo=UTC)
    assert loaded.affected_by_place == (("eu-eea", 9000), ("US-CA", 3000), ("unknown", 500))
    assert loaded.places_source == "typed"


# An assessment saved by the version before counts per place (format 1), as stored.
FORMAT_1 = (
    '{"affected_count": 600, "affected_from_import": false, "assessed_at": null, '
    '"aware_at": "2026-11-27T09:20:00+00:00", "campaigns": ["Preview"], "cause": null, '
    '"cause_text": "", "cost_amount": null, "cost_currency": null, '
    '"data_exposed": ["credentials"], "format": 1, "individuals_notified_at": null, '
    '"needs_law_enforcement": false, "needs_legal": true, "needs_security": true, '
    '"regions": ["us"], "segments": [], "send_end": null, "send_start": null, '
    '"us_states": ["CA"]}'
)


def test_an_assessment_saved_in_the_previous_format_still_reads(
    store: Store, declare: Declare
) -> None:
    incident = declare()
    update_assessment(store, incident, {"affected_count": "1"}, operator="priya")
    store._conn.execute("UPDATE assessments SET data = ?", (FORMAT_1,))
    old = load_assessment(store, incident)
    assert (old.affected_count, old.us_states, old.needs_legal) == (600, frozenset({"CA"}), True)
    assert (old.affected_by_place, old.places_source, old.small_agent) == ((), "", False)
    saved = update_assessment(store, incident, {"affected_by_place": "CA 600"}, operator="priya")
    assert json.loads(to_json(saved))["format"] == 2
    assert json.loads(to_json(saved))["affected_by_place"] == {"US-CA": 600}


@pytest.mark.parametrize(
    "places", ['{"US-CA": -1}', '{"US-CA": "many"}', '["US-CA", 3]', '{"US-CA": 1.5}']
)
def test_damaged_counts_per_place_are_reported(store: Store, declare: Declare, places: str) -> None:
    incident = declare()
    update_assessment(store, incident, {"affected_count": "1"}, operator="priya")
    damaged = FORMAT_1.replace('"format": 1', f'"format": 2, "affected_by_place": {places}')
    store._conn.execute("UPDATE assessments SET data = ?", (damaged,))
    with pytest.raises(StoreError, match="unreadable"):
        load_assessment(store, incident)


def test_json_has_a_stable_key_order(store: Store, declare: Declare) -> None:
    saved = update_assessment(store, declare(), FORM, operator="priya")
    text = to_json(saved)
    assert list(json.loads(text)) == sorted(json.loads(text))
    assert to_json(from_json(text)) == text
    assert "version" not in json.loads(text)  # storage metadata lives in its own columns


def test_each_update_writes_one_event_with_changed_fields_and_values(
    store: Store, declare: Declare
) -> None:
    incident = declare()
    update_assessment(store, incident, FORM, operator="priya")
    update_assessment(
        store, incident, {"affected_count": "13000", "regions": "eu, us"}, operator="sam"
    )
    first, second = assessment_events(store, incident)
    assert first.operator == "priya" and first.details["version"] == 1
    assert second.operator == "sam"
    assert second.details == {
        "fields": ["affected_count"],  # regions did not change
        "values": {"affected_count": 13000},
        "version": 2,
    }
    assert first.details["values"]["data_exposed"] == ["email-addresses", "names"]
    assert first.details["values"]["send_start"] == "2026-11-27T08:00:00+00:00"
    assert first.details["values"]["cost_amount"] == "2500.00"


def test_events_never_hold_the_operators_free_text(store: Store, declare: Declare) -> None:
    incident = declare()
    update_assessment(store, incident, FORM, operator="priya")
    (event,) = assessment_events(store, incident)
    dumped = json.dumps(event.details)
    for words in ("Jane", "jane@example.com", "Black Friday", "VIP", "Lapsed"):
        assert words not in dumped
    assert event.details["values"]["cause_text"] == {"characters": len(FORM["cause_text"])}
    assert event.details["values"]["segments"] == {"items": 2}
    assert "@" not in dumped


def test_an_unchanged_form_writes_nothing(store: Store, declare: Declare) -> None:
    incident = declare()
    saved = update_assessment(store, incident, FORM, operator="priya")
    before = store.count_events()
    again = update_assessment(store, incident, FORM, operator="priya")
    assert again == saved and store.count_events() == before


def test_bad_fields_are_all_listed_and_nothing_is_saved(store: Store, declare: Declare) -> None:
    incident = declare()
    before = store.count_events()
    with pytest.raises(AssessmentInvalid) as caught:
        update_assessment(
            store,
            incident,
            {"affected_count": "lots", "us_states": "XX", "cost_currency": "euro"},
            operator="priya",
        )
    assert [p.field for p in caught.value.problems] == [
        "affected_count",
        "us_states",
        "cost_currency",
    ]
    message = str(caught.value)
    assert "Subscribers affected: Affected count must be a whole number" in message
    assert "Unknown US state 'XX'" in message and "three-letter code" in message
    assert isinstance(caught.value, ValidationError)
    assert store.count_events() == before and load_assessment(store, incident).version == 0


def test_unknown_fields_are_refused(store: Store, declare: Declare) -> None:
    with pytest.raises(AssessmentInvalid, match="no assessment field"):
        update_assessment(store, declare(), {"subscriber_emails": "a@b.c"}, operator="priya")


def test_a_stale_save_names_who_changed_it(store: Store, declare: Declare) -> None:
    incident = declare()
    update_assessment(store, incident, {"affected_count": "100"}, operator="priya")
    update_assessment(
        store, incident, {"affected_count": "200"}, operator="sam", expected_version=1
    )
    with pytest.raises(StaleAssessment) as caught:
        update_assessment(
            store, incident, {"affected_count": "300"}, operator="alex", expected_version=1
        )
    assert "changed by sam" in str(caught.value) and "nothing was saved" in str(caught.value)
    assert caught.value.fresh.affected_count == 200 and caught.value.fresh.version == 2
    assert load_assessment(store, incident).affected_count == 200


def test_two_operators_saving_from_the_same_version(
    store: Store, declare: Declare, db_path: Path
) -> None:
    incident = declare()
    other = Store.open(db_path, clock=frozen(FROZEN_NOW + timedelta(seconds=5)))
    try:
        mine = load_assessment(store, incident)
        theirs = load_assessment(other, incident)
        details = {"fields": ["affected_count"], "values": {"affected_count": 1}}
        save_assessment(
            other, incident, replace(theirs, affected_count=1), operator="sam", details=details
        )
        with pytest.raises(StaleAssessment, match="changed by sam") as caught:
            save_assessment(
                store, incident, replace(mine, affected_count=2), operator="priya", details=details
            )
    finally:
        other.close()
    assert caught.value.fresh.affected_count == 1
    assert len(assessment_events(store, incident)) == 1


def test_a_stale_update_of_a_saved_assessment_is_refused(
    store: Store, declare: Declare, db_path: Path
) -> None:
    incident = declare()
    update_assessment(store, incident, {"affected_count": "10"}, operator="priya")
    other = Store.open(db_path, clock=frozen(FROZEN_NOW + timedelta(seconds=5)))
    try:
        mine, theirs = load_assessment(store, incident), load_assessment(other, incident)
        assert mine.version == theirs.version == 1
        details = {"fields": ["affected_count"], "values": {"affected_count": 30}}
        save_assessment(
            other, incident, replace(theirs, affected_count=30), operator="sam", details=details
        )
        with pytest.raises(StaleAssessment, match="version 1, now 2") as caught:
            save_assessment(
                store, incident, replace(mine, affected_count=20), operator="alex", details=details
            )
    finally:
        other.close()
    assert caught.value.fresh.affected_count == 30 and caught.value.fresh.updated_by == "sam"
    assert [e.operator for e in assessment_events(store, incident)] == ["priya", "sam"]


def test_saving_for_a_missing_incident(store: Store, declare: Declare) -> None:
    ghost = replace(declare(), id=999)
    with pytest.raises(NotFound):
        update_assessment(store, ghost, {"affected_count": "1"}, operator="priya")


def test_a_damaged_stored_assessment_is_reported(
    store: Store, declare: Declare, db_path: Path
) -> None:
    incident = declare()
    update_assessment(store, incident, {"affected_count": "1"}, operator="priya")
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("UPDATE assessments SET data = '{\"format\": 99}'")
    conn.close()
    with pytest.raises(StoreError, match="unreadable"):
        load_assessment(store, incident)


def test_record_imported_count(store: Store, declare: Declare) -> None:
    incident = declare()
    saved = record_imported_count(store, incident, 4321, operator="importer")
    assert saved.affected_count == 4321 and saved.affected_from_import
    typed = update_assessment(store, incident, {"affected_count": "4000"}, operator="priya")
    assert not typed.affected_from_import


def test_an_import_records_where_people_live_but_never_over_typed_counts(
    store: Store, declare: Declare
) -> None:
    incident = declare()
    guess = (("eu-eea", 10), ("unknown", 90))
    saved = record_imported_count(
        store, incident, 100, operator="x", places=guess, places_source="domains"
    )
    assert (saved.affected_by_place, saved.places_source) == (guess, "domains")
    listed = (("US-CA", 60), ("US-TX", 40))
    saved = record_imported_count(
        store, incident, 100, operator="x", places=listed, places_source="list"
    )
    assert (saved.affected_by_place, saved.places_source) == (listed, "list")
    nobody = record_imported_count(
        store, incident, 50, operator="x", places=(("unknown", 50),), places_source="domains"
    )
    assert (nobody.affected_by_place, nobody.places_source) == ((), "")  # not the old list's
    update_assessment(store, incident, {"affected_by_place": "CA 30"}, operator="priya")
    kept = record_imported_count(
        store, incident, 100, operator="x", places=listed, places_source="list"
    )
    assert (kept.affected_by_place, kept.places_source) == ((("US-CA", 30),), "typed")
    with pytest.raises(AssessmentInvalid, match="add up to 30, more than the 20 people"):
        record_imported_count(
            store, incident, 20, operator="x", places=listed, places_source="list"
        )


def test_accept_suggested_severity_writes_the_usual_event(store: Store, declare: Declare) -> None:
    incident = declare("wrong-segment", "SEV3")
    update_assessment(store, incident, {"data_exposed": "credentials"}, operator="priya")
    changed = accept_suggested_severity(store, incident, operator="priya")
    assert changed.severity == "SEV1"
    last = store.events(incident.id)[-1]
    assert (last.type, last.details) == ("severity_changed", {"from": "SEV3", "to": "SEV1"})
    with pytest.raises(ValidationError, match="already SEV1"):
        accept_suggested_severity(store, changed, operator="priya")


def test_assess_view_bundles_every_decision(store: Store, declare: Declare) -> None:
    incident = declare("wrong-segment")
    update_assessment(store, incident, FORM, operator="priya")
    view = assess_view(store, incident)
    assert view.apology.verdict == BREACH_NOTICE
    assert [c.obligation.id for c in view.clocks.clocks][:1] == ["eu-gdpr-authority"]
    assert view.header[0].text.startswith("GDPR authority 71h")
    assert view.severity.severity == "SEV1"  # names of 12,500 people
    assert view.problems == () and "not legal advice" in view.notice


def test_describe_event(store: Store, declare: Declare) -> None:
    incident = declare()
    update_assessment(store, incident, FORM, operator="priya")
    update_assessment(store, incident, {"affected_count": "", "cost_amount": "3000"}, operator="x")
    first, second = (describe_event(e.details) for e in assessment_events(store, incident))
    assert "subscribers affected: 12,500" in first
    assert "data exposed: email addresses, names" in first  # words, not ids
    assert "what happened edited" in first and "Jane" not in first
    assert "send started: 2026-11-27 08:00" in first and "legal needed: yes" in first
    assert second == "updated the assessment: subscribers affected cleared; estimated cost: 3000"
    # Words, not ids (issue 11, item 8): places by name, the counts' source in words.
    assert "affected per place: EU/EEA 9,000, California 3,000, unknown place 500" in first
    assert "counts per place from: typed in" in first


def test_the_public_api_is_importable_from_one_module() -> None:
    for name in assess.__all__:
        assert hasattr(assess, name), name


# -- the notify gate ---------------------------------------------------------------------


def test_gate_locks_a_suppression_list_send_until_overridden(
    store: Store, declare: Declare
) -> None:
    incident = declare("suppression-list-send")
    closed = gate(store, incident)
    assert not closed.allowed and closed.override is None
    assert closed.reason.startswith("Do not send an apology.")
    override = override_lock(
        store, incident, "Legal requires the breach notice for these people.", operator="priya"
    )
    opened = gate(store, incident)
    assert opened.allowed and opened.override == override
    assert "priya lifted the lock" in opened.reason
    assert "Legal requires the breach notice" in opened.reason
    view = assess_view(store, incident)
    assert view.apology.verdict == ALLOWED_WITH_OVERRIDE
    event = store.events(incident.id)[-1]
    assert event.type == "apology_lock_overridden"


@pytest.mark.parametrize(
    "kind",
    [
        "wrong-content",
        "broken-personalization",
        "wrong-segment",
        "malformed",
        "data-breach",
        "other",
    ],
)
def test_gate_is_open_for_other_kinds(store: Store, declare: Declare, kind: str) -> None:
    assert kind not in LOCKED_KINDS
    decision = gate(store, declare(kind))
    assert decision.allowed and decision.override is None


def test_gate_and_panel_agree(store: Store, declare: Declare) -> None:
    incident = declare("suppression-list-send")
    view = assess_view(store, incident)
    assert view.apology.verdict == DO_NOT_SEND
    assert view.apology.reason == gate(store, incident).reason
