"""``email-crisis serve`` for real: a process on a free port, a page, a board, ctrl+c."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from email_crisis.core.base.clock import frozen
from email_crisis.core.base.settings import TEMPLATES_ENV
from email_crisis.core.demo.scenes import populate
from email_crisis.core.store.database import Store
from email_crisis.tui.cli import serve as cli_serve
from tests.conftest import FROZEN_NOW
from tests.core.plan.helpers import build_history
from tests.tui.cli.helpers import Invoke, one_error_line, script

pytest.importorskip("textual_serve")
aiohttp = pytest.importorskip("aiohttp")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8", "replace")


@dataclass
class Served:
    """A running ``email-crisis serve``: its process, port, database and token.

    Its output is read all along by a thread: the server logs every request, and a
    pipe nobody reads would fill up and freeze it.
    """

    process: subprocess.Popen[str]
    port: int
    db: Path
    token: str
    lines: list[str]
    reader: threading.Thread

    def interrupt(self, timeout: float = 30) -> str:
        """ctrl+c, then everything the server printed."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=timeout)
        self.reader.join(timeout=timeout)
        return "".join(self.lines)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws(self, query: str = "width=80&height=24") -> str:
        return f"{self.url}/ws/{self.token}?{query}"


def _serve(tmp_path: Path, *extra: str) -> Served:
    db = tmp_path / "demo.db"
    store = Store.open(db, clock=frozen(FROZEN_NOW))
    populate(store, now=FROZEN_NOW)
    store.close()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_CRISIS_")}
    env.update({"TZ": "UTC", TEMPLATES_ENV: str(tmp_path / "org"), "COLUMNS": "100"})
    process = subprocess.Popen(
        [script(), "serve", "--port", str(port), "--db", str(db), "--operator", "alice", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    lines = [process.stdout.readline(), process.stdout.readline()]
    found = re.search(r"/\?token=([A-Za-z0-9_-]+)", lines[0])
    if found is None:
        process.kill()
        pytest.fail(f"serve printed no token: {lines!r}")
    token = found.group(1)
    reader = threading.Thread(target=lambda: lines.extend(process.stdout or ()), daemon=True)
    reader.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            _get(f"http://127.0.0.1:{port}/?token={token}")
            break
        except OSError:
            if process.poll() is not None:
                reader.join(timeout=5)
                pytest.fail(f"serve exited early: {''.join(lines)}")
            time.sleep(0.1)
    return Served(process, port, db, token, lines, reader)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    running = _serve(tmp_path)
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


async def _first_screen(served: Served) -> bytes:
    """Connect as the browser does and collect output until the board shows up."""
    received = b""
    async with aiohttp.ClientSession() as session:
        url = served.ws("width=120&height=40")
        async with session.ws_connect(url) as ws:
            await ws.send_json(["resize", {"width": 120, "height": 40}])
            deadline = time.monotonic() + 20
            while b"Black Friday" not in received and time.monotonic() < deadline:
                try:
                    message = await ws.receive(timeout=1)
                except asyncio.TimeoutError:
                    continue
                if message.type == aiohttp.WSMsgType.BINARY:
                    received += message.data
                elif message.type != aiohttp.WSMsgType.TEXT:
                    break
    return received


def test_serve_answers_on_loopback_runs_the_board_and_stops_on_ctrl_c(served: Served) -> None:
    process, port = served.process, served.port
    status, page = _get(f"{served.url}/?token={served.token}")
    assert status == 200
    assert 'class="textual-terminal"' in page and "email-crisis" in page
    assert f'"ws://127.0.0.1:{port}/ws/{served.token}"' in page
    assert "googleapis" not in page  # nothing is fetched from outside
    for asset in ("js/textual.js", "css/xterm.css", "fonts/RobotoMono-VariableFont_wght.ttf"):
        assert _get(f"{served.url}/static/{asset}")[0] == 200
    # The page's links follow the address the browser used (an SSH tunnel's port).
    request = urllib.request.Request(
        f"{served.url}/?token={served.token}", headers={"Host": f"localhost:{port + 1}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert f"ws://localhost:{port + 1}/ws/{served.token}" in response.read().decode()
    screen = asyncio.run(_first_screen(served))
    assert b"email-crisis" in screen and b"Black Friday" in screen
    output = served.interrupt()
    assert process.returncode == 0, output
    assert f"Serving email-crisis for alice at {served.url}/?token={served.token}" in output
    assert "keep it to yourself" in output
    assert output.rstrip().endswith("Stopped.")
    assert "Traceback" not in output and "Event loop is closed" not in output


async def _attempt(url: str, headers: dict[str, str] | None = None) -> int:
    """The HTTP status of a WebSocket handshake (101 when a session opened)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers or {}):
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


def test_other_sites_cannot_open_a_session(served: Served) -> None:
    port = served.port
    # A page on another site, and a page that rebinds its own name to 127.0.0.1.
    assert asyncio.run(_attempt(served.ws(), {"Origin": "https://evil.example"})) == 403
    rebound = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
    assert asyncio.run(_attempt(served.ws(), rebound)) == 403
    assert asyncio.run(_attempt(served.ws(), {"Origin": f"http://127.0.0.1:{port}"})) == 101


def test_nothing_opens_without_the_token(served: Served) -> None:
    """Issue 14: any local process could open a console over the WebSocket, with no
    Origin header and no token (on a shared bastion: another user of the host)."""
    for url in (f"{served.url}/", f"{served.url}/?token=guess", f"{served.url}/?token="):
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(url)
        assert refused.value.code == 403
        assert "secret token" in refused.value.read().decode()
    for url in (
        f"{served.url}/ws?width=80&height=24",  # textual-serve's own address
        f"{served.url}/ws/{served.token[:-1]}x?width=80&height=24",
        f"{served.url}/ws/?width=80&height=24",
    ):
        assert asyncio.run(_attempt(url)) in (403, 404), url  # no Origin header at all
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(f"{served.url}/download/anything")
    assert refused.value.code == 404
    assert _app_processes(served.db) == []  # no console was started for any of them


def test_sessions_are_capped_and_the_server_keeps_answering_after_200_connections(
    tmp_path: Path,
) -> None:
    """Issue 14: 20 sessions started 40 processes and ~960 MB. 200 handshakes at once,
    each bounded by a timeout: two sessions open, the rest are refused, and the page
    still answers afterwards."""
    running = _serve(tmp_path, "--max-sessions", "2")
    try:

        async def burst() -> list[int]:
            async with aiohttp.ClientSession() as session:

                async def one() -> int:
                    try:
                        ws = await session.ws_connect(running.ws())
                    except aiohttp.WSServerHandshakeError as error:
                        return error.status
                    await asyncio.sleep(1)  # hold the session while the others try
                    with contextlib.suppress(asyncio.TimeoutError):  # a loaded machine
                        await ws.close()
                    return 101

                return await asyncio.gather(*(one() for _ in range(200)))

        statuses = asyncio.run(burst())
        assert statuses.count(101) <= 2 and statuses.count(101) >= 1
        assert set(statuses) <= {101, 503}
        assert statuses.count(503) >= 198
        assert _get(f"{running.url}/?token={running.token}")[0] == 200
        # The slots come back once the two sessions' consoles have quit.
        deadline = time.monotonic() + 60
        while (status := asyncio.run(_attempt(running.ws()))) == 503:
            assert time.monotonic() < deadline, "the sessions never gave their slots back"
            time.sleep(0.5)
        assert status == 101
    finally:
        output = running.interrupt(timeout=60)
    assert running.process.returncode == 0, output
    assert "Traceback" not in output


def test_ctrl_c_with_a_browser_still_connected_stops_cleanly(served: Served) -> None:
    process, db = served.process, served.db

    async def connect_then_interrupt() -> None:
        async with aiohttp.ClientSession() as session:
            url = served.ws()
            async with session.ws_connect(url) as ws:
                await ws.send_json(["resize", {"width": 80, "height": 24}])
                await ws.receive(timeout=10)  # the app is up and drawing
                process.send_signal(signal.SIGINT)
                while not ws.closed:
                    message = await ws.receive(timeout=10)
                    if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                        break

    started = time.monotonic()
    asyncio.run(connect_then_interrupt())
    process.wait(timeout=30)
    served.reader.join(timeout=30)
    output = "".join(served.lines)
    assert process.returncode == 0, output
    # Well under aiohttp's ~23 s wait for open sessions, with room for a loaded machine.
    assert time.monotonic() - started < 20
    # The session's app process is waited for before the event loop closes: no
    # "Event loop is closed" from a subprocess transport cleaned up too late.
    assert "Traceback" not in output and "Event loop is closed" not in output
    deadline = time.monotonic() + 5  # the session's app was told to quit; let it finish
    while _app_processes(db) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _app_processes(db) == []


def _app_processes(db: Path) -> list[str]:
    """Command lines of served apps still running for this test's database."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "served_console" in command and str(db) in command:
            found.append(command)
    return found


# -- the server's checks and the command (no browser) ------------------------------------


@pytest.fixture
def db(store: Store) -> str:
    build_history(store)
    return str(store.path)


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
    assert cli_serve.is_loopback(host) is loopback


def test_serve_refuses_a_public_address_and_explains_the_tunnel(invoke: Invoke, db: str) -> None:
    result = invoke("serve", "--host", "0.0.0.0", "--port", "8123", "--db", db)
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "refusing to listen on 0.0.0.0" in line
    assert "ssh -L 8123:127.0.0.1:8123" in line and "http://127.0.0.1:8123" in line
    assert "--allow-remote" in line


def test_serve_without_textual_serve_says_how_to_install_it(
    invoke: Invoke, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    result = invoke("serve", "--db", db)
    assert result.exit_code == 1 and "email-crisis[serve]" in one_error_line(result.stderr)


def test_serve_checks_the_database_before_listening(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("serve", "--db", str(tmp_path / "typo.db"))
    assert result.exit_code == 1 and "there is no database" in one_error_line(result.stderr)
    assert not (tmp_path / "typo.db").exists()


def test_the_served_command_quotes_paths_and_names(tmp_path: Path) -> None:
    path = tmp_path / "it's a $(dangerous) name.db"
    command = cli_serve.served_command(path, "O'Brien; rm -rf /")
    argv = shlex.split(command)
    assert argv[0] == sys.executable
    assert argv[-4:] == ["--db", str(path), "--operator", "O'Brien; rm -rf /"]


def test_the_page_loads_fonts_from_the_package_not_google() -> None:
    page = (
        '<head><link rel="stylesheet" href="x/css/xterm.css" />\n'
        '<link\n  rel="stylesheet"\n  href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n/>'
        "</head>"
    )
    fixed = cli_serve.offline_page(page)
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
    problem = cli_serve.request_problem(host, origin, any_host=any_host)
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
    monkeypatch.setattr(cli_serve, "_server_class", lambda: FakeServer)
    return FakeServer


def test_serve_builds_the_server_for_loopback(
    invoke: Invoke, db: str, fake_server: type[FakeServer]
) -> None:
    result = invoke("serve", "--port", "8123", "--db", db, "--operator", "alice")
    assert result.exit_code == 0, result.stderr
    token = fake_server.built["token"]
    assert isinstance(token, str) and len(token) >= 32
    assert result.stdout.splitlines() == [
        f"Serving email-crisis for alice at http://127.0.0.1:8123/?token={token}  (ctrl+c to stop)",
        "Anyone with this URL gets the console as alice: keep it to yourself. "
        "At most 3 browser session(s) at once.",
        "Stopped.",
    ]
    built = fake_server.built
    assert built["max_sessions"] == 3
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
    assert "cannot listen on 127.0.0.1:8123: Address already in use" in one_error_line(
        result.stderr
    )


def test_ipv6_loopback_gets_a_bracketed_url(
    invoke: Invoke, db: str, fake_server: type[FakeServer]
) -> None:
    result = invoke("serve", "--host", "::1", "--port", "8123", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert fake_server.built["public_url"] == "http://[::1]:8123"


def test_each_start_has_its_own_token(
    invoke: Invoke, db: str, fake_server: type[FakeServer]
) -> None:
    tokens = set()
    for _ in range(3):
        assert invoke("serve", "--db", db).exit_code == 0
        tokens.add(fake_server.built["token"])
    assert len(tokens) == 3


def test_the_token_goes_into_the_pages_websocket_address() -> None:
    page = '<div data-session-websocket-url="ws://127.0.0.1:8000/ws" class="x"></div>'
    assert cli_serve.with_token(page, "T0K") == (
        '<div data-session-websocket-url="ws://127.0.0.1:8000/ws/T0K" class="x"></div>'
    )
    assert cli_serve.token_matches("abc", "abc")
    assert not cli_serve.token_matches(None, "abc")
    assert not cli_serve.token_matches("abd", "abc")
    assert not cli_serve.token_matches("", "abc")


def test_max_sessions_is_checked(invoke: Invoke, db: str, fake_server: type[FakeServer]) -> None:
    assert invoke("serve", "--db", db, "--max-sessions", "5").exit_code == 0
    assert fake_server.built["max_sessions"] == 5
    result = invoke("serve", "--db", db, "--max-sessions", "0")
    assert result.exit_code == 2 and "--max-sessions" in one_error_line(result.stderr)
