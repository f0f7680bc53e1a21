"""Fixtures for the core tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.settings import TEMPLATES_ENV
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW


@pytest.fixture(autouse=True)
def _no_org_templates(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep a developer's own template folder out of the tests."""
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "no-org-templates"))


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
