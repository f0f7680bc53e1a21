"""Issue 14: metrics files that used to lose rows, hang, or end in a traceback."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.monitor.metrics import import_file
from email_crisis.core.store.database import Store
from tests.core.monitor.test_bad_input import refused

Write = Callable[[str, "str | bytes"], Path]
HEAD = "time,metric,value,note\n"


def test_a_quote_never_closed_is_an_error_naming_its_line(
    store: Store, incident: Incident, write: Write
) -> None:
    """Two rows, the first with an open quote: the critical complaint rate of the second
    row used to vanish into the first row's note ("1 record(s) read", exit 0)."""
    path = write(
        "complaints.csv",
        HEAD + '2026-11-20T10:00Z,complaint_rate,0.1,"seed panel\n'
        "2026-11-20T11:00Z,complaint_rate,0.9,after the send\n",
    )
    message = refused(store, incident, path)
    assert message.startswith("complaints.csv, line 2:")
    assert "closing quote" in message


def test_a_note_holding_a_line_break_and_a_timestamp_is_refused(
    store: Store, incident: Incident, write: Write
) -> None:
    path = write(
        "notes.csv",
        HEAD + '2026-11-20T10:00Z,complaint_rate,0.1,"a\n2026-11-20T11:00Z,complaint_rate,0.9"\n'
        "2026-11-20T12:00Z,complaint_rate,0.2,fine\n",
    )
    assert refused(store, incident, path).startswith("notes.csv, line 2:")


def test_a_well_quoted_file_still_imports(store: Store, incident: Incident, write: Write) -> None:
    path = write("ok.csv", HEAD + '2026-11-20T10:00Z,complaint_rate,0.1,"panel, seed"\n')
    assert import_file(store, incident.id, path, operator="sam").added == 1


def test_json_nested_100000_deep_is_an_error_not_a_traceback(
    store: Store, incident: Incident, write: Write
) -> None:
    path = write("deep.json", "[" * 100_000 + "]" * 100_000)
    message = refused(store, incident, path, source="sparkpost")
    assert "deep.json, line 1: arrays or objects are nested too deeply" in message


def test_a_json_number_of_5000_digits_is_an_error(
    store: Store, incident: Incident, write: Write
) -> None:
    record = '{"event": "delivered", "timestamp": ' + "9" * 5000 + "}"
    path = write("big.json", "[" + record + "]")
    assert "big.json, line 1: a number too long to read" in refused(
        store, incident, path, source="sendgrid"
    )


@pytest.mark.parametrize("moment", ["9999-12-31T23:00-14:00", "0001-01-01T00:00+14:00"])
def test_times_with_no_utc_equivalent_are_refused(
    store: Store, incident: Incident, write: Write, moment: str
) -> None:
    path = write("times.csv", f"time,metric,value\n{moment},volume,5\n")
    assert f"times.csv, line 2: the time '{moment}' is out of range" in refused(
        store, incident, path
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1e308", "volume 1e+308 is not believable: a count is at most 1,000,000,000,000"),
        ("9" * 5000, "volume value is too large to be real"),
        ("1000000000001", "is not believable"),
    ],
    ids=["1e308", "5000-digits", "over-a-trillion"],
)
def test_counts_are_bounded(
    store: Store, incident: Incident, write: Write, value: str, expected: str
) -> None:
    path = write("volume.csv", f"time,metric,value\n2026-11-20T10:00Z,volume,{value}\n")
    assert expected in refused(store, incident, path)


def test_a_fifo_is_refused_at_once(store: Store, incident: Incident, tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)  # nobody writes to it: reading would wait forever
    assert "named pipe (FIFO), not a regular file" in refused(store, incident, fifo)
