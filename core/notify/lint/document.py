"""The whole draft as the document rules see it: fields, paragraphs and signals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from email_crisis.core.notify.lint.model import (
    TEXT_FIELDS,
    Hit,
    LintContext,
    Located,
    Severity,
    Signal,
)
from email_crisis.core.notify.lint.positions import first_line

_new = tuple.__new__  # a named tuple without its Python-level __new__

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.config import LintConfig
    from email_crisis.core.notify.lint.lexicon import Lexicon
    from email_crisis.core.notify.lint.suppress import Directive


class Analysis(NamedTuple):
    """What the scanners found in one paragraph; cached by paragraph text (a named tuple:
    one is made per paragraph checked)."""

    hits: tuple[Hit, ...]
    signals: dict[str, list[Signal]]
    """Signal name -> where it was said (lists, but never changed once analysed)."""
    words: int
    breaks: int
    """Line breaks inside the paragraph (``\r\n`` counts once)."""
    places: tuple[tuple[int, int, int, int], ...]
    """(line, column, end line, end column) of each hit, relative to the paragraph."""


class Paragraph(NamedTuple):
    """One paragraph of a field, placed: where it is, its language, what it holds."""

    start: int
    end: int
    lang: str
    analysis: Analysis
    words_before: int
    line: int = 1
    """The line the paragraph starts on; paragraphs always start a line."""


# FieldText and Document are plain classes, not dataclasses: a dataclass costs about a
# millisecond to define, paid by every one-file ``email-crisis lint`` run.
class FieldText:
    """One field: its source text, the text the rules read, and its paragraphs."""

    __slots__ = ("masked", "name", "paragraphs", "text")

    def __init__(self, name: str, text: str, masked: str) -> None:
        self.name = name
        self.text = text
        self.masked = masked
        self.paragraphs: list[Paragraph] = []


class Document:
    """A draft being checked; judges read it and add document-level hits."""

    __slots__ = (
        "_first",
        "_where",
        "apology",
        "breach",
        "config",
        "context",
        "directives",
        "fields",
        "hits",
        "kind",
        "kind_evidence",
        "kind_inferred",
        "lang",
        "languages",
        "lexicons",
        "template",
    )

    def __init__(
        self,
        fields: dict[str, FieldText],
        context: LintContext,
        config: LintConfig,
        lang: str,
        lexicons: dict[str, Lexicon],
        template: bool,
        languages: frozenset[str] = frozenset(),
    ) -> None:
        self.fields = fields
        self.context = context
        self.config = config
        self.lang = lang
        self.lexicons = lexicons
        self.template = template
        self.languages = languages
        self.apology = False
        self.breach = False
        self.kind: str | None = None
        """The incident kind the rules follow: given (``context.kind``) or inferred."""
        self.kind_inferred = False
        self.kind_evidence: Located | None = None
        """For an inferred kind, the words it was inferred from (``None``: no clue)."""
        self.directives: list[Directive] = []
        self.hits: list[tuple[str, Hit]] = []
        self._first: dict[tuple[str, tuple[str, ...]], Located | None] = {}
        self._where: dict[str, dict[str, list[int]]] | None = None
        """Field -> signal -> numbers of the paragraphs that recorded it (built on first
        use: judges ask for many signals that most paragraphs lack)."""

    def has(self, name: str) -> bool:
        """Whether the draft has this field at all (a bare body file has no subject)."""
        return name in self.fields

    def text(self, name: str) -> str:
        return self.fields[name].text if name in self.fields else ""

    @property
    def lexicon(self) -> Lexicon:
        """The word lists of the draft's main language."""
        return self.lexicons[self.lang]

    def find_all(self, signal: str, names: tuple[str, ...] = TEXT_FIELDS) -> Iterator[Located]:
        """Every place ``signal`` was recorded, in field and text order."""
        if self._where is None:
            self._where = {}
            for field_name, field_text in self.fields.items():
                where: dict[str, list[int]] = {}
                for number, para in enumerate(field_text.paragraphs):
                    for recorded in para.analysis.signals:
                        where.setdefault(recorded, []).append(number)
                self._where[field_name] = where
        for name in names:
            text = self.fields.get(name)
            if text is None:
                continue
            for number in self._where[name].get(signal, ()):
                para = text.paragraphs[number]
                for found in para.analysis.signals[signal]:
                    yield _new(
                        Located,
                        (
                            name,
                            para.start + found.start,
                            para.start + found.end,
                            para.words_before + found.word,
                            number,
                        ),
                    )

    def find(self, signal: str, names: tuple[str, ...] = TEXT_FIELDS) -> Located | None:
        """The first place ``signal`` was recorded, or ``None`` (remembered per check)."""
        key = (signal, names)
        try:
            return self._first[key]
        except KeyError:
            found = self._first[key] = next(self.find_all(signal, names), None)
            return found

    def quote(self, name: str, start: int, end: int, limit: int = 40) -> str:
        """The text of field ``name`` at ``start``..``end``, shortened for a message."""
        piece = " ".join(self.text(name)[start:end].split())
        return piece if len(piece) <= limit else piece[: limit - 1] + "…"

    def anchor(self, name: str = "body") -> tuple[str, int, int]:
        """Where a finding about the draft as a whole points: the field's first line."""
        if name not in self.fields and "body" in self.fields:
            name = "body"
        if name not in self.fields:
            name = next(iter(self.fields), name)
        field = self.fields.get(name)
        # The masked text, so a leading {# lint #} or {% if %} line is not the anchor.
        start, end = first_line(field.masked) if field else (0, 0)
        return name, start, end

    def hit(
        self,
        name: str,
        rule: str,
        start: int,
        end: int,
        message: str,
        suggestion: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        """Report a document-level problem in field ``name``."""
        self.hits.append((name, Hit(rule, start, end, message, suggestion, severity)))
