"""Issue 14 at the command line: no overwrite, no hang, no traceback, nothing raw on screen.

Every failure here is one ``email-crisis: ...`` line on stderr with the exit code the
README gives (1 for an expected failure, 2 for a usage error), and leaves the database
and every existing file as they were.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from email_crisis.core.base.files import PARTIAL
from email_crisis.core.notify.brand import BRAND_ENV
from email_crisis.core.store.database import Store
from tests.tui.cli.helpers import Invoke, one_error_line
from tests.tui.cli.test_apology import TOKEN_BRAND, incident_id  # noqa: F401  (a fixture)

PARTIAL_OF_A_DEAD_RUN = f"audience.csv{PARTIAL}999999999.0badc0de"  # pid beyond pid_max


@pytest.fixture
def db(tmp_path: Path, invoke: Invoke) -> Path:
    path = tmp_path / "incidents.db"
    result = invoke("--db", str(path), "new", "--title", "Preview to everyone", "--kind", "other")
    assert result.exit_code == 0, result.stderr
    return path


def _incidents(db: Path) -> int:
    with Store.open(db, create=False) as store:
        return len(store.list_incidents(include_resolved=True))


def _fifo(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    os.mkfifo(path)  # nobody ever writes to it: a reader would wait forever
    return path


# -- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize("moment", ["0001-01-01T00:00+14:00", "9999-12-31T23:00-14:00"])
def test_a_time_with_no_utc_equivalent_is_a_usage_error(
    invoke: Invoke, db: Path, moment: str
) -> None:
    declared = invoke(
        "--db", str(db), "new", "--title", "t", "--kind", "other", "--detected", moment
    )
    added = invoke(
        "--db",
        str(db),
        "metrics",
        "add",
        "1",
        "--metric",
        "volume",
        "--value",
        "5",
        "--time",
        moment,
    )
    for result in (declared, added):
        assert result.exit_code == 2
        assert "is out of the range of times that can be stored" in one_error_line(result.stderr)
    assert _incidents(db) == 1


def test_an_unbelievable_count_is_refused(invoke: Invoke, db: Path) -> None:
    result = invoke(
        "--db", str(db), "metrics", "add", "1", "--metric", "volume", "--value", "1e308"
    )
    assert result.exit_code == 1
    assert "is not believable" in one_error_line(result.stderr)


# -- report -o, audience --out, backup: never the database, a link, or a file without --force


def _targets(db: Path) -> list[Path]:
    """The database and the working files SQLite keeps beside it while it is open."""
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm")]


def test_report_refuses_the_database_and_its_working_files(invoke: Invoke, db: Path) -> None:
    """Issue 14: ``report ID -o incidents.db`` destroyed the database."""
    with Store.open(db, create=False):  # another operator has it open: -wal, -shm exist
        for target in _targets(db):
            before = target.read_bytes() if target.exists() else None
            for force in ([], ["--force"]):
                result = invoke("--db", str(db), "report", "1", "-o", str(target), *force)
                assert result.exit_code == 1, result.stdout
                assert "is the incident database or one of its working files" in one_error_line(
                    result.stderr
                )
            assert (target.read_bytes() if target.exists() else None) == before
    assert _incidents(db) == 1


def test_report_never_writes_through_a_symlink(invoke: Invoke, db: Path, tmp_path: Path) -> None:
    """Issue 14: a link planted at the output path was followed and its target replaced."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    for force in ([], ["--force"]):
        result = invoke("--db", str(db), "report", "1", "-o", str(link), *force)
        assert result.exit_code == 1
        assert "is a symbolic link; nothing was written" in one_error_line(result.stderr)
    assert victim.read_text() == "precious\n" and link.is_symlink()


def test_report_replaces_a_file_only_with_force(invoke: Invoke, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "postmortem.md"
    out.write_text("an older report\n")
    result = invoke("--db", str(db), "report", "1", "-o", str(out))
    assert result.exit_code == 1
    assert one_error_line(result.stderr).endswith(
        "postmortem.md already exists; nothing was overwritten (use --force to replace it)."
    )
    assert out.read_text() == "an older report\n"
    result = invoke("--db", str(db), "report", "1", "-o", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert out.read_text().startswith("# Postmortem: incident 1")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["incidents.db", "postmortem.md"]


def test_backup_refuses_the_database_a_link_and_an_existing_file(
    invoke: Invoke, db: Path, tmp_path: Path
) -> None:
    for target in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        result = invoke("--db", str(db), "backup", str(target), "--force")
        assert result.exit_code == 1
        assert "incident database" in one_error_line(result.stderr)
    # Into the database's own folder, the copy gets a time-stamped name of its own.
    result = invoke("--db", str(db), "backup", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert Path(result.stdout.strip()).name.startswith("incidents-")
    link = tmp_path / "copy.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    result = invoke("--db", str(db), "backup", str(link), "--force")
    assert result.exit_code == 1 and "symbolic link" in one_error_line(result.stderr)
    assert not (tmp_path / "elsewhere.db").exists()
    old = tmp_path / "old-copy.db"
    old.write_bytes(b"an old copy")
    result = invoke("--db", str(db), "backup", str(old))
    assert result.exit_code == 1 and "use --force" in one_error_line(result.stderr)
    result = invoke("--db", str(db), "backup", str(old), "--force")
    assert result.exit_code == 0, result.stderr
    with Store.open(old, create=False) as copy:
        assert len(copy.list_incidents()) == 1
    assert _incidents(db) == 1


def _audience(invoke: Invoke, db: Path, affected: Path, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return invoke(
        "--db", str(db), "audience", "1", "--affected", str(affected), "--out", str(out), *extra
    )


def test_audience_refuses_the_database_and_links(invoke: Invoke, db: Path, tmp_path: Path) -> None:
    affected = tmp_path / "affected.csv"
    affected.write_text("email\nana@example.com\n")
    with Store.open(db, create=False):
        for target in _targets(db):
            result = _audience(invoke, db, affected, target, "--force")
            assert result.exit_code == 1
            assert "incident database" in one_error_line(result.stderr)
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "victim.csv")
    result = _audience(invoke, db, affected, link, "--force")
    assert result.exit_code == 1 and "symbolic link" in one_error_line(result.stderr)
    assert not (tmp_path / "victim.csv").exists()
    assert _incidents(db) == 1


def test_audience_replaces_only_with_force_and_sweeps_partial_files(
    invoke: Invoke, db: Path, tmp_path: Path
) -> None:
    """Issue 14: ``kill -9`` during an export left a hidden 33 MB temporary file of
    addresses in the output folder, never cleaned up."""
    affected = tmp_path / "affected.csv"
    affected.write_text("email\nana@example.com\nbo@example.com\n")
    out = tmp_path / "audience.csv"
    out.write_text("email\nolder@example.com\n")
    left = tmp_path / PARTIAL_OF_A_DEAD_RUN
    left.write_text("email\nana@example.com\n")
    result = _audience(invoke, db, affected, out)
    assert result.exit_code == 1 and "use --force" in one_error_line(result.stderr)
    assert out.read_text() == "email\nolder@example.com\n"
    result = _audience(invoke, db, affected, out, "--force")
    assert result.exit_code == 0, result.stderr
    assert out.read_text() == "email\nana@example.com\nbo@example.com\n"
    assert not left.exists()
    assert (
        f"Removed {left}: an unfinished file left by an interrupted earlier run." in result.stderr
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "affected.csv",
        "audience.csv",
        "incidents.db",
    ]


def test_exported_addresses_never_run_as_spreadsheet_formulas(
    invoke: Invoke, db: Path, tmp_path: Path
) -> None:
    """OWASP, CSV Injection (https://owasp.org/www-community/attacks/CSV_Injection):
    cells starting with = + - @ tab or CR get a leading ' and are quoted."""
    affected = tmp_path / "affected.csv"
    affected.write_text(
        "email\n=1+1@evil.com\n+33600@sms.example\n-x@example.com\nana@example.com\n"
    )
    out = tmp_path / "audience.csv"
    result = _audience(invoke, db, affected, out)
    assert result.exit_code == 0, result.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "email"
    assert '"\'=1+1@evil.com"' in lines and '"\'+33600@sms.example"' in lines
    assert '"\'-x@example.com"' in lines and "ana@example.com" in lines
    assert not any(line[:1] in "=+-@\t\r" for line in lines)
    assert "3 addresses start with =, +, - or @" in result.stdout


# -- hangs: a FIFO anywhere a file is read ---------------------------------------------------


def test_a_fifo_is_refused_by_audience_metrics_and_lint(
    invoke: Invoke, db: Path, tmp_path: Path
) -> None:
    fifo = _fifo(tmp_path, "list.csv")
    out = tmp_path / "out.csv"
    for args in (
        ("audience", "1", "--affected", str(fifo), "--out", str(out)),
        ("metrics", "import", "1", str(fifo)),
        ("lint", str(fifo)),
        ("lint", "--config", str(fifo), str(tmp_path / "x.txt")),
    ):
        result = invoke("--db", str(db), *args)
        assert result.exit_code != 0, args
        line = result.stderr.splitlines()[0]
        assert "named pipe (FIFO), not a regular file" in line, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_fifo_as_a_configuration_file_is_refused(
    invoke: Invoke, db: Path, tmp_path: Path
) -> None:
    fifo = _fifo(tmp_path, "thresholds.toml")
    result = invoke("metrics", "thresholds", env={"EMAIL_CRISIS_THRESHOLDS": str(fifo)})
    assert result.exit_code == 1
    assert "named pipe (FIFO), not a regular file" in one_error_line(result.stderr)


# -- configuration files --------------------------------------------------------------------

NESTED = "x = " + "[" * 5000 + "]" * 5000 + "\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (NESTED, "thresholds.toml, line 1: arrays or tables are nested more than"),
        ("[complaint_rate\n", "thresholds.toml, line 1, column"),
        ("[[complaint_rate.bands]]\nstatus = 'warning'\nat = nan\n", "line 3: nan is not"),
    ],
)
def test_a_broken_thresholds_file_is_one_line_with_file_and_line(
    invoke: Invoke, tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "thresholds.toml"
    path.write_text(content)
    result = invoke("metrics", "thresholds", env={"EMAIL_CRISIS_THRESHOLDS": str(path)})
    assert result.exit_code == 1
    assert expected in one_error_line(result.stderr)


def test_a_deeply_nested_esp_config_is_one_line(invoke: Invoke, db: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(NESTED)
    result = invoke(
        "--db",
        str(db),
        "esp",
        "stop",
        "1",
        "--esp",
        "sendgrid",
        "--batch",
        "B1",
        "--dry-run",
        env={"EMAIL_CRISIS_CONFIG": str(config)},
    )
    assert result.exit_code == 1
    assert "config.toml, line 1: arrays or tables are nested" in one_error_line(result.stderr)


def test_a_deeply_nested_lint_config_is_one_line(invoke: Invoke, tmp_path: Path) -> None:
    config = tmp_path / "lint.toml"
    config.write_text(NESTED)
    draft = tmp_path / "draft.txt"
    draft.write_text("We are sorry.\n")
    result = invoke("lint", "--config", str(config), str(draft))
    assert result.exit_code != 0
    assert "lint.toml, line 1: arrays or tables are nested" in result.stderr.splitlines()[0]


def test_a_latin1_plan_suggestions_file_does_not_stop_the_report(
    invoke: Invoke, db: Path, tmp_path: Path
) -> None:
    """Issue 14: a suggestions file in Latin-1 gave a UnicodeDecodeError traceback."""
    path = tmp_path / "suggestions.toml"
    path.write_bytes("[roles]\nowner = 'Responsable marketing (équipe)'\n".encode("latin-1"))
    result = invoke(
        "--db", str(db), "report", "1", env={"EMAIL_CRISIS_PLAN_SUGGESTIONS": str(path)}
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Postmortem: incident 1")


# -- disk full -----------------------------------------------------------------------------


def test_a_full_temporary_store_during_an_import_is_one_line(
    invoke: Invoke, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: a full temporary folder ended an audience import in a traceback
    (``sqlite3.OperationalError: database or disk is full``). SQLite's own limit on the
    temporary database gives the same SQLITE_FULL as a full $TMPDIR."""
    real = Store.open

    def tiny_temp_store(*args: object, **kwargs: object) -> Store:
        opened = real(*args, **kwargs)  # type: ignore[arg-type]
        opened._conn.execute("PRAGMA temp.max_page_count = 4")
        return opened

    monkeypatch.setattr(Store, "open", tiny_temp_store)
    affected = tmp_path / "affected.csv"
    affected.write_text("email\n" + "".join(f"person{n:06d}@example.com\n" for n in range(20_000)))
    result = _audience(invoke, db, affected, tmp_path / "out.csv")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "the disk is full" in line and "nothing was written" in line
    assert not (tmp_path / "out.csv").exists()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM audience_lists").fetchone()[0] == 0
    finally:
        conn.close()


# -- hostile text on the way out -------------------------------------------------------------


def test_operator_names_with_controls_are_refused(invoke: Invoke, db: Path) -> None:
    for name in ("op\x1b]0;owned\x07", "op\x9b31m", "op\u202eevil"):
        result = invoke("--db", str(db), "--operator", name, "ack", "1")
        assert result.exit_code == 1
        line = one_error_line(result.stderr)
        assert "operator name" in line and "\x1b" not in line and "\x9b" not in line


def test_c1_controls_and_bidi_in_stored_text_never_reach_the_terminal(
    invoke: Invoke, db: Path
) -> None:
    """Text written by an older version (or another tool) holding 8-bit CSI/OSC and a
    right-to-left override: escaped in ``show``, ``list`` and their JSON."""
    conn = sqlite3.connect(db)
    try:
        conn.execute(
            "UPDATE incidents SET commander = ?, created_by = ? WHERE id = 1",
            ("cmd\x9b31m\u202eevil", "op\x9d0;title\x07\x1b]52;c;SGVsbG8=\x07"),
        )
        conn.commit()
    finally:
        conn.close()
    for args in (("show", "1"), ("list",), ("show", "1", "--format", "json")):
        result = invoke("--db", str(db), *args)
        assert result.exit_code == 0, result.stderr
        for raw in ("\x9b", "\x9d", "\x1b", "\x07", "\u202e"):
            assert raw not in result.stdout, (args, raw)
    shown = invoke("--db", str(db), "show", "1").stdout
    assert "cmd\\x9b31m<U+202E>evil" in shown and "\u241b]52;c;SGVsbG8=" in shown
    record = json.loads(invoke("--db", str(db), "show", "1", "--format", "json").stdout)
    assert record["commander"] == "cmd\x9b31m\u202eevil"  # the data is intact, escaped
    raw_json = invoke("--db", str(db), "list", "--format", "json").stdout
    assert "cmd\\u009b31m\\u202eevil" in raw_json


def test_an_export_killed_mid_write_leaves_a_named_partial_that_the_next_run_removes(
    invoke: Invoke, db: Path, tmp_path: Path, process_env: dict[str, str]
) -> None:
    """Issue 14: ``kill -9`` during the export left a hidden 33 MB temporary file of
    addresses in the output folder, never cleaned up. Here the exporting process kills
    itself (SIGKILL) after writing its first batch."""
    affected = tmp_path / "affected.csv"
    affected.write_text("email\n" + "".join(f"p{n}@example.com\n" for n in range(25_000)))
    out = tmp_path / "audience.csv"
    code = f"""
import os, signal
from email_crisis.core.assess.audience import build, store as audience_store
from email_crisis.core.steps import machine
from email_crisis.core.store.database import Store
machine.install()
real = audience_store.write_final
def dies(store, incident_id, sink):
    def first_batch_then_kill(batch):
        sink(batch)
        os.kill(os.getpid(), signal.SIGKILL)
    return real(store, incident_id, first_batch_then_kill)
build.store_audience.write_final = dies
with Store.open({str(db)!r}) as store:
    incident = store.get_incident(1)
    build.import_list(store, incident, {str(affected)!r}, role="affected", operator="sam")
    build.export_audience(store, incident, {str(out)!r}, operator="sam")
"""
    died = subprocess.run([sys.executable, "-c", code], env=process_env, timeout=120)
    assert died.returncode == -signal.SIGKILL
    (partial,) = [p for p in tmp_path.iterdir() if PARTIAL in p.name]
    assert partial.name.startswith("audience.csv.email-crisis-partial.")  # beside, named for it
    assert not partial.name.startswith(".") and not out.exists()
    result = _audience(invoke, db, affected, out)
    assert result.exit_code == 0, result.stderr
    assert f"Removed {partial}: an unfinished file left by an interrupted earlier run." in (
        result.stderr
    )
    assert not partial.exists()
    assert len(out.read_text().splitlines()) == 25_001


def test_apology_export_replaces_its_files_only_with_force(
    invoke: Invoke,
    db_path: Path,
    incident_id: int,  # noqa: F811  (the fixture, imported above)
    tmp_path: Path,
) -> None:
    brand = tmp_path / "brand.toml"
    brand.write_text(TOKEN_BRAND)
    out = tmp_path / "out"
    args = ("--db", str(db_path), "apology", "export", str(incident_id), "--out", str(out))
    env = {BRAND_ENV: str(brand)}
    assert invoke(*args, env=env).exit_code == 0
    eml = out / f"incident-{incident_id}-apology-v1.eml"
    eml.write_text("an earlier export\n")
    again = invoke(*args, env=env)
    assert again.exit_code == 1 and "already exists" in one_error_line(again.stderr)
    assert eml.read_text() == "an earlier export\n"
    forced = invoke(*args, "--force", env=env)
    assert forced.exit_code == 0, forced.stderr
    assert "Subject:" in eml.read_text() and "an earlier export" not in eml.read_text()
    assert stat.S_IMODE(eml.stat().st_mode) == 0o600
