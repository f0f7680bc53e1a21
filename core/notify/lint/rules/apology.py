"""The apology itself: there is one, it is not hedged, it comes first; a way to reach a
person; and no apology at all after a send to a suppression list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.lexicon import fold_key
from email_crisis.core.notify.lint.model import TEXT_FIELDS, Hit, Located, Severity
from email_crisis.core.notify.lint.rules.base import Para, RuleInfo
from email_crisis.core.notify.lint.tokens import Match

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")
LOCKED = frozenset({"suppression-list-send"})
_TAIL_WORDS = 15
_SENTENCE_END = frozenset(".!?:;\n")

RULES = (
    RuleInfo(
        "no-apology",
        Severity.ERROR,
        'No explicit apology. Conditional ones ("sorry if", "sorry for any trouble this may '
        'cause", "désolés si") and regret ("we deeply regret") do not count.',
        scope="apology",
        skip_kinds=LOCKED,
    ),
    RuleInfo(
        "apology-not-allowed",
        Severity.ERROR,
        "Any apology for a suppression-list-send incident (unless the lock was overridden).",
        scope="apology",
        kinds=LOCKED,
    ),
    RuleInfo(
        "apology-position",
        Severity.WARNING,
        "The first apology is not in the first paragraph (greetings and headings aside).",
        scope="apology",
        skip_kinds=LOCKED,
    ),
    RuleInfo(
        "missing-contact",
        Severity.WARNING,
        "Nothing says how to reach a person (reply to this email, a support address, a "
        "phone number...).",
        scope="apology",
        skip_kinds=LOCKED,
    ),
)


_NAMES = frozenset({"conditional", "apology", "regret"})
"""The word lists ``scan`` reads (``conditional_tail`` only matters beside an apology)."""


def scan(para: Para) -> None:
    """Record apologies (hedged ones are hits), regrets and where sentences hedge them."""
    if para.field not in TEXT_FIELDS or _NAMES.isdisjoint(para.matches):
        return  # nothing to record: most paragraphs
    hedged: list[tuple[int, int]] = []
    for match in para.matches.get("conditional", ()):
        start, end = para.span(match)
        hedged.append((start, end))
        _conditional(para, start, end, match.first, fold_key(match.phrase.text))
    tails = para.matches.get("conditional_tail", ())
    # A hedge belongs to the apology before it, unless another apology, regret or
    # hedged apology comes in between ("sorry this happened and regret any trouble
    # it may cause": the hedge is the regret's).
    stops = sorted(
        m.first for name in ("apology", "regret", "conditional") for m in para.matches.get(name, ())
    )
    for match in para.matches.get("apology", ()):
        start, end = para.span(match)
        if any(s < end and start < e for s, e in hedged):
            continue
        following = [f for f in stops if f > match.last]
        tail = _tail(para, match.last, tails, following[0] if following else None)
        if tail is not None:
            _conditional(para, start, para.span(tail)[1], match.first, None)
        else:
            para.signal("apology", start, end, match.first)
    for match in para.matches.get("regret", ()):
        para.signal("regret", *para.span(match), match.first)


def _conditional(para: Para, start: int, end: int, word: int, key: str | None) -> None:
    para.signal("conditional", start, end, word)
    para.hit(
        "no-apology",
        start,
        end,
        para.message("no-apology.conditional", phrase=para.quote(start, end)),
        para.lex.suggest.get(key) if key else None,
    )


def hedging_tails(para: Para) -> dict[int, Match]:
    """Apology (by first word) -> the hedge later in its sentence that makes it
    conditional ("we apologise for the trouble this may cause").

    A hedge belongs to the apology before it, unless another apology, a regret or a
    hedged apology comes in between ("sorry this happened and regret any trouble it
    may cause": the hedge is the regret's).
    """
    tails = para.matches.get("conditional_tail", ())
    apologies = para.matches.get("apology", ())
    if not tails or not apologies:
        return {}
    stops = sorted(
        m.first for name in ("apology", "regret", "conditional") for m in para.matches.get(name, ())
    )
    found = {}
    for match in apologies:
        following = [f for f in stops if f > match.last]
        tail = _tail(para, match.last, tails, following[0] if following else None)
        if tail is not None:
            found[match.first] = tail
    return found


def _tail(para: Para, last: int, tails: list[Match], stop: int | None) -> Match | None:
    """A hedge ("this may cause") later in the apology's sentence, or ``None``."""
    tokens = para.tokens
    for tail in tails:
        if tail.first <= last or tail.first - last > _TAIL_WORDS:
            continue
        if stop is not None and tail.first > stop:
            continue
        between = "".join(tokens.parts[2 * last + 2 : 2 * tail.first + 1 : 2])
        if not any(c in _SENTENCE_END for c in between):
            return tail
    return None


def refine(hit: Hit, doc: Document, default: Severity, field: str, start: int) -> Severity | None:
    """A hedged apology beside a real one is advice (info), else an error."""
    if hit.rule != "no-apology":
        return default
    return Severity.INFO if doc.find("apology") is not None else default


def judge(doc: Document) -> None:
    """The document-level apology rules."""
    if doc.kind in LOCKED:
        _not_allowed(doc)
    lex = doc.lexicon
    apology = doc.find("apology")
    if apology is None and doc.find("conditional") is None:
        regret = doc.find("regret")
        if regret is not None:
            quote = doc.quote(regret.field, regret.start, regret.end)
            doc.hit(
                regret.field,
                "no-apology",
                regret.start,
                regret.end,
                lex.message("no-apology.regret", phrase=quote),
                None,
            )
        else:
            name, start, end = doc.anchor()
            doc.hit(
                name,
                "no-apology",
                start,
                end,
                lex.message("no-apology", fix=lex.texts.get("apology", "")),
            )
    _position(doc)
    if doc.find("contact") is None:
        name, start, end = doc.anchor()
        doc.hit(
            name,
            "missing-contact",
            start,
            end,
            lex.message("missing-contact", fix=lex.texts.get("contact", "")),
        )
    if doc.has("from") and not doc.text("from").strip():
        doc.hit(
            "from", "missing-contact", 0, len(doc.text("from")), lex.message("missing-contact.from")
        )


def first_paragraph(doc: Document) -> int:
    """The body's first paragraph that is not a greeting or a heading."""
    body = doc.fields.get("body")
    if body is None:
        return 0
    for number, para in enumerate(body.paragraphs):
        if "heading" not in para.analysis.signals:
            return number
    return 0


def _position(doc: Document) -> None:
    found: Located | None = doc.find("apology", ("body",))
    if found is None:
        return
    first = first_paragraph(doc)
    if found.paragraph <= first:
        return
    doc.hit(
        "body",
        "apology-position",
        found.start,
        found.end,
        doc.lexicon.message(
            "apology-position",
            phrase=doc.quote("body", found.start, found.end),
            number=found.paragraph - first + 1,
        ),
    )


def _not_allowed(doc: Document) -> None:
    if doc.context.apology_override:
        return
    found = doc.find("apology") or doc.find("conditional")
    name, start, end = (found.field, found.start, found.end) if found else doc.anchor()
    doc.hit(name, "apology-not-allowed", start, end, doc.lexicon.message("apology-not-allowed"))
