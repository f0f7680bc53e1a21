"""CLI test fixtures: a clean environment, a frozen clock, and ``invoke``.

Every test here runs the command line in-process (``invoke``) or as a process
(``process_env``), with no settings from the developer's shell, an in-memory keyring,
name resolution limited to this machine, and the time frozen at ``FROZEN_NOW``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from email_crisis.core.base.settings import TEMPLATES_ENV
from email_crisis.core.notify.lint import config as lint_config
from email_crisis.tui import cli
from email_crisis.tui.cli import common
from email_crisis.tui.cli import esp as cli_esp

# Fixtures shared with the core tests of the same step (pytest finds them by name here).
from tests.core.assess.audience.conftest import write  # noqa: F401
from tests.core.contain.esp.conftest import (  # noqa: F401
    closed_port,
    fake,
    lookups,
    memory_keyring,
)
from tests.tui.cli.helpers import Invoke


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, now: datetime) -> None:
    """No stray settings from the developer's shell; the CLI sees the frozen time."""
    for name in list(os.environ):
        if name.startswith("EMAIL_CRISIS_") or name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "org-templates"))
    monkeypatch.setenv("EMAIL_CRISIS_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setattr(
        lint_config, "default_config_path", lambda: tmp_path / "no-such-dir" / "lint.toml"
    )
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(common, "utc_now", lambda: now)


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run the CLI in-process; stdout and stderr stay apart; ``tty=True`` fakes a terminal."""
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click 8.1
    except TypeError:
        runner = CliRunner()  # click >= 8.2 always keeps them apart

    def run(
        *args: str,
        input: str | None = None,
        env: Mapping[str, str] | None = None,
        tty: bool = False,
    ) -> Result:
        monkeypatch.setattr(cli_esp, "_stdin_is_terminal", lambda: tty)
        return runner.invoke(
            cli.cli, list(args), input=input, env=dict(env or {}), catch_exceptions=False
        )

    return run


@pytest.fixture
def process_env(tmp_path: Path) -> dict[str, str]:
    """Environment for subprocess runs: UTC, no settings from the developer's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_CRISIS_")}
    env.update({"TZ": "UTC", TEMPLATES_ENV: str(tmp_path / "org-templates")})
    env.pop("COLUMNS", None)
    return env
