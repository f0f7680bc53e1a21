"""Breach-notification obligations per jurisdiction, loaded from TOML data files.

The shipped table is ``core/assess/data/breach_rules.toml`` (installed as
``email_crisis/core/assess/data/breach_rules.toml``). An organisation can adjust it with its
own file, found at:

1. the path in the environment variable ``EMAIL_CRISIS_BREACH_RULES``, else
2. ``breach_rules.toml`` in the user configuration folder
   (``~/.config/email-crisis/breach_rules.toml`` on Linux), if it exists.

The organisation file has the same shape (``[[obligation]]`` tables). An entry whose
``id`` matches a shipped one replaces it entirely; a new ``id`` adds an obligation;
``{ id = "...", disabled = true }`` removes a shipped one. Reading and checking a file
is ``core.assess.rules_file``; its docstring lists every field. In short, each entry
says who must be told, by when, under which conditions, and how sure we are of it:
``verified`` (``statute``, ``regulator-guidance`` or ``secondary``: the weakest source
behind the window, the trigger and the threshold), the exact ``citation`` and the date it
was checked (``last_reviewed``).

Shipped entries must carry ``verified`` and ``citation``. In an organisation's file
only the fields every entry has always had are required; ``verified`` may be left out
(the console then says the entry comes from your organisation and was not checked by
us), and the older names ``source`` (for ``citation``) and ``starts`` (for
``waits_for``) are still read, so files written for earlier versions keep working.
Any other unknown field is an error that names the file and the line.

A broken organisation file (``BreachRulesError``, a ``ConfigProblem``) is never half
used: ``rules_in_force`` then gives the shipped table and the error, which the clocks,
the console and the report show, so the clocks keep running during an incident.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import platformdirs

from email_crisis.core.assess.obligations import Obligation, Window, add_business_days
from email_crisis.core.assess.rules_file import BreachRulesError, load_file, merge
from email_crisis.core.base.settings import APP_NAME

__all__ = [
    "GUIDANCE_NOTICE",
    "RULES_ENV",
    "SHIPPED_RULES",
    "BreachRulesError",
    "Obligation",
    "RulesInForce",
    "Window",
    "add_business_days",
    "load_file",
    "load_rules",
    "org_rules_path",
    "rules_in_force",
]

RULES_ENV = "EMAIL_CRISIS_BREACH_RULES"
SHIPPED_RULES = Path(__file__).resolve().parent / "data" / "breach_rules.toml"

GUIDANCE_NOTICE = (
    "These deadlines are guidance to help you act in time, not legal advice: "
    "confirm each obligation, and whether it applies, with your legal counsel."
)
"""Shown wherever the clocks are: the table is a summary, not the law."""

# -- the rules in force ----------------------------------------------------------------------


def load_rules(shipped: Path = SHIPPED_RULES, org: Path | None = None) -> tuple[Obligation, ...]:
    """The shipped table with the organisation's file applied (in table order)."""
    organisation = load_file(org, organisation=True) if org is not None else {}
    return tuple(merge(load_file(shipped), organisation).values())


def org_rules_path(env: Mapping[str, str] = os.environ) -> Path | None:
    """The organisation's rules file: the env variable, else the config folder's if present."""
    chosen = env.get(RULES_ENV)
    if chosen:
        return Path(chosen).expanduser()
    default = platformdirs.user_config_path(APP_NAME) / "breach_rules.toml"
    return default if default.is_file() else None


def _stamp(path: Path | None) -> tuple[str, int, int] | None:
    if path is None:
        return None
    try:
        info = path.stat()
    except OSError:
        return (str(path), -1, -1)  # load_rules reports the missing file
    return (str(path), info.st_mtime_ns, info.st_size)


@dataclass(frozen=True)
class RulesInForce:
    """The rules the clocks use, and why the organisation's file was left out (if it was).

    ``problem`` is the organisation file's error (file, entry, line, what is wrong);
    ``rules`` is then the shipped table alone, so the clocks keep running.
    """

    rules: tuple[Obligation, ...]
    problem: str = ""


@lru_cache(maxsize=4)
def _cached(shipped: tuple[str, int, int] | None, org: tuple[str, int, int] | None) -> RulesInForce:
    # Keyed on path, mtime and size: an edited file is read again, an unchanged one never
    # (a broken one neither: its error is kept with it).
    shipped_path = Path(shipped[0]) if shipped else SHIPPED_RULES
    org_path = Path(org[0]) if org else None
    try:
        return RulesInForce(load_rules(shipped_path, org_path))
    except BreachRulesError as error:
        if org_path is None:
            raise  # the shipped table itself: a packaging fault, not the organisation's
        return RulesInForce(load_rules(shipped_path), str(error))


def rules_in_force(env: Mapping[str, str] = os.environ) -> RulesInForce:
    """The rules in force, re-read only when a file changes (cheap to call per keystroke).

    A broken organisation file does not stop the clocks: they follow the shipped table,
    and ``problem`` says what is wrong with the file, for the screens and the report.
    """
    return _cached(_stamp(SHIPPED_RULES), _stamp(org_rules_path(env)))
