"""Fixtures for the plan, lifecycle, stats, report and serve tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.settings import DB_ENV, OPERATOR_ENV, TEMPLATES_ENV
from email_crisis.core.own import incidents as ops
from email_crisis.core.plan.tasks import SUGGESTIONS_ENV
from email_crisis.core.store.database import Store
from email_crisis.tui import cli
from tests.conftest import FROZEN_NOW

from .helpers import Invoke


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, now: datetime) -> None:
    """No org templates or suggestions from the developer's machine; the CLI sees FROZEN_NOW."""
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "org-templates"))
    for name in (SUGGESTIONS_ENV, DB_ENV, OPERATOR_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(cli, "utc_now", lambda: now)


@pytest.fixture
def declared(store: Store) -> Incident:
    """A wrong-segment incident detected ten minutes before FROZEN_NOW, not acknowledged."""
    return ops.declare(
        store,
        title="Black Friday preview sent to every subscriber",
        kind="wrong-segment",
        severity="SEV2",
        operator="sam",
        detected_at=FROZEN_NOW - timedelta(minutes=10),
    )


@pytest.fixture
def invoke() -> Invoke:
    """Run the CLI in-process with stdout and stderr kept apart."""
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click 8.1
    except TypeError:
        runner = CliRunner()

    def run(*args: str, env: Mapping[str, str] | None = None) -> Result:
        return runner.invoke(cli.cli, list(args), env=dict(env or {}), catch_exceptions=False)

    return run
