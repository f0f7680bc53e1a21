"""What an apology must hold: an apology, what happened near the top, protective steps
after a breach, a way to reach a person; and no apology at all after a send to a
suppression list."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.lexicon import fold_key
from email_crisis.core.notify.lint.model import TEXT_FIELDS, Hit, Severity
from email_crisis.core.notify.lint.rules.base import Para, RuleInfo

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")
LOCKED_KINDS = frozenset({"suppression-list-send"})
BREACH_KINDS = frozenset({"data-breach"})
LEDE_WORDS = 60
_GREETING_WORDS = 6

RULES = (
    RuleInfo(
        "no-apology",
        Severity.ERROR,
        'No explicit apology; conditional ones ("sorry if", "désolés si") do not count.',
        scope="apology",
    ),
    RuleInfo(
        "apology-not-allowed",
        Severity.ERROR,
        "Any apology for a suppression-list-send incident (unless the lock was overridden).",
        scope="apology",
    ),
    RuleInfo(
        "buried-lede",
        Severity.WARNING,
        "What happened is not said in the first paragraph (or the first max_words words).",
        scope="apology",
        options={"max_words": LEDE_WORDS},
    ),
    RuleInfo(
        "missing-action-steps",
        Severity.ERROR,
        "A data-breach notice without protective steps (change the password, turn on 2FA).",
        scope="apology",
    ),
    RuleInfo(
        "missing-contact",
        Severity.WARNING,
        "Nothing says how to reach a person (reply to this email, a support address...).",
        scope="apology",
    ),
)

_SIGNALS = ("incident", "breach", "protective", "contact")
# Regexes that start with a literal are fast; a local part is found by walking left.
_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"[0-9][0-9 .()\-]{6,}[0-9]")
_DIGITS = "0123456789"
MIN_PHONE_DIGITS = 9


def scan(para: Para) -> None:
    """Record apologies, hedged apologies, incident words, breach words, steps, contacts."""
    if para.field not in TEXT_FIELDS:
        return
    hedged = []
    for match in para.matches.get("conditional", ()):
        start, end = para.span(match)
        hedged.append((start, end))
        para.signal("conditional", start, end, match.first)
        para.hit(
            "no-apology",
            start,
            end,
            f"{para.quote(start, end)!r} is a conditional apology, which reads as no "
            "apology; say plainly that you are sorry.",
            para.lex.suggest.get(fold_key(match.phrase.text)),
        )
    for match in para.matches.get("apology", ()):
        start, end = para.span(match)
        if not any(s < end and start < e for s, e in hedged):
            para.signal("apology", start, end, match.first)
    for name in _SIGNALS:
        for match in para.matches.get(name, ()):
            para.signal(name, *para.span(match), match.first)
    text = para.text
    if "@" in text:
        for found in _DOMAIN.finditer(text):
            start = found.start()
            while start and (text[start - 1].isalnum() or text[start - 1] in "._+-"):
                start -= 1
            if start < found.start():
                para.signal("contact", start, found.end())
    if any(digit in text for digit in _DIGITS):
        for found in _PHONE.finditer(text):
            start, end = found.span()
            if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
                continue
            if sum(c.isdigit() for c in found.group()) >= MIN_PHONE_DIGITS:
                para.signal("contact", start - (start > 0 and text[start - 1] == "+"), end)


def refine(hit: Hit, doc: Document, default: Severity) -> Severity | None:
    """A hedged apology is an error only when there is no real apology elsewhere; after
    a suppression-list send, apology-not-allowed says it all."""
    if hit.rule != "no-apology":
        return default
    if doc.context.kind in LOCKED_KINDS:
        return None
    return Severity.WARNING if doc.find("apology") is not None else default


def judge(doc: Document) -> None:
    """The document-level apology rules."""
    if doc.context.kind in LOCKED_KINDS:
        _not_allowed(doc)
        return
    if doc.find("apology") is None and doc.find("conditional") is None:
        name, start, end = doc.anchor()
        doc.hit(
            name,
            "no-apology",
            start,
            end,
            'The email never says sorry; an explicit "we are sorry" matters to readers.',
        )
    _buried_lede(doc)
    _action_steps(doc)
    if doc.find("contact") is None:
        name, start, end = doc.anchor()
        doc.hit(
            name,
            "missing-contact",
            start,
            end,
            "Nothing says how to reach a person; add a line such as 'reply to this email' "
            "or a support address.",
        )
    if doc.has("from") and not doc.text("from").strip():
        doc.hit("from", "missing-contact", 0, len(doc.text("from")), "The From address is empty.")


def _not_allowed(doc: Document) -> None:
    if doc.context.apology_override:
        return
    found = doc.find("apology") or doc.find("conditional")
    name, start, end = (found.field, found.start, found.end) if found else doc.anchor()
    doc.hit(
        name,
        "apology-not-allowed",
        start,
        end,
        "This incident was a send to a suppression list: these people asked for no "
        "email, so do not write to them again, not even to apologise.",
    )


def _buried_lede(doc: Document) -> None:
    if not doc.has("body") or not doc.text("body").strip():
        return
    body = doc.fields["body"]
    found = doc.find("incident", ("body",))
    if found is None:
        name, start, end = doc.anchor()
        doc.hit(
            name,
            "buried-lede",
            start,
            end,
            "The email never says plainly what happened (what was sent, to whom, what went wrong).",
        )
        return
    first = 0
    for number, para in enumerate(body.paragraphs):
        piece = body.text[para.start : para.end].strip()
        if para.analysis.words <= _GREETING_WORDS and piece.endswith((",", ":")):
            first = number + 1
            continue
        break
    limit = doc.config.option("buried-lede", "max_words", LEDE_WORDS)
    if found.paragraph <= first or found.word < limit:
        return
    doc.hit(
        "body",
        "buried-lede",
        found.start,
        found.end,
        f"What happened is first said here, {found.word} words in; say it in the first paragraph.",
    )


def _action_steps(doc: Document) -> None:
    if not doc.breach or doc.find("protective") is not None:
        return
    found = doc.find("breach")
    name, start, end = (found.field, found.start, found.end) if found else doc.anchor()
    doc.hit(
        name,
        "missing-action-steps",
        start,
        end,
        "A breach notice must tell people how to protect themselves: change or reset "
        "their password, turn on two-factor authentication, watch their accounts.",
    )
