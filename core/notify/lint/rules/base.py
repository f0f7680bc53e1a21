"""What every rule family shares: its description, and the views it reads and writes.

A family module (``rules/*.py``) declares ``LANGUAGES`` and ``RULES`` and may define:

- ``scan(para)``: look at one paragraph (or a one-line field) and add ``Hit``s and
  ``Signal``s to it. The result is cached by paragraph text, so ``scan`` must use
  nothing but the paragraph, its language and the config;
- ``judge(doc)``: decide things about the whole draft from the signals (no
  apology anywhere, breach notice without protective steps...). Cheap by design:
  it runs on every check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from email_crisis.core.notify.lint.model import Hit, Severity, Signal

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.config import LintConfig
    from email_crisis.core.notify.lint.lexicon import Lexicon
    from email_crisis.core.notify.lint.tokens import Match, Tokens

Scope = Literal["any", "apology"]


@dataclass(frozen=True)
class RuleInfo:
    """A rule's stable id, default severity and where it applies.

    ``scope`` is ``apology`` for rules that only make sense in an apology (they are
    skipped when a plain campaign is linted); ``options`` are the integer settings a
    config file may change, with their defaults.
    """

    id: str
    severity: Severity
    summary: str
    scope: Scope = "any"
    languages: tuple[str, ...] = ("en", "fr")
    options: Mapping[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Para:
    """One paragraph of a field as the scanners see it (offsets are paragraph-relative).

    ``text`` has the Jinja tags hidden (see ``jinja.mask``); ``matches`` holds the
    phrases found, by list name, longest first and without overlaps in one list.
    """

    field: str
    text: str
    template: bool
    lang: str
    lex: Lexicon
    config: LintConfig
    tokens: Tokens
    matches: dict[str, list[Match]]
    hits: list[Hit] = field(default_factory=list)
    signals: dict[str, list[Signal]] = field(default_factory=dict)

    def hit(
        self,
        rule: str,
        start: int,
        end: int,
        message: str,
        suggestion: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        """Report a problem at ``start``..``end`` of this paragraph."""
        self.hits.append(Hit(rule, start, end, message, suggestion, severity))

    def signal(self, name: str, start: int, end: int, word: int = 0) -> None:
        """Record that ``name`` was said here."""
        self.signals.setdefault(name, []).append(Signal(start, end, word))

    def span(self, match: Match) -> tuple[int, int]:
        """Offsets of a phrase match."""
        return self.tokens.span(match.first, match.last)

    def quote(self, start: int, end: int, limit: int = 40) -> str:
        """The text at ``start``..``end``, shortened for a message."""
        piece = " ".join(self.text[start:end].split())
        return piece if len(piece) <= limit else piece[: limit - 1] + "…"
