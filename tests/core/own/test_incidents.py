"""The rules that guard each operator action in core/own/incidents.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from email_crisis.core.base.domain import KINDS, STEPS, Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.own import incidents as ops
from email_crisis.core.steps import machine as steps
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW


def declare(store: Store, **overrides: object) -> Incident:
    arguments: dict[str, object] = {"title": "Spring sale sent twice", "kind": "other"}
    arguments.update(overrides)
    return ops.declare(store, operator="sam", **arguments)  # type: ignore[arg-type]


def types(store: Store, incident: Incident) -> list[str]:
    return [e.type for e in store.events(incident.id)]


# -- declaring ------------------------------------------------------------------------


def test_declare_stores_a_clean_incident_at_step_own(store: Store) -> None:
    incident = declare(store, title="  Caf\u0065\u0301 promo  ", kind=" Data-Breach ")
    assert incident.title == "Café promo"  # trimmed and NFC-normalised
    assert incident.kind == "data-breach"
    assert incident.severity == ops.DEFAULT_SEVERITY == "SEV3"
    assert incident.step == "own"
    assert incident.commander is None
    assert not incident.is_acknowledged
    assert incident.is_open
    assert incident.detected_at == FROZEN_NOW  # defaults to now


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Title is required."),
        ("   \t ", "Title is required."),
        ("Sale\x1b[2J cleared", "Title contains control characters"),
        ("Bell\x07", "Title contains control characters"),
        ("two\nlines", "Title must be a single line."),
        ("x" * (ops.TITLE_MAX + 1), f"Title is 201 characters long; the limit is {ops.TITLE_MAX}."),
    ],
    ids=["empty", "blank", "escape-sequence", "bell", "newline", "too-long"],
)
def test_declare_rejects_bad_titles(store: Store, title: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        declare(store, title=title)
    assert str(caught.value).startswith(message)
    assert store.list_incidents() == []
    assert store.count_events() == 0


def test_title_at_the_limit_is_accepted(store: Store) -> None:
    assert len(declare(store, title="x" * ops.TITLE_MAX).title) == ops.TITLE_MAX


def test_unknown_kind_lists_the_kinds(store: Store) -> None:
    with pytest.raises(ValidationError) as caught:
        declare(store, kind="typo")
    message = str(caught.value)
    assert "unknown kind 'typo'" in message
    for kind in KINDS:
        assert kind in message
    assert store.list_incidents() == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [("1", "SEV1"), ("sev2", "SEV2"), ("SEV3", "SEV3"), (" sev4 ", "SEV4"), ("Sev1", "SEV1")],
)
def test_severity_parsing(given: str, expected: str) -> None:
    assert ops.check_severity(given) == expected


@pytest.mark.parametrize("given", ["0", "5", "SEV5", "critical", "", "sev 1"])
def test_bad_severity_lists_the_choices(given: str) -> None:
    with pytest.raises(ValidationError, match="choose one of: SEV1, SEV2, SEV3, SEV4"):
        ops.check_severity(given)


def test_future_detection_time_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="Detection time is in the future"):
        declare(store, detected_at=FROZEN_NOW + timedelta(seconds=1))
    assert store.list_incidents() == []
    assert declare(store, detected_at=FROZEN_NOW).detected_at == FROZEN_NOW


def test_names_are_checked_like_titles() -> None:
    assert ops.check_name("  priya ") == "priya"
    with pytest.raises(ValidationError, match="Commander is required"):
        ops.check_name(" ")
    with pytest.raises(ValidationError, match="Commander contains control characters"):
        ops.check_name("pri\x1bya")
    with pytest.raises(ValidationError, match="the limit is 80"):
        ops.check_name("p" * 81)


# -- acknowledging, commander, severity -------------------------------------------------


def test_acknowledging_twice_is_refused(store: Store, declared: Incident) -> None:
    acknowledged = ops.acknowledge(store, declared, operator="lea")
    assert acknowledged.acknowledged_at == FROZEN_NOW
    with pytest.raises(ValidationError, match=r"already acknowledged \(2026-11-27 09:30\)"):
        ops.acknowledge(store, acknowledged, operator="marc")
    assert types(store, declared) == ["declared", "acknowledged"]


def test_same_commander_is_refused(store: Store, declared: Incident) -> None:
    named = ops.set_commander(store, declared, "priya", operator="lea")
    with pytest.raises(ValidationError, match="priya is already the commander"):
        ops.set_commander(store, named, "  priya  ", operator="lea")
    assert store.get_incident(declared.id).version == named.version


def test_bad_commander_name_is_refused(store: Store, declared: Incident) -> None:
    with pytest.raises(ValidationError, match="Commander is required"):
        ops.set_commander(store, declared, "", operator="lea")
    assert store.get_incident(declared.id) == declared


def test_same_severity_is_refused(store: Store, declared: Incident) -> None:
    with pytest.raises(ValidationError, match=f"Incident {declared.id} is already SEV2"):
        ops.set_severity(store, declared, "2", operator="lea")
    changed = ops.set_severity(store, declared, "sev1", operator="lea")
    assert changed.severity == "SEV1"
    assert types(store, declared) == ["declared", "severity_changed"]


# -- statements -----------------------------------------------------------------------


def test_every_statement_version_is_kept(store: Store, declared: Incident) -> None:
    bodies = ["First: we know.", "Second: we know more.", "Third: fixed.\n\nDetails follow."]
    incident = declared
    for body in bodies:
        incident = ops.write_statement(store, incident, body, operator="priya")
    assert [s.body for s in store.statements(declared.id)] == bodies
    details = [e.details for e in store.events(declared.id) if e.type == "statement_written"]
    assert [d["version"] for d in details] == [1, 2, 3]
    assert [d["characters"] for d in details] == [len(b) for b in bodies]


def test_unchanged_statement_is_refused(store: Store, declared: Incident) -> None:
    incident = ops.write_statement(store, declared, "We know.\r\n", operator="priya")
    with pytest.raises(ValidationError, match="The statement is unchanged"):
        ops.write_statement(store, incident, "  We know.  ", operator="priya")
    assert len(store.statements(declared.id)) == 1
    # Going back to an older wording is a change, and is kept as a new version.
    incident = ops.write_statement(store, incident, "Another.", operator="priya")
    ops.write_statement(store, incident, "We know.", operator="priya")
    assert [s.body for s in store.statements(declared.id)] == ["We know.", "Another.", "We know."]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Statement is empty."),
        ("\n \n", "Statement is empty."),
        ("Clear\x1b[2Jscreen", "Statement contains control characters"),
        ("x" * (ops.STATEMENT_MAX + 1), "Statement is 20001 characters long"),
    ],
    ids=["empty", "blank", "escape", "too-long"],
)
def test_bad_statement_is_refused(
    store: Store, declared: Incident, body: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        ops.write_statement(store, declared, body, operator="priya")
    assert store.statements(declared.id) == []


def test_statement_keeps_tabs_and_lines(store: Store, declared: Incident) -> None:
    ops.write_statement(store, declared, "Steps:\n\t1. halt\r\n\t2. pause", operator="priya")
    assert store.statements(declared.id)[0].body == "Steps:\n\t1. halt\n\t2. pause"


# -- step 1 -> step 2 -----------------------------------------------------------------


def test_acknowledge_then_commander_advances_to_contain(store: Store, declared: Incident) -> None:
    acknowledged = ops.acknowledge(store, declared, operator="lea")
    assert acknowledged.step == "own"
    assert steps.status(store, acknowledged).missing == ("no incident commander named yet",)
    named = ops.set_commander(store, acknowledged, "priya", operator="lea")
    assert named.step == "contain" == STEPS[1]
    assert steps.status(store, named, "own").complete
    assert types(store, declared) == ["declared", "acknowledged", "commander_set", "step_advanced"]
    assert store.events(declared.id)[-1].details == {"from": "own", "to": "contain", "by": "rules"}
    assert store.events(declared.id)[-1].operator == "lea"  # whoever completed the step


def test_commander_then_acknowledge_advances_to_contain(store: Store, declared: Incident) -> None:
    named = ops.set_commander(store, declared, "priya", operator="lea")
    assert named.step == "own"
    acknowledged = ops.acknowledge(store, named, operator="priya")
    assert acknowledged.step == "contain"
    assert types(store, declared) == ["declared", "commander_set", "acknowledged", "step_advanced"]


def test_other_changes_do_not_advance(store: Store, declared: Incident) -> None:
    incident = ops.set_severity(store, declared, "SEV1", operator="lea")
    incident = ops.write_statement(store, incident, "Known so far.", operator="lea")
    incident = ops.acknowledge(store, incident, operator="lea")
    assert incident.step == "own"
    assert "step_advanced" not in types(store, declared)


def test_step_never_moves_back(store: Store, declared: Incident) -> None:
    incident = ops.acknowledge(store, declared, operator="lea")
    incident = ops.set_commander(store, incident, "priya", operator="lea")
    incident = ops.set_commander(store, incident, "noor", operator="priya")
    assert incident.step == "contain"
    assert types(store, declared).count("step_advanced") == 1
    # Further along (moved on by hand), still never back.
    incident = steps.advance(store, incident, operator="noor", reason="Nothing left to stop.")
    assert incident.step == "assess"
    incident = ops.set_commander(store, incident, "jo", operator="noor")
    incident = ops.set_severity(store, incident, "SEV4", operator="jo")
    assert incident.step == "assess"
    assert types(store, declared).count("step_advanced") == 2
