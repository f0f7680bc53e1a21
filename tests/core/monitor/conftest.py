"""Fixtures for the monitoring tests: an incident and the export files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.monitor.thresholds import ENV as THRESHOLDS_ENV
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store

FIXTURES = Path(__file__).parent / "fixtures"
DETECTED = datetime(2026, 11, 25, 0, 0, tzinfo=timezone.utc)
"""When the test incident was detected: the fixtures straddle it."""


def fixture(name: str) -> Path:
    """The path of one export file under ``fixtures/``."""
    path = FIXTURES / name
    assert path.is_file(), path
    return path


@pytest.fixture(autouse=True)
def _shipped_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    """No organisation thresholds from the developer's shell."""
    monkeypatch.delenv(THRESHOLDS_ENV, raising=False)


@pytest.fixture
def incident(store: Store) -> Incident:
    """A wrong-segment send detected at DETECTED (two days before FROZEN_NOW)."""
    return ops.declare(
        store,
        title="Black Friday preview sent to the whole list",
        kind="wrong-segment",
        severity="SEV2",
        operator="sam",
        detected_at=DETECTED,
    )


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under tmp_path and return its path."""

    def make(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return make
