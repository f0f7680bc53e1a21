"""The contained time: set once, by the first action that stops the harm, atomically."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import StoreError
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain.actions import ContainAction
from email_crisis.core.contain.playbooks import Playbook
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.contain.support import at_contain, event_types, last_event_id
from tests.core.support import MovingClock


@pytest.fixture
def actions(store: Store, incident: Incident, playbook: Playbook) -> list[ContainAction]:
    return contain.ensure_actions(store, incident, playbook, operator="sam")


def test_done_on_the_action_that_stops_the_harm_sets_contained(
    store: Store, incident: Incident, actions: list[ContainAction]
) -> None:
    halt = actions[0]
    assert halt.stops_harm
    contain.set_status(store, halt, "done", operator="priya")
    fresh = store.get_incident(incident.id)
    assert fresh.contained_at == FROZEN_NOW
    assert fresh.version == incident.version + 2  # contained, then moved on to Assess
    contained, moved = store.events(incident.id)[-2:]
    assert (contained.type, contained.operator) == ("contained", "priya")
    assert contained.details == {
        "action": "halt-send",
        "title": halt.title,
        "seconds_after_detection": 600,
    }
    assert (moved.type, moved.operator, fresh.step) == ("step_advanced", "priya", "assess")


def test_other_actions_do_not_contain(
    store: Store, incident: Incident, actions: list[ContainAction]
) -> None:
    for action in actions[1:]:
        contain.set_status(store, action, "done", operator="sam")
    assert store.get_incident(incident.id).contained_at is None
    assert "contained" not in event_types(store, incident.id)
    skipped = contain.set_status(store, actions[0], "skipped", operator="sam", reason="Sent")
    assert skipped.status == "skipped"
    assert store.get_incident(incident.id).contained_at is None


def test_contained_is_set_only_the_first_time(
    store: Store, incident: Incident, actions: list[ContainAction]
) -> None:
    clock = MovingClock()
    store.clock = clock
    contain.set_status(store, actions[0], "done", operator="sam")
    extra = contain.add_custom_action(
        store,
        incident,
        title="ESP purged the queue",
        role="esp-support",
        stops_harm=True,
        operator="sam",
    )
    clock.advance(timedelta(minutes=20))
    contain.set_status(store, extra, "done", operator="sam")
    assert store.get_incident(incident.id).contained_at == FROZEN_NOW
    assert event_types(store, incident.id).count("contained") == 1


@pytest.mark.parametrize("how", ["by-hand", "connector"])
def test_done_by_hand_or_by_a_connector_also_contains(
    store: Store, incident: Incident, actions: list[ContainAction], how: str
) -> None:
    if how == "by-hand":
        contain.mark_done_by_hand(store, actions[0], "Cancelled in the console", operator="sam")
    else:
        contain.record_execution(
            store,
            actions[0],
            ok=True,
            esp="sparkpost",
            operation="cancel-scheduled",
            status_code=200,
            message="",
            operator="sam",
        )
    assert store.get_incident(incident.id).contained_at == FROZEN_NOW


def test_a_failed_call_does_not_contain(
    store: Store, incident: Incident, actions: list[ContainAction]
) -> None:
    contain.record_execution(
        store,
        actions[0],
        ok=False,
        esp="sparkpost",
        operation="cancel-scheduled",
        status_code=500,
        message="boom",
        operator="sam",
    )
    assert store.get_incident(incident.id).contained_at is None


def test_a_panel_holding_an_older_incident_still_contains(
    store: Store, incident: Incident, actions: list[ContainAction]
) -> None:
    ops.set_severity(store, incident, "SEV1", operator="marc")  # the incident moved on
    contain.set_status(store, actions[0], "done", operator="sam")
    fresh = store.get_incident(incident.id)
    assert (fresh.contained_at, fresh.severity) == (FROZEN_NOW, "SEV1")


def test_the_data_breach_playbook_contains_on_closing_the_exposure(
    store: Store, playbook: Playbook
) -> None:
    breach = at_contain(store, "data-breach")
    actions = {
        a.action_id: a for a in contain.ensure_actions(store, breach, playbook, operator="s")
    }
    contain.set_status(store, actions["halt-send"], "done", operator="sam")
    assert store.get_incident(breach.id).contained_at is None
    contain.set_status(store, actions["close-exposure"], "done", operator="sam")
    assert store.get_incident(breach.id).contained_at == FROZEN_NOW


# -- one transaction ------------------------------------------------------------------


def test_a_failure_setting_contained_rolls_back_the_action(
    store: Store, incident: Incident, actions: list[ContainAction], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> None:
        raise StoreError("disk full")

    monkeypatch.setattr(store, "_bump_incident", broken)
    before = last_event_id(store, incident.id)
    with pytest.raises(StoreError, match="disk full"):
        contain.set_status(store, actions[0], "done", operator="sam")
    assert contain.get_action(store, actions[0].id) == actions[0]
    assert store.get_incident(incident.id) == incident
    assert store.events(incident.id, after_id=before) == []


def test_a_failure_writing_the_contained_event_rolls_back_everything(
    store: Store, incident: Incident, actions: list[ContainAction], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store._append_event

    def failing(incident_id: int, at: str, operator: str, type_: str, details: Mapping) -> None:
        if type_ == "contained":
            raise StoreError("event log unavailable")
        real(incident_id, at, operator, type_, details)

    monkeypatch.setattr(store, "_append_event", failing)
    before = last_event_id(store, incident.id)
    with pytest.raises(StoreError):
        contain.mark_done_by_hand(store, actions[0], "Cancelled by hand", operator="sam")
    unchanged = contain.get_action(store, actions[0].id)
    assert (unchanged.status, unchanged.notes, unchanged.version) == ("todo", (), 1)
    assert store.get_incident(incident.id).contained_at is None
    assert store.events(incident.id, after_id=before) == []
