"""The subject line: it must say what happened, without shouting, and fit the inbox."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from email_crisis.core.base.regex import lazy_compile
from email_crisis.core.notify.lint.model import Severity
from email_crisis.core.notify.lint.rules.base import Para, RuleInfo

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")
MAX_LENGTH = 60

RULES = (
    RuleInfo(
        "subject-unclear",
        Severity.ERROR,
        'Missing subject, or one that does not say what happened ("Update", "Oops!", '
        "clickbait); in an apology, a subject without a word about the mistake.",
    ),
    RuleInfo(
        "subject-shouting",
        Severity.WARNING,
        "Capitals and repeated !/? in the subject.",
    ),
    RuleInfo(
        "subject-too-long",
        Severity.WARNING,
        "A subject longer than most inboxes show (max_length, 60 characters by default).",
        options={"max_length": MAX_LENGTH},
    ),
)

_WORD = lazy_compile(r"[^\W\d_]+")
_REPEATED = lazy_compile(r"[!?]{2,}|[!?]\s+[!?]")
_PREFIXES = frozenset({"re", "fwd", "fw", "tr"})
MIN_SHOUT = 4


def scan(para: Para) -> None:
    """Length, capitals, clickbait and a subject that is one vague word."""
    if para.field != "subject":
        return
    text = para.text
    _too_long(para, text)
    _shouting(para, text)
    for match in para.matches.get("clickbait", ()):
        start, end = para.span(match)
        para.hit(
            "subject-unclear",
            start,
            end,
            para.message("subject-unclear.clickbait", phrase=para.quote(start, end)),
            severity=Severity.WARNING,
        )
    words = list(para.tokens.words)
    while len(words) > 1 and words[0] in _PREFIXES:
        words.pop(0)
    if words and " ".join(words) in para.lex.subject_vague:
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        para.hit(
            "subject-unclear",
            start,
            end,
            para.message("subject-unclear.vague", phrase=para.quote(start, end)),
            para.lex.texts.get("subject"),
        )
    for name in ("subject_topic", "subject_topic_breach"):
        for match in para.matches.get(name, ()):
            para.signal(name, *para.span(match), match.first)


def _too_long(para: Para, text: str) -> None:
    limit = para.config.option("subject-too-long", "max_length", MAX_LENGTH)
    end = len(text.rstrip())
    if end > limit:
        para.hit(
            "subject-too-long",
            limit,
            end,
            para.message("subject-too-long", number=end, limit=limit),
        )


def _shouting(para: Para, text: str) -> None:
    acronyms = para.lex.acronyms
    loud = [
        m
        for m in _WORD.finditer(text)
        if len(m.group()) >= MIN_SHOUT and m.group().isupper() and m.group() not in acronyms
    ]
    runs: list[list[re.Match[str]]] = []
    for word in loud:
        if runs and _WORD.search(text, runs[-1][-1].end(), word.start()) is None:
            runs[-1].append(word)
        else:
            runs.append([word])
    for run in runs:
        start, end = run[0].start(), run[-1].end()
        pieces = []
        position = start
        for word in run:
            pieces.append(text[position : word.start()])
            pieces.append(word.group().lower())
            position = word.end()
        pieces.append(text[position:end])
        fixed = "".join(pieces)
        if not text[:start].strip():
            fixed = fixed[:1].upper() + fixed[1:]
        para.hit(
            "subject-shouting",
            start,
            end,
            para.message("subject-shouting", phrase=para.quote(start, end)),
            fixed,
        )
    if "!" in text or "?" in text:
        for found in _REPEATED.finditer(text):
            para.hit(
                "subject-shouting",
                found.start(),
                found.end(),
                para.message("subject-shouting.marks", phrase=found.group()),
                found.group()[0],
            )


def judge(doc: Document) -> None:
    """A missing subject; in an apology, a subject that never names the problem."""
    if not doc.has("subject"):
        return
    text = doc.text("subject")
    field = doc.fields["subject"]
    lang = field.paragraphs[0].lang if field.paragraphs else doc.lang
    lex = doc.lexicons.get(lang, doc.lexicon)
    wanted = lex.subject_for(doc.kind, doc.breach)
    if not text.strip():
        doc.hit(
            "subject",
            "subject-unclear",
            0,
            len(text),
            lex.message("subject-unclear.empty"),
            wanted,
            Severity.ERROR,
        )
        return
    # A breach notice's subject must say it is about a breach ("password" alone does not).
    topic = "subject_topic_breach" if doc.breach else "subject_topic"
    if not doc.apology or doc.find(topic, ("subject",)) is not None:
        return
    if any(h.rule == "subject-unclear" for p in field.paragraphs for h in p.analysis.hits):
        return
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    doc.hit(
        "subject",
        "subject-unclear",
        start,
        end,
        lex.message("subject-unclear.breach" if doc.breach else "subject-unclear.topic"),
        wanted,
        Severity.WARNING,
    )
