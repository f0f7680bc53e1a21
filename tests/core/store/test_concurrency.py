"""Optimistic concurrency: two operators never silently overwrite each other."""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from email_crisis.core.base.clock import frozen
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import StaleIncident
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.support import table

EVENTS_PER_WORKER = 200
UPDATE_EVERY = 10  # every tenth event, the worker also changes the incident


def test_second_writer_gets_stale_incident_and_writes_nothing(
    db_path: Path, declared: Incident
) -> None:
    with (
        Store.open(db_path, clock=frozen(FROZEN_NOW + timedelta(minutes=1))) as alice_store,
        Store.open(db_path, clock=frozen(FROZEN_NOW + timedelta(minutes=2))) as bob_store,
    ):
        alice_view = alice_store.get_incident(declared.id)
        bob_view = bob_store.get_incident(declared.id)
        assert alice_view.version == bob_view.version == declared.version

        ops.set_commander(alice_store, alice_view, "alice", operator="alice")
        events_before = bob_store.count_events()
        rows_before = table(db_path, "incidents")

        with pytest.raises(StaleIncident) as caught:
            ops.set_commander(bob_store, bob_view, "bob", operator="bob")

        fresh = caught.value.fresh
        assert fresh.commander == "alice"
        assert fresh.version == declared.version + 1
        message = str(caught.value)
        assert "changed by alice" in message
        assert f"version {declared.version}, now {declared.version + 1}" in message
        assert "nothing was saved" in message
        assert bob_store.count_events() == events_before
        assert table(db_path, "incidents") == rows_before

        # Retrying from the fresh state works and is recorded as a hand-over.
        after = ops.set_commander(bob_store, fresh, "bob", operator="bob")
        assert after.commander == "bob"
        assert bob_store.events(declared.id)[-1].details == {"from": "alice", "to": "bob"}


@pytest.mark.parametrize(
    "second",
    [
        lambda s, i: ops.acknowledge(s, i, operator="bob"),
        lambda s, i: ops.set_severity(s, i, "SEV4", operator="bob"),
        lambda s, i: ops.write_statement(s, i, "Bob's words", operator="bob"),
    ],
    ids=["acknowledge", "set_severity", "write_statement"],
)
def test_every_operation_is_compare_and_swap(
    db_path: Path, store: Store, declared: Incident, second: Any
) -> None:
    ops.set_severity(store, declared, "SEV1", operator="alice")
    before = {t: table(db_path, t) for t in ("incidents", "events", "statements")}
    with Store.open(db_path) as other, pytest.raises(StaleIncident, match="changed by alice"):
        second(other, declared)  # still holds version 1
    assert {t: table(db_path, t) for t in before} == before


def _worker(path: str, name: str, incident_id: int, barrier: Any) -> tuple[str, int, int]:
    """Append events and update the incident from its own process; count what succeeded.

    Like a screen, the worker keeps the incident it loaded and only refreshes it from
    a successful write or from ``StaleIncident.fresh``, so the other process's updates
    make it stale and the retry path runs.
    """
    store = Store.open(path)
    updates = retries = 0
    incident = store.get_incident(incident_id)
    barrier.wait()
    try:
        for n in range(EVENTS_PER_WORKER):
            store.append_event(
                incident_id, operator=name, type_="note", details={"worker": name, "n": n}
            )
            if n % UPDATE_EVERY:
                continue
            while True:
                try:
                    incident = store.update_incident(
                        incident_id,
                        expected_version=incident.version,
                        operator=name,
                        changes={"commander": f"{name}-{n}"},
                        events=[("commander_set", {"from": incident.commander, "to": name})],
                    )
                except StaleIncident as stale:
                    retries += 1
                    incident = stale.fresh
                    continue
                updates += 1
                break
    finally:
        store.close()
    return name, updates, retries


@pytest.mark.slow
def test_two_processes_lose_no_event_and_no_update(db_path: Path, declared: Incident) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(2) as pool:
        barrier = manager.Barrier(2)  # both start writing at the same moment
        results = pool.starmap(
            _worker,
            [(str(db_path), name, declared.id, barrier) for name in ("alpha", "beta")],
        )
    updates = sum(r[1] for r in results)
    assert updates == 2 * (EVENTS_PER_WORKER // UPDATE_EVERY)

    with Store.open(db_path) as store:
        events = store.events(declared.id)
        notes = [e for e in events if e.type == "note"]
        assert len(events) == 1 + 2 * EVENTS_PER_WORKER + updates
        assert store.count_events() == len(events)
        for name in ("alpha", "beta"):
            mine = [e.details["n"] for e in notes if e.operator == name]
            assert mine == list(range(EVENTS_PER_WORKER))  # none lost, in order
        assert store.get_incident(declared.id).version == updates + 1
        commanders = [e for e in events if e.type == "commander_set"]
        assert len(commanders) == updates
