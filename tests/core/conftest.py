"""Fixtures for the core tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.settings import DB_ENV, OPERATOR_ENV, TEMPLATES_ENV
from email_crisis.core.own import incidents as ops
from email_crisis.core.plan.tasks import SUGGESTIONS_ENV
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No org templates, suggestions, database or operator from the developer's machine."""
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "no-org-templates"))
    for name in (SUGGESTIONS_ENV, DB_ENV, OPERATOR_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def declared(store: Store) -> Incident:
    """A fresh incident at step ``own``, detected ten minutes before FROZEN_NOW."""
    return ops.declare(
        store,
        title="Black Friday preview sent to every subscriber",
        kind="wrong-segment",
        severity="SEV2",
        operator="sam",
        detected_at=FROZEN_NOW - timedelta(minutes=10),
    )
