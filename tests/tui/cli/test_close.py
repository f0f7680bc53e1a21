"""The resolve, reopen, report, stats and serve commands, run in-process."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from email_crisis.core.store.database import Store
from tests.core.plan.helpers import build_history
from tests.tui.cli.helpers import Invoke


@pytest.fixture
def db(store: Store) -> str:
    build_history(store)
    return str(store.path)


def _one_error(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("email-crisis: "), stderr
    return lines[0]


def test_resolve_and_reopen(invoke: Invoke, db: str) -> None:
    refused = invoke("resolve", "2", "--summary", "False alarm.", "--db", db, "--operator", "jo")
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr.splitlines() == [
        "email-crisis: incident 2 is not ready to close:",
        "  - the apology is not marked sent, and the guidance is to send one (or record the "
        "decision not to)",
        "To close it anyway: email-crisis resolve 2 --reason TEXT (the reason and this list go "
        "into the postmortem).",
    ]
    result = invoke(
        "resolve", "2", "--summary", "False alarm.", "--reason", "Nobody was mailed at all.",
        "--db", db, "--operator", "jo",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Incident 2 resolved at 2026-11-27 09:30 UTC.",
        "Write the postmortem with: email-crisis report 2",
    ]
    again = invoke("resolve", "2", "--db", db)
    assert again.exit_code == 1
    assert "already resolved" in _one_error(again.stderr)
    short = invoke("reopen", "2", "--reason", "oops", "--db", db)
    assert short.exit_code == 1 and "Say why" in _one_error(short.stderr)
    reopened = invoke("reopen", "2", "--reason", "It was real after all.", "--db", db)
    assert reopened.exit_code == 0
    assert reopened.stdout == "Incident 2 reopened; it is back on the board.\n"


def test_reopen_needs_a_reason(invoke: Invoke, db: str) -> None:
    result = invoke("reopen", "1", "--db", db)
    assert result.exit_code == 2 and "--reason" in _one_error(result.stderr)


def test_report_to_stdout_and_to_a_private_file(invoke: Invoke, db: str, tmp_path: Path) -> None:
    golden = Path(__file__).parents[2] / "core" / "close" / "golden"
    shown = invoke("report", "1", "--db", db)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout == (golden / "postmortem.md").read_text(encoding="utf-8")
    target = tmp_path / "pm.html"
    written = invoke("report", "1", "--format", "html", "-o", str(target), "--db", db)
    assert written.exit_code == 0 and written.stdout == ""
    assert target.read_bytes() == (golden / "postmortem.html").read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_report_errors_are_one_line(invoke: Invoke, db: str, tmp_path: Path) -> None:
    missing = invoke("report", "99", "--db", db)
    assert missing.exit_code == 1 and "there is no incident 99" in _one_error(missing.stderr)
    bad_format = invoke("report", "1", "--format", "pdf", "--db", db)
    assert bad_format.exit_code == 2
    nowhere = invoke("report", "1", "-o", str(tmp_path / "no" / "dir.md"), "--db", db)
    assert nowhere.exit_code == 1 and "cannot write" in _one_error(nowhere.stderr)


def test_stats_json_has_the_exact_figures(invoke: Invoke, db: str) -> None:
    result = invoke("stats", "--format", "json", "--db", db)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    thirty = data["windows"][0]
    assert (thirty["days"], thirty["incidents"], thirty["open"], thirty["reopened"]) == (
        30,
        2,
        1,
        1,
    )
    assert thirty["measures"]["acknowledge"] == {
        "done": 1,
        "median_seconds": 720,
        "worst_seconds": 720,
        "worst_incident": 1,
        "pending": 1,
        "longest_pending_seconds": 1800,
        "longest_pending_incident": 2,
        "skipped": 0,
    }
    assert thirty["measures"]["resolve"]["median_seconds"] == 31 * 3600 + 29 * 60
    assert thirty["measures"]["notify"]["skipped"] == 1


def test_stats_table(invoke: Invoke, db: str) -> None:
    result = invoke("stats", "--db", db)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Last 30 days (detected since 2026-10-28 09:30 UTC): 2 incident(s), 1 open, 1 reopened"
    )
    assert lines[1].split() == [
        "MEASURE",
        "DONE",
        "MEDIAN",
        "WORST",
        "PENDING",
        "OLDEST",
        "PENDING",
        "SKIPPED",
    ]
    assert lines[2].split() == ["acknowledge", "1", "12m", "12m", "(#1)", "1", "30m", "(#2)", "0"]
    assert lines[5].split()[:5] == ["resolve", "1", "1d", "07h", "1d"]


def test_stats_on_a_missing_database_is_an_error(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("stats", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "there is no database" in _one_error(result.stderr)
