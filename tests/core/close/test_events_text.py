"""One line per event type, for the event log and the CLI."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from email_crisis.core.base.domain import Event, Incident
from email_crisis.core.close.events_text import describe
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW


def event(type_: str, details: dict[str, Any] | None = None) -> Event:
    return Event(1, 1, FROZEN_NOW, "sam", type_, details or {})


@pytest.mark.parametrize(
    ("type_", "details", "text"),
    [
        (
            "declared",
            {"title": "Promo sent twice", "kind": "wrong-content", "severity": "SEV2"},
            "declared SEV2 Wrong content (subject, offer or test copy): Promo sent twice",
        ),
        (
            "declared",
            {"title": "X", "kind": "new-kind", "severity": "SEV1"},
            "declared SEV1 new-kind: X",
        ),
        (
            "acknowledged",
            {"seconds_after_detection": 360},
            "acknowledged the incident 6m after detection",
        ),
        (
            "acknowledged",
            {"seconds_after_detection": 0},
            "acknowledged the incident 0s after detection",
        ),
        ("acknowledged", {}, "acknowledged the incident"),
        ("commander_set", {"from": None, "to": "priya"}, "named priya incident commander"),
        ("commander_set", {"from": "priya", "to": "noor"}, "handed command from priya to noor"),
        ("severity_changed", {"from": "SEV3", "to": "SEV1"}, "changed severity from SEV3 to SEV1"),
        (
            "statement_written",
            {"version": 1, "characters": 10},
            "wrote the first internal statement",
        ),
        (
            "statement_written",
            {"version": 2, "characters": 12},
            "revised the internal statement (version 2)",
        ),
        ("step_advanced", {"from": "own", "to": "contain"}, "step Own it done; now at Contain"),
        ("step_advanced", {"from": "plan", "to": "later"}, "step Plan done; now at later"),
        ("note", {"text": "ESP support paged"}, "note: ESP support paged"),
        ("resolved", {}, "resolved the incident"),
        ("send_paused", {"by": "esp", "campaign": 12}, "send paused (by=esp, campaign=12)"),
    ],
)
def test_describe(type_: str, details: dict[str, Any], text: str) -> None:
    assert describe(event(type_, details)) == text


def test_every_event_core_writes_has_its_own_sentence(store: Store, declared: Incident) -> None:
    """Events produced by the real operations, described end to end."""
    incident = ops.acknowledge(store, declared, operator="lea")
    incident = ops.set_commander(store, incident, "priya", operator="lea")
    incident = ops.set_commander(store, incident, "noor", operator="priya")
    incident = ops.set_severity(store, incident, "SEV1", operator="noor")
    incident = ops.write_statement(store, incident, "First.", operator="noor")
    incident = ops.write_statement(store, incident, "Second.", operator="noor")
    store.append_event(incident.id, operator="noor", type_="note", details={"text": "Paused"})
    lines = [describe(e) for e in store.events(declared.id)]
    assert lines == [
        "declared SEV2 Sent to the wrong segment: Black Friday preview sent to every subscriber",
        "acknowledged the incident 10m after detection",
        "named priya incident commander",
        "step Own it done; now at Contain",
        "handed command from priya to noor",
        "changed severity from SEV2 to SEV1",
        "wrote the first internal statement",
        "revised the internal statement (version 2)",
        "note: Paused",
    ]
    assert FROZEN_NOW - declared.detected_at == timedelta(minutes=10)


@pytest.mark.parametrize(
    ("type_", "details", "expected"),
    [
        ("contain_actions_created", {"actions": ["a", "b"]}, "set up 2 containment actions"),
        (
            "contain_action_status",
            {"action": "halt-send", "from": "todo", "to": "skipped", "reason": "already done"},
            "action halt-send: todo -> skipped (already done)",
        ),
        (
            "contain_action_status",
            {"action": "halt-send", "from": "todo", "to": "done", "manual": True},
            "action halt-send: todo -> done by hand",
        ),
        (
            "contain_action_assigned",
            {"action": "halt-send", "role": "it", "person": "ana"},
            "action halt-send assigned to ana / it",
        ),
        ("contain_action_note", {"action": "x"}, "added a note to action x"),
        ("contain_action_added", {"action": "custom-1"}, "added action custom-1"),
        (
            "contain_action_executed",
            {"action": "halt-send", "esp": "sendgrid", "ok": False},
            "ran action halt-send through sendgrid: failed",
        ),
        ("escalated", {"to": "security"}, "escalated to security"),
        (
            "contained",
            {"action": "halt-send", "seconds_after_detection": 600},
            "contained the incident 10m after detection (action halt-send)",
        ),
        ("apology_lock_overridden", {"reason": "legal asked"}, "overrode the no-apology lock"),
    ],
)
def test_containment_events(type_: str, details: dict[str, object], expected: str) -> None:
    assert expected in describe(event(type_, details))


@pytest.mark.parametrize(
    ("type_", "details", "expected"),
    [
        (
            "assessment_updated",
            {"fields": ["affected_count"], "values": {"affected_count": 12500}},
            "updated the assessment",
        ),
        ("draft_saved", {"version": 3, "changed": ["subject"]}, "saved apology draft v3 (subject)"),
        (
            "notify_export_override",
            {"reason": "legal approved", "rules": ["humor"]},
            "exported despite errors (humor): legal approved",
        ),
        (
            "apology_exported",
            {"version": 2, "file": "a.eml", "audience_count": 1200},
            "exported apology v2 to a.eml for 1,200 recipients",
        ),
        ("apology_sent", {}, "marked the apology as sent"),
    ],
)
def test_assess_and_notify_events(type_: str, details: dict[str, object], expected: str) -> None:
    assert expected in describe(event(type_, details))


@pytest.mark.parametrize(
    ("type_", "details"),
    [
        ("resolved", {"seconds_after_detection": 7200}),
        ("reopened", {"reason": "complaints came back"}),
        ("plan_task_added", {"task": 1, "title": "Rebuild the segment"}),
        ("esp_call", {"esp": "sendgrid", "operation": "cancel-batch", "ok": True}),
        ("metric_added", {"metric": "spam_rate", "value": 0.2}),
    ],
)
def test_plan_lifecycle_and_esp_events_get_their_modules_wording(
    type_: str, details: dict[str, object]
) -> None:
    text = describe(event(type_, details))
    assert text and "=" not in text  # not the generic key=value fallback


@pytest.mark.parametrize(
    ("type_", "details", "expected"),
    [
        (
            "audience_imported",
            {
                "file": "sent.csv",
                "role": "affected",
                "rows": 10,
                "addresses": 8,
                "invalid": 1,
                "duplicates": 1,
                "replaced": {"file": "old.csv", "addresses": 5},
            },
            "imported sent.csv as the affected list: 10 rows, 8 addresses (1 invalid, "
            "1 duplicates); replaces old.csv",
        ),
        (
            "audience_list_removed",
            {"file": "unsubs.csv", "role": "suppressed"},
            "removed the suppressed list unsubs.csv",
        ),
        (
            "audience_exported",
            {"file": "audience.csv", "addresses": 7, "override": True},
            "exported the apology audience to audience.csv (7 addresses) (apology lock overridden)",
        ),
    ],
)
def test_audience_events(type_: str, details: dict[str, object], expected: str) -> None:
    assert describe(event(type_, details)) == expected
