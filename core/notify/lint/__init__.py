"""The rule checker for apology emails (step 5, notify), with no Textual import.

Public API (for the Notify panel and ``email-crisis lint``)::

    from email_crisis.core.notify import lint

    findings = lint.check({"subject": ..., "from": ..., "body": ...},
                          lint.LintContext(kind="data-breach", template_name="apology.en"))
    checker = lint.Linter(lint.load_config(path))   # keep it: re-checks are incremental
    findings = checker.check(fields, context)
    report = checker.inspect(fields, context)  # findings, kind followed (given or inferred)
    preview = lint.render_template(source, recipient)  # text, or findings for missing fields

Fields are ``from``, ``reply-to``, ``subject``, ``preheader`` and ``body``; a field
left out (or ``None``) is not checked, an empty string is. Findings come sorted by
field, then position. ``lint.RULES`` lists every rule id with its default
severity and summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from email_crisis.core.notify.lint.config import (
    CONFIG_ENV,
    DEFAULT_CONFIG,
    LintConfig,
    LintConfigError,
    PhraseRule,
    resolve_config_path,
)
from email_crisis.core.notify.lint.config_file import load_config, parse_config
from email_crisis.core.notify.lint.engine import Linter
from email_crisis.core.notify.lint.model import (
    FIELDS,
    Finding,
    LintContext,
    Severity,
    counts,
    has_errors,
)
from email_crisis.core.notify.lint.rules import RULES, RuleInfo

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.render import Rendered, render_template, sandbox

_LAZY = {"Rendered", "render_template", "sandbox"}


def __getattr__(name: str) -> Any:
    """The preview's renderer, imported on first use: it needs Jinja2, which
    ``email-crisis lint FILE`` should not pay for when it never renders."""
    if name in _LAZY:
        from email_crisis.core.notify.lint import render

        return getattr(render, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_SHARED: dict[str, Linter] = {}
_SHARED_MAX = 8


def linter(config: LintConfig = DEFAULT_CONFIG) -> Linter:
    """A shared ``Linter`` for ``config`` (one per distinct config, caches kept)."""
    key = config.identity()
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        found = _SHARED[key] = Linter(config)
    return found


def check(
    fields: Mapping[str, str | None],
    context: LintContext | None = None,
    config: LintConfig = DEFAULT_CONFIG,
) -> list[Finding]:
    """Every finding for a draft (see the module docstring)."""
    return linter(config).check(fields, context)


__all__ = [
    "CONFIG_ENV",
    "DEFAULT_CONFIG",
    "FIELDS",
    "RULES",
    "Finding",
    "LintConfig",
    "LintConfigError",
    "LintContext",
    "Linter",
    "PhraseRule",
    "Rendered",
    "RuleInfo",
    "Severity",
    "check",
    "counts",
    "has_errors",
    "linter",
    "load_config",
    "parse_config",
    "render_template",
    "resolve_config_path",
    "sandbox",
]
