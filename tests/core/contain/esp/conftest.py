"""ESP test fixtures: an in-memory keyring, no internet, a clean environment, fake ESPs.

The real user keyring is never touched: every test here runs with ``keyring.set_keyring``
pointing at ``MemoryKeyring``. Name resolution is limited to loopback addresses, so a
test that would reach the internet fails with a DNS error instead.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors
import pytest

from tests.core.contain.esp.fake_server import APIS, FakeEsp

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in a dict (priority > 0 so it counts as usable)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.items:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.items[(service, username)]


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring() if keyring.core._keyring_backend else None  # type: ignore[attr-defined]
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    if previous is not None:
        keyring.set_keyring(previous)
    else:
        keyring.core._keyring_backend = None  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def lookups(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every host name the code tried to resolve; only loopback ones resolve.

    At the end of each test, every lookup must have been for this machine (or for a
    ``.invalid`` name, which no DNS server would answer anyway).
    """
    seen: list[str] = []
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        seen.append(name)
        if name not in LOOPBACK:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    yield seen
    strays = [name for name in seen if name not in LOOPBACK and not name.endswith(".invalid")]
    assert not strays, f"a test tried to reach {strays}"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No keys, regions, proxies or config from the developer's shell."""
    for name in list(os.environ):
        if name.startswith("EMAIL_CRISIS_") or name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EMAIL_CRISIS_CONFIG", str(tmp_path / "no-config.toml"))


@pytest.fixture
def fake() -> Iterator[Callable[..., FakeEsp]]:
    """Start a fake ESP: ``fake("sparkpost", secret, mode="success")``."""
    started: list[FakeEsp] = []

    def start(name: str, secret: str, mode: str = "success") -> FakeEsp:
        server = FakeEsp(APIS[name], secret, mode)
        server.__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__(None, None, None)


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
