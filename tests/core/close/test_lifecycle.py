"""Resolving and reopening: the timestamp, the event, the refusals, and closing deliberately."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from email_crisis.core.base.clock import frozen
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import StaleIncident, ValidationError
from email_crisis.core.close import lifecycle
from email_crisis.core.notify.decline import decline_apology
from email_crisis.core.plan.tasks import add_task
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW


@pytest.fixture
def settled(store: Store, declared: Incident) -> Incident:
    """An incident with nothing left open: no tasks, and no apology to send (decided)."""
    return decline_apology(
        store, declared, reason="Only our own test accounts received it.", operator="lea"
    )


def test_resolve_sets_the_time_and_records_the_summary(store: Store, settled: Incident) -> None:
    done = lifecycle.resolve(store, settled, "lea", summary="  Sync job fixed.\r\nAll clear. ")
    assert done.resolved_at == FROZEN_NOW and not done.is_open
    event = store.events(settled.id)[-1]
    assert (event.type, event.operator) == ("resolved", "lea")
    assert event.details == {
        "seconds_after_detection": 600,
        "open_tasks": 0,
        "summary": "Sync job fixed.\nAll clear.",
    }
    assert store.list_incidents() == []  # off the board


def test_resolve_with_open_work_needs_a_reason_and_records_it(
    store: Store, declared: Incident
) -> None:
    add_task(store, declared, title="Fix", kind="internal-fix", owner_role="it", operator="sam")
    with pytest.raises(lifecycle.CloseNeedsReason) as refused:
        lifecycle.resolve(store, declared, "lea", summary="Sync job fixed.")
    assert [w.kind for w in refused.value.warnings] == ["tasks", "apology"]
    assert "1 plan task is still open: Fix (no owner)" in str(refused.value)
    assert store.get_incident(declared.id).resolved_at is None  # nothing written
    with pytest.raises(ValidationError, match="at least 10 characters"):
        lifecycle.resolve(store, declared, "lea", reason="because")
    done = lifecycle.resolve(
        store, declared, "lea", summary="Sync job fixed.", reason="Follow-ups are in JIRA."
    )
    details = store.events(declared.id)[-1].details
    assert done.resolved_at == FROZEN_NOW
    assert details["open_tasks"] == 1
    assert details["reason"] == "Follow-ups are in JIRA."
    assert details["warnings"] == [w.text for w in refused.value.warnings]


def test_resolve_without_a_summary(store: Store, settled: Incident) -> None:
    lifecycle.resolve(store, settled, "lea", summary="   ")
    assert "summary" not in store.events(settled.id)[-1].details


def test_resolve_twice_is_refused(store: Store, settled: Incident) -> None:
    done = lifecycle.resolve(store, settled, "lea")
    with pytest.raises(ValidationError, match=r"already resolved .*reopen it first"):
        lifecycle.resolve(store, done, "lea")


def test_resolve_refuses_a_summary_with_escape_codes(store: Store, declared: Incident) -> None:
    with pytest.raises(ValidationError, match="control characters"):
        lifecycle.resolve(store, declared, "lea", summary="done \x1b[31m")
    assert store.get_incident(declared.id).resolved_at is None


def test_resolve_from_a_stale_copy_writes_nothing(
    db_path: Path, store: Store, settled: Incident
) -> None:
    other = Store.open(db_path, clock=frozen(FROZEN_NOW))
    try:
        lifecycle.resolve(other, settled, "marc")
    finally:
        other.close()
    before = len(store.events(settled.id))
    with pytest.raises(StaleIncident):
        lifecycle.resolve(store, settled, "lea")
    assert len(store.events(settled.id)) == before


def test_reopen_clears_the_time_and_keeps_the_reason(store: Store, settled: Incident) -> None:
    declared = settled
    done = lifecycle.resolve(store, declared, "lea")
    store.clock = frozen(FROZEN_NOW + timedelta(hours=2))
    again = lifecycle.reopen(store, done, "marc", "Complaints are still coming in.")
    assert again.resolved_at is None and again.is_open
    event = store.events(declared.id)[-1]
    assert (event.type, event.operator) == ("reopened", "marc")
    assert event.details == {
        "reason": "Complaints are still coming in.",
        "was_resolved_at": "2026-11-27T09:30:00+00:00",
    }
    # The earlier resolution stays in the log.
    assert [e.type for e in store.events(declared.id)][-2:] == ["resolved", "reopened"]


def test_reopen_refusals(store: Store, declared: Incident) -> None:
    with pytest.raises(ValidationError, match="not resolved"):
        lifecycle.reopen(store, declared, "marc", "Complaints are still coming in.")
    done = lifecycle.resolve(store, declared, "lea", reason="Closed to test reopening.")
    with pytest.raises(ValidationError, match="Say why"):
        lifecycle.reopen(store, done, "marc", "oops")
    with pytest.raises(ValidationError, match="Reason is empty"):
        lifecycle.reopen(store, done, "marc", "  ")


def test_lifecycle_events_read_as_sentences(store: Store, declared: Incident) -> None:
    add_task(store, declared, title="Fix", kind="internal-fix", owner_role="it", operator="s")
    done = lifecycle.resolve(store, declared, "lea", summary="Fixed.", reason="Tracked in JIRA.")
    lifecycle.reopen(store, done, "marc", "It came back on Monday.")
    texts = [lifecycle.describe_lifecycle_event(e) for e in store.events(declared.id)]
    assert texts[:2] == [None, None]
    assert texts[2:] == [
        "resolved the incident with 1 plan task(s) still open: Fixed. (closed despite: 1 plan "
        "task is still open: Fix (no owner); the apology is not marked sent, and the guidance "
        "is to send one (or record the decision not to); reason: Tracked in JIRA.)",
        "reopened the incident (resolved 2026-11-27 09:30): It came back on Monday.",
    ]
