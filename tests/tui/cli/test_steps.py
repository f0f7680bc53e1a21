"""``step``, ``advance`` and ``apology``: where an incident is, and moving it on, from the shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.core import journey
from tests.tui.cli.helpers import Invoke, one_error_line


@pytest.fixture
def owned(store: Store) -> int:
    """A data breach, owned: at step 2 with nothing contained and nobody told."""
    return journey.owned(store, "data-breach").id


def test_step_says_what_completes_the_step_and_what_is_missing(
    invoke: Invoke, store: Store, owned: int
) -> None:
    result = invoke("--db", str(store.path), "step", str(owned))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Incident {owned}: A data-breach incident",
        "At step 2 Contain since 2026-11-27 09:30 (0s).",
        "Completes when: The action that stops the harm is done; for a data breach, security "
        "has been told.",
        "  missing  the harm is not marked stopped yet: finish the action that stops it",
        "  missing  Security has not been told yet",
        "",
        "Steps:",
        "  1 Own it   complete 2026-11-27 09:30",
        "  2 Contain  current: 2 missing",
        "  3 Assess   not reached",
        "  4 Plan     not reached",
        "  5 Notify   not reached",
        "  6 Monitor  not reached",
        "",
        f"Move on anyway: email-crisis advance {owned} --reason TEXT (recorded)",
    ]


def test_step_as_json(invoke: Invoke, store: Store, owned: int) -> None:
    result = invoke("--db", str(store.path), "step", str(owned), "--format", "json")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["id"], record["step"], record["number"], record["complete"]) == (
        owned,
        "contain",
        2,
        False,
    )
    assert [c["id"] for c in record["criteria"]] == ["harm_stopped", "escalated"]
    assert record["missing"] == [
        "the harm is not marked stopped yet: finish the action that stops it",
        "Security has not been told yet",
    ]
    assert record["since"] == "2026-11-27T09:30:00+00:00"
    assert [s["state"] for s in record["steps"]] == ["done", "current"] + ["ahead"] * 4
    assert record["steps"][0]["passage"] == {
        "at": "2026-11-27T09:30:00+00:00",
        "operator": "sam",
        "by": "rules",
        "reason": None,
        "missing": [],
    }


def test_advance_without_a_reason_lists_what_is_missing(
    invoke: Invoke, store: Store, owned: int
) -> None:
    result = invoke("--db", str(store.path), "advance", str(owned))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"email-crisis: incident {owned} stays at step 2 Contain; missing:",
        "  - the harm is not marked stopped yet: finish the action that stops it",
        "  - Security has not been told yet",
        f"To move on anyway: email-crisis advance {owned} --reason TEXT (the reason is "
        "recorded, with what is missing).",
    ]
    assert store.get_incident(owned).step == "contain"


def test_advance_with_a_reason_moves_on_and_records_it(
    invoke: Invoke, store: Store, owned: int
) -> None:
    short = invoke("--db", str(store.path), "advance", str(owned), "--reason", "done")
    assert short.exit_code == 1 and "at least 10 characters" in one_error_line(short.stderr)
    result = invoke(
        "--db",
        str(store.path),
        "--operator",
        "priya",
        "advance",
        str(owned),
        "--reason",
        "Security revoked the link themselves.",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"Incident {owned} moved on by hand (reason recorded) from step 2 Contain; "
        "now at step 3 Assess.\n"
    )
    event = store.events(owned)[-1]
    assert (event.type, event.operator, event.details["reason"]) == (
        "step_advanced",
        "priya",
        "Security revoked the link themselves.",
    )
    shown = invoke("--db", str(store.path), "show", str(owned)).stdout
    assert "moved on from step 2 Contain to 3 Assess by hand: Security revoked" in shown


def test_apology_sent_and_declined(invoke: Invoke, store: Store) -> None:
    planned = journey.planned(store, journey.at_plan(store, "wrong-content")).id
    sent = invoke(
        "--db", str(store.path), "apology", "sent", str(planned), "--at", "2026-11-27T09:30Z"
    )
    assert sent.exit_code == 0, sent.stderr
    assert sent.stdout == (
        f"Incident {planned}: apology sent at 2026-11-27 09:30; now at step 6 Monitor.\n"
    )
    assert store.get_incident(planned).notified_at is not None
    twice = invoke("--db", str(store.path), "apology", "sent", str(planned))
    assert twice.exit_code == 1 and "already marked as notified" in one_error_line(twice.stderr)

    locked = journey.planned(store, journey.at_plan(store, "suppression-list-send")).id
    refused = invoke("--db", str(store.path), "apology", "sent", str(locked))
    assert refused.exit_code == 1 and "Do not send an apology" in one_error_line(refused.stderr)
    missing = invoke("--db", str(store.path), "apology", "decline", str(locked))
    assert missing.exit_code == 2 and "--reason" in one_error_line(missing.stderr)
    declined = invoke(
        "--db",
        str(store.path),
        "apology",
        "decline",
        str(locked),
        "--reason",
        "Mailing them again is the harm itself.",
    )
    assert declined.exit_code == 0, declined.stderr
    assert declined.stdout == (
        f"Incident {locked}: no apology will be sent (reason recorded); now at step 6 Monitor.\n"
    )


def test_step_of_a_missing_incident(invoke: Invoke, db_path: Path) -> None:
    with Store.open(db_path) as store:
        ops.declare(store, title="One", kind="other", operator="x")
    result = invoke("--db", str(db_path), "step", "9")
    assert result.exit_code == 1
    assert one_error_line(result.stderr) == "email-crisis: there is no incident 9."
