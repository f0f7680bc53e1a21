"""Wording rules: jokes, hedging, minimising, blame, a defensive tone, selling, phishing-like
phrases and "click here" links. Each finding names the phrase and says what to write
instead, in the paragraph's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from email_crisis.core.base.regex import lazy_compile
from email_crisis.core.notify.lint import literal_scan
from email_crisis.core.notify.lint.model import IRONY_WORD, TEXT_FIELDS, Hit, Severity
from email_crisis.core.notify.lint.rules.apology import LOCKED, hedging_tails
from email_crisis.core.notify.lint.rules.base import BREACH, Para, RuleInfo
from email_crisis.core.notify.lint.tags import quoted
from email_crisis.core.notify.lint.tokens import Match, utf8

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")

RULES = (
    RuleInfo(
        "humor",
        Severity.WARNING,
        'Jokes, a flippant tone, irony marks ("No, really.", "!!"), emoji and emoticons.',
        scope="apology",
        skip_kinds=LOCKED,
    ),
    RuleInfo(
        "vague-language",
        Severity.WARNING,
        'Hedging about what happened ("may have been accessed", "some customers", "no '
        'indication", "out of an abundance of caution").',
        scope="apology",
        skip_kinds=LOCKED,
    ),
    RuleInfo(
        "minimising",
        Severity.WARNING,
        'Playing the mistake down ("rest assured", "only", "a limited number", "ce '
        'désagrément"); in a breach notice also "there is no need to take any action".',
        scope="apology",
        skip_kinds=LOCKED,
    ),
    RuleInfo(
        "blame-shifting",
        Severity.WARNING,
        "Blaming a vendor, a contractor, an employee or circumstances instead of owning the "
        "mistake (naming the attacker is not blame).",
        scope="apology",
        skip_kinds=LOCKED,
    ),
    RuleInfo(
        "defensive-tone",
        Severity.WARNING,
        'A defensive or legalistic tone ("a crime against us", "we are not liable", "nous ne '
        'sommes en aucune façon obligés").',
        scope="apology",
        skip_kinds=LOCKED,
    ),
    RuleInfo(
        "sales-pitch",
        Severity.WARNING,
        "Selling in an apology: calls to buy anywhere, a discount in the subject or before "
        "the apology (a goodwill offer after it is only advice).",
        scope="apology",
        skip_kinds=LOCKED,
    ),
    RuleInfo(
        "phishing-wording",
        Severity.WARNING,
        "Wording that phishing emails use; an error when a breach notice asks it of readers.",
        kind_severity={BREACH: Severity.ERROR},
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
EMOJI = lazy_compile(f"[{_PICTO}](?:[\ufe0f\u200d]|[{_PICTO}])*")

_LISTS: dict[str, tuple[str, str]] = {
    "humor": ("humor", "humor"),
    "vague": ("vague-language", "vague-language"),
    "vague_quantity": ("vague-language", "vague-language.quantity"),
    "vague_evidence": ("vague-language", "vague-language.evidence"),
    "vague_caution": ("vague-language", "vague-language.caution"),
    "minimising": ("minimising", "minimising"),
    "minimising_breach": ("minimising", "minimising"),
    "blame": ("blame-shifting", "blame-shifting"),
    "defensive": ("defensive-tone", "defensive-tone"),
    "sales": ("sales-pitch", "sales-pitch"),
    "discount": ("sales-pitch", "sales-pitch.discount"),
    "phishing": ("phishing-wording", "phishing-wording"),
    "click_here": ("click-here-link", "click-here-link"),
}
"""Word list -> (rule, message key)."""

_READER_SKIPS = frozenset({"vague"})
_QUOTE_SKIPS = frozenset({"click_here", "phishing"})
_DESCRIBED = frozenset({"to", "de", "pour", "a", "d"})


def scan(para: Para) -> None:
    """Report each phrase of the wording lists, irony marks, emoji and emoticons."""
    if para.field not in TEXT_FIELDS:
        return
    suggest = para.lex.suggest
    tails: list[Match] | None = None
    for tag, matches in para.matches.items():
        spec = _LISTS.get(tag)
        if spec is None:
            continue
        rule, key = spec
        for match in matches:
            if tag in _READER_SKIPS:
                if tails is None:
                    tails = list(hedging_tails(para).values())
                if _about_reader(para, match) or _overlaps(match, tails):
                    continue
            start, end = para.span(match)
            if tag in _QUOTE_SKIPS and quoted(para.text, start, end):
                continue
            para.hit(
                rule,
                start,
                end,
                para.message(key, phrase=para.quote(start, end)),
                suggest.get(match.phrase.text) if suggest else None,
                _tag(para, tag, match),
            )
    _patterns(para)
    _pictures(para)


def _tag(para: Para, tag: str, match: Match) -> Severity | None:
    """Hits the document refines carry a marker severity of INFO (see ``refine``)."""
    if tag in ("minimising_breach", "discount"):
        return Severity.INFO
    if tag == "phishing" and (
        match.first == 0 or para.tokens.words[match.first - 1] not in _DESCRIBED
    ):
        return None
    if tag == "phishing":
        return Severity.INFO  # described ("requires you to verify..."), not asked
    return None


def _about_reader(para: Para, match: Match) -> bool:
    """A hedge right after "you" ("you may have received") or right before it ("it is
    possible that you receive scam calls") is about the reader, not about the facts."""
    words = para.tokens.words
    reader = para.lex.words["reader"]
    before = words[match.first - 1] if match.first else ""
    after = words[match.last + 1] if match.last + 1 < len(words) else ""
    return before in reader or after in reader


def _overlaps(match: Match, others: list[Match]) -> bool:
    return any(o.first <= match.last and match.first <= o.last for o in others)


def _patterns(para: Para) -> None:
    text = para.text
    irony = para.lex.patterns.get("irony")
    if irony is not None and _may_be_ironic(text, para.matches):
        for found in literal_scan.finditer(irony, text):
            para.hit(
                "humor",
                found.start(),
                found.end(),
                para.message("humor.irony", phrase=para.quote(found.start(), found.end())),
            )
    discount = para.lex.patterns.get("discount")
    if discount is not None and "%" in text:
        for found in discount.finditer(text):
            para.hit(
                "sales-pitch",
                found.start(),
                found.end(),
                para.message("sales-pitch.discount", phrase=para.quote(found.start(), found.end())),
                None,
                Severity.INFO,
            )


_IRONY_CHARS = "!?("


def _may_be_ironic(text: str, matches: dict[str, list[Match]]) -> bool:
    """A cheap test before the irony pattern: each irony mark holds one of these
    characters or one of the words the matcher marks (``lexicon.IRONY_WORDS``)."""
    return any(map(text.__contains__, _IRONY_CHARS)) or IRONY_WORD in matches


def _pictures(para: Para) -> None:
    text = para.text
    # Emoji are outside the BMP (4-byte UTF-8) but for three faces: test that first.
    if not text.isascii() and (b"\xf0" in utf8(text) or any(map(text.__contains__, _FACES))):
        for found in EMOJI.finditer(text):
            para.hit("humor", found.start(), found.end(), para.message("humor.emoji"), "")
    for start, end in _emoticons(para):
        para.hit(
            "humor",
            start,
            end,
            para.message("humor.emoticon", phrase=text[start:end]),
            "",
        )


def _emoticons(para: Para) -> list[tuple[int, int]]:
    """Spans of emoticons. Each holds one of a few trigger strings; the full pattern is
    only tried where an emoticon holding the trigger could start: the right number of
    characters before it ("o_O"), and only when the character after it fits (the colon
    of "Note : " starts nothing)."""
    pattern = para.lex.emoticons
    if pattern is None:
        return []
    text = para.text
    triggers = para.lex.emoticon_triggers
    if not any(map(text.__contains__, triggers)):
        return []
    found: dict[int, int] = {}
    for trigger, ways in triggers.items():
        size = len(trigger)
        position = text.find(trigger)
        while position >= 0:
            for before, after in ways:
                start = position - before
                if (
                    start >= 0
                    and start not in found
                    and (after is None or text[position + size : position + size + 1] in after)
                ):
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


def refine(hit: Hit, doc: Document, default: Severity, field: str, start: int) -> Severity | None:
    """Severities that depend on the whole draft.

    - "no need to take any action" minimises only in a breach notice;
    - a discount is a warning in the subject or before the apology and what happened,
      else advice (a goodwill gesture after the apology);
    - phishing-like wording is an error in a breach notice; when it only describes
      ("the site now requires you to verify your identity") it is advice.
    """
    if hit.rule == "minimising" and hit.severity is Severity.INFO:
        return Severity.WARNING if doc.breach else None
    if hit.rule == "sales-pitch" and hit.severity is Severity.INFO:
        if field == "subject" or _before_the_apology(doc, field, start):
            return Severity.WARNING
        return Severity.INFO
    if hit.rule == "phishing-wording" and hit.severity is Severity.INFO:
        return Severity.INFO
    return default


def _before_the_apology(doc: Document, field: str, start: int) -> bool:
    if field != "body":
        return False
    first = [
        found.start
        for name in ("apology", "incident", "breach")
        if (found := doc.find(name, ("body",))) is not None
    ]
    return not first or start < min(first)
