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


def votes(words: Iterable[str]) -> tuple[int, int]:
    """(English votes, French votes) for folded ``words``."""
    listed = words if isinstance(words, list) else list(words)
    en, fr = _words("en"), _words("fr")
    # filter() keeps the work in C; cheaper than summing a map of booleans.
    return len(list(filter(en.__contains__, listed))), len(list(filter(fr.__contains__, listed)))


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
