"""buried-lede: what happened belongs in the first paragraph.

"What happened" is any statement of the mistake or the breach that is not negated:
incident and breach words ("we sent", "unauthorized access"), a fault verb in any
voice ("hackers obtained", "passwords were written"), or wording of the incident kind
("intended only for new parents"). Greetings and one-line headings ("Whoops", "What
happened:") are not the first paragraph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.model import Located, Severity
from email_crisis.core.notify.lint.rules.apology import LOCKED, first_paragraph
from email_crisis.core.notify.lint.rules.base import RuleInfo
from email_crisis.core.notify.lint.signals import KIND_HINTS

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")
LEDE_WORDS = 60
STATEMENTS: tuple[str, ...] = ("incident", "breach", "fault", *KIND_HINTS)

RULES = (
    RuleInfo(
        "buried-lede",
        Severity.WARNING,
        "The first paragraph does not say what happened (or says it after max_words words).",
        scope="apology",
        options={"max_words": LEDE_WORDS},
        skip_kinds=LOCKED,
    ),
)


def first_statement(doc: Document) -> Located | None:
    """The body's first statement of what happened, or ``None``."""
    found = [located for name in STATEMENTS if (located := doc.find(name, ("body",))) is not None]
    return min(found, key=lambda f: f.start) if found else None


def judge(doc: Document) -> None:
    """Report a first paragraph that does not say what happened."""
    if not doc.has("body") or not doc.text("body").strip():
        return
    lex = doc.lexicon
    found = first_statement(doc)
    if found is None:
        name, start, end = doc.anchor()
        doc.hit(name, "buried-lede", start, end, lex.message("buried-lede.never"))
        return
    first = first_paragraph(doc)
    body = doc.fields["body"]
    if found.paragraph > first:
        quote = doc.quote("body", found.start, found.end)
        doc.hit(
            "body",
            "buried-lede",
            found.start,
            found.end,
            lex.message("buried-lede", phrase=quote),
        )
        return
    words_in = found.word - body.paragraphs[found.paragraph].words_before
    limit = doc.config.option("buried-lede", "max_words", LEDE_WORDS)
    if words_in >= limit:
        doc.hit(
            "body",
            "buried-lede",
            found.start,
            found.end,
            lex.message("buried-lede.long", number=words_in),
        )
