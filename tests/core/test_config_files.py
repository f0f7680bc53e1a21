"""Issue 14: every configuration file an organisation can give, broken every way the attack
run broke them. Each gives one error naming the file (and the line where there is
one), never a traceback, never a hang."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from email_crisis.core.assess.breach_rules import load_file as load_breach_rules
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.toml_file import ConfigProblem
from email_crisis.core.contain.esp.config import load as load_esp
from email_crisis.core.contain.playbooks import load_playbook
from email_crisis.core.monitor.thresholds import parse_file as load_thresholds
from email_crisis.core.notify.brand import load_brand
from email_crisis.core.notify.lint.config_file import load_config as load_lint
from email_crisis.core.plan.tasks import load_suggestions

LOADERS: dict[str, Callable[[Path], object]] = {
    "playbook": lambda path: load_playbook(path=path),
    "plan suggestions": lambda path: load_suggestions(path),
    "thresholds": load_thresholds,
    "esp settings": load_esp,
    "lint settings": load_lint,
    "brand": lambda path: load_brand(path),
    "breach rules": load_breach_rules,
}
BROKEN: dict[str, tuple[bytes, str]] = {
    "nested 5000 deep": (
        b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "line 1: arrays or tables are nested",
    ),
    "latin-1": ("# équipe\nx = 1\n".encode("latin-1"), "line 1: not UTF-8 text"),
    "nan": (b"x = 1\ny = nan\n", "line 2: nan is not a usable number"),
    "inf": (b"y = [1, -inf]\n", "line 1: -inf is not a usable number"),
    "syntax": (b"x = 1\n[broken\n", "line 2, column"),
}


@pytest.mark.parametrize("broken", list(BROKEN))
@pytest.mark.parametrize("loader", list(LOADERS))
def test_a_broken_file_is_one_error_with_file_and_line(
    tmp_path: Path, loader: str, broken: str
) -> None:
    content, expected = BROKEN[broken]
    path = tmp_path / "org.toml"
    path.write_bytes(content)
    with pytest.raises(CrisisError) as caught:
        LOADERS[loader](path)
    message = str(caught.value)
    assert str(path) in message and expected in message, message
    assert "\n" not in message


@pytest.mark.parametrize("loader", list(LOADERS))
def test_a_fifo_is_refused_without_waiting(tmp_path: Path, loader: str) -> None:
    fifo = tmp_path / "org.toml"
    os.mkfifo(fifo)  # nobody writes to it: reading it would block forever
    with pytest.raises(CrisisError, match=r"named pipe \(FIFO\), not a regular file"):
        LOADERS[loader](fifo)


@pytest.mark.parametrize("loader", [n for n in LOADERS if n != "breach rules"])
def test_configuration_errors_are_known_as_such(tmp_path: Path, loader: str) -> None:
    """The console titles them "Configuration problem", not "Cannot read the database"."""
    path = tmp_path / "org.toml"
    path.write_bytes(b"[broken\n")
    with pytest.raises(ConfigProblem):
        LOADERS[loader](path)
