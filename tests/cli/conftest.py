"""CLI fixtures: a clean environment, a frozen CLI clock and a runner that keeps stderr apart."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from email_crisis.core.base.settings import DB_ENV, OPERATOR_ENV, TEMPLATES_ENV
from email_crisis.tui import cli

from .helpers import Invoke


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, now: datetime) -> None:
    """No stray settings from the developer's shell; the CLI sees the frozen time."""
    for name in (DB_ENV, OPERATOR_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "org-templates"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(cli, "utc_now", lambda: now)


@pytest.fixture
def invoke() -> Invoke:
    """Run the CLI in-process; ``result.stdout`` and ``result.stderr`` stay separate."""
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click 8.1
    except TypeError:
        runner = CliRunner()  # click >= 8.2 always keeps them apart

    def run(*args: str, env: Mapping[str, str] | None = None) -> Result:
        return runner.invoke(cli.cli, list(args), env=dict(env or {}), catch_exceptions=False)

    return run


@pytest.fixture
def process_env(tmp_path: Path) -> dict[str, str]:
    """Environment for subprocess runs: UTC, no settings from the developer's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_CRISIS_")}
    env.update({"TZ": "UTC", TEMPLATES_ENV: str(tmp_path / "org-templates")})
    env.pop("COLUMNS", None)
    return env
