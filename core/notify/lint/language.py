"""English or French? Counted from common words, per paragraph and for the draft.

data/common.toml lists, for each language, frequent words the other does not share
("the", "and" / "les", "nous"). A paragraph is judged on its own when one language
clearly wins (at least ``MIN_VOTES`` words and twice the other's count), so a
bilingual email gets each half checked with the right word lists; short or mixed
paragraphs (a greeting, a signature) follow the draft's language. The draft's
language is the one with more votes overall; English on a tie or with no votes.
"""

from __future__ import annotations

from collections.abc import Iterable

from email_crisis.core.notify.lint.lexicon import load_common
from email_crisis.core.notify.lint.tokens import fold_word, tokenize

MIN_VOTES = 3
DEFAULT = "en"
LANGS: tuple[str, ...] = ("en", "fr")


def _words(lang: str) -> frozenset[str]:
    cached = _DETECT.get(lang)
    if cached is None:
        cached = frozenset(fold_word(w) for w in load_common()["detect"].get(lang, ()))
        _DETECT[lang] = cached
    return cached


_DETECT: dict[str, frozenset[str]] = {}
_EITHER: list[tuple[frozenset[str], frozenset[str], bool]] = []
"""(English words, both languages' words, whether no word is in both), built once."""


def votes(words: Iterable[str]) -> tuple[int, int]:
    """(English votes, French votes) for folded ``words``."""
    listed = words if isinstance(words, list) else list(words)
    if not _EITHER:
        en, fr = _words("en"), _words("fr")
        _EITHER.append((en, en | fr, en.isdisjoint(fr)))
    en, either, apart = _EITHER[0]
    # One pass over every word keeps the voters (a fifth of them), the second pass only
    # those; filter() keeps both in C, cheaper than summing a map of booleans.
    voters = list(filter(either.__contains__, listed))
    english = len(list(filter(en.__contains__, voters)))
    if apart:
        return english, len(voters) - english
    return english, len(list(filter(_words("fr").__contains__, voters)))


def decided(en: int, fr: int) -> str | None:
    """The clear winner of a paragraph's votes, or ``None`` when it is too close."""
    if en >= MIN_VOTES and en >= 2 * fr:
        return "en"
    if fr >= MIN_VOTES and fr >= 2 * en:
        return "fr"
    return None


def overall(en: int, fr: int) -> str:
    """The draft's language from all its votes."""
    return "fr" if fr > en else DEFAULT


def detect(text: str) -> str:
    """The language of ``text``: ``en`` or ``fr``."""
    return overall(*votes(tokenize(text).words))
