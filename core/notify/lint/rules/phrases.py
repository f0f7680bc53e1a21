"""Wording rules: jokes, hedging, blame, phishing-like phrases and "click here" links."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.lexicon import fold_key
from email_crisis.core.notify.lint.model import TEXT_FIELDS, Hit, Severity
from email_crisis.core.notify.lint.rules.base import Para, RuleInfo
from email_crisis.core.notify.lint.tokens import utf8

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")

RULES = (
    RuleInfo(
        "humor",
        Severity.WARNING,
        "Jokes, a flippant tone, emoji and emoticons.",
        scope="apology",
    ),
    RuleInfo(
        "vague-language",
        Severity.WARNING,
        "Hedging, minimising and weasel wording.",
        scope="apology",
    ),
    RuleInfo(
        "blame-shifting",
        Severity.WARNING,
        "Blaming a third party, a vendor or circumstances instead of owning the mistake.",
        scope="apology",
    ),
    RuleInfo(
        "phishing-wording",
        Severity.WARNING,
        "Wording that phishing emails use; an error in a breach notice.",
    ),
    RuleInfo(
        "click-here-link",
        Severity.WARNING,
        'Link text such as "click here" that does not say where the link goes.',
    ),
)

# Pictographs, faces, people and objects; ZWJ sequences, skin tones and variation
# selectors are taken as part of the same emoji. Symbols such as check marks are not.
_PICTO = (
    "\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff"
    "\U0001f900-\U0001f9ff\U0001fa70-\U0001faff\u2639\u263a\u263b"
)
_FACES = "\u2639\u263a\u263b"
EMOJI = re.compile(f"[{_PICTO}](?:[\ufe0f\u200d]|[{_PICTO}])*")

_MESSAGES = {
    "humor": (
        "humor",
        "{q!r} sounds like a joke; an apology reads best plain and serious.",
    ),
    "vague": (
        "vague-language",
        "{q!r} hedges; say plainly what happened and to how many people.",
    ),
    "blame": (
        "blame-shifting",
        "{q!r} shifts the blame; own the mistake, then say what you changed.",
    ),
    "phishing": (
        "phishing-wording",
        "{q!r} is what phishing emails say; people may report this email as a scam.",
    ),
    "click_here": (
        "click-here-link",
        "{q!r} does not say where the link goes; name the destination or the action.",
    ),
}


def scan(para: Para) -> None:
    """Report each phrase of the humor, vague, blame, phishing and click-here lists."""
    if para.field not in TEXT_FIELDS:
        return
    suggest = para.lex.suggest
    for tag, (rule, template) in _MESSAGES.items():
        for match in para.matches.get(tag, ()):
            start, end = para.span(match)
            para.hit(
                rule,
                start,
                end,
                template.format(q=para.quote(start, end)),
                suggest.get(fold_key(match.phrase.text)),
            )
    text = para.text
    # Emoji are outside the BMP (4-byte UTF-8) but for three faces: test that first.
    if not text.isascii() and (b"\xf0" in utf8(text) or any(c in text for c in _FACES)):
        for found in EMOJI.finditer(text):
            para.hit(
                "humor",
                found.start(),
                found.end(),
                "Emoji read as flippant in an apology; leave them out.",
                "",
            )
    for start, end in _emoticons(para):
        para.hit(
            "humor",
            start,
            end,
            f"The emoticon {text[start:end]!r} reads as flippant in an apology; leave it out.",
            "",
        )


def _emoticons(para: Para) -> list[tuple[int, int]]:
    """Spans of emoticons. Each holds one of a few trigger strings; the full pattern is
    only tried where a trigger occurs (or one character before it, for "o_O")."""
    pattern = para.lex.emoticons
    if pattern is None:
        return []
    text = para.text
    found: dict[int, int] = {}
    for trigger in para.lex.emoticon_triggers:
        position = text.find(trigger)
        while position >= 0:
            for start in (position - 1, position):
                if start >= 0 and start not in found:
                    match = pattern.match(text, start)
                    if match is not None:
                        found[start] = match.end()
            position = text.find(trigger, position + 1)
    spans = []
    reach = -1
    for start in sorted(found):
        if start >= reach:
            spans.append((start, found[start]))
            reach = found[start]
    return spans


def refine(hit: Hit, doc: Document, default: Severity) -> Severity | None:
    """Phishing-like wording in a breach notice is an error, not a warning."""
    return Severity.ERROR if hit.rule == "phishing-wording" and doc.breach else default
