"""Failures: one line on stderr, exit 2 for usage, exit 1 for expected errors, no traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.core.store.schema import APPLICATION_ID
from email_crisis.tui import cli
from email_crisis.tui.cli import database as cli_database
from tests.tui.cli.helpers import Invoke, one_error_line


@pytest.mark.parametrize(
    ("args", "message", "command"),
    [
        (["list", "--bogus"], "No such option", "email-crisis list"),
        (["--bogus"], "No such option", "email-crisis"),
        (["frobnicate"], "No such command", "email-crisis"),
        (
            ["new", "--title", "x", "--kind", "nope"],
            "Invalid value for '--kind'",
            "email-crisis new",
        ),
        (["new", "--kind", "other"], "Missing option '--title'", "email-crisis new"),
        (["new", "--title", "x"], "Missing option '--kind'", "email-crisis new"),
        (
            ["new", "--title", "x", "--kind", "other", "--severity", "7"],
            "unknown severity",
            "email-crisis new",
        ),
        (
            ["new", "--title", "x", "--kind", "other", "--detected", "yesterday"],
            "'--detected'",
            "email-crisis new",
        ),
        (["demo", "--incidents", "-1"], "Invalid value for '--incidents'", "email-crisis demo"),
        (["demo", "--incidents", "many"], "Invalid value for '--incidents'", "email-crisis demo"),
        (["list", "--format", "xml"], "Invalid value for '--format'", "email-crisis list"),
        (["show"], "Missing argument 'ID'", "email-crisis show"),
        (["show", "abc"], "no incident 'abc': an incident id is a number", "email-crisis show"),
        (["show", "0"], "no incident '0': incident ids start at 1", "email-crisis show"),
        (["severity", "1", "SEV9"], "unknown severity", "email-crisis severity"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(
    invoke: Invoke, db_path: Path, args: list[str], message: str, command: str
) -> None:
    result = invoke("--db", str(db_path), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    line = one_error_line(result.stderr)
    assert message in line
    assert line.endswith(f"(see '{command} --help')")


@pytest.mark.parametrize(
    "args",
    [
        ["show", "{}"],
        ["step", "{}"],
        ["advance", "{}"],
        ["ack", "{}"],
        ["commander", "{}", "lea"],
        ["severity", "{}", "1"],
        ["resolve", "{}"],
        ["reopen", "{}", "--reason", "came back again"],
        ["report", "{}"],
        ["apology", "sent", "{}"],
        ["apology", "decline", "{}", "--reason", "they opted out"],
        ["audience", "{}", "--affected", "a.csv", "--out", "o.csv"],
        ["esp", "stop", "{}", "--esp", "sendgrid", "--batch", "b1"],
        ["metrics", "import", "{}", "file.csv"],
        ["metrics", "show", "{}"],
        ["metrics", "review", "{}"],
        ["metrics", "add", "{}", "--metric", "complaint_rate", "--value", "0.1"],
    ],
)
@pytest.mark.parametrize("bad", ["abc", "1.5", "#3"])
def test_every_id_argument_says_what_an_id_is(
    invoke: Invoke, db_path: Path, args: list[str], bad: str
) -> None:
    result = invoke("--db", str(db_path), *[a.replace("{}", bad) for a in args])
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert f"email-crisis: no incident '{bad}': an incident id is a number (see " in line


def test_not_a_database_is_left_untouched(invoke: Invoke, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"shopping list: milk, eggs\n" * 200)
    result = invoke("--db", str(notes), "list")
    assert result.exit_code == 1
    assert "is not an SQLite database" in one_error_line(result.stderr)
    assert notes.read_bytes() == b"shopping list: milk, eggs\n" * 200


def test_database_too_new(invoke: Invoke, tmp_path: Path) -> None:
    future = tmp_path / "future.db"
    conn = sqlite3.connect(future)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    result = invoke("--db", str(future), "list")
    assert result.exit_code == 1
    assert "schema version 99" in one_error_line(result.stderr)


def test_db_that_is_a_folder(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("--db", str(tmp_path), "list")
    assert result.exit_code == 1
    assert "is a folder" in one_error_line(result.stderr)


@pytest.mark.parametrize("command", ["show", "ack", "severity"])
def test_unknown_incident(invoke: Invoke, store: Store, command: str) -> None:
    args = [command, "999"] + (["SEV1"] if command == "severity" else [])
    result = invoke("--db", str(store.path), *args)
    assert result.exit_code == 1
    assert one_error_line(result.stderr) == "email-crisis: there is no incident 999."


def test_invalid_values_from_core_exit_1(invoke: Invoke, store: Store) -> None:
    db = str(store.path)
    too_long = invoke("--db", db, "new", "--title", "x" * 201, "--kind", "other")
    assert too_long.exit_code == 1
    assert "limit is 200" in one_error_line(too_long.stderr)
    escape = invoke("--db", db, "new", "--title", "a\x1b[2Jb", "--kind", "other")
    assert escape.exit_code == 1
    assert "control characters" in one_error_line(escape.stderr)
    future = invoke(
        "--db", db, "new", "--title", "x", "--kind", "other", "--detected", "2030-01-01"
    )
    assert future.exit_code == 1
    assert "future" in one_error_line(future.stderr)
    assert store.list_incidents() == []


def test_stale_write_is_reported(
    invoke: Invoke, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another operator changes the incident between the CLI's read and its write."""
    incident_id = ops.declare(store, title="t", kind="other", operator="sam").id
    original = ops.acknowledge

    def rival_first(target: Store, incident: object, *, operator: str) -> object:
        with Store.open(target.path, clock=store.clock) as rival:
            ops.set_commander(rival, rival.get_incident(incident_id), "noor", operator="noor")
        return original(target, incident, operator=operator)  # type: ignore[arg-type]

    monkeypatch.setattr(ops, "acknowledge", rival_first)
    result = invoke("--db", str(store.path), "--operator", "marc", "ack", str(incident_id))
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "was changed by noor" in line and "nothing was saved" in line
    assert not store.get_incident(incident_id).is_acknowledged


def test_backup_over_an_existing_file(invoke: Invoke, store: Store, tmp_path: Path) -> None:
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"precious")
    result = invoke("--db", str(store.path), "backup", str(taken))
    assert result.exit_code == 1
    assert "already exists" in one_error_line(result.stderr)
    assert taken.read_bytes() == b"precious"


def test_templates_without_shipped_folder(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_database, "shipped_templates_dir", lambda: tmp_path / "gone")
    result = invoke("templates")
    assert result.exit_code == 1
    assert "no shipped templates" in one_error_line(result.stderr)
    (tmp_path / "gone").mkdir()
    (tmp_path / "gone" / "README").write_text("no templates here\n")
    assert invoke("templates").exit_code == 1


def test_ctrl_c_exits_130(invoke: Invoke, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kw: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_database, "populate", interrupted)
    result = invoke("--db", str(db_path), "demo")
    assert result.exit_code == 130
    assert result.stderr.strip() == "Aborted."


def test_main_returns_the_exit_code(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Store.open(db_path).close()
    assert cli.main(["--db", str(db_path), "list"]) == 0
    assert cli.main(["--db", str(db_path), "show", "1"]) == 1
    assert cli.main(["--db", str(db_path), "list", "--nope"]) == 2
    assert cli.main(["--version"]) == 0
    err = capsys.readouterr().err
    assert err.count("email-crisis: ") == 2 and "Traceback" not in err
