"""lint-directive: a ``{# lint: ... #}`` comment that switches nothing off as written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.model import Severity
from email_crisis.core.notify.lint.rules.base import RuleInfo

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")

RULES = (
    RuleInfo(
        "lint-directive",
        Severity.WARNING,
        "An inline lint comment with an unknown rule id or not of the form disable=ids.",
    ),
)


def judge(doc: Document) -> None:
    """Report directives that name unknown rules or cannot be read."""
    for directive in doc.directives:
        if directive.malformed:
            doc.hit(
                directive.field,
                "lint-directive",
                directive.start,
                directive.end,
                doc.lexicon.message("lint-directive.malformed"),
            )
        for rule in directive.unknown:
            doc.hit(
                directive.field,
                "lint-directive",
                directive.start,
                directive.end,
                doc.lexicon.message("lint-directive", phrase=rule),
            )
