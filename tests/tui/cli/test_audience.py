"""``email-crisis audience``: in-process with CliRunner, and once as a real process."""

from __future__ import annotations

import os
import pty
import select
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from email_crisis.core.assess.audience import build as audience
from email_crisis.core.assess.form import load_assessment
from email_crisis.core.base.clock import frozen
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui import cli
from email_crisis.tui.cli import audience as cli_audience
from tests.conftest import FROZEN_NOW
from tests.core.assess.audience.conftest import WriteFile
from tests.core.assess.audience.support import csv_lines
from tests.tui.cli.helpers import one_error_line, script

AFFECTED = csv_lines("Email Address;Name", "ana@example.com;Ana", "BO@example.com;Bo", "x;Cy")
SUPPRESSED = csv_lines("email\treason", "bo@example.com\tunsubscribed")
REASON = "Legal confirmed these people asked for a correction notice."


def run(*args: str) -> Result:
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click 8.1
    except TypeError:
        runner = CliRunner()  # click >= 8.2 keeps stderr apart
    return runner.invoke(cli.cli, list(args), catch_exceptions=False)


def declare(db: Path, kind: str = "wrong-segment") -> int:
    with Store.open(db, clock=frozen(FROZEN_NOW)) as store:
        return ops.declare(store, title="Preview to everyone", kind=kind, operator="sam").id


def test_end_to_end(db_path: Path, write: WriteFile, tmp_path: Path) -> None:
    number = declare(db_path)
    a, s = write("affected.csv", AFFECTED), write("bounces.tsv", SUPPRESSED)
    out = tmp_path / "audience.csv"
    result = run(
        "--db",
        str(db_path),
        "--operator",
        "lee",
        "audience",
        str(number),
        "--affected",
        str(a),
        "--suppressed",
        str(s),
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # no progress bar: stderr is not a terminal
    assert result.stdout.splitlines() == [
        "affected.csv (affected): 3 rows, 2 distinct addresses, 1 invalid, 0 duplicates "
        '[UTF-8, semicolon-separated, addresses in "Email Address"]; invalid rows at lines 4.',
        "bounces.tsv (suppressed): 1 row, 1 distinct address, 0 invalid, 0 duplicates "
        '[UTF-8, tab-separated, addresses in "email"].',
        f"Incident {number} apology audience:",
        "  affected rows                              3",
        "  invalid                                    1",
        "  duplicates                                 0",
        "  removed as suppressed (1 list)             1",
        "  final audience                             1",
        f"Wrote 1 address to {out}",
    ]
    assert out.read_text() == "email\nana@example.com\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with Store.open(db_path) as store:
        types = [(e.type, e.operator) for e in store.events(number)][1:]
    assert types == [
        ("audience_imported", "lee"),
        ("assessment_updated", "lee"),  # the affected count, as the console records it
        ("audience_imported", "lee"),
        ("audience_exported", "lee"),
    ]
    with Store.open(db_path) as store:
        saved = load_assessment(store, store.get_incident(number))
    assert (saved.affected_count, saved.affected_from_import) == (2, True)


def test_counts_per_place_from_a_country_column(
    db_path: Path, write: WriteFile, tmp_path: Path
) -> None:
    number = declare(db_path, kind="data-breach")
    rows = csv_lines(
        "email;country;state",
        "ana@example.com;US;CA",
        "bo@example.com;US;NY",
        "cy@example.com;France;",
        "dee@example.com;;",
    )
    result = run(
        "--db",
        str(db_path),
        "audience",
        str(number),
        "--affected",
        str(write("sent.csv", rows)),
        "--out",
        str(tmp_path / "o.csv"),
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index('  affected people per place (from "country" and "state"):')
    assert [line.split() for line in lines[start + 1 : start + 5]] == [
        ["EU/EEA", "1"],
        ["California", "1"],
        ["New", "York", "1"],
        ["unknown", "place", "1"],
    ]
    with Store.open(db_path) as store:
        saved = load_assessment(store, store.get_incident(number))
    assert saved.affected_by_place == (("eu-eea", 1), ("US-CA", 1), ("US-NY", 1), ("unknown", 1))
    assert saved.places_source == "list"


def test_progress_bar_when_stderr_is_a_terminal(
    db_path: Path, write: WriteFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_audience, "_show_progress", lambda: True)
    number = declare(db_path)
    result = run(
        "--db",
        str(db_path),
        "audience",
        str(number),
        "--affected",
        str(write("a.csv", AFFECTED)),
        "--out",
        str(tmp_path / "o.csv"),
    )
    assert result.exit_code == 0, result.stderr
    # click draws the bar only on a real terminal; off one it prints the label once.
    assert result.stderr == "Affected: a.csv\n"


def test_earlier_suppression_lists_are_shown(
    db_path: Path, write: WriteFile, tmp_path: Path
) -> None:
    number = declare(db_path)
    a, s = str(write("a.csv", AFFECTED)), str(write("old.tsv", SUPPRESSED))
    run(
        "--db",
        str(db_path),
        "audience",
        str(number),
        "--affected",
        a,
        "--suppressed",
        s,
        "--out",
        str(tmp_path / "1.csv"),
    )
    result = run(
        "--db",
        str(db_path),
        "audience",
        str(number),
        "--affected",
        a,
        "--out",
        str(tmp_path / "2.csv"),
    )
    assert result.exit_code == 0, result.stderr
    assert "Suppression lists in effect (including earlier imports): old.tsv" in result.stdout
    assert (tmp_path / "2.csv").read_text() == "email\nana@example.com\n"


def test_suppression_list_send_refused_before_importing(
    db_path: Path, write: WriteFile, tmp_path: Path
) -> None:
    number = declare(db_path, "suppression-list-send")
    out = tmp_path / "o.csv"
    args = [
        "--db",
        str(db_path),
        "audience",
        str(number),
        "--affected",
        str(write("a.csv", AFFECTED)),
        "--out",
        str(out),
    ]
    refused = run(*args)
    assert refused.exit_code == 1 and refused.stdout == ""
    line = one_error_line(refused.stderr)
    assert "is a send to a suppression list" in line and line.endswith('Use --override "REASON".')
    with Store.open(db_path) as store:
        assert audience.audience_lists(store, number) == []
    assert not out.exists()

    allowed = run(*args, "--override", REASON)
    assert allowed.exit_code == 0, allowed.stderr
    assert "Apology lock overridden by" in allowed.stdout
    assert out.read_text() == "email\nana@example.com\nbo@example.com\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"name,city\nAna,Lyon\n", "bad.csv, line 1: the header has no email column"),
        (b"\x00\x01binary", "bad.csv, line 1: binary data (NUL bytes), not a CSV file."),
        (b'email\nok@example.com\n"oops\n', "bad.csv, line 3: a quoted field starts here"),
    ],
)
def test_bad_files_fail_in_one_line(
    db_path: Path, write: WriteFile, tmp_path: Path, content: bytes, expected: str
) -> None:
    number = declare(db_path)
    bad = write("bad.csv", content)
    result = run(
        "--db",
        str(db_path),
        "audience",
        str(number),
        "--affected",
        str(bad),
        "--out",
        str(tmp_path / "o.csv"),
    )
    assert result.exit_code == 1
    assert expected in one_error_line(result.stderr)
    assert not (tmp_path / "o.csv").exists()


def test_existing_output_is_refused_before_importing(
    db_path: Path, write: WriteFile, tmp_path: Path
) -> None:
    number = declare(db_path)
    out = write("o.csv", "keep me\n")
    result = run(
        "--db",
        str(db_path),
        "audience",
        str(number),
        "--affected",
        str(write("a.csv", AFFECTED)),
        "--out",
        str(out),
    )
    assert result.exit_code == 1
    assert one_error_line(result.stderr).endswith(
        "o.csv already exists; nothing was overwritten (use --force to replace it)."
    )
    with Store.open(db_path) as store:
        assert audience.audience_lists(store, number) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["audience", "1", "--out", "o.csv"], "Missing option '--affected'"),
        (["audience", "1", "--affected", "a.csv"], "Missing option '--out'"),
        (
            ["audience", "zero", "--affected", "a.csv", "--out", "o.csv"],
            "no incident 'zero': an incident id is a number",
        ),
    ],
)
def test_usage_errors_exit_2(db_path: Path, args: list[str], expected: str) -> None:
    result = run("--db", str(db_path), *args)
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert expected in line and line.endswith("(see 'email-crisis audience --help')")


def test_unknown_incident(db_path: Path, write: WriteFile, tmp_path: Path) -> None:
    declare(db_path)
    result = run(
        "--db",
        str(db_path),
        "audience",
        "42",
        "--affected",
        str(write("a.csv", AFFECTED)),
        "--out",
        str(tmp_path / "o.csv"),
    )
    assert result.exit_code == 1
    assert one_error_line(result.stderr) == "email-crisis: there is no incident 42."


@pytest.mark.slow
def test_real_process(db_path: Path, write: WriteFile, tmp_path: Path) -> None:
    number = declare(db_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_CRISIS_")}
    a, s = write("affected.csv", AFFECTED), write("bounces.tsv", SUPPRESSED)
    out = tmp_path / "audience.csv"
    args = [
        script(),
        "--db",
        str(db_path),
        "audience",
        str(number),
        "--affected",
        str(a),
        "--suppressed",
        str(s),
        "--out",
        str(out),
    ]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout.endswith(f"Wrote 1 address to {out}\n")
    assert out.read_text() == "email\nana@example.com\n"
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert again.returncode == 1
    assert one_error_line(again.stderr).endswith(
        "nothing was overwritten (use --force to replace it)."
    )


@pytest.mark.slow
def test_real_progress_bar_on_a_terminal(db_path: Path, write: WriteFile, tmp_path: Path) -> None:
    number = declare(db_path)
    big = write("big.csv", csv_lines("email", *(f"u{n}@example.com" for n in range(50_000))))
    main, terminal = pty.openpty()
    try:
        args = [script(), "--db", str(db_path), "audience", str(number)]
        args += ["--affected", str(big), "--out", str(tmp_path / "o.csv")]
        done = subprocess.run(
            args, stdout=subprocess.PIPE, stderr=terminal, text=True, timeout=60, check=False
        )
        os.close(terminal)
        drawn = b""
        while select.select([main], [], [], 0.5)[0]:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the other side is closed and drained
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(main)
    assert done.returncode == 0
    assert b"Affected: big.csv" in drawn and b"100%" in drawn
    assert done.stdout.endswith("Wrote 50,000 addresses to " + str(tmp_path / "o.csv") + "\n")
