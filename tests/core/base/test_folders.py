"""Our user folders are the ones platformdirs names, whichever of us works them out.

``folders.user_folder`` answers the common Linux cases itself (to spare ``email-crisis
lint`` the import of platformdirs) and asks platformdirs for the rest; the cases come
from the XDG Base Directory specification ("If $XDG_CONFIG_HOME is either not set or
empty, a default equal to $HOME/.config should be used"; "All paths set in these
environment variables must be absolute. If an implementation encounters a relative path
in any of these variables it should consider the path invalid and ignore it"):
https://specifications.freedesktop.org/basedir-spec/latest/
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from email_crisis.core.base import folders
from email_crisis.core.base.folders import APP_NAME, user_folder

KINDS = ("config", "cache", "data")
VARIABLES = {"config": "XDG_CONFIG_HOME", "cache": "XDG_CACHE_HOME", "data": "XDG_DATA_HOME"}


def platformdirs_says(kind: str) -> Path:
    found: Path = getattr(platformdirs, f"user_{kind}_path")(APP_NAME)
    return found


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("variable", "home"),
    [
        (None, "{tmp}/home"),
        ("", "{tmp}/home"),
        ("{tmp}/xdg", "{tmp}/home"),
        ("{tmp}/xdg/", "{tmp}/home/"),
        ("{tmp}/with space/x", "{tmp}/home"),
        ("relative/path", "{tmp}/home"),
        ("   ", "{tmp}/home"),
        ("~/tilde", "{tmp}/home"),
        (None, "/"),
        (None, "relative-home"),
        ("{tmp}/xdg", "relative-home"),
    ],
    ids=[
        "unset",
        "empty",
        "absolute",
        "trailing-slashes",
        "space",
        "relative",
        "blank",
        "tilde",
        "home-is-root",
        "relative-home",
        "absolute-relative-home",
    ],
)
def test_the_same_folder_as_platformdirs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str, variable: str | None, home: str
) -> None:
    monkeypatch.setenv("HOME", home.format(tmp=tmp_path))
    for name in VARIABLES.values():
        monkeypatch.delenv(name, raising=False)
    if variable is not None:
        monkeypatch.setenv(VARIABLES[kind], variable.format(tmp=tmp_path))
    try:
        expected = platformdirs_says(kind)
    except RuntimeError:  # platformdirs finds no home at all: ours must not invent one
        with pytest.raises(RuntimeError):
            user_folder(kind)  # type: ignore[arg-type]
        return
    assert user_folder(kind) == expected  # type: ignore[arg-type]


def test_the_common_case_does_not_import_platformdirs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(folders.sys, "platform", "linux")
    monkeypatch.delitem(folders.sys.modules, "platformdirs")  # imported above by this test
    assert user_folder("cache") == tmp_path / ".cache" / APP_NAME
    assert "platformdirs" not in folders.sys.modules


def test_other_systems_ask_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    asked: list[str] = []

    def user_config_path(app: str) -> Path:
        asked.append(app)
        return tmp_path / "elsewhere" / app

    monkeypatch.setattr(folders.sys, "platform", "darwin")
    monkeypatch.setattr(platformdirs, "user_config_path", user_config_path)
    assert user_folder("config") == tmp_path / "elsewhere" / APP_NAME
    assert asked == [APP_NAME]
