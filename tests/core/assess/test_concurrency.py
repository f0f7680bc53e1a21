"""Concurrency messages are true: "changed by" only when someone else really saved."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.store import StaleAssessment
from email_crisis.core.base.domain import Incident
from email_crisis.core.store.database import Store

REPO = Path(__file__).resolve().parents[3]


def test_one_operator_saving_ten_times_in_a_row_is_never_stale(
    store: Store, declare: Callable[..., Incident]
) -> None:
    incident = declare()
    saved = assess.load_assessment(store, incident)
    for count in range(1, 11):
        saved = assess.update_assessment(
            store,
            store.get_incident(incident.id),  # the incident moves on as the answers come in
            {"affected_count": str(count * 100)},
            operator="lea",
            expected_version=saved.version,
        )
        assert (saved.version, saved.affected_count) == (count, count * 100)
    assert len([e for e in store.events(incident.id) if e.type == "assessment_updated"]) == 10


def _save_in_another_process(db: Path, incident_id: int, operator: str) -> None:
    script = textwrap.dedent(
        f"""
        from email_crisis.core.assess import form as assess
        from email_crisis.core.steps import machine
        from email_crisis.core.store.database import Store
        machine.install()
        with Store.open({str(db)!r}, create=False) as store:
            incident = store.get_incident({incident_id})
            changes = {{"cause": "human-error"}}
            assess.update_assessment(store, incident, changes, operator={operator!r})
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_a_save_by_another_process_is_reported_once_with_its_operator(
    store: Store, declare: Callable[..., Incident]
) -> None:
    incident = declare()
    mine = assess.update_assessment(store, incident, {"affected_count": "300"}, operator="lea")
    _save_in_another_process(store.path, incident.id, "marc")
    with pytest.raises(StaleAssessment, match="changed by marc since you loaded it") as stale:
        assess.update_assessment(
            store, incident, {"affected_count": "400"}, operator="lea", expected_version=1
        )
    assert stale.value.fresh.version == 2 and stale.value.fresh.cause == "human-error"
    # Reloaded, the next save is the operator's own again: no second message.
    again = assess.update_assessment(
        store,
        incident,
        {"affected_count": "400"},
        operator="lea",
        expected_version=stale.value.fresh.version,
    )
    assert (again.version, again.affected_count, again.cause) == (3, 400, "human-error")
    assert mine.version == 1
