"""What every rule family shares: its description, and the views it reads and writes.

A family module (``rules/*.py``) declares ``LANGUAGES`` and ``RULES`` and may define:

- ``scan(para)``: look at one paragraph (or a one-line field) and add ``Hit``s and
  ``Signal``s to it. The result is cached by paragraph text, so ``scan`` must use
  nothing but the paragraph, its language and the config;
- ``judge(doc)``: decide things about the whole draft from the signals (no
  apology anywhere, breach notice without protective steps...). Cheap by design:
  it runs on every check;
- ``refine(hit, doc, severity, field, start)``: decide a paragraph hit's severity
  from the whole draft (``None`` drops it).

Messages come from the language's catalogue (``[messages]`` in data/<lang>.toml):
``para.message(key, ...)`` for a paragraph, ``doc.lexicon.message`` for the draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from email_crisis.core.notify.lint.model import NEGATION_WATCH, Hit, Severity, Signal
from email_crisis.core.notify.lint.scope import Scope as Clauses

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.config import LintConfig
    from email_crisis.core.notify.lint.lexicon import Lexicon
    from email_crisis.core.notify.lint.tokens import Match, Tokens

Scope = Literal["any", "apology"]
_new = tuple.__new__
BREACH = "data-breach"


@dataclass(frozen=True)
class RuleInfo:
    """A rule's stable id, default severity and where it applies.

    ``scope`` is ``apology`` for rules that only make sense in an apology (they are
    skipped when a plain campaign is linted); ``kinds`` limits a rule to some incident
    kinds (``None``: every kind), ``skip_kinds`` turns it off for others, and
    ``kind_severity`` changes its severity for some kinds. ``options`` are the integer
    settings a config file may change, with their defaults.
    """

    id: str
    severity: Severity
    summary: str
    scope: Scope = "any"
    languages: tuple[str, ...] = ("en", "fr")
    options: Mapping[str, int] = field(default_factory=dict)
    kinds: frozenset[str] | None = None
    skip_kinds: frozenset[str] = frozenset()
    kind_severity: Mapping[str, Severity] = field(default_factory=dict)

    def severity_for(self, kind: str | None, breach: bool = False) -> Severity | None:
        """The severity for a draft of incident ``kind`` (``None``: the rule is off).

        ``breach`` is true when the draft is held to the breach rules whatever its kind
        (the assessment found personal data exposed).
        """
        if kind in self.skip_kinds:
            return None
        if (
            self.kinds is not None
            and kind not in self.kinds
            and not (breach and BREACH in self.kinds)
        ):
            return None
        if breach and BREACH in self.kind_severity:
            return self.kind_severity[BREACH]
        return self.kind_severity.get(kind or "", self.severity)


class Para:
    """One paragraph of a field as the scanners see it (offsets are paragraph-relative).

    ``text`` has the Jinja tags hidden (see ``jinja.mask``); ``matches`` holds the
    phrases found, by list name, longest first and without overlaps in one list.
    A plain slotted class: one is made per paragraph checked, and a dataclass's
    ``__init__`` (default factories) costs twice as much.
    """

    __slots__ = (
        "_clauses",
        "config",
        "field",
        "hits",
        "lang",
        "lex",
        "matches",
        "signals",
        "template",
        "text",
        "tokens",
    )

    def __init__(
        self,
        field: str,
        text: str,
        template: bool,
        lang: str,
        lex: Lexicon,
        config: LintConfig,
        tokens: Tokens,
        matches: dict[str, list[Match]],
    ) -> None:
        self.field = field
        self.text = text
        self.template = template
        self.lang = lang
        self.lex = lex
        self.config = config
        self.tokens = tokens
        self.matches = matches
        self.hits: list[Hit] = []
        self.signals: dict[str, list[Signal]] = {}
        self._clauses: Clauses | None = None

    @property
    def clauses(self) -> Clauses:
        """Clauses and negation of this paragraph (worked out on first use)."""
        if self._clauses is None:
            words = self.lex.words
            self._clauses = Clauses(
                self.tokens,
                words["negation"],
                words["clause_break"],
                words["negation_back"],
                [m.first for m in self.matches.get(NEGATION_WATCH, ())],  # marked by the matcher
            )
        return self._clauses

    def negated(self, match: Match) -> bool:
        """Whether a phrase sits in a negated clause ("no data was compromised")."""
        clauses = self._clauses or self.clauses
        return bool(clauses.cues) and clauses.negated(match.first, match.last)

    def message(self, key: str, **values: object) -> str:
        """Message ``key`` from this paragraph's language catalogue."""
        return self.lex.message(key, **values)

    def lemma(self, index: int) -> str:
        """The dictionary form of word ``index``."""
        word = self.tokens.words[index]
        return self.lex.lemmas.get(word, word)

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
        self.hits.append(_new(Hit, (rule, start, end, message, suggestion, severity)))

    def signal(self, name: str, start: int, end: int, word: int = 0) -> None:
        """Record that ``name`` was said here."""
        # Signal(...) without its Python-level __new__: the same named tuple, cheaper.
        self.signals.setdefault(name, []).append(_new(Signal, (start, end, word)))

    def span(self, match: Match) -> tuple[int, int]:
        """Offsets of a phrase match."""
        ends = self.tokens.ends  # Tokens.span, inlined: one call fewer per match
        return ends[2 * match.first], ends[2 * match.last + 1]

    def quote(self, start: int, end: int, limit: int = 40) -> str:
        """The text at ``start``..``end``, shortened for a message."""
        piece = " ".join(self.text[start:end].split())
        return piece if len(piece) <= limit else piece[: limit - 1] + "…"
