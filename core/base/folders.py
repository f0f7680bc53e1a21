"""The folders email-crisis keeps its files in, in the user's home: config, cache, data.

They are the ones platformdirs names: on Linux ``~/.config/email-crisis``,
``~/.cache/email-crisis`` and ``~/.local/share/email-crisis``, or under ``$XDG_CONFIG_HOME``,
``$XDG_CACHE_HOME``, ``$XDG_DATA_HOME`` when set to an absolute path. In that common case
(Linux, the variable unset or absolute, an absolute ``$HOME``) the folder is worked out
here, the way platformdirs does: importing platformdirs loads ``tempfile``, ``shutil`` and
``random``, a twentieth of ``email-crisis lint FILE``. Every other case (a relative
variable or home, Android, macOS, Windows) is asked of platformdirs itself;
``tests/core/base/test_folders.py`` checks that both answer alike.
"""

from __future__ import annotations

import os
import posixpath
import sys
from pathlib import Path
from typing import Literal

APP_NAME = "email-crisis"
Kind = Literal["config", "cache", "data"]
_XDG: dict[str, tuple[str, str]] = {
    "config": ("XDG_CONFIG_HOME", "~/.config"),
    "cache": ("XDG_CACHE_HOME", "~/.cache"),
    "data": ("XDG_DATA_HOME", "~/.local/share"),
}


def user_folder(kind: Kind) -> Path:
    """email-crisis's user folder of ``kind`` (it need not exist; nothing is created)."""
    variable, default = _XDG[kind]
    if sys.platform == "linux" and not _maybe_android():
        value = os.environ.get(variable, "")
        if posixpath.isabs(value):
            return Path(value, APP_NAME)
        if not value and posixpath.isabs(os.environ.get("HOME", "")):
            return Path(os.path.expanduser(default), APP_NAME)
    import platformdirs

    found: Path = getattr(platformdirs, f"user_{kind}_path")(APP_NAME)
    return found


def _maybe_android() -> bool:
    """Whether platformdirs might take this for Android (it then has other folders)."""
    return hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ
