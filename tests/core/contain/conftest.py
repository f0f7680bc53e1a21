"""Fixtures for the containment tests: no organisation playbook leaks in from the host."""

from __future__ import annotations

from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.contain.playbooks import PLAYBOOK_ENV, Playbook, load_playbook
from email_crisis.core.store.database import Store
from tests.core.contain.support import at_contain


@pytest.fixture(autouse=True)
def _no_org_playbook(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep a developer's own playbook (env or ~/.config) out of the tests."""
    monkeypatch.delenv(PLAYBOOK_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def playbook() -> Playbook:
    return load_playbook({})


@pytest.fixture
def incident(store: Store) -> Incident:
    """A wrong-segment incident at step contain."""
    return at_contain(store)


@pytest.fixture
def breach(store: Store) -> Incident:
    """A data-breach incident at step contain."""
    return at_contain(store, "data-breach")
