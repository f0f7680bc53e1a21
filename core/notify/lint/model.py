"""The vocabulary of the rule checker: severities, fields, findings and the context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Literal, NamedTuple

FIELDS: tuple[str, ...] = ("from", "reply-to", "subject", "preheader", "body")
"""The parts of a draft that are checked, in the order findings are reported."""

TEXT_FIELDS: tuple[str, ...] = ("subject", "preheader", "body")
"""The fields written in prose (the address fields are checked apart)."""

FIELD_ORDER: dict[str, int] = {name: n for n, name in enumerate(FIELDS)}

Language = Literal["auto", "en", "fr"]
LANGUAGES: tuple[str, ...] = ("en", "fr")

Fields = Mapping[str, "str | None"]
"""A draft as field name -> text. A missing key or ``None`` means "not part of this
draft" (a bare body file has no subject); ``""`` means present but empty."""


class Severity(str, Enum):
    """How bad a finding is; ``error`` blocks the export unless overridden."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for error (worst) to 2 for info."""
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        """The severity named ``value`` (case-insensitive); ``ValueError`` otherwise."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (use one of: {names})") from None


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Finding(NamedTuple):
    """One problem in one field of a draft (a named tuple: immutable, and made in a tenth
    of the time a frozen dataclass takes; a check makes one per finding).

    ``start``/``end`` are character offsets (Unicode code points) into that field's
    text, ``end`` exclusive. ``line``/``column`` are 1-based and point at ``start``;
    ``end_line``/``end_column`` point at ``end`` (the first character after the
    span). Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``. ``suggestion`` is the
    replacement text for the span when there is an obvious fix (``""`` = delete it).
    """

    rule: str
    severity: Severity
    field: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    suggestion: str | None = None

    def sort_key(self) -> tuple[int, int, int, str, str]:
        """Fields in draft order, then position, then rule id: a stable order."""
        return (FIELD_ORDER.get(self.field, 99), self.start, self.end, self.rule, self.message)

    def as_record(self) -> dict[str, object]:
        """The JSON object ``email-crisis lint --format json`` prints for this finding."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "field": self.field,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class LintContext:
    """What the rules know besides the text.

    - ``kind``: the incident kind (``data-breach``, ``suppression-list-send``...).
      With a kind the draft is an apology; without one it is judged an apology only
      when it apologises or talks about a breach (so plain campaigns can be linted).
    - ``language``: ``auto`` detects English or French per paragraph.
    - ``template_name``: the brand template chosen in the Notify panel (``None`` = none).
    - ``rendered_with_brand``: whether the rendered email went through that template
      (``None`` = unknown; brand markers from the config decide when set).
    - ``check_template``: whether ``unbranded-template`` applies at all (the CLI turns
      it off when it cannot know, i.e. no brand markers are configured).
    - ``is_template``: the body is Jinja2 source (``None`` = detect from its tags).
    - ``apology_override``: the suppression-list lock was lifted with a reason.
    - ``data_exposed``: the assessment found personal data exposed (the draft is then
      held to the breach rules whatever its kind).
    - ``exposed``: the assessment's data categories (``core.assess.assessment.DATA_KINDS``
      ids: ``credentials``, ``payment-data``, ``email-addresses``...); the protective
      steps asked of a breach notice follow them.
    - ``purpose``: force ``apology`` or ``campaign`` rules instead of deciding.
    - ``list_unsubscribe``: the (List-Unsubscribe, List-Unsubscribe-Post) values the
      message will carry; ``None`` = not known, ``one-click-unsubscribe`` is skipped.

    Without a ``kind``, the kind is inferred from the draft's wording (see ``kinds``).
    """

    kind: str | None = None
    language: Language = "auto"
    template_name: str | None = None
    rendered_with_brand: bool | None = None
    check_template: bool = True
    is_template: bool | None = None
    apology_override: bool = False
    data_exposed: bool | None = None
    purpose: Literal["apology", "campaign"] | None = None
    list_unsubscribe: tuple[str | None, str | None] | None = None
    exposed: frozenset[str] = frozenset()


def counts(findings: list[Finding]) -> dict[Severity, int]:
    """How many findings of each severity."""
    tally = dict.fromkeys(Severity, 0)
    for finding in findings:
        tally[finding.severity] += 1
    return tally


def has_errors(findings: list[Finding]) -> bool:
    """Whether any finding has error severity (the export gate and the CLI's exit 1)."""
    return any(f.severity is Severity.ERROR for f in findings)


# -- what the scanners find, before it becomes a Finding --------------------------------

FAULT_FORM = "~fault_form"
NEGATION_WATCH = "~negation_watch"
IRONY_WORD = "~irony_word"
"""Tags of words the phrase matcher marks as it passes, for the scanners that need their
places: every form of a fault verb (passive voice), every word negation starts from
(clauses), and the words an irony mark holds (a test before the irony pattern). The
matcher looks at every word anyway; a set test per paragraph would be one more pass.
``~`` keeps them apart from the word lists' names."""


class Hit(NamedTuple):
    """A finding before it has a line, a column and its final severity (a named tuple:
    cheap to make and to define)."""

    rule: str
    start: int
    end: int
    message: str
    suggestion: str | None = None
    severity: Severity | None = None


class Signal(NamedTuple):
    """Where something the document rules care about was said (an apology...)."""

    start: int
    end: int
    word: int


class Located(NamedTuple):
    """A signal placed in the draft: field, absolute offsets, word number in the field
    (a named tuple: the judges ask for many on every check)."""

    field: str
    start: int
    end: int
    word: int
    paragraph: int
