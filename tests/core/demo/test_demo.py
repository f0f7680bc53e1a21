"""The demo data set: realistic, varied, self-consistent and deterministic."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from email_crisis.core.base.domain import KINDS, STEPS
from email_crisis.core.demo import scenes as demo
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.support import table


@pytest.fixture
def populated(store: Store) -> Store:
    assert demo.populate(store, now=FROZEN_NOW) == len(demo.SCENES)
    return store


def test_every_kind_and_several_steps(populated: Store) -> None:
    everything = populated.list_incidents(include_resolved=True)
    assert {i.kind for i in everything} == set(KINDS)
    steps = {i.step for i in everything}
    assert len(steps) >= 4
    assert {"own", "contain", "assess", "monitor"} <= steps
    assert steps <= set(STEPS)
    assert {i.severity for i in everything} >= {"SEV1", "SEV2", "SEV3", "SEV4"}
    assert any(i.commander is None for i in everything)
    assert any(not i.is_acknowledged for i in everything)


def test_exactly_one_resolved_incident_is_off_the_board(populated: Store) -> None:
    everything = populated.list_incidents(include_resolved=True)
    board = populated.list_incidents()
    resolved = [i for i in everything if not i.is_open]
    assert len(resolved) == 1
    assert resolved[0].id not in {i.id for i in board}
    assert len(board) == len(everything) - 1
    assert populated.events(resolved[0].id)[-1].type == "resolved"


def test_history_is_spread_over_days_and_never_in_the_future(populated: Store) -> None:
    moments = []
    for incident in populated.list_incidents(include_resolved=True):
        events = populated.events(incident.id)
        assert events[0].type == "declared"
        for earlier, later in pairwise(events):
            assert earlier.at <= later.at  # replayed in order
        for event in events:
            assert incident.detected_at <= event.at <= FROZEN_NOW
        # Step panels also write their own rows (actions, tasks, drafts), so the
        # incident row changes at some of the moments only.
        assert incident.updated_at <= events[-1].at
        assert incident.version <= len({e.at for e in events})
        moments += [e.at for e in events]
    assert max(moments) - min(moments) > timedelta(days=1)
    assert len({m.date() for m in moments}) > 1


def test_statements_and_step_rules_hold(populated: Store) -> None:
    for incident in populated.list_incidents(include_resolved=True):
        if incident.step != "own":
            assert incident.is_acknowledged and incident.commander
        for statement in populated.statements(incident.id):
            assert incident.title in statement.body
            assert statement.body.startswith("INTERNAL - incident")
    with_statement = [i for i in populated.list_incidents() if populated.statements(i.id)]
    assert len(with_statement) >= 2


def test_populate_restores_the_store_clock(store: Store) -> None:
    clock = store.clock
    demo.populate(store, now=FROZEN_NOW - timedelta(days=3))
    assert store.clock is clock


def _all_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    return {name: table(path, name) for name in ("incidents", "events", "statements")}


def test_same_now_gives_the_same_rows(tmp_path: Path) -> None:
    paths = [tmp_path / "one.db", tmp_path / "two.db"]
    for path in paths:
        with Store.open(path) as store:  # real clock: populate must not depend on it
            demo.populate(store, now=FROZEN_NOW, extra=5)
    first, second = (_all_rows(p) for p in paths)
    assert first == second
    assert len(first["incidents"]) == len(demo.SCENES) + 5


def test_a_different_now_shifts_the_history(tmp_path: Path) -> None:
    for name, now in (("a.db", FROZEN_NOW), ("b.db", FROZEN_NOW + timedelta(days=1))):
        with Store.open(tmp_path / name) as store:
            demo.populate(store, now=now)
    a, b = _all_rows(tmp_path / "a.db"), _all_rows(tmp_path / "b.db")
    assert [r[1] for r in a["incidents"]] == [r[1] for r in b["incidents"]]  # same titles
    assert a["events"] != b["events"]


@pytest.mark.parametrize("extra", [1, 25])
def test_extra_adds_generated_incidents(store: Store, extra: int) -> None:
    assert demo.populate(store, now=FROZEN_NOW, extra=extra) == len(demo.SCENES) + extra
    everything = store.list_incidents(include_resolved=True)
    assert len(everything) == len(demo.SCENES) + extra
    generated = everything[len(demo.SCENES) :]
    for incident in generated:
        assert incident.step == "own"
        assert incident.kind in KINDS
        assert FROZEN_NOW - timedelta(days=30) <= incident.detected_at < FROZEN_NOW
        assert [e.type for e in store.events(incident.id)] == ["declared"]
    assert len({i.title for i in generated}) == extra  # numbered, so all different


def test_generated_is_deterministic_for_a_seed() -> None:
    assert demo.generated(10, FROZEN_NOW) == demo.generated(10, FROZEN_NOW)
    assert demo.generated(10, FROZEN_NOW, seed=1) != demo.generated(10, FROZEN_NOW, seed=2)


def test_the_work_of_each_scene_moves_it_to_its_step_by_the_rules(populated: Store) -> None:
    """The screenshots show these steps; only the step rules put the incidents there."""
    where = {i.title: i.step for i in populated.list_incidents(include_resolved=True)}
    assert [where[scene.title] for scene in demo.SCENES] == [
        "contain",  # breach: being contained, security told, the assessment already in
        "assess",  # contained; whether data was exposed is still being checked
        "plan",  # two of the suggested tasks owned
        "assess",  # suppression-list send: exposure still being checked
        "monitor",  # planned, apology sent, deliverability watched
        "own",
        "own",
        "own",
        "monitor",  # the same path, then closed
    ]
    for incident in populated.list_incidents(include_resolved=True):
        moves = [e for e in populated.events(incident.id) if e.type == "step_advanced"]
        assert len(moves) == STEPS.index(incident.step)
        assert all(e.details["by"] == "rules" for e in moves)
