"""Fixtures for the step machine tests: nothing from the developer's own configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from email_crisis.core.assess.breach_rules import RULES_ENV
from email_crisis.core.contain.playbooks import PLAYBOOK_ENV
from email_crisis.core.monitor.thresholds import ENV as THRESHOLDS_ENV


@pytest.fixture(autouse=True)
def _no_org_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Shipped playbook, breach rules and thresholds only."""
    for name in (RULES_ENV, PLAYBOOK_ENV, THRESHOLDS_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
