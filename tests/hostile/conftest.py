"""A database holding one hostile incident, for every output to be checked against."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from email_crisis.core.base.clock import frozen
from email_crisis.core.base.settings import TEMPLATES_ENV
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.e2e.test_terminal import tmux as tmux  # the fixture: a private tmux server
from tests.hostile.world import build_hostile


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No settings from the developer's shell; no organisation files."""
    for name in list(os.environ):
        if name.startswith("EMAIL_CRISIS_") or name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "no-org-templates"))
    monkeypatch.setenv("EMAIL_CRISIS_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, int]:
    """(database path, incident id) of a freshly built hostile incident."""
    files = tmp_path / "files"
    files.mkdir()
    path = tmp_path / "hostile.db"
    with Store.open(path, clock=frozen(FROZEN_NOW)) as store:
        incident_id = build_hostile(store, files)
    return path, incident_id
