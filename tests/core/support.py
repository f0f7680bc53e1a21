"""Plain helpers shared by the core tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from email_crisis.core.base.domain import Incident
from email_crisis.core.store.database import _statements
from email_crisis.core.store.schema import APPLICATION_ID, MIGRATIONS
from tests.conftest import FROZEN_NOW

NOBODY = 65534


@dataclass
class MovingClock:
    """A clock the test moves by hand."""

    moment: datetime = FROZEN_NOW

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


def raw(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection in autocommit mode, as another program would open."""
    return sqlite3.connect(path, isolation_level=None)


def snapshot(path: Path) -> tuple[bytes, int]:
    """The file's bytes and modification time, to prove it was left untouched."""
    return path.read_bytes(), path.stat().st_mtime_ns


def table(path: Path, name: str) -> list[tuple[Any, ...]]:
    """Every row of a table, read through a separate connection."""
    conn = raw(path)
    try:
        return conn.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall()
    finally:
        conn.close()


def build_at_version(path: Path, version: int) -> None:
    """Create a database at schema ``version`` by hand, as that release would have."""
    conn = raw(path)
    try:
        for index in range(version):
            conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(MIGRATIONS[index]):
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {index + 1}")
            conn.execute("COMMIT")
    finally:
        conn.close()


@contextmanager
def as_user(uid: int = NOBODY) -> Iterator[None]:
    """Run the block with another effective user id (root only), then switch back."""
    os.setegid(uid)
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def incident(
    id: int = 1,
    *,
    title: str = "Spring sale sent twice",
    kind: str = "wrong-content",
    severity: str = "SEV3",
    step: str = "own",
    commander: str | None = None,
    detected_at: datetime = FROZEN_NOW,
    acknowledged_at: datetime | None = None,
) -> Incident:
    """An Incident record built in memory (for pure functions: board, events_text)."""
    return Incident(
        id=id,
        title=title,
        kind=kind,
        severity=severity,
        step=step,
        commander=commander,
        detected_at=detected_at,
        acknowledged_at=acknowledged_at,
        contained_at=None,
        notified_at=None,
        resolved_at=None,
        created_by="sam",
        updated_at=FROZEN_NOW,
        version=1,
    )
