"""Where things are and who is acting: database path, operator name, template folder."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from pathlib import Path

from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.folders import APP_NAME as APP_NAME  # where other modules find it
from email_crisis.core.base.folders import user_folder
from email_crisis.core.base.text import clean_line

DB_ENV = "EMAIL_CRISIS_DB"
OPERATOR_ENV = "EMAIL_CRISIS_OPERATOR"
TEMPLATES_ENV = "EMAIL_CRISIS_TEMPLATES"
OPERATOR_MAX = 80


def default_db_path() -> Path:
    """The database in the user data directory (e.g. ~/.local/share/email-crisis/)."""
    return user_folder("data") / "incidents.db"


def resolve_db_path(option: str | None, env: Mapping[str, str] = os.environ) -> Path:
    """``--db`` wins, then ``EMAIL_CRISIS_DB``, then the default location."""
    chosen = option or env.get(DB_ENV)
    return Path(chosen).expanduser() if chosen else default_db_path()


def check_operator(name: str) -> str:
    """The operator's name cleaned up, or ``ValidationError`` saying what is wrong.

    The name is written into every event and shown on every screen: it must be one
    line of plain text (no terminal escape codes, no bidi overrides).
    """
    try:
        return clean_line(name, field="the operator name", max_length=OPERATOR_MAX)
    except ValueError as error:
        raise ValidationError(f"{error} (from --operator or ${OPERATOR_ENV})") from None


def resolve_operator(option: str | None, env: Mapping[str, str] = os.environ) -> str:
    """``--operator`` wins, then ``EMAIL_CRISIS_OPERATOR``, then the login name (checked)."""
    for candidate in (option, env.get(OPERATOR_ENV)):
        if candidate and candidate.strip():
            return check_operator(candidate)
    try:
        return check_operator(getpass.getuser())
    except (KeyError, OSError):  # no passwd entry for this uid (some containers)
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "operator"


def org_templates_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The organisation's own template folder; its files take precedence over ours."""
    chosen = env.get(TEMPLATES_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return user_folder("config") / "templates"
