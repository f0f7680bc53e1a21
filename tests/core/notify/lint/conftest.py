"""Lint test fixtures: no lint config from the developer's machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from email_crisis.core.notify.lint import config as lint_config


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither $EMAIL_CRISIS_LINT_CONFIG nor a real ~/.config file may leak in."""
    monkeypatch.delenv(lint_config.CONFIG_ENV, raising=False)
    monkeypatch.setattr(
        lint_config, "default_config_path", lambda: tmp_path / "no-such-dir" / "lint.toml"
    )
