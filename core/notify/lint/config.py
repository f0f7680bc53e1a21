"""The user's lint configuration: a TOML file that tunes the rules.

```toml
[rules.humor]
enabled = false                 # turn a rule off
[rules.vague-language]
severity = "error"              # error | warning | info
[rules.subject-too-long]
max_length = 70                 # rule options (see ``email-crisis lint --help``)

banned = ["unprecedented", { phrase = "world-class", severity = "error",
          message = "Not in an apology.", suggestion = "", lang = "en" }]
required = [{ phrase = "reply to this email", lang = "en", field = "body" }]

[brand]
terms = ["ShopCo"]              # brand-term: the exact spelling and casing
markers = ["ShopCo Ltd, 1 Quay St"]  # text every branded email holds

[words.fr]                      # add to the shipped word lists (core/notify/lint/data)
humor = ["c'est ballot"]
```

The file is found with ``--config``, else ``$EMAIL_CRISIS_LINT_CONFIG``, else
``lint.toml`` in the user config folder (e.g. ``~/.config/email-crisis/lint.toml``)
when it exists. Mistakes raise ``LintConfigError`` naming the file and the line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from email_crisis.core.base.folders import user_folder
from email_crisis.core.base.toml_file import ConfigProblem
from email_crisis.core.notify.lint.model import Severity

CONFIG_ENV = "EMAIL_CRISIS_LINT_CONFIG"
CONFIG_NAME = "lint.toml"


class LintConfigError(ConfigProblem):
    """The lint config file is missing, unreadable or invalid."""


class PhraseRule(NamedTuple):
    """A banned or required phrase from the config.

    A NamedTuple rather than a frozen dataclass: built four times faster at import.
    """

    phrase: str
    message: str | None = None
    suggestion: str | None = None
    severity: Severity | None = None
    lang: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class LintConfig:
    """Rule switches and additions; the default instance changes nothing."""

    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    banned: tuple[PhraseRule, ...] = ()
    required: tuple[PhraseRule, ...] = ()
    brand_terms: tuple[str, ...] = ()
    brand_markers: tuple[str, ...] = ()
    words: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    source: Path | None = None

    def option(self, rule: str, name: str, default: int) -> int:
        """A rule option from the file, else ``default``."""
        return self.options.get(rule, {}).get(name, default)

    def identity(self) -> str:
        """A hash of the whole config (two configs with the same identity behave alike)."""
        cached = self.__dict__.get("_identity")
        if cached is None:
            parts = (
                self.fingerprint(),
                sorted((k, v.value) for k, v in self.severities.items()),
                self.brand_markers,
            )
            cached = _digest(parts)
            object.__setattr__(self, "_identity", cached)
        return cached

    def fingerprint(self) -> str:
        """A short hash of everything that changes what a paragraph scan finds."""
        cached = self.__dict__.get("_fingerprint")
        if cached is None:
            parts = (
                sorted(self.disabled),
                sorted((k, sorted(v.items())) for k, v in self.options.items()),
                self.banned,
                self.required,
                self.brand_terms,
                sorted((k, sorted(v.items())) for k, v in self.words.items()),
            )
            cached = _digest(parts)
            object.__setattr__(self, "_fingerprint", cached)
        return cached


DEFAULT_CONFIG = LintConfig()


def _digest(parts: object) -> str:
    import hashlib  # only for a config's identity (OpenSSL takes ~3 ms to load)

    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def default_config_path() -> Path:
    """``lint.toml`` in the user config folder (it need not exist)."""
    return user_folder("config") / CONFIG_NAME


def resolve_config_path(
    option: str | os.PathLike[str] | None, env: Mapping[str, str] = os.environ
) -> Path | None:
    """``--config`` wins, then ``$EMAIL_CRISIS_LINT_CONFIG``, then the default file if any."""
    chosen = option if option is not None else env.get(CONFIG_ENV) or None
    if chosen is not None:
        return Path(chosen).expanduser()
    default = default_config_path()
    return default if default.is_file() else None
