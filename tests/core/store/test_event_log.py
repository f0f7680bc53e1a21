"""The event log: each change appends its events in the same transaction; no rewrites."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from email_crisis.core.base.clock import to_iso
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import NotFound, StoreError
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import NewIncident, Store
from tests.conftest import FROZEN_NOW
from tests.core.support import MovingClock, raw, table


def types(store: Store, incident_id: int) -> list[str]:
    return [e.type for e in store.events(incident_id)]


def test_declare_appends_declared(store: Store) -> None:
    detected = FROZEN_NOW - timedelta(minutes=7)
    incident = ops.declare(
        store,
        title="Wrong offer",
        kind="wrong-content",
        severity="2",
        operator="sam",
        detected_at=detected,
    )
    (event,) = store.events(incident.id)
    assert event.type == "declared"
    assert event.operator == "sam"
    assert event.at == FROZEN_NOW
    assert event.details == {
        "title": "Wrong offer",
        "kind": "wrong-content",
        "severity": "SEV2",
        "detected_at": to_iso(detected),
    }
    assert incident.created_by == "sam"
    assert incident.version == 1


def test_each_operation_appends_its_events_with_operator_and_details(db_path: Path) -> None:
    clock = MovingClock()
    with Store.open(db_path, clock=clock) as store:
        incident = ops.declare(
            store,
            title="Preview to all",
            kind="wrong-segment",
            operator="sam",
            detected_at=clock.moment - timedelta(minutes=5),
        )
        clock.advance(timedelta(minutes=1))
        incident = ops.acknowledge(store, incident, operator="lea")
        clock.advance(timedelta(minutes=1))
        incident = ops.set_severity(store, incident, "sev1", operator="lea")
        clock.advance(timedelta(minutes=1))
        incident = ops.set_commander(store, incident, "priya", operator="marc")
        clock.advance(timedelta(minutes=1))
        incident = ops.set_commander(store, incident, "noor", operator="priya")
        clock.advance(timedelta(minutes=1))
        incident = ops.write_statement(store, incident, "First words.", operator="noor")
        clock.advance(timedelta(minutes=1))
        incident = ops.write_statement(store, incident, "Second words!", operator="noor")

        got = [(e.type, e.operator, e.details) for e in store.events(incident.id)]
        assert got[1:] == [
            ("acknowledged", "lea", {"seconds_after_detection": 360}),
            ("severity_changed", "lea", {"from": "SEV3", "to": "SEV1"}),
            ("commander_set", "marc", {"from": None, "to": "priya"}),
            ("step_advanced", "marc", {"from": "own", "to": "contain", "by": "rules"}),
            ("commander_set", "priya", {"from": "priya", "to": "noor"}),
            ("statement_written", "noor", {"version": 1, "characters": 12}),
            ("statement_written", "noor", {"version": 2, "characters": 13}),
        ]
        minutes = [int((e.at - FROZEN_NOW).total_seconds() // 60) for e in store.events(1)]
        assert minutes == [0, 1, 2, 3, 3, 4, 5, 6]
        # One bump per change, not per event; the step the commander completed is a change.
        assert incident.version == 8
        assert incident.updated_at == clock.moment
        statements = store.statements(incident.id)
        assert [(s.body, s.operator, s.at) for s in statements] == [
            ("First words.", "noor", FROZEN_NOW + timedelta(minutes=5)),
            ("Second words!", "noor", FROZEN_NOW + timedelta(minutes=6)),
        ]


def test_events_after_id_returns_only_newer_events(store: Store, declared: Incident) -> None:
    first = store.events(declared.id)[0]
    ops.acknowledge(store, declared, operator="lea")
    newer = store.events(declared.id, after_id=first.id)
    assert [e.type for e in newer] == ["acknowledged"]
    assert store.events(declared.id, after_id=newer[-1].id) == []


def test_append_event_records_a_note_without_touching_the_incident(
    store: Store, declared: Incident
) -> None:
    store.append_event(declared.id, operator="lea", type_="note", details={"text": "ESP paged"})
    assert types(store, declared.id) == ["declared", "note"]
    assert store.events(declared.id)[-1].details == {"text": "ESP paged"}
    assert store.get_incident(declared.id) == declared


def test_append_event_to_a_missing_incident_writes_nothing(store: Store) -> None:
    with pytest.raises(NotFound, match="no incident 99"):
        store.append_event(99, operator="lea", type_="note", details={})
    assert store.count_events() == 0


def test_update_incident_guards_its_arguments(store: Store, declared: Incident) -> None:
    with pytest.raises(ValueError, match="not updatable"):
        store.update_incident(
            declared.id,
            expected_version=1,
            operator="x",
            changes={"version": 9},
            events=[("x", {})],
        )
    with pytest.raises(ValueError, match="at least one event"):
        store.update_incident(
            declared.id, expected_version=1, operator="x", changes={"step": "plan"}, events=[]
        )
    with pytest.raises(NotFound):
        store.update_incident(
            404, expected_version=1, operator="x", changes={"step": "plan"}, events=[("x", {})]
        )
    assert store.get_incident(declared.id) == declared
    assert store.count_events() == 1


# -- one transaction: the change and its events, or neither ----------------------------

Operation = Callable[[Store, Incident], Any]

OPERATIONS: dict[str, Operation] = {
    "acknowledge": lambda s, i: ops.acknowledge(s, i, operator="lea"),
    "set_commander": lambda s, i: ops.set_commander(s, i, "priya", operator="lea"),
    "set_severity": lambda s, i: ops.set_severity(s, i, "SEV1", operator="lea"),
    "write_statement": lambda s, i: ops.write_statement(s, i, "We know.", operator="lea"),
}


class Boom(RuntimeError):
    pass


@pytest.mark.parametrize("name", OPERATIONS)
def test_failure_after_the_update_leaves_no_change_and_no_event(
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    db_path: Path,
    declared: Incident,
    name: str,
) -> None:
    before = {t: table(db_path, t) for t in ("incidents", "events", "statements")}

    def explode(*args: object, **kwargs: object) -> None:
        # The UPDATE has run in this transaction by now: prove it, then fail.
        row = store._conn.execute("SELECT version FROM incidents WHERE id = ?", (declared.id,))
        assert row.fetchone()[0] == declared.version + 1
        raise Boom("disk full, say")

    monkeypatch.setattr(Store, "_append_event", explode)
    with pytest.raises(Boom):
        OPERATIONS[name](store, declared)
    monkeypatch.undo()

    assert {t: table(db_path, t) for t in before} == before
    assert store.get_incident(declared.id) == declared
    assert not store._conn.in_transaction
    OPERATIONS[name](store, declared)  # and the store is still usable


def test_failure_declaring_leaves_no_incident(
    monkeypatch: pytest.MonkeyPatch, store: Store, db_path: Path
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise Boom("after the INSERT")

    monkeypatch.setattr(Store, "_append_event", explode)
    with pytest.raises(Boom):
        ops.declare(store, title="Never stored", kind="other", operator="sam")
    assert table(db_path, "incidents") == []
    assert table(db_path, "events") == []


def test_bulk_declare_is_all_or_nothing(store: Store, db_path: Path) -> None:
    """A CHECK constraint on the third item rolls back the first two as well."""
    good = NewIncident("Good", "other", "SEV3", FROZEN_NOW, "sam")
    bad = NewIncident("Bad", "other", "SEV9", FROZEN_NOW, "sam")
    with pytest.raises(StoreError, match="CHECK constraint failed"):
        store.create_incidents([good, good, bad])
    assert table(db_path, "incidents") == []
    assert table(db_path, "events") == []
    assert store.create_incidents([good, good]) == [1, 2]


def test_statement_insert_failing_in_sqlite_writes_nothing(
    store: Store, db_path: Path, declared: Incident
) -> None:
    """A real SQLite failure on the statement row rolls back the update and the event."""
    conn = raw(db_path)
    conn.execute(
        "CREATE TRIGGER refuse_statements BEFORE INSERT ON statements "
        "BEGIN SELECT RAISE(ABORT, 'statements refused for the test'); END"
    )
    conn.close()
    with pytest.raises(StoreError, match="statements refused for the test"):
        ops.write_statement(store, declared, "Will not land.", operator="lea")
    assert store.get_incident(declared.id) == declared
    assert types(store, declared.id) == ["declared"]
    assert store.statements(declared.id) == []


# -- append-only ----------------------------------------------------------------------

REWRITES = {
    "update": "UPDATE events SET operator = 'mallory'",
    "update-one-column": "UPDATE events SET details = '{}' WHERE id = 1",
    "delete": "DELETE FROM events",
    "delete-one": "DELETE FROM events WHERE id = 1",
    "replace": "INSERT OR REPLACE INTO events (id, incident_id, at, operator, type) "
    "VALUES (1, 1, 'x', 'mallory', 'declared')",
}


def _rewrite_cases() -> list[object]:
    cases: list[object] = []
    for via in ("store-connection", "other-connection"):
        for name, sql in REWRITES.items():
            marks: list[object] = []
            cases.append(pytest.param(via, sql, id=f"{via}-{name}", marks=marks))
    return cases


@pytest.mark.parametrize(("via", "sql"), _rewrite_cases())
def test_event_log_cannot_be_rewritten(
    store: Store, db_path: Path, declared: Incident, sql: str, via: str
) -> None:
    ops.acknowledge(store, declared, operator="lea")
    before = table(db_path, "events")
    conn = store._conn if via == "store-connection" else raw(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    finally:
        if conn is not store._conn:
            conn.close()
    assert table(db_path, "events") == before
    assert len(before) == 2
