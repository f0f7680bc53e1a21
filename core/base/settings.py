"""Where things are and who is acting: database path, operator name, template folder."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "email-crisis"
DB_ENV = "EMAIL_CRISIS_DB"
OPERATOR_ENV = "EMAIL_CRISIS_OPERATOR"
TEMPLATES_ENV = "EMAIL_CRISIS_TEMPLATES"


def default_db_path() -> Path:
    """The database in the user data directory (e.g. ~/.local/share/email-crisis/)."""
    return platformdirs.user_data_path(APP_NAME) / "incidents.db"


def resolve_db_path(option: str | None, env: Mapping[str, str] = os.environ) -> Path:
    """``--db`` wins, then ``EMAIL_CRISIS_DB``, then the default location."""
    chosen = option or env.get(DB_ENV)
    return Path(chosen).expanduser() if chosen else default_db_path()


def resolve_operator(option: str | None, env: Mapping[str, str] = os.environ) -> str:
    """``--operator`` wins, then ``EMAIL_CRISIS_OPERATOR``, then the login name."""
    for candidate in (option, env.get(OPERATOR_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for this uid (some containers)
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "operator"


def org_templates_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The organisation's own template folder; its files take precedence over ours."""
    chosen = env.get(TEMPLATES_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return platformdirs.user_config_path(APP_NAME) / "templates"
