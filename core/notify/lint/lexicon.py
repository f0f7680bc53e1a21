"""The word lists and messages of one language (core/notify/lint/data/<lang>.toml plus
the config), compiled."""

from __future__ import annotations

import re
from functools import cache, partial
from pathlib import Path
from typing import Any, NamedTuple

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.regex import lazy_compile
from email_crisis.core.notify.lint.config import LintConfig
from email_crisis.core.notify.lint.lexicon_cache import cached
from email_crisis.core.notify.lint.model import FAULT_FORM, IRONY_WORD, NEGATION_WATCH
from email_crisis.core.notify.lint.scope import watched
from email_crisis.core.notify.lint.tokens import (
    ANY,
    Phrase,
    PhraseMatcher,
    compile_phrase,
    fold_word,
    tokenize,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

BODY_LISTS: tuple[str, ...] = (
    "apology",
    "conditional",
    "conditional_tail",
    "regret",
    "humor",
    "vague",
    "vague_quantity",
    "vague_evidence",
    "vague_caution",
    "minimising",
    "minimising_breach",
    "blame",
    "defensive",
    "sales",
    "discount",
    "phishing",
    "click_here",
    "incident",
    "breach",
    "protect_credentials",
    "protect_payment",
    "protect_phishing",
    "protect_general",
    "contact",
    "data_credentials",
    "data_payment",
    "data_contact",
    "data_identity",
    "kind_wrong_segment",
    "kind_personalization",
    "kind_wrong_content",
    "kind_malformed",
    "agentless_tail",
)
"""Phrase lists searched in every text field."""

SUBJECT_LISTS: tuple[str, ...] = ("clickbait", "subject_topic", "subject_topic_breach")
"""Phrase lists searched in the subject only."""

WORD_SETS: tuple[str, ...] = (
    "negation",
    "negation_back",
    "clause_break",
    "fault_verbs",
    "passive_aux",
    "passive_skip",
    "agent_word",
    "not_agent",
    "reader",
    "data_action",
    "exposure",
)
"""Lists of single words (folded), looked up rather than matched as phrases."""

OTHER_LISTS: tuple[str, ...] = (
    "subject_vague",
    "greeting",
    "greeting_needs_name",
    "noreply",
    "acronyms",
    "emoticons",
)
LIST_NAMES: tuple[str, ...] = BODY_LISTS + SUBJECT_LISTS + WORD_SETS + OTHER_LISTS
"""Every list a data file has, and a config file may add to."""

PATTERN_NAMES: tuple[str, ...] = ("irony", "discount")
"""Regular expressions of a data file ([patterns]), searched case-insensitively."""

_TITLES = r"mr|mrs|ms|miss|mx|dr|prof|m|mme|mlle|monsieur|madame|mademoiselle"


class LexiconError(CrisisError):
    """A shipped word list is missing or broken (a packaging problem)."""


def _read(path: Path) -> dict[str, Any]:
    # Only when the lists are built: the command line reads them from its cache.
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LexiconError(f"word list {path} cannot be read: {error}") from None


COMMON_LISTS: tuple[str, ...] = ("noreply",)
"""Lists that are not in one language (data/common.toml); each language may add to them."""


@cache
def load_common() -> dict[str, Any]:
    """data/common.toml: the language-detection words of each language, and the lists
    every language shares."""
    path = DATA_DIR / "common.toml"
    return cached("common", (path,), partial(_load_common, path))


def _load_common(path: Path) -> dict[str, Any]:
    data = _read(path)
    if "detect" not in data or any(name not in data.get("lists", {}) for name in COMMON_LISTS):
        raise LexiconError(f"word list {path} lacks [detect] or a shared list")
    return data


@cache
def load_data(lang: str) -> dict[str, Any]:
    """The parsed data file of ``lang``, with the shared lists of data/common.toml."""
    path = DATA_DIR / f"{lang}.toml"
    data = _read(path)
    lists = data.setdefault("lists", {})
    for name in COMMON_LISTS:
        lists.setdefault(name, [])
        lists[name] = [*load_common()["lists"][name], *lists[name]]
    missing = [name for name in LIST_NAMES if name not in lists]
    if missing:
        raise LexiconError(f"word list {path} lacks: {', '.join(missing)}")
    return data


@cache
def load_lemmas(lang: str) -> dict[str, str]:
    """Inflected form -> dictionary form, for the words of ``lang``'s lists (folded).

    The table (``data/lemmas.<lang>.txt``, built by ``scripts/build_lemmas.py`` from
    simplemma's dictionary) is plain text: TOML would take ten times longer to read.
    """
    path = DATA_DIR / f"lemmas.{lang}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LexiconError(f"lemma table {path} cannot be read: {error}") from None
    pairs = (line.split(" ", 1) for line in text.splitlines() if line and line[0] != "#")
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


def lemma_table_targets(lang: str) -> frozenset[str]:
    """The words the shipped lemma table of ``lang`` was built for."""
    text = (DATA_DIR / f"lemmas.{lang}.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# targets:"):
            return frozenset(line.removeprefix("# targets:").split())
    return frozenset()


def lemma_targets(data: dict[str, Any]) -> set[str]:
    """The folded words of a data file's lists: the lemmas its table must cover."""
    words: set[str] = set()
    for name in BODY_LISTS + SUBJECT_LISTS + WORD_SETS:
        for text in data["lists"].get(name, ()):
            phrase = compile_phrase(text, name)
            if phrase is None:
                continue
            words.update(
                word
                for word, star in zip(phrase.words, phrase.prefix, strict=True)
                if not star and word != ANY and word.isalpha()
            )
    return words


def folded(text: str) -> str:
    """Words of ``text`` folded and joined by single spaces (for whole-text comparison)."""
    return " ".join(tokenize(text).words)


class Lexicon(NamedTuple):
    """Everything language-specific the rules need, compiled once.

    A NamedTuple rather than a frozen dataclass: built four times faster at import, and
    read back from the word-list cache (``lexicon_cache``) faster too.
    """

    lang: str
    lists: dict[str, tuple[str, ...]]
    words: dict[str, frozenset[str]]
    patterns: dict[str, re.Pattern[str] | None]
    suggest: dict[str, str]
    texts: dict[str, str]
    messages: dict[str, str]
    data_names: dict[str, str]
    lemmas: dict[str, str]
    detect: frozenset[str]
    subject_vague: frozenset[str]
    acronyms: frozenset[str]
    noreply: tuple[str, ...]
    body: PhraseMatcher
    subject: PhraseMatcher
    greeting: re.Pattern[str]
    needs_name: frozenset[str]
    emoticons: re.Pattern[str] | None
    emoticon_triggers: dict[str, tuple[tuple[int, str | None], ...]]
    """Short strings one of which every emoticon holds, each with where an emoticon holding
    it starts (characters before it) and the characters that may follow it there (``None``:
    any)."""

    def lemma(self, word: str) -> str:
        """The dictionary form of a folded word (itself when the table does not know it)."""
        return self.lemmas.get(word, word)

    def message(self, key: str, **values: object) -> str:
        """The message ``key`` in this language, filled in (``rule`` or ``rule.variant``)."""
        template = self.messages.get(key)
        if template is None:
            template = self.messages.get(key.split(".", 1)[0], key)
        if "fix" not in values:
            values["fix"] = ""
        try:
            return template.format_map(values)  # values is this call's own dict already
        except (KeyError, IndexError, ValueError):
            return template

    def subject_for(self, kind: str | None, breach: bool) -> str | None:
        """The suggested subject for an incident kind."""
        if breach:
            kind = "data-breach"
        return self.texts.get(f"subject.{kind}") or self.texts.get(
            "subject_breach" if breach else "subject"
        )


EXACT_LISTS: frozenset[str] = frozenset({"phishing", "click_here", "clickbait", "humor"})
"""Lists whose phrases match as written, not inflected: "provide your card number" is
what a phishing email asks, "if you provided your card number" describes."""


def _phrases(lists: dict[str, tuple[str, ...]], names: tuple[str, ...]) -> list[Phrase]:
    found = []
    for name in names:
        inflect = name not in EXACT_LISTS
        for text in lists[name]:
            phrase = compile_phrase(text, name, inflect=inflect)
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


def _pattern(sources: list[str], path: str) -> re.Pattern[str] | None:
    if not sources:
        return None
    try:
        # Checked now (a bad pattern is an error when the lists are built), but kept in
        # the word-list cache as its source: most drafts never need it (irony,
        # discounts), and a pickled compiled pattern is compiled again at every start.
        return lazy_compile("|".join(f"(?:{s})" for s in sources), re.I, check=True)
    except re.error as error:
        raise LexiconError(f"pattern {path} is not a valid regular expression: {error}") from None


def compiled(lang: str, config: LintConfig) -> Lexicon:
    """``build(lang, config)``, kept between runs of the command line (``lexicon_cache``)
    when the config adds nothing to the lists."""
    if config.words or config.banned or config.required or config.brand_terms:
        return build(lang, config)
    sources = (DATA_DIR / f"{lang}.toml", DATA_DIR / "common.toml", DATA_DIR / f"lemmas.{lang}.txt")
    return cached(f"lexicon-{lang}", sources, partial(build, lang, config))


def build(lang: str, config: LintConfig) -> Lexicon:
    """Compile the lists of ``lang`` with the config's additions."""
    data = load_data(lang)
    extra = config.words.get(lang, {})
    lists = {name: tuple(data["lists"][name]) + tuple(extra.get(name, ())) for name in LIST_NAMES}
    lemmas = load_lemmas(lang)
    custom = _custom_phrases(config, lang)
    fault = frozenset(fold_word(w) for w in lists["fault_verbs"])
    fault_forms = fault | frozenset(f for f, lemma in lemmas.items() if lemma in fault)
    watch = watched(fold_word(w) for w in lists["negation"])
    marks = _marks({FAULT_FORM: fault_forms, NEGATION_WATCH: watch, IRONY_WORD: IRONY_WORDS})
    shared = _phrases(lists, BODY_LISTS) + custom + marks  # compiled once, matched in both
    body = PhraseMatcher(shared, lemmas)
    subject = PhraseMatcher(shared + _phrases(lists, SUBJECT_LISTS), lemmas)
    greeting = re.compile(
        rf"^[ \t]*(?P<greeting>{_alternation(lists['greeting'])})"
        rf"(?P<title>[ \t]+(?:{_TITLES})\.?)?(?P<gap>[ \t]*),",
        re.I | re.M,
    )
    emoticons = lists["emoticons"]
    emoticon_re = (
        lazy_compile(  # only drafts holding a trigger character need it
            r"(?<![\w:;=^<>/\\])(?:"
            + "|".join(re.escape(e) for e in sorted(emoticons, key=len, reverse=True))
            + r")(?![\w/])"
        )
        if emoticons
        else None
    )
    patterns = data.get("patterns", {})
    return Lexicon(
        lang=lang,
        lists=lists,
        words={name: frozenset(fold_word(w) for w in lists[name]) for name in WORD_SETS},
        patterns={
            name: _pattern(list(patterns.get(name, ())), f"{lang}.{name}") for name in PATTERN_NAMES
        },
        # Keyed by a phrase as written in the lists (``Phrase.text``) and by its folded form.
        suggest={key: v for k, v in data.get("suggest", {}).items() for key in (k, fold_key(k))},
        texts=dict(data.get("text", {})),
        messages=dict(data.get("messages", {})),
        data_names=dict(data.get("data_names", {})),
        lemmas=lemmas,
        detect=frozenset(fold_word(w) for w in load_common()["detect"].get(lang, ())),
        subject_vague=frozenset(folded(s) for s in lists["subject_vague"]),
        acronyms=frozenset(lists["acronyms"]) | frozenset(config.brand_terms),
        # An address is not in one language: the shared no-reply names apply to all.
        noreply=tuple(sorted({address_key(n) for n in lists["noreply"]})),
        body=body,
        subject=subject,
        greeting=greeting,
        needs_name=frozenset(fold_word(w) for w in lists["greeting_needs_name"]),
        emoticons=emoticon_re,
        emoticon_triggers=_triggers(emoticons),
    )


# re's IGNORECASE also matches "i" to dotless "ı" and "s" to long "ſ", which folding
# keeps apart: the irony pre-test knows those spellings too, so it never hides a match.
LOOKALIKES = {"i": "ı", "s": "ſ"}


def _spellings(word: str) -> set[str]:
    found = {""}
    for char in word:
        found = {f + c for f in found for c in (char, LOOKALIKES.get(char, char))}
    return found


IRONY_WORDS = frozenset(
    spelling
    for word in ("really", "wink", "saying", "vraiment", "clin")
    for spelling in _spellings(word)
)
"""The words one of which each irony mark of the data files' ``irony`` patterns holds,
unless it holds "!", "?" or "(" (folded, so in any case, and in every spelling those
patterns match)."""


def _marks(sets: dict[str, frozenset[str]]) -> list[Phrase]:
    """One-word phrases, matched as written (the sets hold every form already)."""
    return [
        Phrase((word,), (False,), (), tag, word, inflect=False)
        for tag, words in sets.items()
        for word in sorted(words)
    ]


def _triggers(emoticons: tuple[str, ...]) -> dict[str, tuple[tuple[int, str | None], ...]]:
    """Short strings one of which every emoticon holds (its first mark, else the whole
    emoticon): a cheap test before the regex, and where to try the regex around each."""
    found: dict[str, dict[int, set[str]]] = {}
    for emoticon in emoticons:
        at = next((n for n, c in enumerate(emoticon) if not c.isalnum()), 0)
        trigger = emoticon[at] if at or not emoticon[0].isalnum() else emoticon
        after = emoticon[at + len(trigger) : at + len(trigger) + 1]
        found.setdefault(trigger, {}).setdefault(at, set()).add(after)
    return {
        trigger: tuple(
            (at, None if "" in afters else "".join(sorted(afters)))
            for at, afters in sorted(ways.items())
        )
        for trigger, ways in sorted(found.items())
    }


def fold_key(phrase: str) -> str:
    """The key under which a phrase's suggestion is stored."""
    return " ".join(phrase.split()).lower()


def address_key(local_part: str) -> str:
    """A mailbox name compared with the no-reply list: folded, punctuation dropped."""
    return re.sub(r"[^0-9a-z]", "", fold_word(local_part))
