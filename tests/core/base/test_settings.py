"""Where the database is and who is acting: option > environment > default."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from email_crisis.core.base import settings
from email_crisis.core.base.settings import (
    DB_ENV,
    OPERATOR_ENV,
    TEMPLATES_ENV,
    default_db_path,
    org_templates_dir,
    resolve_db_path,
    resolve_operator,
)


@pytest.fixture
def xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the XDG folders (read by platformdirs on every call) into tmp_path."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def test_default_db_path_is_in_the_user_data_dir(xdg: Path) -> None:
    assert default_db_path() == xdg / "data" / "email-crisis" / "incidents.db"


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        ("/opt/one.db", {DB_ENV: "/opt/two.db"}, Path("/opt/one.db")),
        (None, {DB_ENV: "/opt/two.db"}, Path("/opt/two.db")),
        ("", {DB_ENV: "/opt/two.db"}, Path("/opt/two.db")),
        (None, {DB_ENV: ""}, None),
        (None, {}, None),
    ],
    ids=["option-wins", "env", "empty-option", "empty-env", "default"],
)
def test_resolve_db_path_precedence(
    xdg: Path, option: str | None, env: dict[str, str], expected: Path | None
) -> None:
    assert resolve_db_path(option, env) == (expected or default_db_path())


def test_resolve_db_path_expands_the_home_folder(xdg: Path) -> None:
    assert resolve_db_path("~/crisis.db", {}) == xdg / "home" / "crisis.db"
    assert resolve_db_path(None, {DB_ENV: "~/env.db"}) == xdg / "home" / "env.db"


def test_resolve_db_path_reads_the_process_environment(
    monkeypatch: pytest.MonkeyPatch, xdg: Path
) -> None:
    monkeypatch.setenv(DB_ENV, str(xdg / "from-env.db"))
    assert resolve_db_path(None) == xdg / "from-env.db"
    monkeypatch.delenv(DB_ENV)
    assert resolve_db_path(None) == default_db_path()


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        ("alice", {OPERATOR_ENV: "bob"}, "alice"),
        ("  alice  ", {}, "alice"),
        (None, {OPERATOR_ENV: " bob "}, "bob"),
        ("   ", {OPERATOR_ENV: "bob"}, "bob"),
        ("", {OPERATOR_ENV: "bob"}, "bob"),
        (None, {OPERATOR_ENV: "  "}, "carol"),
        (None, {}, "carol"),
    ],
    ids=[
        "option-wins",
        "option-trimmed",
        "env",
        "blank-option",
        "empty-option",
        "blank-env",
        "login",
    ],
)
def test_resolve_operator_precedence(
    monkeypatch: pytest.MonkeyPatch, option: str | None, env: dict[str, str], expected: str
) -> None:
    monkeypatch.setenv("LOGNAME", "carol")  # getpass.getuser() reads LOGNAME first
    assert resolve_operator(option, env) == expected


def test_resolve_operator_without_a_login_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Some containers run with a uid that has no passwd entry."""

    def no_user() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert resolve_operator(None, {}) == f"uid-{settings.os.getuid()}"


def test_org_templates_dir(xdg: Path) -> None:
    assert org_templates_dir({TEMPLATES_ENV: "~/tpl"}) == xdg / "home" / "tpl"
    assert org_templates_dir({}) == xdg / "config" / "email-crisis" / "templates"
