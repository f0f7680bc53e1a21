"""Fixtures for the assessment tests: no organisation rules file, incidents of any kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from email_crisis.core.assess.breach_rules import RULES_ENV
from email_crisis.core.base.domain import Incident
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW


@pytest.fixture(autouse=True)
def _no_org_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep a developer's own breach-rules file out of the tests."""
    monkeypatch.delenv(RULES_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


@pytest.fixture
def declare(store: Store) -> Callable[..., Incident]:
    """Declare an incident of ``kind``, detected ten minutes before FROZEN_NOW."""

    def make(kind: str = "wrong-segment", severity: str = "SEV3") -> Incident:
        return ops.declare(
            store,
            title=f"Test incident ({kind})",
            kind=kind,
            severity=severity,
            operator="sam",
            detected_at=FROZEN_NOW - timedelta(minutes=10),
        )

    return make
