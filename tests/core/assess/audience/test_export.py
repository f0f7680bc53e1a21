"""Exporting the apology audience: content, file safety, the apology lock."""

from __future__ import annotations

import os
import random
import stat
from pathlib import Path

import pytest

from email_crisis.core.assess.audience import build as audience
from email_crisis.core.base import files
from email_crisis.core.base.clock import frozen
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError, ValidationError
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.assess.audience.conftest import WriteFile
from tests.core.assess.audience.support import csv_lines, event_log_text

AFFECTED = csv_lines("email", "Cy@example.com", "ana@example.com", "BO@example.com", "bad@", "")
SUPPRESSED = csv_lines("Email", "bo@example.com", "zed@example.com")
REASON = "Legal confirmed these people asked for a correction notice."


def _import(store: Store, incident: Incident, write: WriteFile) -> None:
    audience.import_list(store, incident, write("a.csv", AFFECTED), role="affected", operator="x")
    audience.import_list(
        store, incident, write("s.csv", SUPPRESSED), role="suppressed", operator="x"
    )


def test_export_writes_affected_minus_suppressed(
    store: Store, incident: Incident, write: WriteFile, tmp_path: Path
) -> None:
    _import(store, incident, write)
    result = audience.export_audience(store, incident, tmp_path / "out.csv", operator="ana")
    assert result == audience.ExportResult(tmp_path / "out.csv", 2, False)
    assert (tmp_path / "out.csv").read_text() == "email\nana@example.com\ncy@example.com\n"
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o600
    event = store.events(incident.id)[-1]
    assert (event.type, event.operator) == ("audience_exported", "ana")
    assert event.details == {"file": "out.csv", "addresses": 2, "override": False}
    assert "ana@" not in event_log_text(store)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_mode_0600_whatever_the_umask(
    store: Store, incident: Incident, write: WriteFile, tmp_path: Path
) -> None:
    _import(store, incident, write)
    previous = os.umask(0)
    try:
        audience.export_audience(store, incident, tmp_path / "out.csv", operator="x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o600


def test_never_overwrites(
    store: Store, incident: Incident, write: WriteFile, tmp_path: Path
) -> None:
    _import(store, incident, write)
    existing = write("out.csv", "precious\n")
    events = store.count_events()
    with pytest.raises(audience.OutputExists, match=r"out\.csv already exists"):
        audience.export_audience(store, incident, existing, operator="x")
    assert existing.read_text() == "precious\n" and store.count_events() == events


def test_a_file_appearing_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    done, out = tmp_path / "done.tmp", tmp_path / "out.csv"
    done.write_text("email\n")
    out.write_text("someone else's\n")
    with pytest.raises(audience.OutputExists):
        files.publish(done, out, force=False)
    assert out.read_text() == "someone else's\n"


def test_nothing_to_export(store: Store, incident: Incident, tmp_path: Path) -> None:
    with pytest.raises(audience.NoAudience, match="import the affected recipients first"):
        audience.export_audience(store, incident, tmp_path / "out.csv", operator="x")
    with pytest.raises(CrisisError, match="does not exist"):
        audience.check_export(store, incident, tmp_path / "no" / "out.csv")
    with pytest.raises(CrisisError, match="is a folder; give the name of a new CSV file"):
        audience.check_export(store, incident, tmp_path)
    assert not (tmp_path / "out.csv").exists()


# -- the apology lock (suppression-list-send) -------------------------------------------------


def test_suppression_list_send_is_refused(
    store: Store, locked: Incident, write: WriteFile, tmp_path: Path
) -> None:
    _import(store, locked, write)
    events = store.count_events()
    with pytest.raises(audience.ExportRefused, match="is a send to a suppression list") as caught:
        audience.export_audience(store, locked, tmp_path / "out.csv", operator="x")
    assert "override the lock with a written reason" in str(caught.value)
    assert not (tmp_path / "out.csv").exists() and store.count_events() == events


def test_override_is_recorded_then_the_export_goes_ahead(
    store: Store, locked: Incident, write: WriteFile, tmp_path: Path
) -> None:
    _import(store, locked, write)
    result = audience.export_audience(
        store, locked, tmp_path / "out.csv", operator="lee", override_reason=REASON
    )
    assert (result.addresses, result.overridden) == (2, True)
    kinds = [(e.type, e.operator) for e in store.events(locked.id)][-2:]
    assert kinds == [("apology_lock_overridden", "lee"), ("audience_exported", "lee")]
    assert store.events(locked.id)[-2].details == {"reason": REASON}
    # The override stands: a later export needs no new reason.
    again = audience.export_audience(store, locked, tmp_path / "again.csv", operator="lee")
    assert (again.addresses, again.overridden) == (2, False)


@pytest.mark.parametrize(
    ("kind", "reason", "expected"),
    [
        ("suppression-list-send", "because", "at least 15 characters"),
        ("wrong-segment", REASON, "is not locked; there is nothing to override"),
    ],
)
def test_bad_overrides_record_nothing(
    store: Store, write: WriteFile, tmp_path: Path, kind: str, reason: str, expected: str
) -> None:
    incident = ops.declare(store, title="Some send", kind=kind, operator="x")
    _import(store, incident, write)
    events = store.count_events()
    with pytest.raises(ValidationError, match=expected):
        audience.export_audience(
            store, incident, tmp_path / "out.csv", operator="x", override_reason=reason
        )
    assert store.count_events() == events and not (tmp_path / "out.csv").exists()


# -- the property: nothing unaffected or suppressed ever reaches the export ------------------

LOCALS = ("ana", "Bo", "CY", "dee", "eve.lee", "fin+x", "gus", "hal", "Ina")
DOMAINS = ("example.com", "EXAMPLE.org", "ex.fr")
JUNK = ("", "x@", "n/a", "two@@example.com")


def _cell(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(JUNK)
    address = f"{rng.choice(LOCALS)}@{rng.choice(DOMAINS)}"
    return f"  {address.upper()} " if roll < 0.3 else address


def _valid(cells: list[str]) -> set[str]:
    return {c.strip().lower() for c in cells if c.strip() and c not in JUNK}


@pytest.mark.parametrize("seed", range(40))
def test_export_is_affected_minus_suppressed(seed: int, tmp_path: Path) -> None:
    """For random lists: export = valid(affected) - valid(suppressed), each address once."""
    rng = random.Random(seed)
    affected = [_cell(rng) for _ in range(rng.randint(1, 30))] + ["only@example.com"]
    suppressed = [[_cell(rng) for _ in range(rng.randint(0, 20))] for _ in range(rng.randint(0, 3))]
    with Store.open(tmp_path / "db.sqlite", clock=frozen(FROZEN_NOW)) as store:
        incident = ops.declare(store, title="Property", kind="wrong-segment", operator="x")
        (tmp_path / "a.csv").write_text(csv_lines("email", *affected))
        audience.import_list(store, incident, tmp_path / "a.csv", role="affected", operator="x")
        for n, cells in enumerate(c for c in suppressed if _valid(c)):
            (tmp_path / f"s{n}.csv").write_text(csv_lines("email", *cells))
            audience.import_list(
                store, incident, tmp_path / f"s{n}.csv", role="suppressed", operator="x"
            )
        audience.export_audience(store, incident, tmp_path / "out.csv", operator="x")
        counts = audience.audience_counts(store, incident.id)
    lines = (tmp_path / "out.csv").read_text().splitlines()
    exported = set(lines[1:])
    blocked = set().union(*map(_valid, suppressed))
    assert lines[0] == "email"
    assert exported <= _valid(affected), "an unaffected address was exported"
    assert not exported & blocked, "a suppressed address was exported"
    assert exported == _valid(affected) - blocked, "an affected address was left out"
    assert len(lines) - 1 == len(exported) == counts.final
    assert counts.affected == counts.invalid + counts.duplicates + counts.suppressed + counts.final


def test_a_write_error_is_one_clear_message(
    store: Store,
    incident: Incident,
    write: WriteFile,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _import(store, incident, write)
    events = store.count_events()

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(CrisisError, match=r"out\.csv: the disk is full; nothing was written"):
        audience.export_audience(store, incident, tmp_path / "out.csv", operator="x")
    assert store.count_events() == events and not (tmp_path / "out.csv").exists()
    assert list(tmp_path.glob("out.csv*")) == []  # no partial file left behind
