"""Lint test fixtures: no lint config from the developer's machine, a CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from email_crisis.core.notify.lint import config as lint_config
from email_crisis.tui import cli

Invoke = Callable[..., Result]


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither $EMAIL_CRISIS_LINT_CONFIG nor a real ~/.config file may leak in."""
    monkeypatch.delenv(lint_config.CONFIG_ENV, raising=False)
    monkeypatch.setattr(
        lint_config, "default_config_path", lambda: tmp_path / "no-such-dir" / "lint.toml"
    )


@pytest.fixture
def invoke() -> Invoke:
    """Run ``email-crisis`` in-process; stdout and stderr stay apart."""
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click 8.1
    except TypeError:
        runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(cli.cli, list(args), env=env or {}, catch_exceptions=False)

    return run
