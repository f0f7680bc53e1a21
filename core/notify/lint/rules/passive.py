"""passive-voice: the mistake told without saying who made it ("passwords were written to
a log", "des données ont été extraites", "un mail transmis par erreur").

A past participle of a fault verb (``fault_verbs``: access, expose, send, write...;
pirater, extraire, transmettre...) after a past form of "be" (``passive_aux``: was,
were, been; été), or followed by "in error" / "par erreur" with no auxiliary at all,
and with no "by ..." agent after it in the clause. Negated clauses ("no card data was
accessed") and passives about the fix ("measures were taken": not a fault verb) are
left alone. When the draft says elsewhere, in the active voice, who did it ("an
unauthorized party accessed...", "hackers may have obtained..."), the passive hides
nobody and is not reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.model import FAULT_FORM, TEXT_FIELDS, Hit, Severity
from email_crisis.core.notify.lint.rules.apology import LOCKED
from email_crisis.core.notify.lint.rules.base import Para, RuleInfo

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")
_AGENT_REACH = 6
_AVOIR = frozenset({"a", "ont", "avait", "avaient", "avons", "avez", "aurait", "auraient", "ai"})
_MODAL_PAST = frozenset({"pu"})
# "the accessed files": a participle used as an adjective names nobody.
_DETERMINERS = frozenset({"the", "a", "an", "this", "these", "those", "any", "all", "some"})
_FR_PARTICIPLE = (
    "e",
    "es",
    "i",
    "is",
    "it",
    "its",
    "ite",
    "ites",
    "u",
    "us",
    "ue",
    "ues",
    "t",
    "ts",
)

RULES = (
    RuleInfo(
        "passive-voice",
        Severity.WARNING,
        "The mistake told in the passive voice without saying who did it, when the draft "
        "never says it elsewhere.",
        scope="apology",
        skip_kinds=LOCKED,
    ),
)


def _participle(para: Para, word: str, lemma: str) -> bool:
    if word == lemma:
        return False
    if para.lang == "fr":
        return word.endswith(_FR_PARTICIPLE)
    return not word.endswith(("ing", "s"))


def scan(para: Para) -> None:
    """Report agentless passives of fault verbs; record active mentions as ``agent``."""
    if para.field not in TEXT_FIELDS:
        return
    lex = para.lex
    fault = lex.words["fault_verbs"]
    if not fault:
        return
    at = para.matches.get(FAULT_FORM)  # every form of a fault verb, marked by the matcher
    if not at:
        return
    words = para.tokens.words
    aux = lex.words["passive_aux"]
    skip = lex.words["passive_skip"]
    tails = {m.first: m for m in para.matches.get("agentless_tail", ())}
    for i in [m.first for m in at]:
        word = words[i]
        lemma = lex.lemma(word)
        j = i - 1
        while j >= 0 and words[j] in skip:
            j -= 1
        before = words[j] if j >= 0 else ""
        participle = _participle(para, word, lemma)
        if participle and before in aux:
            first = j
        elif participle and i + 1 in tails and before not in _AVOIR:
            first = i
        else:
            if not para.clauses.negated(i, i) and _active(para, participle, before):
                para.signal("agent", *para.tokens.span(i, i), i)
            continue
        if para.clauses.negated(first, i) or _about_reader(para, first):
            continue
        para.signal("fault", *para.tokens.span(first, i), first)
        if _has_agent(para, i):
            continue
        start, end = para.tokens.span(first, i)
        para.hit(
            "passive-voice",
            start,
            end,
            para.message("passive-voice", phrase=para.quote(start, end)),
        )


def _about_reader(para: Para, first: int) -> bool:
    """ "you have been compromised" is about the reader, not a hidden actor."""
    words = para.tokens.words
    reader = para.lex.words["reader"]
    return any(words[k] in reader for k in range(max(0, first - 2), first))


def _active(para: Para, participle: bool, before: str) -> bool:
    """Whether a fault verb is in the active voice (someone did it: "hackers obtained").

    English: an inflected form ("accessed", "stole"), not after a form of "be". French:
    a participle after "avoir" ("ont accédé") or an infinitive after "pu" ("a pu
    accéder"); a bare participle ("les données extraites") names nobody.
    """
    if para.lang == "fr":
        return (participle and before in _AVOIR) or before in _MODAL_PAST
    return participle and before not in _DETERMINERS


def _has_agent(para: Para, i: int) -> bool:
    """Whether "by ..." / "par ..." follows word ``i`` in its clause."""
    words = para.tokens.words
    lex = para.lex
    agent_words = lex.words["agent_word"]
    not_agent = lex.words["not_agent"]
    clauses = para.clauses
    for k in range(i + 1, min(len(words), i + 1 + _AGENT_REACH)):
        if not clauses.same_clause(i, k):
            return False
        if words[k] in agent_words and k + 1 < len(words):
            following = words[k + 1]
            if following not in not_agent and lex.lemma(following) not in not_agent:
                return True
    return False


def refine(hit: Hit, doc: Document, default: Severity, field: str, start: int) -> Severity | None:
    """A passive is not evasive when the draft names the actor elsewhere."""
    return None if doc.find("agent") is not None else default
