"""``email-crisis serve``: the console in a web browser, through textual-serve.

Each browser session runs the app in its own process (``served_console``). The server
listens on 127.0.0.1 by default, refuses pages of other sites and rebound host names,
and uses the fonts textual-serve ships instead of asking Google for them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from email_crisis.core.base.errors import CrisisError
from email_crisis.tui.cli.common import one_line, opened, operator_name, store_options

DEFAULT_PORT = 8000
SESSION_STOP_SECONDS = 5
TUNNEL_HINT = (
    "To reach it from another machine without exposing it, keep it on 127.0.0.1 and "
    "tunnel over SSH: run 'ssh -L {port}:127.0.0.1:{port} USER@THIS_HOST' on your own "
    "machine, then open http://127.0.0.1:{port} there."
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


def _server_class() -> Any:
    from aiohttp import web
    from textual_serve.server import Server

    class BrowserServer(Server):  # type: ignore[misc]
        """textual-serve, hardened: same-origin sessions, no outside assets, prompt stop."""

        def __init__(self, *args: Any, any_host: bool = False, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.any_host = any_host
            self._sessions: set[asyncio.Task[Any]] = set()

        def _check(self, request: web.Request) -> None:
            problem = request_problem(
                request.host, request.headers.get("Origin"), any_host=self.any_host
            )
            if problem:
                raise web.HTTPForbidden(text=f"email-crisis: refused: {problem}.\n")

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            self._check(request)
            response = await super().handle_index(request)
            if isinstance(response, web.Response) and response.text:
                # Links follow the address the browser used (an SSH tunnel may use
                # another local port), not the one the server was started with.
                served_as = self.public_url.split("://", 1)[1]
                page = offline_page(response.text)
                response.text = page.replace(f"://{served_as}/", f"://{request.host}/")
            return response

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            self._check(request)
            task = asyncio.current_task()
            assert task is not None
            self._sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self._sessions.discard(task)

        async def on_shutdown(self, app: web.Application) -> None:
            # aiohttp would otherwise wait for open browser sessions to end by
            # themselves; cancelling them makes textual-serve close each socket and
            # ask its app to quit, so ctrl+c stops promptly and cleanly.
            for task in list(self._sessions):
                task.cancel()
            if self._sessions:
                await asyncio.wait(list(self._sessions), timeout=SESSION_STOP_SECONDS)

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
@store_options
def serve(host: str, port: int, allow_remote: bool, db: str | None, operator: str | None) -> None:
    """Serve the console to a web browser (textual-serve), on 127.0.0.1 by default."""
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
    server = server_class(
        served_command(path, who),
        host=host,
        port=port,
        title="email-crisis",
        public_url=url,
        any_host=not is_loopback(host),
    )
    click.echo(f"Serving email-crisis for {one_line(who)} at {url}  (ctrl+c to stop)")
    try:
        server.serve()
    except OSError as error:
        raise CrisisError(f"cannot listen on {host}:{port}: {error.strerror or error}.") from None
    click.echo("Stopped.")
