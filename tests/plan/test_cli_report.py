"""The resolve, reopen, report, stats and serve commands, run in-process."""

from __future__ import annotations

import json
import shlex
import stat
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from email_crisis.core.store.database import Store
from email_crisis.tui import cli_report

from .helpers import Invoke, build_history


@pytest.fixture
def db(store: Store) -> str:
    build_history(store)
    return str(store.path)


def _one_error(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("email-crisis: "), stderr
    return lines[0]


def test_resolve_and_reopen(invoke: Invoke, db: str) -> None:
    result = invoke("resolve", "2", "--summary", "False alarm.", "--db", db, "--operator", "jo")
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
    golden = Path(__file__).parent / "golden"
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


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert cli_report.is_loopback(host) is loopback


def test_serve_refuses_a_public_address_and_explains_the_tunnel(invoke: Invoke, db: str) -> None:
    result = invoke("serve", "--host", "0.0.0.0", "--port", "8123", "--db", db)
    assert result.exit_code == 1
    line = _one_error(result.stderr)
    assert "refusing to listen on 0.0.0.0" in line
    assert "ssh -L 8123:127.0.0.1:8123" in line and "http://127.0.0.1:8123" in line
    assert "--allow-remote" in line


def test_serve_without_textual_serve_says_how_to_install_it(
    invoke: Invoke, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    result = invoke("serve", "--db", db)
    assert result.exit_code == 1 and "email-crisis[serve]" in _one_error(result.stderr)


def test_serve_checks_the_database_before_listening(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("serve", "--db", str(tmp_path / "typo.db"))
    assert result.exit_code == 1 and "there is no database" in _one_error(result.stderr)
    assert not (tmp_path / "typo.db").exists()


def test_the_served_command_quotes_paths_and_names(tmp_path: Path) -> None:
    path = tmp_path / "it's a $(dangerous) name.db"
    command = cli_report.served_command(path, "O'Brien; rm -rf /")
    argv = shlex.split(command)
    assert argv[0] == sys.executable
    assert argv[-4:] == ["--db", str(path), "--operator", "O'Brien; rm -rf /"]


def test_the_page_loads_fonts_from_the_package_not_google() -> None:
    page = (
        '<head><link rel="stylesheet" href="x/css/xterm.css" />\n'
        '<link\n  rel="stylesheet"\n  href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n/>'
        "</head>"
    )
    fixed = cli_report.offline_page(page)
    assert "googleapis" not in fixed
    assert "url('/static/fonts/RobotoMono-VariableFont_wght.ttf')" in fixed
    assert 'href="x/css/xterm.css"' in fixed


@pytest.mark.parametrize(
    ("host", "origin", "any_host", "refused"),
    [
        ("127.0.0.1:8000", None, False, None),
        ("127.0.0.1:8000", "http://127.0.0.1:8000", False, None),
        ("localhost:9000", "http://localhost:9000/", False, None),  # an SSH tunnel's port
        ("[::1]:8000", "http://[::1]:8000", False, None),
        ("127.0.0.1:8000", "https://evil.example", False, "origin 'https://evil.example'"),
        ("127.0.0.1:8000", "http://127.0.0.1:9999", False, "origin"),
        # DNS rebinding: the origin matches the host, but the host is not loopback.
        ("evil.example:8000", "http://evil.example:8000", False, "host 'evil.example:8000'"),
        ("crisis.corp:8000", "http://crisis.corp:8000", True, None),
        ("crisis.corp:8000", "http://evil.example", True, "origin"),
    ],
)
def test_request_problem(
    host: str, origin: str | None, any_host: bool, refused: str | None
) -> None:
    problem = cli_report.request_problem(host, origin, any_host=any_host)
    if refused is None:
        assert problem is None
    else:
        assert problem is not None and refused in problem


class FakeServer:
    """Stands in for textual-serve: records how it was built, then serves or fails."""

    built: ClassVar[dict[str, object]] = {}
    error: ClassVar[OSError | None] = None

    def __init__(self, command: str, **options: object) -> None:
        FakeServer.built = {"command": command, **options}

    def serve(self) -> None:
        if FakeServer.error:
            raise FakeServer.error


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> type[FakeServer]:
    FakeServer.built, FakeServer.error = {}, None
    monkeypatch.setattr(cli_report, "_server_class", lambda: FakeServer)
    return FakeServer


def test_serve_builds_the_server_for_loopback(
    invoke: Invoke, db: str, fake_server: type[FakeServer]
) -> None:
    result = invoke("serve", "--port", "8123", "--db", db, "--operator", "alice")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Serving email-crisis for alice at http://127.0.0.1:8123  (ctrl+c to stop)",
        "Stopped.",
    ]
    built = fake_server.built
    assert (built["host"], built["port"], built["any_host"]) == ("127.0.0.1", 8123, False)
    assert built["public_url"] == "http://127.0.0.1:8123"
    assert shlex.split(built["command"])[-4:] == [
        "--db",
        str(Path(db).resolve()),
        "--operator",
        "alice",
    ]


def test_serve_allow_remote_warns_about_the_risk(
    invoke: Invoke, db: str, fake_server: type[FakeServer]
) -> None:
    result = invoke("serve", "--host", "0.0.0.0", "--allow-remote", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("Warning: listening on 0.0.0.0")
    assert "ssh -L 8000:127.0.0.1:8000" in result.stderr
    assert fake_server.built["any_host"] is True


def test_serve_on_a_busy_port_is_one_line(
    invoke: Invoke, db: str, fake_server: type[FakeServer]
) -> None:
    fake_server.error = OSError(98, "Address already in use")
    result = invoke("serve", "--port", "8123", "--db", db)
    assert result.exit_code == 1
    assert "cannot listen on 127.0.0.1:8123: Address already in use" in _one_error(result.stderr)


def test_ipv6_loopback_gets_a_bracketed_url(
    invoke: Invoke, db: str, fake_server: type[FakeServer]
) -> None:
    result = invoke("serve", "--host", "::1", "--port", "8123", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert fake_server.built["public_url"] == "http://[::1]:8123"
