"""What a paragraph says, recorded for the document rules: incident and breach words,
protective steps, named data, kind hints, contacts, headings.

Negated phrases are not recorded ("no personal data was compromised" is not a breach
signal, "there is no need to change your password" is not a step), and a data word
right after an action verb ("change your password") is an action, not an exposure.
"""

from __future__ import annotations

from itertools import accumulate
from operator import not_

from email_crisis.core.base.regex import lazy_compile
from email_crisis.core.notify.lint.model import TEXT_FIELDS, Signal
from email_crisis.core.notify.lint.rules.base import Para

DATA: tuple[str, ...] = ("data_credentials", "data_payment", "data_contact", "data_identity")
PROTECTIVE: tuple[str, ...] = (
    "protect_credentials",
    "protect_payment",
    "protect_phishing",
    "protect_general",
)
KIND_HINTS: dict[str, str] = {
    "kind_personalization": "broken-personalization",
    "kind_wrong_segment": "wrong-segment",
    "kind_malformed": "malformed",
    "kind_wrong_content": "wrong-content",
}
"""Hint list -> incident kind, in the order ties are decided. A send to a suppression
list is never guessed: it forbids any apology, which only the assessment may decide."""

NEGATABLE: tuple[str, ...] = ("incident", "breach", *PROTECTIVE, *KIND_HINTS)
"""Lists recorded only where they are not negated."""
_NEGATABLE = frozenset(NEGATABLE)
_DATA = frozenset(DATA)
_new = tuple.__new__

_DOMAIN = lazy_compile(r"@[\w-]+(?:\.[\w-]+)+")
_PHONE = lazy_compile(r"[0-9][0-9 .()\-]{6,}[0-9]")
# A short service number ("39 49", "3949") counts when a word says it is a number to call.
_SHORT = lazy_compile(
    r"(?i)\b(?:au|call|phone|appelez(?:-nous)?|num[ée]ro|t[ée]l[ée]phon\w*)\b[^\n\d]{0,30}"
    r"(?P<number>\d{2} ?\d{2}(?: ?\d{2})?)\b"
)
_FOUR_DIGITS = lazy_compile(r"\d\d ?\d\d")  # what every _SHORT number holds
_OBFUSCATED = "[email protected]"  # an address hidden by a web page's e-mail protection
_DIGITS = "0123456789"
_SENTENCE_END = frozenset(".!?\n")
MIN_PHONE_DIGITS = 9
_HEADING_WORDS = 6
_ADD = frozenset({"add", "ajoutez", "ajouter"})


def scan(para: Para) -> None:
    """Record the signals of one paragraph of a text field."""
    if para.field not in TEXT_FIELDS:
        return
    data = False
    ends = para.tokens.ends
    recorded = para.signals
    for name, matches in para.matches.items():
        if name in _NEGATABLE:
            clauses = para.clauses
            if clauses.cues:
                matches = [m for m in matches if not clauses.negated(m.first, m.last)]
        elif name in _DATA:
            data = True
            continue
        elif name != "contact":
            continue
        if matches:
            # Para.signal and Para.span, inlined: this is every phrase the rules record.
            recorded.setdefault(name, []).extend(
                [_new(Signal, (ends[2 * m.first], ends[2 * m.last + 1], m.first)) for m in matches]
            )
    if data:
        _data(para)
    _contacts(para)
    if para.field == "body":
        _heading(para)


def _data(para: Para) -> None:
    """Record named data: a data word that is not negated nor the object of an action,
    in a sentence that says it was exposed ("was accessed", "ont été extraites") or
    lists several kinds of data ("nom, prénom, adresse e-mail")."""
    actions = para.lex.words["data_action"]
    found = [
        (name, match)
        for name in DATA
        for match in para.matches.get(name, ())
        if not para.negated(match) and not _after_action(para, match.first, actions)
    ]
    if not found:
        return
    sentence = _sentences(para)
    exposure = para.lex.words["exposure"]
    exposed = {
        sentence[i]
        for i, word in enumerate(para.tokens.words)
        if word in exposure or para.lemma(i) in exposure
    }
    per_sentence: dict[int, int] = {}
    for _, match in found:
        per_sentence[sentence[match.first]] = per_sentence.get(sentence[match.first], 0) + 1
    for name, match in found:
        where = sentence[match.first]
        if where in exposed or per_sentence[where] > 1:
            para.signal(name, *para.span(match), match.first)


def _sentences(para: Para) -> list[int]:
    """The sentence number of each word (sentences end at . ! ? and line breaks)."""
    count = len(para.tokens.words)
    if not count:
        return []
    # The gap before word i (i >= 1) is parts[2i]; each gap holding an end adds one.
    gaps = para.tokens.parts[2 : 2 * count - 1 : 2]
    return list(accumulate(map(not_, map(_SENTENCE_END.isdisjoint, gaps)), initial=0))


def _after_action(para: Para, first: int, actions: frozenset[str]) -> bool:
    """Whether one of the four words before ``first`` is an action verb."""
    return any(para.lemma(i) in actions for i in range(max(0, first - 4), first))


def _contacts(para: Para) -> None:
    text = para.text
    if "@" in text:
        for found in _DOMAIN.finditer(text):
            start = found.start()
            while start and (text[start - 1].isalnum() or text[start - 1] in "._+-"):
                start -= 1
            before = text[max(0, start - 12) : start].lower().split()
            if start < found.start() and not (before and before[-1] in _ADD):
                para.signal("contact", start, found.end())
        position = text.find(_OBFUSCATED)
        if position >= 0:
            para.signal("contact", position, position + len(_OBFUSCATED))
    if any(map(text.__contains__, _DIGITS)):
        for found in _PHONE.finditer(text):
            start, end = found.span()
            if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
                continue
            if sum(c.isdigit() for c in found.group()) >= MIN_PHONE_DIGITS:
                para.signal("contact", start - (start > 0 and text[start - 1] == "+"), end)
        # A short number only matters when nothing else does; it has four digits.
        if "contact" not in para.signals and _FOUR_DIGITS.search(text):
            for found in _SHORT.finditer(text):
                para.signal("contact", *found.span("number"))


def _heading(para: Para) -> None:
    """A greeting line or a short heading ("Whoops", "What happened:") says nothing yet."""
    text = para.text.strip(" \t\r\n\ue000")
    words = len(text.split(None, _HEADING_WORDS + 3))  # enough to tell "too long"
    if not text:  # template code only ({% ... %}), nothing said
        para.signal("heading", 0, len(para.text))
        return
    if words > _HEADING_WORDS + 2:
        return
    greeting = para.lex.greeting.match(text) is not None
    short = words <= _HEADING_WORDS and (
        text.endswith((",", ":")) or not text.endswith((".", "!", "?", "…"))
    )
    if greeting or short:
        para.signal("heading", 0, len(para.text))
