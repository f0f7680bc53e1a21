"""A small HTTP client on ``urllib.request``: one attempt, one deadline, no redirects.

Redirects are not followed, so a key can never travel to a host the operator did not
see in the plan. Proxies from the environment (``HTTPS_PROXY``, ``NO_PROXY``) apply as
usual. Every failure is a ``TransportError`` with a sentence an operator can act on.

The timeout is a deadline for the whole call, not for each read: a server that sends
one byte every second and a half would otherwise keep a 3-second call going for as
long as it likes. When the deadline passes, the connection is shut down under the
reader's feet and the call ends as a timeout.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

MAX_BODY = 64 * 1024  # an error page is read up to this size; the rest is not needed


@dataclass(frozen=True)
class RawResponse:
    """An HTTP answer, whatever its status."""

    status: int
    reason: str
    headers: dict[str, str]
    body: bytes
    elapsed: float


class TransportError(Exception):
    """No HTTP answer. ``kind``: timeout, dropped, refused, dns, tls or connection."""

    def __init__(self, kind: str, message: str, elapsed: float) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.elapsed = elapsed


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 3xx answer surfaces as an HTTPError with its status


def _host(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.netloc or url


def _classify(reason: object, url: str, timeout: float) -> tuple[str, str]:
    host = _host(url)
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timeout", (
            f"no answer from {host} within {timeout:g} s. The request may or may not have "
            "been carried out: check in the ESP's console before trying again."
        )
    if isinstance(reason, ConnectionRefusedError):
        return (
            "refused",
            f"{host} refused the connection (nothing is listening there); nothing was sent.",
        )
    if isinstance(reason, socket.gaierror):
        return "dns", (
            f"cannot resolve {urllib.parse.urlsplit(url).hostname or host} (DNS lookup failed): "
            "check the network and the base URL; nothing was sent."
        )
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        detail = getattr(reason, "reason", None) or type(reason).__name__
        return "tls", f"secure connection to {host} failed ({detail}); nothing was sent."
    if isinstance(reason, http.client.RemoteDisconnected | ConnectionResetError):
        return "dropped", (
            f"{host} closed the connection without answering. The request may or may not "
            "have been carried out: check in the ESP's console before trying again."
        )
    detail = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return "connection", f"cannot reach {host} ({detail}); nothing was sent."


class _Deadline:
    """Shuts down every socket of one call when its time is up."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def connection(self, base: type[http.client.HTTPConnection]) -> type:
        """``base`` with its sockets watched (also the one a proxy tunnel goes through)."""
        deadline = self

        class Watched(base):  # type: ignore[valid-type, misc]
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, **kwargs)
                create = self._create_connection

                def watched(*args: object, **kwargs: object) -> socket.socket:
                    return deadline.watch(create(*args, **kwargs))

                self._create_connection = watched

        return Watched


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # a blocked read returns at once


class _HttpHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = self._deadline.connection(http.client.HTTPConnection)
        return self.do_open(connection, req)


class _HttpsHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = self._deadline.connection(http.client.HTTPSConnection)
        return self.do_open(connection, req, context=self._context)  # type: ignore[attr-defined]


def _read(response: object) -> bytes:
    try:
        return response.read(MAX_BODY)  # type: ignore[attr-defined, no-any-return]
    except (OSError, http.client.HTTPException):
        return b""  # the status is what matters; a cut-off body is not worth failing for


def send(
    method: str, url: str, headers: Mapping[str, str], body: bytes | None, *, timeout: float
) -> RawResponse:
    """Make exactly one request and return the answer, or raise ``TransportError``.

    ``timeout`` bounds the whole call (connection, request, answer), not each read.
    """
    request = urllib.request.Request(url, data=body, headers=dict(headers), method=method)
    start = time.monotonic()
    with _Deadline(timeout) as deadline:
        opener = urllib.request.build_opener(
            _NoRedirect, _HttpHandler(deadline), _HttpsHandler(deadline)
        )
        try:
            answer = _exchange(opener, request, timeout, start)
        except urllib.error.URLError as error:
            kind, message = _classify(error.reason, url, timeout)
        except (OSError, http.client.HTTPException) as error:
            kind, message = _classify(error, url, timeout)
        except ValueError as error:  # a malformed URL that slipped through
            kind, message = "connection", f"cannot use the URL {url!r}: {error}; nothing was sent."
        else:
            if not deadline.expired:
                return answer
        if deadline.expired:  # whatever came of the cut connection, the time was up
            kind, message = _classify(TimeoutError(), url, timeout)
    raise TransportError(kind, message, time.monotonic() - start)


def _exchange(
    opener: urllib.request.OpenerDirector,
    request: urllib.request.Request,
    timeout: float,
    start: float,
) -> RawResponse:
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read(MAX_BODY)
            return RawResponse(
                response.status,
                response.reason or "",
                dict(response.headers.items()),
                data,
                time.monotonic() - start,
            )
    except urllib.error.HTTPError as error:
        data = _read(error)
        error.close()
        return RawResponse(
            error.code,
            str(error.reason or ""),
            dict(error.headers.items()) if error.headers else {},
            data,
            time.monotonic() - start,
        )


def retry_after(value: str | None, *, now: datetime | None = None) -> int | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return int(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    moment = now or datetime.now(timezone.utc)
    return max(0, int((when - moment).total_seconds() + 0.999))
