"""Helpers shared by the CLI tests."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Invoke = Callable[..., Result]
"""The ``invoke`` fixture: run the CLI in-process with these arguments."""


def script() -> str:
    """The installed ``email-crisis`` console script of this interpreter's environment."""
    beside = Path(sys.executable).parent / "email-crisis"
    found = str(beside) if beside.exists() else shutil.which("email-crisis")
    if not found:
        pytest.skip("the email-crisis console script is not installed")
    return found


def one_error_line(stderr: str) -> str:
    """Assert stderr is exactly one ``email-crisis: ...`` line and return it."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("email-crisis: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def run_cli(*args: str) -> Result:
    """Run the CLI in-process with ``args`` (stderr kept apart); no fixture needed."""
    from click.testing import CliRunner

    from email_crisis.tui import cli

    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click 8.1
    except TypeError:
        runner = CliRunner()  # click >= 8.2 always keeps them apart
    return runner.invoke(cli.cli, list(args), catch_exceptions=False)
