"""The ``email-crisis metrics`` commands: import, show (table and JSON), add, review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from email_crisis.core.base.clock import frozen
from email_crisis.core.monitor.thresholds import ENV
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.core.monitor.conftest import DETECTED, fixture
from tests.tui.cli.helpers import Invoke


@pytest.fixture
def db(db_path: Path, now) -> str:  # type: ignore[no-untyped-def]
    """A database file holding incident 1 (detected before the fixtures' later days)."""
    with Store.open(db_path, clock=frozen(now)) as store:
        ops.declare(
            store,
            title="Preview to everyone",
            kind="wrong-segment",
            operator="sam",
            detected_at=DETECTED,
        )
    return str(db_path)


def one_error(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("email-crisis: "), stderr
    return lines[0]


def test_import_prints_what_was_imported_and_skipped(invoke: Invoke, db: str) -> None:
    result = invoke("metrics", "import", "1", str(fixture("sendgrid_events.json")), "--db", db)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Imported sendgrid_events.json (sendgrid, detected): 15 record(s) read, "
        "6 point(s): 6 added, 0 updated, 0 already there."
    )
    assert "Skipped:" in lines
    assert "  1 duplicate events (same event id seen earlier in the file)" in lines
    assert "  2 engagement events (opens, clicks) are not deliverability signals" in lines
    again = invoke("metrics", "import", "1", str(fixture("sendgrid_events.json")), "--db", db)
    assert "0 added, 0 updated, 6 already there." in again.stdout


def test_import_with_a_given_source_and_domain(invoke: Invoke, db: str) -> None:
    result = invoke(
        "metrics", "import", "1", str(fixture("snds_data.csv")),
        "--source", "snds", "--domain", "News.Example.com", "--db", db,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "(snds, as given, domain news.example.com)" in result.stdout
    assert "Note: SNDS times carry no time zone; they were read as UTC." in result.stdout


def test_import_problems_are_one_line_naming_file_and_line(
    invoke: Invoke, db: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "time,metric,value\n2026-11-20T10:00Z,complaint_rate,0.1\n"
        "2026-11-20 11:00,complaint_rate,0.2\n"
    )
    result = invoke("metrics", "import", "1", str(bad), "--db", db)
    assert result.exit_code == 1
    assert one_error(result.stderr).startswith(
        "email-crisis: bad.csv, line 3: the time '2026-11-20 11:00' has no time zone"
    )
    assert invoke("metrics", "show", "1", "--db", db, "--format", "json").stdout.strip() == "[]"
    unknown = invoke(
        "metrics", "import", "1", str(fixture("plain.csv")), "--source", "excel", "--db", db
    )
    assert unknown.exit_code == 2


def test_show_table_with_statuses(invoke: Invoke, db: str) -> None:
    invoke("metrics", "import", "1", str(fixture("plain.csv")), "--db", db)
    result = invoke("metrics", "show", "1", "--db", db)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["TIME", "METRIC", "VALUE", "STATUS", "SOURCE", "SUBJECT", "NOTE"]
    rows = [line.split() for line in lines[1:-1]]
    assert rows[0] == [
        "2026-11-20",
        "10:00",
        "complaint_rate",
        "0.04%",
        "ok",
        "csv",
        "-",
        "seed",
        "panel",
    ]
    assert [
        "2026-11-25",
        "10:00",
        "complaint_rate",
        "0.41%",
        "CRITICAL",
        "csv",
        "-",
        "seed",
        "panel",
    ] in rows
    assert [
        "2026-11-25",
        "10:00",
        "inbox_placement",
        "71.5%",
        "-",
        "csv",
        "-",
        "seed",
        "panel",
    ] in rows
    assert ["2026-11-26", "17:30", "hard_bounce_rate", "2%", "warning", "csv", "-"] in rows
    assert lines[-1] == "(5 point(s); times in local time; - = no threshold)"


def test_show_json_has_status_and_threshold_source(invoke: Invoke, db: str) -> None:
    invoke("metrics", "import", "1", str(fixture("snds_data.csv")), "--db", db)
    result = invoke(
        "metrics", "show", "1", "--db", db, "--format", "json", "--metric", "complaint_rate"
    )
    records = json.loads(result.stdout)
    assert [(r["metric"], r["time"], r["value"], r["source"], r["status"]) for r in records] == [
        ("complaint_rate", "2026-11-25T08:00:00+00:00", 0.1, "snds", "ok"),
        ("complaint_rate", "2026-11-25T09:00:00+00:00", 0.4, "snds", "critical"),
        ("complaint_rate", "2026-11-26T08:00:00+00:00", 1.2, "snds", "critical"),
    ]
    first, second = records[0], records[1]
    assert (first["qualifier"], first["display"], first["subject"]) == ("<", "< 0.1%", "192.0.2.10")
    assert second["threshold"]["sources"][0] == "https://support.google.com/a/answer/81126"
    assert second["threshold"]["reviewed"] == "2026-11-27"
    assert {r["status"] for r in records} <= {"ok", "warning", "critical"}


def test_show_filters_and_errors(invoke: Invoke, db: str) -> None:
    invoke("metrics", "import", "1", str(fixture("plain.csv")), "--db", db)
    day = invoke("metrics", "show", "1", "--db", db, "--window", "24h", "--format", "json")
    assert [r["metric"] for r in json.loads(day.stdout)] == ["hard_bounce_rate"]
    alias = invoke("metrics", "show", "1", "--db", db, "--metric", "spam_rate", "--format", "json")
    assert {r["metric"] for r in json.loads(alias.stdout)} == {"complaint_rate"}
    wrong = invoke("metrics", "show", "1", "--db", db, "--metric", "mood")
    assert wrong.exit_code == 2 and "unknown metric 'mood'" in wrong.stderr
    missing = invoke("metrics", "show", "7", "--db", db)
    assert (
        missing.exit_code == 1
        and one_error(missing.stderr) == "email-crisis: there is no incident 7."
    )
    empty = invoke("metrics", "show", "1", "--db", db, "--metric", "trap_hits")
    assert empty.stdout.startswith("No points for incident 1 in this window.")


def test_add_records_a_manual_value(invoke: Invoke, db: str) -> None:
    result = invoke(
        "metrics", "add", "1", "--metric", "complaint_rate", "--time", "2026-11-27T08:00Z",
        "--value", "0.25%", "--note", "Postmaster dashboard", "--db", db, "--operator", "lea",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Incident 1: complaint_rate 0.25% at 2026-11-27 08:00 recorded (warning).\n"
    )
    shown = json.loads(invoke("metrics", "show", "1", "--db", db, "--format", "json").stdout)
    assert [(r["source"], r["value"], r["note"]) for r in shown] == [
        ("manual", 0.25, "Postmaster dashboard")
    ]
    bad = invoke("metrics", "add", "1", "--metric", "complaint_rate", "--value", "250", "--db", db)
    assert bad.exit_code == 1
    assert "is impossible" in one_error(bad.stderr)


def test_add_without_time_means_now(invoke: Invoke, db: str) -> None:
    result = invoke(
        "metrics", "add", "1", "--metric", "inbox_placement", "--value", "64", "--db", db
    )
    assert (
        result.stdout
        == "Incident 1: inbox_placement 64% at 2026-11-27 09:30 recorded (no threshold).\n"
    )


def test_the_override_file_changes_the_status(invoke: Invoke, db: str, tmp_path: Path) -> None:
    invoke("metrics", "import", "1", str(fixture("plain.csv")), "--db", db)
    org = tmp_path / "org.toml"
    org.write_text(
        "[inbox_placement]\n[[inbox_placement.bands]]\nstatus = 'critical'\nat = 80\n"
        "label = 'under our 80% target'\nsource = 'https://intranet.example.com/p'\n"
        "reviewed = 2026-10-01\n"
    )
    result = invoke(
        "metrics",
        "show",
        "1",
        "--db",
        db,
        "--format",
        "json",
        "--metric",
        "inbox_placement",
        env={ENV: str(org)},
    )
    assert [r["status"] for r in json.loads(result.stdout)] == ["critical"]
    listing = invoke("metrics", "thresholds", env={ENV: str(org)})
    assert f"inbox_placement  (from {org})" in listing.stdout
    broken = invoke("metrics", "show", "1", "--db", db, env={ENV: str(tmp_path / "none.toml")})
    assert broken.exit_code == 1 and "no such thresholds file" in one_error(broken.stderr)


def test_review_in_both_languages(invoke: Invoke, db: str) -> None:
    invoke("metrics", "import", "1", str(fixture("plain.csv")), "--db", db)
    english = invoke("metrics", "review", "1", "--db", db)
    assert english.exit_code == 0, english.stderr
    assert english.stdout.startswith("Incident 1: deliverability critical\n")
    assert "  [critical] Spam complaints rose from 0.04% to 0.41%" in english.stdout
    assert "Next send:" in english.stdout and "[critical] Keep volume low" in english.stdout
    french = invoke("metrics", "review", "1", "--db", db, "--language", "fr")
    assert "Le taux de plaintes pour spam a augmenté" in french.stdout


def test_thresholds_lists_sources_and_formats(invoke: Invoke) -> None:
    result = invoke("metrics", "thresholds")
    assert "complaint_rate  (from " in result.stdout
    assert "critical from 0.3%: over the 0.3% limit of Gmail and Yahoo" in result.stdout
    assert "warning  at or below MEDIUM" in result.stdout
    assert (
        "  sendgrid   https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event"
        in result.stdout
    )


def test_text_from_files_cannot_drive_the_terminal(invoke: Invoke, db: str, tmp_path: Path) -> None:
    evil = tmp_path / "evil.csv"
    evil.write_text("time,metric,value,note\n2026-11-20T10:00Z,complaint_rate,0.1,[bold]x\x1b[2J\n")
    invoke("metrics", "import", "1", str(evil), "--db", db)
    result = invoke("metrics", "show", "1", "--db", db)
    assert "\x1b" not in result.stdout and "[bold]x" in result.stdout
