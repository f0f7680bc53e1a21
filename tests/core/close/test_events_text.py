"""One line per event type, for the event log, ``show`` and the postmortem: words, not ids."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from email_crisis.core.base.domain import Event, Incident
from email_crisis.core.close.events_text import EVENT_TYPES, describe
from email_crisis.core.own import incidents as ops
from email_crisis.core.steps import machine
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW

REPO = Path(__file__).resolve().parents[3]


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
        (
            "acknowledged",
            {"seconds_after_detection": 60, "by_hand": True},
            "acknowledged the incident 1m after detection (moving on by hand)",
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
        (
            "step_advanced",
            {"from": "own", "to": "contain"},  # written before the rules said how
            "step 1 Own it complete; now at 2 Contain",
        ),
        (
            "step_advanced",
            {"from": "assess", "to": "plan", "by": "rules"},
            "step 3 Assess complete; now at 4 Plan",
        ),
        (
            "step_advanced",
            {
                "from": "contain",
                "to": "assess",
                "by": "hand",
                "reason": "stopped in the ESP console",
                "missing": ["the harm is not marked stopped yet"],
            },
            "moved on from step 2 Contain to 3 Assess by hand: stopped in the ESP console "
            "(not done: the harm is not marked stopped yet)",
        ),
        ("step_advanced", {"from": "plan", "to": "later"}, "step 4 Plan complete; now at later"),
        (
            "watch_ended",
            {"reason": "reputation back to HIGH"},
            "ended the deliverability watch early: reputation back to HIGH",
        ),
        (
            "apology_declined",
            {"reason": "they had opted out"},
            "decided not to send an apology: they had opted out",
        ),
        ("note", {"text": "ESP support paged"}, "note: ESP support paged"),
        ("resolved", {}, "resolved the incident"),
        (
            "resolved",
            {"warnings": ["1 plan task is still open: X (no owner)"], "reason": "tracked in JIRA"},
            "resolved the incident (closed despite: 1 plan task is still open: X (no owner); "
            "reason: tracked in JIRA)",
        ),
        ("send_paused", {"by": "esp", "campaign": 12}, "send paused (by=esp, campaign=12)"),
    ],
)
def test_describe(type_: str, details: dict[str, Any], text: str) -> None:
    assert describe(event(type_, details)) == text


def test_every_event_of_step_one_reads_as_a_sentence(store: Store, declared: Incident) -> None:
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
        "step 1 Own it complete; now at 2 Contain",
        "handed command from priya to noor",
        "changed severity from SEV2 to SEV1",
        "wrote the first internal statement",
        "revised the internal statement (version 2)",
        "note: Paused",
    ]
    assert FROZEN_NOW - declared.detected_at == timedelta(minutes=10)


HALT = {"action": "halt-send", "title": "Stop the send: cancel whatever is still scheduled"}


@pytest.mark.parametrize(
    ("type_", "details", "expected"),
    [
        (
            "contain_actions_created",
            {"actions": ["a", "b"]},
            "set up 2 containment actions from the playbook",
        ),
        (
            "contain_action_status",
            {**HALT, "from": "todo", "to": "in-progress"},
            "started Stop the send (playbook)",
        ),
        (
            "contain_action_status",
            {**HALT, "from": "todo", "to": "skipped", "reason": "already done"},
            "skipped Stop the send (playbook): already done",
        ),
        (
            "contain_action_status",
            {**HALT, "from": "todo", "to": "done", "manual": True},
            "marked Stop the send (playbook) done by hand",
        ),
        (
            "contain_action_status",
            {**HALT, "from": "in-progress", "to": "failed", "error": "HTTP 401"},
            "Stop the send (playbook) failed: HTTP 401",
        ),
        (
            "contain_action_status",
            {**HALT, "from": "skipped", "to": "todo"},
            "put Stop the send (playbook) back to do",
        ),
        (
            "contain_action_assigned",
            {**HALT, "role": "it", "person": "ana"},
            "gave Stop the send (playbook) to ana (IT)",
        ),
        (
            "contain_action_assigned",
            {**HALT, "role": "esp-support", "person": None},
            "gave Stop the send (playbook) to ESP support",
        ),
        (
            "contain_action_note",
            {"action": "custom-1", "title": "Call the agency"},
            "added a note to Call the agency (added)",
        ),
        (
            "contain_action_added",
            {"action": "custom-1", "title": "Call the agency: they own the list"},
            "added the action Call the agency (added)",
        ),
        (
            "contain_action_executed",
            {**HALT, "esp": "sendgrid", "ok": False},
            "ran Stop the send (playbook) through SendGrid: it failed",
        ),
        ("escalated", {"to": "it"}, "escalated to IT"),
        ("escalated", {"to": "security"}, "escalated to Security"),
        ("escalated", {"to": "esp-support"}, "escalated to ESP support"),
        (
            "contained",
            {**HALT, "seconds_after_detection": 600},
            "contained the incident 10m after detection (Stop the send (playbook))",
        ),
        (
            "contained",
            {"seconds_after_detection": 600, "by_hand": True},
            "declared the incident contained 10m after detection (moving on by hand)",
        ),
        (
            "apology_lock_overridden",
            {"reason": "legal asked"},
            "overrode the no-apology lock: legal asked",
        ),
    ],
)
def test_containment_events(type_: str, details: dict[str, object], expected: str) -> None:
    assert describe(event(type_, details)) == expected


def test_an_old_event_without_a_title_names_the_playbook_action() -> None:
    text = describe(event("contain_action_status", {"action": "halt-send", "to": "done"}))
    assert text == "marked Stop the send (playbook) done"
    text = describe(event("contain_action_note", {"action": "custom-3"}))
    assert text == "added a note to action custom-3 (added)"  # its title was never logged


@pytest.mark.parametrize(
    ("type_", "details", "expected"),
    [
        (
            "assessment_updated",
            {"fields": ["affected_count"], "values": {"affected_count": 12500}},
            "updated the assessment: subscribers affected: 12,500",
        ),
        (
            "assessment_updated",
            {
                "fields": ["data_exposed", "regions", "cause"],
                "values": {
                    "data_exposed": ["email-addresses", "names"],
                    "regions": ["eu-eea", "us"],
                    "cause": "wrong-list-or-segment",
                },
            },
            "updated the assessment: data exposed: email addresses, names; where they live: "
            "EU/EEA, United States; cause: wrong list or segment",
        ),
        ("draft_saved", {"version": 3, "changed": ["subject"]}, "saved apology draft v3 (subject)"),
        (
            "draft_saved",
            {"version": 4, "changed": ["from_address", "reply_to"]},
            "saved apology draft v4 (From, Reply-To)",
        ),
        (
            "notify_export_override",
            {"reason": "legal approved", "rules": ["humor"]},
            "exported the apology despite errors",
        ),
        (
            "apology_exported",
            {"version": 2, "file": "a.eml", "audience_count": 1200},
            "exported apology v2 to a.eml for 1,200 recipients",
        ),
        ("apology_sent", {}, "marked the apology as sent"),
        (
            "apology_sent",
            {"version": 2, "sent_at": "2026-11-27T08:00:00+00:00", "note": "via Brevo"},
            "marked the apology (v2) as sent, sent at 2026-11-27 08:00: via Brevo",
        ),
    ],
)
def test_assess_and_notify_events(type_: str, details: dict[str, object], expected: str) -> None:
    assert describe(event(type_, details)).startswith(expected)


def test_an_export_override_names_the_rules_in_words() -> None:
    from email_crisis.core.notify.lint.rules import RULES

    rule = next(iter(RULES))
    text = describe(event("notify_export_override", {"reason": "ok by legal", "rules": [rule]}))
    assert RULES[rule].summary in text
    assert f"({rule})" not in text


@pytest.mark.parametrize(
    ("type_", "details", "unwanted"),
    [
        ("resolved", {"seconds_after_detection": 7200}, "="),
        ("reopened", {"reason": "complaints came back"}, "="),
        ("plan_task_added", {"task": 1, "title": "Rebuild", "owner_role": "it"}, "owner it"),
        ("plan_task_edited", {"title": "Rebuild", "changes": {"due_at": {}}}, "due_at"),
        ("esp_call", {"esp": "sendgrid", "operation": "cancel-batch", "ok": True}, "cancel-batch"),
        (
            "metric_added",
            {"metric": "complaint_rate", "value": 0.2, "at": "2026-11-27T08:00:00+00:00"},
            "T08",
        ),
    ],
)
def test_other_modules_say_it_in_words(
    type_: str, details: dict[str, object], unwanted: str
) -> None:
    text = describe(event(type_, details))
    assert text and unwanted not in text and "=" not in text


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
            "removed the suppression list unsubs.csv",
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


# -- every event type the code writes has its sentence --------------------------------------

_WRITES = (
    re.compile(r'_append_event\(\s*[^,]+,\s*[^,]+,\s*[^,]+,\s*"([a-z_]+)"', re.S),
    re.compile(r'type_="([a-z_]+)"'),
    re.compile(r'\[\s*\(\s*"([a-z_]+)",\s*\{'),
    re.compile(r'events=\[\s*\(\s*"([a-z_]+)"'),
    re.compile(r'event=\(\s*"([a-z_]+)"'),
    re.compile(r'^(?:EVENT|EVENT_TYPE|ENDED)\s*=\s*"([a-z_]+)"', re.M),
)


def written_types() -> set[str]:
    """Event types named where the code writes events (core and the CLI)."""
    found: set[str] = set()
    for root in ("core", "tui"):
        for path in (REPO / root).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for pattern in _WRITES:
                found.update(pattern.findall(text))
    return found | set(machine._CLOCK_EVENTS.values())


def test_every_written_event_type_is_listed() -> None:
    found = written_types()
    assert len(found) >= 30  # the scan still finds the writes
    assert found <= set(EVENT_TYPES), sorted(found - set(EVENT_TYPES))


@pytest.mark.parametrize("type_", EVENT_TYPES)
def test_every_listed_type_has_its_own_sentence(type_: str) -> None:
    details = {"action": "halt-send", "to": "it", "from": "own", "file": "x.csv", "role": "it"}
    text = describe(event(type_, details))
    assert not text.startswith(type_.replace("_", " ") + " ("), text  # not the generic line
    assert "halt-send" not in text and "escalated to it" not in text
