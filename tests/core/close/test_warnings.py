"""Reasons not to close: open tasks, an unsent apology, running breach clocks, bad signals."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.breach_rules import RULES_ENV
from email_crisis.core.base.domain import Incident
from email_crisis.core.close.warnings import closing_warnings
from email_crisis.core.monitor import metrics
from email_crisis.core.monitor.thresholds import ENV as THRESHOLDS_ENV
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.decline import decline_apology
from email_crisis.core.own import incidents as ops
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW


@pytest.fixture(autouse=True)
def _shipped_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(RULES_ENV, raising=False)
    monkeypatch.delenv(THRESHOLDS_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def texts(store: Store, incident: Incident) -> list[tuple[str, str]]:
    return [(w.kind, w.text) for w in closing_warnings(store, store.get_incident(incident.id))]


def test_open_tasks_are_named_with_their_owner(store: Store, declared: Incident) -> None:
    decline_apology(store, declared, reason="Only internal seed addresses got it.", operator="x")
    assert texts(store, declared) == []
    for n, owner in enumerate(("noor", None, "lea", "jo", None)):
        plan.add_task(
            store,
            declared,
            title=f"Task {n + 1}",
            kind="internal-fix",
            owner_role="it",
            owner=owner,
            operator="x",
        )
    assert texts(store, declared) == [
        (
            "tasks",
            "5 plan tasks are still open: Task 1 (noor); Task 2 (no owner); Task 3 (lea); "
            "and 2 more",
        )
    ]
    for task in plan.list_tasks(store, declared.id)[1:]:
        plan.set_status(store, task, "done", operator="x")
    assert texts(store, declared) == [("tasks", "1 plan task is still open: Task 1 (noor)")]


def test_an_unsent_apology_counts_only_when_the_guidance_is_to_send(store: Store) -> None:
    segment = ops.declare(store, title="Preview to all", kind="wrong-segment", operator="x")
    assert [kind for kind, _ in texts(store, segment)] == ["apology"]
    notify.mark_sent(store, segment, "x")
    assert texts(store, segment) == []
    suppressed = ops.declare(store, title="Old list", kind="suppression-list-send", operator="x")
    assert texts(store, suppressed) == []  # the guidance is to send nothing
    nobody = ops.declare(store, title="Test send", kind="wrong-content", operator="x")
    assess.update_assessment(store, nobody, {"affected_count": "0"}, operator="x")
    assert texts(store, nobody) == []  # nobody received it


def test_a_running_breach_clock_is_listed_with_its_deadline(store: Store) -> None:
    breach = ops.declare(
        store,
        title="Export link in the footer",
        kind="data-breach",
        operator="x",
        detected_at=FROZEN_NOW - timedelta(hours=2),
    )
    decline_apology(store, breach, reason="Legal sends the notice themselves.", operator="x")
    answers = {
        "data_exposed": "email-addresses, names",
        "regions": "eu-eea",
        "affected_count": "900",
    }
    assess.update_assessment(store, breach, answers, operator="x")
    warnings = texts(store, breach)
    assert warnings and {kind for kind, _ in warnings} == {"breach-clock"}
    gdpr = next(text for _, text in warnings if "GDPR" in text)
    # GDPR art. 33: the authority within 72 hours of becoming aware (here, detection).
    assert "due 2026-11-30 07:30 (in 70h 00m)" in gdpr


def test_a_deliverability_signal_at_warning_or_critical_is_listed(
    store: Store, declared: Incident
) -> None:
    decline_apology(store, declared, reason="Only internal seed addresses got it.", operator="x")
    metrics.add_point(
        store,
        declared.id,
        metric="complaint_rate",
        at=FROZEN_NOW - timedelta(hours=1),
        value="0.45",
        operator="x",
    )
    ((kind, text),) = texts(store, declared)
    assert kind == "deliverability"
    assert text == (
        "deliverability at critical level: spam-complaint rate 0.45%: over the 0.3% limit of "
        "Gmail and Yahoo for bulk senders"
    )
    metrics.add_point(
        store,
        declared.id,
        metric="complaint_rate",
        at=FROZEN_NOW,
        value="0.02",
        operator="x",
    )
    assert texts(store, declared) == []  # the newest value is what counts
