"""Shared fixtures: a real SQLite file per test, a frozen clock, UTC as local time."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from email_crisis.core.base.clock import frozen
from email_crisis.core.steps import machine
from email_crisis.core.store.database import Store

# Every door of the app installs the step machine before it writes; so do the tests.
machine.install()

# Times are shown in local time; pin it so snapshots and text assertions are stable.
os.environ["TZ"] = "UTC"
time.tzset()

FROZEN_NOW = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)


@pytest.fixture
def now() -> datetime:
    return FROZEN_NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "incidents.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(db_path, clock=frozen(FROZEN_NOW))
    yield opened
    opened.close()
