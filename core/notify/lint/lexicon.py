"""The word lists of one language (core/notify/lint/data/<lang>.toml plus the config), compiled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.notify.lint.config import LintConfig
from email_crisis.core.notify.lint.model import LANGUAGES
from email_crisis.core.notify.lint.tokens import (
    Phrase,
    PhraseMatcher,
    compile_phrase,
    fold_word,
    tokenize,
)

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

DATA_DIR = Path(__file__).resolve().parent / "data"

BODY_LISTS: tuple[str, ...] = (
    "apology",
    "conditional",
    "humor",
    "vague",
    "blame",
    "phishing",
    "click_here",
    "incident",
    "breach",
    "protective",
    "contact",
)
"""Phrase lists searched in every text field."""

SUBJECT_LISTS: tuple[str, ...] = ("clickbait", "subject_topic")
"""Phrase lists searched in the subject only."""

OTHER_LISTS: tuple[str, ...] = (
    "subject_vague",
    "greeting",
    "greeting_needs_name",
    "noreply",
    "acronyms",
    "emoticons",
)
LIST_NAMES: tuple[str, ...] = BODY_LISTS + SUBJECT_LISTS + OTHER_LISTS
"""Every list a data file has, and a config file may add to."""

_TITLES = r"mr|mrs|ms|miss|mx|dr|prof|m|mme|mlle|monsieur|madame|mademoiselle"


class LexiconError(CrisisError):
    """A shipped word list is missing or broken (a packaging problem)."""


@cache
def load_data(lang: str) -> dict[str, Any]:
    """The parsed data file of ``lang``."""
    path = DATA_DIR / f"{lang}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LexiconError(f"word list {path} cannot be read: {error}") from None
    missing = [name for name in LIST_NAMES if name not in data.get("lists", {})]
    if missing:
        raise LexiconError(f"word list {path} lacks: {', '.join(missing)}")
    return data


def folded(text: str) -> str:
    """Words of ``text`` folded and joined by single spaces (for whole-text comparison)."""
    return " ".join(tokenize(text).words)


@dataclass(frozen=True)
class Lexicon:
    """Everything language-specific the rules need, compiled once."""

    lang: str
    lists: dict[str, tuple[str, ...]]
    suggest: dict[str, str]
    texts: dict[str, str]
    detect: frozenset[str]
    subject_vague: frozenset[str]
    acronyms: frozenset[str]
    noreply: tuple[str, ...]
    body: PhraseMatcher
    subject: PhraseMatcher
    greeting: re.Pattern[str]
    needs_name: frozenset[str]
    emoticons: re.Pattern[str] | None
    emoticon_triggers: tuple[str, ...]


def _phrases(lists: dict[str, tuple[str, ...]], names: tuple[str, ...]) -> list[Phrase]:
    found = []
    for name in names:
        for text in lists[name]:
            phrase = compile_phrase(text, name)
            if phrase is not None:
                found.append(phrase)
    return found


def _custom_phrases(config: LintConfig, lang: str) -> list[Phrase]:
    found = []
    for tag, entries in (("banned", config.banned), ("required", config.required)):
        for number, entry in enumerate(entries):
            if entry.lang in (None, lang):
                phrase = compile_phrase(entry.phrase, f"{tag}:{number}")
                if phrase is not None:
                    found.append(phrase)
    for number, term in enumerate(config.brand_terms):
        phrase = compile_phrase(term, f"brand:{number}")
        if phrase is not None:
            found.append(phrase)
    return found


def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of ``words`` that also accepts them without accents."""
    variants = set()
    for word in words:
        variants.add(re.escape(word.lower()))
        variants.add(re.escape(fold_word(word)))
    return "|".join(sorted(variants, key=len, reverse=True))


def build(lang: str, config: LintConfig) -> Lexicon:
    """Compile the lists of ``lang`` with the config's additions."""
    data = load_data(lang)
    extra = config.words.get(lang, {})
    lists = {name: tuple(data["lists"][name]) + tuple(extra.get(name, ())) for name in LIST_NAMES}
    custom = _custom_phrases(config, lang)
    body = PhraseMatcher(_phrases(lists, BODY_LISTS) + custom)
    subject = PhraseMatcher(_phrases(lists, BODY_LISTS + SUBJECT_LISTS) + custom)
    greeting = re.compile(
        rf"^[ \t]*(?P<greeting>{_alternation(lists['greeting'])})"
        rf"(?P<title>[ \t]+(?:{_TITLES})\.?)?(?P<gap>[ \t]*),",
        re.I | re.M,
    )
    emoticons = lists["emoticons"]
    emoticon_re = (
        re.compile(
            r"(?<![\w:;=^<>/\\])(?:"
            + "|".join(re.escape(e) for e in sorted(emoticons, key=len, reverse=True))
            + r")(?![\w/])"
        )
        if emoticons
        else None
    )
    return Lexicon(
        lang=lang,
        lists=lists,
        suggest={fold_key(k): v for k, v in data.get("suggest", {}).items()},
        texts=dict(data.get("text", {})),
        detect=frozenset(fold_word(w) for w in data.get("detect", ())),
        subject_vague=frozenset(folded(s) for s in lists["subject_vague"]),
        acronyms=frozenset(lists["acronyms"]) | frozenset(config.brand_terms),
        # An address is not in one language: every language's no-reply names apply.
        noreply=tuple(
            sorted(
                {address_key(n) for code in LANGUAGES for n in load_data(code)["lists"]["noreply"]}
                | {address_key(n) for n in lists["noreply"]}
            )
        ),
        body=body,
        subject=subject,
        greeting=greeting,
        needs_name=frozenset(fold_word(w) for w in lists["greeting_needs_name"]),
        emoticons=emoticon_re,
        emoticon_triggers=_triggers(emoticons),
    )


def _triggers(emoticons: tuple[str, ...]) -> tuple[str, ...]:
    """Short strings one of which every emoticon holds: a cheap test before the regex."""
    found = set()
    for emoticon in emoticons:
        marks = [c for c in emoticon if not c.isalnum()]
        found.add(marks[0] if marks else emoticon)
    return tuple(sorted(found))


def fold_key(phrase: str) -> str:
    """The key under which a phrase's suggestion is stored."""
    return " ".join(phrase.split()).lower()


def address_key(local_part: str) -> str:
    """A mailbox name compared with the no-reply list: folded, punctuation dropped."""
    return re.sub(r"[^0-9a-z]", "", fold_word(local_part))
