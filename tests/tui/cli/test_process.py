"""The real ``email-crisis`` console script, run as a separate process."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from email_crisis.core.demo.scenes import SCENES, populate
from email_crisis.core.store.database import NewIncident, Store
from tests.conftest import FROZEN_NOW
from tests.tui.cli.helpers import one_error_line, script


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [script(), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_version(process_env: dict[str, str]) -> None:
    result = run(process_env, "--version")
    assert (result.returncode, result.stdout) == (0, f"email-crisis {version('email-crisis')}\n")


def test_demo_then_list(process_env: dict[str, str], tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    demo = run(process_env, "--db", db, "demo")
    assert demo.returncode == 0, demo.stderr
    assert f"email-crisis --db {db}" in demo.stdout
    records = json.loads(run(process_env, "--db", db, "list", "--format", "json").stdout)
    assert len(records) == len(SCENES) - 1 == 8
    table = run(process_env, "list", "--db", db)
    assert table.returncode == 0 and table.stdout.startswith("ID  SEV")


def test_db_from_environment(process_env: dict[str, str], tmp_path: Path) -> None:
    env = {**process_env, "EMAIL_CRISIS_DB": str(tmp_path / "env.db")}
    created = run(env, "new", "--title", "Promo code expired", "--kind", "wrong-content")
    assert created.returncode == 0, created.stderr
    shown = json.loads(run(env, "show", created.stdout.strip(), "--format", "json").stdout)
    assert shown["title"] == "Promo code expired"


def test_usage_error_is_one_line(process_env: dict[str, str], tmp_path: Path) -> None:
    result = run(process_env, "--db", str(tmp_path / "x.db"), "new", "--kind", "bogus")
    assert result.returncode == 2
    assert one_error_line(result.stderr).endswith("(see 'email-crisis new --help')")


def test_not_a_database(process_env: dict[str, str], tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite at all\n" * 100)
    result = run(process_env, "--db", str(junk), "list")
    assert result.returncode == 1
    assert "not an SQLite database" in one_error_line(result.stderr)


def test_escapes_never_reach_the_terminal(
    process_env: dict[str, str], tmp_path: Path, now: datetime
) -> None:
    db = tmp_path / "raw.db"
    with Store.open(db) as store:
        store.create_incidents(
            [NewIncident("\x1b]0;pwned\x07\x1b[2J title", "other", "SEV1", now, "x")]
        )
    for args in (("list",), ("show", "1")):
        result = subprocess.run(
            [script(), "--db", str(db), *args],
            env=process_env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0
        assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout
        assert "␛]0;pwned␇␛[2J title" in result.stdout.decode()


def test_broken_pipe_prints_no_traceback(process_env: dict[str, str], tmp_path: Path) -> None:
    """``email-crisis list | head -1``: the reader is gone before or while we write."""
    db = str(tmp_path / "big.db")
    with Store.open(db) as store:  # built in-process: only the readers need to be processes
        populate(store, now=FROZEN_NOW, extra=3000)
    for args, read_first in [
        (["list"], True),
        (["list", "--format", "json"], True),
        (["list"], False),
        (["show", "1"], False),
        (["--help"], False),
    ]:
        proc = subprocess.Popen(
            [script(), "--db", db, *args],
            env=process_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        if read_first:
            proc.stdout.readline()
        # Closed before the process has written (it is still importing): the write
        # fails with EPIPE for certain, whatever the size of the pipe buffer.
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        proc.wait(timeout=60)
        assert stderr == "", (args, stderr)


def test_list_does_not_import_textual(process_env: dict[str, str], tmp_path: Path) -> None:
    Store.open(tmp_path / "x.db").close()
    code = (
        "import sys; from email_crisis.tui.cli import main; "
        f"code = main(['--db', {str(tmp_path / 'x.db')!r}, 'list']); "
        "assert 'textual' not in sys.modules, 'textual imported'; sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=process_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_console_with_stdin_from_dev_null_exits_at_once(tmp_path: Path) -> None:
    """A cron job or a pipe must get an error, not a process spinning at 100% CPU."""
    script = Path(sys.executable).with_name("email-crisis")
    done = subprocess.run(
        [str(script), "--db", str(tmp_path / "x.db")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1
    assert "needs a terminal" in done.stderr
    assert "Traceback" not in done.stderr
