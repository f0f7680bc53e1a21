"""``email-crisis serve`` for real: a process on a free port, a page, a board, ctrl+c."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from email_crisis.core.base.clock import frozen
from email_crisis.core.base.settings import TEMPLATES_ENV
from email_crisis.core.demo.scenes import populate
from email_crisis.core.store.database import Store
from tests.cli.helpers import script
from tests.conftest import FROZEN_NOW

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


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    db = tmp_path / "demo.db"
    store = Store.open(db, clock=frozen(FROZEN_NOW))
    populate(store, now=FROZEN_NOW)
    store.close()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_CRISIS_")}
    env.update({"TZ": "UTC", TEMPLATES_ENV: str(tmp_path / "org"), "COLUMNS": "100"})
    process = subprocess.Popen(
        [script(), "serve", "--port", str(port), "--db", str(db), "--operator", "alice"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            _get(f"http://127.0.0.1:{port}/")
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"serve exited early: {process.communicate()[0]}")
            time.sleep(0.1)
    try:
        yield process, port, db
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def _first_screen(port: int) -> bytes:
    """Connect as the browser does and collect output until the board shows up."""
    received = b""
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{port}/ws?width=120&height=40"
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


def test_serve_answers_on_loopback_runs_the_board_and_stops_on_ctrl_c(
    served: tuple[subprocess.Popen[str], int, Path],
) -> None:
    process, port, _ = served
    status, page = _get(f"http://127.0.0.1:{port}/")
    assert status == 200
    assert 'class="textual-terminal"' in page and "email-crisis" in page
    assert f"ws://127.0.0.1:{port}/ws" in page
    assert "googleapis" not in page  # nothing is fetched from outside
    for asset in ("js/textual.js", "css/xterm.css", "fonts/RobotoMono-VariableFont_wght.ttf"):
        assert _get(f"http://127.0.0.1:{port}/static/{asset}")[0] == 200
    # The page's links follow the address the browser used (an SSH tunnel's port).
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/", headers={"Host": f"localhost:{port + 1}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert f"ws://localhost:{port + 1}/ws" in response.read().decode()
    screen = asyncio.run(_first_screen(port))
    assert b"email-crisis" in screen and b"Black Friday" in screen
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    assert f"Serving email-crisis for alice at http://127.0.0.1:{port}" in output
    assert output.rstrip().endswith("Stopped.")
    assert "Traceback" not in output


def test_other_sites_cannot_open_a_session(served: tuple[subprocess.Popen[str], int, Path]) -> None:
    _, port, _ = served

    async def attempt(headers: dict[str, str]) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"http://127.0.0.1:{port}/ws", headers=headers):
                    return 101
            except aiohttp.WSServerHandshakeError as error:
                return error.status

    # A page on another site, and a page that rebinds its own name to 127.0.0.1.
    assert asyncio.run(attempt({"Origin": "https://evil.example"})) == 403
    rebound = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
    assert asyncio.run(attempt(rebound)) == 403
    assert asyncio.run(attempt({"Origin": f"http://127.0.0.1:{port}"})) == 101


def test_ctrl_c_with_a_browser_still_connected_stops_cleanly(
    served: tuple[subprocess.Popen[str], int, Path],
) -> None:
    process, port, db = served

    async def connect_then_interrupt() -> None:
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}/ws?width=80&height=24"
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
    output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    # Well under aiohttp's ~23 s wait for open sessions, with room for a loaded machine.
    assert time.monotonic() - started < 12
    assert "Traceback" not in output
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
