"""Fixtures for the audience tests: incidents to import into, and files to import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store

WriteFile = Callable[..., Path]


@pytest.fixture
def incident(store: Store) -> Incident:
    """A wrong-segment send: an apology is allowed."""
    return ops.declare(
        store, title="Preview sent to everyone", kind="wrong-segment", operator="sam"
    )


@pytest.fixture
def locked(store: Store) -> Incident:
    """A send to an old suppression list: the apology lock applies."""
    return ops.declare(
        store, title="Sent to the 2019 unsubscribes", kind="suppression-list-send", operator="sam"
    )


@pytest.fixture
def write(tmp_path: Path) -> WriteFile:
    """Write text (in an encoding) or bytes to a file in tmp_path; returns its path."""

    def make(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        data = content if isinstance(content, bytes) else content.encode(encoding)
        path.write_bytes(data)
        return path

    return make
