"""``email-crisis serve``: the console in a web browser, through textual-serve.

Each browser session runs the app in its own process (``served_console``). The server
listens on 127.0.0.1 by default and:

- needs a secret token, made anew at each start and printed in the URL (as Jupyter
  does): the page and the WebSocket are refused without it, so another user of a
  shared host cannot open the operator's console, even with a client that sends no
  ``Origin`` header;
- refuses pages of other sites (``Origin``) and rebound host names (``Host``);
- runs at most ``--max-sessions`` consoles at once (each is a process of ~50 MB);
- uses the fonts textual-serve ships instead of asking Google for them, and serves
  no downloads (the console never offers one).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import re
import secrets
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from email_crisis.core.base.errors import CrisisError
from email_crisis.tui.cli.common import one_line, opened, operator_name, store_options

DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 3
SESSION_STOP_SECONDS = 5
TOKEN_BYTES = 24  # 32 URL-safe characters
TUNNEL_HINT = (
    "To reach it from another machine without exposing it, keep it on 127.0.0.1 and "
    "tunnel over SSH: run 'ssh -L {port}:127.0.0.1:{port} USER@THIS_HOST' on your own "
    "machine, then open there the http://127.0.0.1:{port}/?token=... address serve prints."
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name that could resolve anywhere


def served_command(db_path: Path, operator: str) -> str:
    """The shell command textual-serve runs for each browser session (paths quoted)."""
    # Run the app directly rather than through the ``email-crisis`` group: that one
    # refuses to start without a TTY, and textual-serve talks to the app over pipes.
    code = "from email_crisis.tui.cli.serve import served_console; served_console()"
    argv = [sys.executable, "-c", code, "--db", str(db_path), "--operator", operator]
    return shlex.join(argv)


def served_console(argv: Sequence[str] | None = None) -> None:
    """Entry point of one browser session: open the database and run the app."""
    import argparse

    parser = argparse.ArgumentParser(prog="email-crisis (served)")
    parser.add_argument("--db", required=True)
    parser.add_argument("--operator", required=True)
    args = parser.parse_args(argv)
    from email_crisis.core.store.database import Store
    from email_crisis.tui.app import run_app

    try:
        store = Store.open(args.db, create=False)
    except CrisisError as error:
        print(f"email-crisis: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    try:
        run_app(store, operator=args.operator)
    finally:
        store.close()


# textual-serve's page asks Google Fonts for "Roboto Mono" although the package ships
# the font files: point the page at those, so it needs no internet and tells no one.
_FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.IGNORECASE)
_LOCAL_FONTS = (
    "<style>"
    "@font-face{font-family:'Roboto Mono';font-style:normal;font-weight:100 700;"
    "src:url('/static/fonts/RobotoMono-VariableFont_wght.ttf') format('truetype')}"
    "@font-face{font-family:'Roboto Mono';font-style:italic;font-weight:100 700;"
    "src:url('/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf') format('truetype')}"
    "</style>"
)


def offline_page(html: str) -> str:
    """textual-serve's index page with the Google Fonts link replaced by the bundled fonts."""
    return _FONT_LINK.sub(_LOCAL_FONTS, html)


def _host_name(host_header: str) -> str:
    """The host part of a ``Host`` header (``127.0.0.1:8000``, ``[::1]:8000``, ``localhost``)."""
    if host_header.startswith("["):
        return host_header[1:].split("]", 1)[0]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def request_problem(host_header: str, origin: str | None, *, any_host: bool) -> str | None:
    """Why a browser request must be refused, or ``None`` when it may proceed.

    Any web page open in the operator's browser can try to open a WebSocket to
    127.0.0.1, and browsers let it: the ``Origin`` must therefore match the address
    the page was loaded from. A page that rebinds its own domain to 127.0.0.1 passes
    that check, so on loopback the ``Host`` must also be a loopback address.
    """
    name = _host_name(host_header)
    if not any_host and not is_loopback(name):
        return f"host {host_header!r} is not this machine's loopback address"
    if origin is not None and origin.rstrip("/") != f"http://{host_header}":
        return f"origin {origin!r} is not the page this server sent"
    return None


def new_token() -> str:
    """A fresh secret for one run of ``serve``."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_matches(given: str | None, token: str) -> bool:
    """Whether ``given`` is the server's token (compared in constant time)."""
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


_WS_URL = re.compile(r'(data-session-websocket-url="[^"]*/ws)"')


def with_token(page: str, token: str) -> str:
    """The page with its WebSocket address carrying the token (``.../ws/TOKEN``)."""
    return _WS_URL.sub(lambda m: f'{m.group(1)}/{token}"', page)


async def _reap(process: Any) -> None:
    """Wait for a session's app process to end (killing it after a while), so that no
    process is left behind and nothing is cleaned up after the event loop has closed."""
    if process is None or process.returncode is not None:
        return
    try:
        await asyncio.wait_for(process.wait(), SESSION_STOP_SECONDS)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()


def _server_class() -> Any:
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, log, to_int

    class BrowserServer(Server):  # type: ignore[misc]
        """textual-serve, hardened: a token, same-origin sessions, a session cap, no
        outside assets, prompt and clean stop."""

        def __init__(
            self,
            *args: Any,
            token: str,
            any_host: bool = False,
            max_sessions: int = DEFAULT_MAX_SESSIONS,
            **kwargs: Any,
        ) -> None:
            super().__init__(*args, **kwargs)
            self.any_host = any_host
            self.token = token
            self.max_sessions = max_sessions
            self._sessions: set[asyncio.Task[Any]] = set()

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_get("/ws/{token}", self.handle_websocket)
            return app

        def _check(self, request: web.Request, token: str | None) -> None:
            problem = request_problem(
                request.host, request.headers.get("Origin"), any_host=self.any_host
            )
            if problem is None and not token_matches(token, self.token):
                problem = (
                    "this address needs the secret token that 'email-crisis serve' printed "
                    "when it started (open the whole URL it printed)"
                )
            if problem:
                raise web.HTTPForbidden(text=f"email-crisis: refused: {problem}.\n")

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            self._check(request, request.query.get("token"))
            response = await super().handle_index(request)
            if isinstance(response, web.Response) and response.text:
                # Links follow the address the browser used (an SSH tunnel may use
                # another local port), not the one the server was started with.
                served_as = self.public_url.split("://", 1)[1]
                page = offline_page(response.text)
                page = page.replace(f"://{served_as}/", f"://{request.host}/")
                response.text = with_token(page, self.token)
            return response

        async def handle_download(self, request: web.Request) -> web.StreamResponse:
            raise web.HTTPNotFound(text="email-crisis: the console offers no downloads.\n")

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            self._check(request, request.match_info.get("token"))
            if len(self._sessions) >= self.max_sessions:
                raise web.HTTPServiceUnavailable(
                    text=f"email-crisis: {len(self._sessions)} browser sessions are open, the "
                    "most this server runs; close one, or restart serve with a larger "
                    "--max-sessions.\n"
                )
            task = asyncio.current_task()
            assert task is not None
            self._sessions.add(task)  # no await since the count: no race
            try:
                return await self._session(request)
            finally:
                self._sessions.discard(task)

        async def _session(self, request: web.Request) -> web.WebSocketResponse:
            # textual-serve's session, plus waiting for the app's process to end.
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            service: AppService | None = None
            try:
                await websocket.prepare(request)
                service = AppService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await service.start(width, height)
                try:
                    await self._process_messages(websocket, service)
                finally:
                    await service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                log.exception(error)
            finally:
                if service is not None:
                    await service.stop()
                    await _reap(service._process)
            return websocket

        async def on_shutdown(self, app: web.Application) -> None:
            # aiohttp would otherwise wait for open browser sessions to end by
            # themselves; cancelling them makes each session close its socket, ask
            # its app to quit and wait for its process, so ctrl+c stops promptly.
            for task in list(self._sessions):
                task.cancel()
            if self._sessions:
                await asyncio.wait(list(self._sessions), timeout=2 * SESSION_STOP_SECONDS + 1)

    return BrowserServer


def _url(host: str, port: int) -> str:
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a --host that other machines can reach (no login, no encryption).",
)
@click.option(
    "--max-sessions",
    type=click.IntRange(1, 50),
    default=DEFAULT_MAX_SESSIONS,
    show_default=True,
    metavar="N",
    help="Browser sessions at once (each runs the console in its own process).",
)
@store_options
def serve(
    host: str,
    port: int,
    allow_remote: bool,
    max_sessions: int,
    db: str | None,
    operator: str | None,
) -> None:
    """Serve the console to a web browser (textual-serve), on 127.0.0.1 by default.

    The URL printed at start carries a secret token, new at every start: only someone
    who has the whole URL gets the console.
    """
    try:
        server_class = _server_class()
    except ImportError:
        raise CrisisError(
            "serving to a browser needs textual-serve: pip install 'email-crisis[serve]' "
            "(or pip install textual-serve)."
        ) from None
    hint = TUNNEL_HINT.format(port=port)
    if not is_loopback(host):
        if not allow_remote:
            raise CrisisError(
                f"refusing to listen on {host}: anyone who can reach it would get the console "
                f"with no login and no encryption. {hint} "
                "If you really want this, add --allow-remote."
            )
        click.echo(
            f"Warning: listening on {host}; anyone who can reach port {port} gets the console "
            f"as the operator, unencrypted. {hint}",
            err=True,
        )
    with opened(db) as store:  # fail now on a bad --db
        path = store.path.resolve()
    who = operator_name(operator)
    url = _url(host, port)
    token = new_token()
    server = server_class(
        served_command(path, who),
        host=host,
        port=port,
        title="email-crisis",
        public_url=url,
        any_host=not is_loopback(host),
        token=token,
        max_sessions=max_sessions,
    )
    click.echo(
        f"Serving email-crisis for {one_line(who)} at {url}/?token={token}  (ctrl+c to stop)"
    )
    click.echo(
        f"Anyone with this URL gets the console as {one_line(who)}: keep it to yourself. "
        f"At most {max_sessions} browser session(s) at once."
    )
    try:
        server.serve()
    except OSError as error:
        raise CrisisError(f"cannot listen on {host}:{port}: {error.strerror or error}.") from None
    click.echo("Stopped.")
