"""Bad input: every problem names the file and the line or record, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError, NotFound
from email_crisis.core.monitor.importers import ImportProblem, postmaster
from email_crisis.core.monitor.metrics import import_file
from email_crisis.core.store.database import Store
from tests.core.monitor.conftest import fixture

Write = Callable[[str, "str | bytes"], Path]


def counts(store: Store) -> tuple[int, int, int]:
    """Points, import rows and events: all must stay put after a failed import."""
    conn = store._conn
    return (
        conn.execute("SELECT count(*) FROM metric_points").fetchone()[0],
        conn.execute("SELECT count(*) FROM metric_imports").fetchone()[0],
        conn.execute("SELECT count(*) FROM events").fetchone()[0],
    )


def refused(store: Store, incident: Incident, path: Path, source: str | None = None) -> str:
    """Import ``path``, expect ``ImportProblem``, check nothing changed; the message."""
    before = counts(store)
    with pytest.raises(ImportProblem) as caught:
        import_file(store, incident.id, path, operator="sam", source=source)
    assert counts(store) == before
    message = str(caught.value)
    assert "Traceback" not in message
    return message


CSV_HEAD = "time,metric,value\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("hello, this is not an export\n", "unknown format"),
        ('{"foo": 1, "bar": [2, 3]}\n', "unknown format"),
        ("   \n\n", "is empty"),
    ],
)
def test_unknown_or_empty_files_are_refused(
    store: Store, incident: Incident, write: Write, content: str, expected: str
) -> None:
    message = refused(store, incident, write("export.txt", content))
    assert message.startswith("export.txt")
    assert expected in message


def test_a_file_that_is_not_utf8_is_refused(store: Store, incident: Incident, write: Write) -> None:
    path = write(
        "latin1.csv", (CSV_HEAD + "2026-11-20T10:00Z,complaint_rate,0.1,café\n").encode("latin-1")
    )
    assert "not UTF-8" in refused(store, incident, path)


def test_a_missing_file_and_a_folder_are_refused(
    store: Store, incident: Incident, tmp_path: Path
) -> None:
    assert "no file at" in refused(store, incident, tmp_path / "missing.json")
    assert "is a folder" in refused(store, incident, tmp_path)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "no-value.csv",
            "time,metric\n2026-11-20T10:00Z,complaint_rate\n",
            "missing column(s): value",
        ),
        ("short-row.csv", CSV_HEAD + "2026-11-20T10:00Z,complaint_rate\n", "line 2: 2 column(s)"),
        (
            "snds.csv",
            "192.0.2.10,11/25/2026 8:00 AM,11/25/2026 9:00 PM,14129,14129\n",
            "line 1: 5 columns",
        ),
        (
            "sg.json",
            '[{"email": "x@example.org", "timestamp": 1795615200, "sg_event_id": "a"}]',
            "sg.json, record 1 (line 1): the event has no 'event' field",
        ),
        (
            "sp.json",
            '{"results": [{"type": "bounce", "timestamp": "2026-11-25T10:00:00Z", '
            '"rcpt_to": "x@y.z"}]}',
            "item 1: the bounce has no numeric 'bounce_class'",
        ),
        (
            "ses.json",
            '{"notificationType": "Delivery", "mail": {"timestamp": "2026-11-24T09:00:00Z"}, '
            '"delivery": {"timestamp": "2026-11-24T09:00:00Z"}}',
            "record 1 (line 1): the notification lists no recipients ('recipients')",
        ),
        (
            "pm.json",
            '{"trafficStats": [{"userReportedSpamRatio": 0.001}]}',
            "no 'name' like domains/example.com/trafficStats/20261120",
        ),
    ],
)
def test_missing_columns_and_fields_are_named(
    store: Store, incident: Incident, write: Write, name: str, content: str, expected: str
) -> None:
    message = refused(store, incident, write(name, content))
    assert message.startswith(name)
    assert expected in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Day of week,Domain reputation\nMonday,HIGH\n", "line 1: no 'date' column"),
        ("Date,Volume\n2026-11-20,1000\n", "line 1: no Postmaster column"),
        ("Date,Domain reputation\n2026-11-20\n", "line 2: 1 columns; the header has 2"),
    ],
)
def test_postmaster_csv_columns_when_the_source_is_given(
    store: Store, incident: Incident, write: Write, content: str, expected: str
) -> None:
    assert expected in refused(store, incident, write("pm.csv", content), source="postmaster")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            CSV_HEAD + "2026-11-20T10:00Z,complaint_rate,-0.2\n",
            "line 2: complaint_rate -0.2% is impossible",
        ),
        (
            CSV_HEAD + "2026-11-20T10:00Z,hard_bounce_rate,120%\n",
            "line 2: hard_bounce_rate 120% is impossible",
        ),
        (CSV_HEAD + "2026-11-20T10:00Z,volume,12.5\n", "a count is a whole number"),
        (CSV_HEAD + "2026-11-20T10:00Z,domain_reputation,SUPERB\n", "is not one of BAD, LOW"),
        (CSV_HEAD + "2026-11-20T10:00Z,happiness,3\n", "line 2: unknown metric 'happiness'"),
        (CSV_HEAD + "2026-11-20T10:00Z,complaint_rate,lots\n", "is not a percentage"),
        (CSV_HEAD + "2026-11-20T10:00Z,complaint_rate,nan\n", "is not a number"),
    ],
)
def test_impossible_values_are_refused(
    store: Store, incident: Incident, write: Write, content: str, expected: str
) -> None:
    assert expected in refused(store, incident, write("values.csv", content))


def test_impossible_values_in_vendor_files(store: Store, incident: Incident, write: Write) -> None:
    stats = json.loads(fixture("postmaster_traffic_stats.json").read_text())
    stats["trafficStats"][2]["dkimSuccessRatio"] = 1.7
    # One bad day is left out and named; the other days are imported.
    report = import_file(store, incident.id, write("pm.json", json.dumps(stats)), operator="t")
    assert report.skipped == {postmaster.SKIP_DAY: 1}
    assert any("item 3: dkimSuccessRatio is 1.7;" in note for note in report.notes)
    assert report.points > 0
    snds = fixture("snds_data.csv").read_text().replace(",47384,", ",-47384,")
    assert "line 2: message recipients is '-47384'" in refused(
        store, incident, write("s.csv", snds)
    )
    snds = fixture("snds_data.csv").read_text().replace("YELLOW", "PURPLE")
    assert "line 2: filter result 'PURPLE'" in refused(store, incident, write("s.csv", snds))


def test_two_values_for_one_time_are_refused_naming_both_lines(
    store: Store, incident: Incident, write: Write
) -> None:
    content = (
        CSV_HEAD
        + "2026-11-20T10:00Z,complaint_rate,0.1\n"
        + "2026-11-20T11:00Z,complaint_rate,0.2\n"
        + "2026-11-20T11:00:00+01:00,complaint_rate,0.3\n"  # the same instant as line 2
    )
    message = refused(store, incident, write("dup.csv", content))
    assert message.startswith("dup.csv, line 4: complaint_rate at 2026-11-20 10:00 UTC")
    assert "already given on line 2" in message


def test_a_repeated_row_with_the_same_value_is_skipped_and_counted(
    store: Store, incident: Incident, write: Write
) -> None:
    content = CSV_HEAD + "2026-11-20T10:00Z,complaint_rate,0.1\n" * 2
    report = import_file(store, incident.id, write("twice.csv", content), operator="sam")
    assert report.points == 1
    assert report.skipped == {"repeated rows (same time, same value)": 1}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            CSV_HEAD + "2026-11-20 10:00,complaint_rate,0.1\n",
            "line 2: the time '2026-11-20 10:00' has no time zone",
        ),
        (CSV_HEAD + "20/11/2026,complaint_rate,0.1\n", "line 2: '20/11/2026' is not a time"),
        (
            CSV_HEAD + "2026-11-28T10:00Z,complaint_rate,0.1\n",
            "line 2: 2026-11-28 10:00 UTC is in the future",
        ),
    ],
)
def test_time_zones_and_impossible_times(
    store: Store, incident: Incident, write: Write, content: str, expected: str
) -> None:
    assert expected in refused(store, incident, write("times.csv", content))


def test_esp_times_without_a_zone_or_in_milliseconds_are_refused(
    store: Store, incident: Incident, write: Write
) -> None:
    naive = (
        '{"results": [{"type": "delivery", "timestamp": "2026-11-25T10:00:00", '
        '"rcpt_to": "a@b.c"}]}'
    )
    assert "has no time zone" in refused(store, incident, write("sp.json", naive))
    millis = '[{"event": "delivered", "timestamp": 1795615200000, "sg_event_id": "e1"}]'
    assert "not a Unix time in seconds" in refused(store, incident, write("sg.json", millis))


def test_broken_json_names_the_line(store: Store, incident: Incident, write: Write) -> None:
    lines = fixture("sendgrid_events.json").read_text().splitlines()
    lines[6] = lines[6][:-10]  # cut an event in the middle of the file
    message = refused(store, incident, write("cut.json", "\n".join(lines)))
    assert message.startswith("cut.json, line 7: not valid JSON")
    truncated = "\n".join(fixture("sendgrid_events.json").read_text().splitlines()[:-1])
    assert "is not closed" in refused(store, incident, write("end.json", truncated))


def test_one_domain_per_postmaster_file(store: Store, incident: Incident, write: Write) -> None:
    stats = json.loads(fixture("postmaster_traffic_stats.json").read_text())
    stats["trafficStats"][1]["name"] = "domains/other.example.com/trafficStats/20261125"
    assert "several domains" in refused(store, incident, write("two.json", json.dumps(stats)))


def test_a_bad_line_at_the_end_leaves_nothing_behind(
    store: Store, incident: Incident, write: Write
) -> None:
    good = "".join(f"2026-11-20T{h:02d}:00Z,complaint_rate,0.1\n" for h in range(20))
    message = refused(
        store,
        incident,
        write("late.csv", CSV_HEAD + good + "2026-11-21T00:00Z,complaint_rate,101\n"),
    )
    assert "line 22" in message


def test_an_unknown_incident_writes_nothing(store: Store) -> None:
    with pytest.raises(NotFound):
        import_file(store, 999, fixture("plain.csv"), operator="sam")
    assert counts(store) == (0, 0, 0)


def test_a_failure_inside_the_transaction_rolls_everything_back(
    store: Store, incident: Incident, monkeypatch: pytest.MonkeyPatch
) -> None:
    import email_crisis.core.monitor.store as store_metrics

    def explode(*_args: object) -> None:
        raise CrisisError("disk went away")

    monkeypatch.setattr(store_metrics, "_mark_latest", explode)
    before = counts(store)
    with pytest.raises(CrisisError, match="disk went away"):
        import_file(store, incident.id, fixture("snds_data.csv"), operator="sam")
    assert counts(store) == before


def test_problems_quote_file_text_safely(store: Store, incident: Incident, write: Write) -> None:
    content = CSV_HEAD + "\x1b[31mred,complaint_rate,0.1\n"
    message = refused(store, incident, write("esc.csv", content))
    assert "\x1b" not in message and "␛" in message
