"""Importing lists into an incident: counts, replacement, rollback, cancel, progress."""

from __future__ import annotations

import threading
import tracemalloc
from pathlib import Path

import pytest

from email_crisis.core.assess.audience import build as audience
from email_crisis.core.assess.audience.sniff import MalformedCsv, UnreadableFile
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import NotFound, ValidationError
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.core.assess.audience.conftest import WriteFile
from tests.core.assess.audience.support import csv_lines, event_log_text, stored_addresses

AFFECTED = csv_lines(
    "Email Address,First Name",
    "ana@example.com,Ana",
    "BO@example.com,Bo",
    "bo@EXAMPLE.com,Bo again",  # duplicate, case-insensitively
    "cy@example.com,Cy",
    "not-an-address,Dee",
    "",
    "eve@example.com,Eve",
)
SUPPRESSED = csv_lines("email", "Bo@Example.com", "zed@example.com")


def many(n: int, start: int = 0) -> str:
    return csv_lines("email,name", *(f"user{i}@example.com,Person {i}" for i in range(start, n)))


def test_import_counts_and_event(store: Store, incident: Incident, write: WriteFile) -> None:
    stats = audience.import_list(
        store, incident, write("affected.csv", AFFECTED), role="affected", operator="ana"
    )
    assert (stats.rows, stats.addresses, stats.invalid, stats.duplicates, stats.blank) == (
        6,
        4,
        1,
        1,
        1,
    )
    assert (stats.invalid_lines, stats.encoding, stats.delimiter) == ((6,), "utf-8", "comma")
    assert stats.file_name == "affected.csv" and stats.replaced is None
    (event,) = [e for e in store.events(incident.id) if e.type == "audience_imported"]
    assert event.operator == "ana"
    assert event.details == {
        "list_id": stats.list_id,
        "file": "affected.csv",
        "role": "affected",
        "encoding": "utf-8",
        "delimiter": "comma",
        "rows": 6,
        "addresses": 4,
        "invalid": 1,
        "duplicates": 1,
        "column": '"Email Address"',
        "header": True,
        "blank_lines": 1,
        "invalid_lines": [6],
        # where they live: no country column, so a guess from the domains (.com: none)
        "places": {"unknown": 4},
        "places_from": "email domains' country codes (a guess)",
        "places_source": "domains",
    }
    text = audience.describe_import(stats)
    assert text.startswith("affected.csv (affected): 6 rows, 4 distinct addresses, 1 invalid")
    assert "invalid rows at lines 6." in text


def test_counts_add_up(store: Store, incident: Incident, write: WriteFile) -> None:
    audience.import_list(store, incident, write("a.csv", AFFECTED), role="affected", operator="x")
    audience.import_list(
        store, incident, write("s.csv", SUPPRESSED), role="suppressed", operator="x"
    )
    counts = audience.audience_counts(store, incident.id)
    assert (
        counts.affected,
        counts.invalid,
        counts.duplicates,
        counts.suppressed,
        counts.final,
    ) == (
        6,
        1,
        1,
        1,
        3,
    )
    assert counts.affected == counts.invalid + counts.duplicates + counts.suppressed + counts.final
    assert [line.split()[-1] for line in counts.lines()] == ["6", "1", "1", "1", "3"]
    assert "removed as suppressed (1 list)" in counts.lines()[3]


def test_no_affected_list_yet(store: Store, incident: Incident) -> None:
    counts = audience.audience_counts(store, incident.id)
    assert (counts.affected, counts.final, counts.affected_list) == (0, 0, None)
    assert counts.lines() == ["No affected list imported yet."]


def test_reimport_replaces_the_affected_list(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    audience.import_list(store, incident, write("old.csv", AFFECTED), role="affected", operator="x")
    stats = audience.import_list(
        store, incident, write("new.csv", many(3)), role="affected", operator="x"
    )
    assert stats.replaced is not None and stats.replaced.file_name == "old.csv"
    assert stored_addresses(store) == {
        ("new.csv", "affected"): {"user0@example.com", "user1@example.com", "user2@example.com"}
    }
    last = store.events(incident.id)[-1]
    assert last.details["replaced"] == {"file": "old.csv", "addresses": 4}


def test_suppression_lists_accumulate_and_can_be_removed(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    audience.import_list(store, incident, write("a.csv", many(10)), role="affected", operator="x")
    first = audience.import_list(
        store, incident, write("s1.csv", many(3)), role="suppressed", operator="x"
    )
    audience.import_list(
        store, incident, write("s2.csv", many(6, start=5)), role="suppressed", operator="x"
    )
    assert audience.audience_counts(store, incident.id).final == 10 - 3 - 1
    removed = audience.remove_list(store, incident, first.list_id, operator="bo")
    assert removed.file_name == "s1.csv"
    counts = audience.audience_counts(store, incident.id)
    assert (counts.final, counts.suppressed) == (9, 1)
    assert [x.file_name for x in audience.audience_lists(store, incident.id)] == ["a.csv", "s2.csv"]
    event = store.events(incident.id)[-1]
    assert (event.type, event.operator) == ("audience_list_removed", "bo")
    assert event.details == {
        "list_id": first.list_id,
        "file": "s1.csv",
        "role": "suppressed",
        "addresses": 3,
    }
    with pytest.raises(NotFound, match=f"has no imported list {first.list_id}"):
        audience.remove_list(store, incident, first.list_id, operator="bo")


def test_lists_belong_to_their_incident(
    store: Store, incident: Incident, locked: Incident, write: WriteFile
) -> None:
    stats = audience.import_list(
        store, incident, write("a.csv", many(2)), role="affected", operator="x"
    )
    assert audience.audience_lists(store, locked.id) == []
    with pytest.raises(NotFound):
        audience.remove_list(store, locked, stats.list_id, operator="x")


def test_unknown_role_and_missing_incident(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    path = write("a.csv", many(2))
    with pytest.raises(ValidationError, match="unknown list role 'victims'"):
        audience.import_list(store, incident, path, role="victims", operator="x")
    ghost = Incident(**{**incident.__dict__, "id": 999})
    with pytest.raises(NotFound, match="there is no incident 999"):
        audience.import_list(store, ghost, path, role="affected", operator="x")


# -- nothing partial is ever left behind ----------------------------------------------------


def _snapshot(store: Store) -> tuple[object, ...]:
    return (
        stored_addresses(store),
        store.count_events(),
        [x.file_name for x in audience.audience_lists(store, 1)],
    )


def test_a_bad_file_leaves_the_previous_audience(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    audience.import_list(
        store, incident, write("good.csv", AFFECTED), role="affected", operator="x"
    )
    before = _snapshot(store)
    # 30,000 good rows go in before the broken quote at the end is found.
    broken = write("broken.csv", many(30_000) + 'late@example.com,"never closed\n')
    with pytest.raises(MalformedCsv, match=r"broken\.csv, line 30,002: a quoted field"):
        audience.import_list(store, incident, broken, role="affected", operator="x")
    with pytest.raises(UnreadableFile):
        audience.import_list(
            store, incident, broken.with_name("nope.csv"), role="suppressed", operator="x"
        )
    assert _snapshot(store) == before


def test_cancel_mid_import_leaves_the_previous_audience(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    audience.import_list(
        store, incident, write("good.csv", AFFECTED), role="affected", operator="x"
    )
    before = _snapshot(store)
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done > total // 3:
            cancel.set()

    big = write("big.csv", many(200_000))
    with pytest.raises(audience.ImportCancelled, match=r"import of big\.csv cancelled; nothing"):
        audience.import_list(
            store, incident, big, role="affected", operator="x", progress=progress, cancel=cancel
        )
    assert seen[-1][0] < big.stat().st_size  # stopped part-way, not at the end
    assert _snapshot(store) == before


class _CancelWhileIndexing(threading.Event):
    """Not set until the file is read; then set from its second check on, which can only
    come from inside the indexing statement (the first check comes just before it)."""

    def __init__(self) -> None:
        super().__init__()
        self.read = False
        self.checks_after_read = 0

    def is_set(self) -> bool:
        if self.read:
            self.checks_after_read += 1
        return self.checks_after_read > 1


@pytest.mark.parametrize("replacing", [False, True])
def test_cancel_while_indexing(
    store: Store, incident: Incident, write: WriteFile, replacing: bool
) -> None:
    if replacing:
        audience.import_list(
            store, incident, write("old.csv", AFFECTED), role="affected", operator="x"
        )
    before = _snapshot(store)
    cancel = _CancelWhileIndexing()

    def progress(done: int, total: int) -> None:
        cancel.read = done == total

    with pytest.raises(audience.ImportCancelled):
        audience.import_list(
            store,
            incident,
            write("b.csv", many(50_000)),
            role="affected",
            operator="x",
            progress=progress,
            cancel=cancel,
        )
    assert cancel.checks_after_read > 1  # stopped by SQLite's progress handler, mid-statement
    assert _snapshot(store) == before
    assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not store._conn.in_transaction
    again = audience.import_list(
        store, incident, write("c.csv", many(5)), role="affected", operator="x"
    )
    assert again.addresses == 5


def test_encoding_restart_undoes_the_first_pass(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    data = many(30_000).encode() + b"last@example.com,Ren\xe9e\n"
    calls: list[int] = []
    stats = audience.import_list(
        store,
        incident,
        write("win.csv", data),
        role="affected",
        operator="x",
        progress=lambda d, t: calls.append(d),
    )
    assert (stats.encoding, stats.addresses, stats.duplicates) == ("cp1252", 30_001, 0)
    assert stats.utf8_error is not None and stats.utf8_error[0] == 30_002
    assert "not valid UTF-8 (first at line 30,002, byte " in audience.describe_import(stats)
    assert calls.count(0) == 2  # read twice: the progress starts again once
    assert store.events(incident.id)[-1].details["utf8_error"]["line"] == 30_002


@pytest.mark.parametrize(("interval", "expected"), [(3600.0, 2), (0.0, 10 + 2)])
def test_progress_is_throttled_and_ends_at_the_total(
    store: Store,
    incident: Incident,
    write: WriteFile,
    monkeypatch: pytest.MonkeyPatch,
    interval: float,
    expected: int,
) -> None:
    monkeypatch.setattr(audience, "PROGRESS_INTERVAL", interval)
    calls: list[tuple[int, int]] = []
    path = write("p.csv", many(100_000))  # 10 batches of 10,000
    audience.import_list(
        store,
        incident,
        path,
        role="affected",
        operator="x",
        progress=lambda d, t: calls.append((d, t)),
    )
    size = path.stat().st_size
    assert calls[0] == (0, size) and calls[-1] == (size, size)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) == expected


def test_addresses_never_reach_the_event_log(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    audience.import_list(store, incident, write("a.csv", AFFECTED), role="affected", operator="x")
    audience.import_list(
        store, incident, write("s.csv", SUPPRESSED), role="suppressed", operator="x"
    )
    text = event_log_text(store).lower()
    for name in ("ana@", "bo@", "cy@", "eve@", "zed@", "example.com"):
        assert name not in text
    assert "a.csv" in text and "s.csv" in text


def test_a_file_bigger_than_the_memory_it_uses(
    store: Store, incident: Incident, tmp_path: Path
) -> None:
    path = tmp_path / "wide.csv"
    filler = "x" * 500
    with path.open("w") as out:
        out.write("email,notes\n")
        for start in range(0, 100_000, 10_000):
            out.writelines(f"p{n}@example.com,{filler}\n" for n in range(start, start + 10_000))
    size = path.stat().st_size
    assert size > 50_000_000
    tracemalloc.start()
    try:
        stats = audience.import_list(store, incident, path, role="affected", operator="x")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stats.addresses == 100_000
    assert peak < size / 20, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_others_can_write_while_a_file_is_read(
    store: Store, incident: Incident, write: WriteFile, db_path: Path
) -> None:
    declared: list[int] = []

    def progress(done: int, total: int) -> None:
        if 0 < done < total and not declared:
            with Store.open(db_path) as other:  # another operator, another connection
                declared.append(
                    ops.declare(other, title="Meanwhile", kind="other", operator="o").id
                )

    audience.import_list(
        store,
        incident,
        write("a.csv", many(100_000)),
        role="affected",
        operator="x",
        progress=progress,
    )
    assert declared and store.get_incident(declared[0]).title == "Meanwhile"
