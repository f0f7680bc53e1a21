"""Words and phrases: folding, tokenising, and matching phrase lists over tokens.

Matching works on tokens rather than one big regular expression: a paragraph is
split once (in C), each word is looked up in a dict keyed by the first word of every
phrase, and only candidates are followed further. That keeps a 2,000-word draft
well under a millisecond whatever the size of the word lists.

Matching is case-insensitive and accent-insensitive ("desole" finds "DÉSOLÉS", also
when the accent is a combining mark), and whole-word: "lol" does not match "lollipop".
Between the words of a phrase the text may hold any run of spaces or hyphens (one line
break included); an apostrophe in the phrase needs an apostrophe (straight or curly).
A trailing ``*`` makes a word a prefix: ``apolog*`` finds "apologise" and "apologies".
A lone ``?`` stands for any one word ("some ? customers" finds "some Chase customers").

A phrase word also matches every inflection of it that the lemma table of the
language knows (``language.lemmas``, built from simplemma's dictionaries): "change
your password" finds "changing your password", "surveiller vos relevés" finds
"surveillez vos relevés". Write phrase words in their dictionary form to get that.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from email_crisis.core.base.regex import lazy_compile

MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# On lower-cased ASCII text this is \w+ (a plain class is a little cheaper to scan).
_SPLIT_ASCII = re.compile(r"([a-z0-9_]+)")
_SPLIT_MARKS = lazy_compile(f"([\\w{MARKS}]+)")
_APOSTROPHES = frozenset("'’ʼ‘`´")
_SOFT = lazy_compile(r"[\s\-‐‑*_~]*")  # spaces, hyphens and emphasis marks join words
_FOLD_CACHE_MAX = 50_000
ANY = "?"
"""A phrase word that matches any one word."""


class _FoldCache(dict[str, str]):
    """Word -> its folded form, worked out on first sight: ``cache[word]`` is a dict
    lookup in C (``map(cache.__getitem__, words)`` folds a paragraph without a Python
    call per word), and only an unseen word runs ``__missing__``."""

    __slots__ = ()

    def __missing__(self, word: str) -> str:
        decomposed = unicodedata.normalize("NFD", word.lower())
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(self) >= _FOLD_CACHE_MAX:
            self.clear()
        self[word] = folded
        return folded


_FOLD_CACHE = _FoldCache()


def fold_word(word: str) -> str:
    """Lower-case ``word`` and strip its accents (NFD, marks dropped)."""
    return _FOLD_CACHE[word]


def _fold_table() -> dict[int, str]:
    """Length-preserving lower-casing, for text whose ``lower()`` changes its length."""
    table: dict[int, str] = {}
    for code in range(0x41, 0x530):
        low = chr(code).lower()
        if len(low) == 1 and low != chr(code):
            table[code] = low
    return table


_FOLD_TABLE: dict[int, str] = {}


def lower_same_length(text: str) -> str:
    """``text.lower()`` when that keeps every offset, else a 1:1 per-character fold."""
    low = text.lower()
    if len(low) == len(text):
        return low
    if not _FOLD_TABLE:  # rare text ("İ"): built on first need, not at import
        _FOLD_TABLE.update(_fold_table())
    return text.translate(_FOLD_TABLE)


class Tokens(NamedTuple):
    """A text split into words (a named tuple: one is made per paragraph checked).

    ``parts`` alternates gap, word, gap, ..., gap; ``ends[k]`` is the offset just
    after ``parts[k]``, so word ``i`` spans ``ends[2i]`` to ``ends[2i + 1]``.
    ``words`` are folded (lower case, no accents).
    """

    parts: list[str]
    ends: list[int]
    words: list[str]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets from the start of word ``first`` to the end of word ``last``."""
        return self.ends[2 * first], self.ends[2 * last + 1]

    def gap_after(self, i: int) -> str:
        """The text between word ``i`` and word ``i + 1``."""
        return self.parts[2 * i + 2]


def utf8(text: str) -> bytes:
    """``text`` as UTF-8, lone surrogates included (for quick byte-level tests)."""
    return text.encode("utf-8", "surrogatepass")


def tokenize(text: str) -> Tokens:
    """Split ``text`` into folded words, keeping every offset."""
    low = lower_same_length(text)
    if text.isascii():
        parts = _SPLIT_ASCII.split(low)
        words = parts[1::2]
    else:
        # Marks join the word they follow; on text without any, this splits as ``\w+``
        # does, at the same speed. ASCII words are lower case already.
        parts = _SPLIT_MARKS.split(low)
        words = list(map(_FOLD_CACHE.__getitem__, parts[1::2]))
    # Tokens(...) without the named tuple's Python-level __new__: the same tuple.
    return tuple.__new__(Tokens, (parts, list(accumulate(map(len, parts))), words))


def gap_kind(gap: str) -> str:
    """``s`` (spaces/hyphens), ``'`` (an apostrophe) or ``x`` (anything else)."""
    if gap == " ":
        return "s"
    if len(gap) == 1 and gap in _APOSTROPHES:
        return "'"
    if _SOFT.fullmatch(gap) and gap.count("\n") + gap.count("\r") <= 2:
        return "s"
    return "x"


@dataclass(frozen=True, slots=True)
class Phrase:
    """One entry of a word list, ready to match."""

    words: tuple[str, ...]
    prefix: tuple[bool, ...]
    gaps: tuple[str, ...]
    tag: str
    text: str
    inflect: bool = True
    """Whether the phrase's words also match their inflections (lemma table)."""


class Match(NamedTuple):
    """A phrase found in a text: its tag, the phrase, and the words it covers."""

    tag: str
    phrase: Phrase
    first: int
    last: int


def compile_phrase(text: str, tag: str, *, inflect: bool = True) -> Phrase | None:
    """A ``Phrase`` for ``text``; ``None`` when it holds no word at all."""
    words: list[str] = []
    prefix: list[bool] = []
    gaps: list[str] = []
    for piece in text.split():
        if piece == ANY:
            if not words:
                return None  # a phrase cannot start with "any word"
            gaps.append("s")
            words.append(ANY)
            prefix.append(False)
            continue
        star = piece.endswith("*")
        bare = piece.rstrip("*")
        if bare.isascii() and bare.isalnum():  # one plain word: most of every list
            parts = ["", bare.lower(), ""]
            found = parts[1:2]
        else:
            parts = _SPLIT_MARKS.split(lower_same_length(bare))
            found = [fold_word(w) for w in parts[1::2]]
        if not found:
            continue
        if words:
            gaps.append("s")  # whitespace in the phrase
        for k, word in enumerate(found):
            if k:
                gaps.append(gap_kind(parts[2 * k]))
            words.append(word)
            prefix.append(False)
        prefix[-1] = star
    if not words or words[-1] == ANY:
        return None
    return Phrase(tuple(words), tuple(prefix), tuple(gaps), tag, text, inflect)


class PhraseMatcher:
    """Finds every phrase of many tagged lists in one pass over the words.

    One-word phrases are found with one dict lookup per word. Longer phrases are
    indexed by their first two words when neither is a prefix, so a common first
    word ("we", "nous") costs a lookup rather than a walk through every phrase that
    starts with it; the rest are indexed by their first word.
    """

    def __init__(self, phrases: Iterable[Phrase], lemmas: Mapping[str, str] | None = None) -> None:
        self.lemmas: Mapping[str, str] = lemmas or {}
        self._single: dict[str, list[Phrase]] = {}
        self._pairs: dict[str, dict[str, list[Phrase]]] = {}
        self._exact: dict[str, list[Phrase]] = {}
        self._prefixed: dict[str, list[Phrase]] = {}
        for phrase in phrases:
            first = phrase.words[0]
            if len(phrase.words) == 1 and not phrase.prefix[0]:
                self._single.setdefault(first, []).append(phrase)
            elif not phrase.prefix[0] and not phrase.prefix[1] and phrase.words[1] != ANY:
                self._pairs.setdefault(first, {}).setdefault(phrase.words[1], []).append(phrase)
            elif phrase.prefix[0]:
                self._prefixed.setdefault(first, []).append(phrase)
            else:
                self._exact.setdefault(first, []).append(phrase)
        self._prefix_lengths = sorted({len(p) for p in self._prefixed})
        self._entries: dict[str, _Entry | None] = {}
        self._forms: dict[str, list[str]] = {}
        """Dictionary form -> its other forms (the lemma table turned round)."""
        for form, base in self.lemmas.items():
            if form != base:
                self._forms.setdefault(base, []).append(form)

    def clear_memo(self) -> None:
        """Forget the per-word lookups (they are rebuilt on demand)."""
        self._entries.clear()

    def _entry(self, word: str) -> _Entry | None:
        """What may start at ``word`` (or at its lemma): one-word phrases, pairs by next
        word, the rest."""
        lemma = self.lemmas.get(word)
        keys = (word,) if lemma is None or lemma == word else (word, lemma)
        others: list[Phrase] = []
        singles: list[Phrase] = []
        pairs: dict[str, list[Phrase]] | None = None
        for key in keys:
            by_lemma = key != word
            others.extend(p for p in self._exact.get(key, ()) if p.inflect or not by_lemma)
            singles.extend(p for p in self._single.get(key, ()) if p.inflect or not by_lemma)
            found = self._pairs.get(key)
            if found is not None and by_lemma:
                found = _inflecting(found)
            if found:
                pairs = found if pairs is None else _merged(pairs, found)
        for length in self._prefix_lengths:
            if length > len(word):
                break
            for phrase in self._prefixed.get(word[:length], ()):
                # A one-word prefix phrase ("error*") matched by reaching this entry.
                (singles if len(phrase.words) == 1 else others).append(phrase)
        single = tuple(singles)
        following = self._by_next_form(pairs) if pairs else None
        entry = (single, following, tuple(others)) if single or following or others else None
        if len(self._entries) >= _FOLD_CACHE_MAX:
            self._entries.clear()
        self._entries[word] = entry
        return entry

    def _by_next_form(self, pairs: dict[str, list[Phrase]]) -> dict[str, _Following]:
        """``pairs`` keyed by every form the next word may take: its own phrases, then
        those of its dictionary form that match inflections (as the scan once worked
        out at every word; now once per first word), each split by ``_following``."""
        lemmas = self.lemmas
        by_form: dict[str, _Following] = {}
        made: dict[tuple[int, ...], _Following] = {}  # the forms of one lemma share theirs
        for form in {*pairs, *(f for key in pairs for f in self._forms.get(key, ()))}:
            found = list(pairs.get(form, ()))
            lemma = lemmas.get(form)
            if lemma is not None and lemma != form and lemma in pairs:
                found += [p for p in pairs[lemma] if p.inflect]
            if found:
                key = tuple(map(id, found))
                following = made.get(key)
                if following is None:
                    following = made[key] = self._following(found)
                by_form[form] = following
        return by_form

    def _following(self, candidates: list[Phrase]) -> _Following:
        """Phrases whose first two words matched: the two-word ones, and the longer ones
        by every form their third word may take (a word that fits none of them gets the
        default: those whose third word is ``?`` or a prefix). Each list keeps the order
        of ``candidates``, so equal matches come out in the same order as before."""
        twos = tuple(p for p in candidates if len(p.words) == 2)
        longer = [p for p in candidates if len(p.words) > 2]
        if not longer:
            return twos, None, ()
        fits: list[tuple[Phrase, frozenset[str] | None]] = []  # None: a wild third word
        for p in longer:
            third = p.words[2]
            if third == ANY or p.prefix[2]:
                fits.append((p, None))
            else:
                others = self._forms.get(third, ()) if p.inflect else ()
                fits.append((p, frozenset((third, *others))))
        keys = {form for _, found in fits if found is not None for form in found}
        by_third = {
            key: tuple(p for p, found in fits if found is None or key in found) for key in keys
        }
        wild = tuple(p for p, found in fits if found is None)
        return twos, by_third, wild

    def scan(self, tokens: Tokens) -> list[Match]:
        """Every phrase occurrence, in text order (longest first at one position)."""
        words = tokens.words
        parts = tokens.parts
        count = len(words)
        entries = self._entries
        continues = self._continues
        found: list[Match] = []
        append = found.append
        new = tuple.__new__  # Match(...) without its Python-level __new__: same tuple
        for i, word in enumerate(words):
            try:
                entry = entries[word]
            except KeyError:
                entry = self._entry(word)
            if entry is None:
                continue
            single, pairs, others = entry
            if single:
                for phrase in single:
                    append(new(Match, (phrase.tag, phrase, i, i)))
            if pairs is not None and i + 1 < count:
                following = pairs.get(words[i + 1])  # its forms worked out in _entry
                if following is not None:
                    gap = parts[2 * i + 2]
                    kind = "s" if gap == " " else gap_kind(gap)
                    twos, by_third, wild = following
                    for phrase in twos:
                        if kind == phrase.gaps[0]:
                            append(new(Match, (phrase.tag, phrase, i, i + 1)))
                    if by_third is not None and i + 2 < count:
                        # Only the phrases whose third word fits this one (or is wild).
                        for phrase in by_third.get(words[i + 2], wild):
                            last = i + len(phrase.words) - 1
                            if (
                                kind == phrase.gaps[0]
                                and last < count
                                and continues(phrase, tokens, i, 2)  # words 0, 1 fit
                            ):
                                append(new(Match, (phrase.tag, phrase, i, last)))
            if others:
                for phrase in others:
                    last = i + len(phrase.words) - 1
                    if last < count and continues(phrase, tokens, i):
                        append(new(Match, (phrase.tag, phrase, i, last)))
        if len(found) > 1:
            found.sort(key=_order)
        return found

    def _continues(self, phrase: Phrase, tokens: Tokens, first: int, start: int = 1) -> bool:
        """Whether ``phrase`` (whose words before ``start`` matched at ``first`` and on, with
        the gaps between them) matches entirely."""
        words = tokens.words
        parts = tokens.parts
        lemmas = self.lemmas
        for k in range(start, len(phrase.words)):
            want = phrase.words[k]
            got = words[first + k]
            if (
                got != want
                and want != ANY
                and not (phrase.prefix[k] and got.startswith(want))
                and not (phrase.inflect and lemmas.get(got) == want)
            ):
                return False
            gap = parts[2 * (first + k)]  # the text between word first+k-1 and this one
            if (gap == " " and phrase.gaps[k - 1] != "s") or (
                gap != " " and gap_kind(gap) != phrase.gaps[k - 1]
            ):
                return False
        return True


_Following = tuple[tuple[Phrase, ...], "dict[str, tuple[Phrase, ...]] | None", tuple[Phrase, ...]]
"""What may follow a matched pair: two-word phrases, longer ones by third word, wild ones."""
_Entry = tuple[tuple[Phrase, ...], "dict[str, _Following] | None", tuple[Phrase, ...]]


def _order(match: Match) -> tuple[int, int]:
    return match.first, -match.last


def _inflecting(pairs: dict[str, list[Phrase]]) -> dict[str, list[Phrase]]:
    """The pairs whose phrases match inflections (reached through a lemma)."""
    kept = {key: [p for p in value if p.inflect] for key, value in pairs.items()}
    return {key: value for key, value in kept.items() if value}


def _merged(
    one: dict[str, list[Phrase]], other: dict[str, list[Phrase]]
) -> dict[str, list[Phrase]]:
    merged = {key: list(value) for key, value in one.items()}
    for key, value in other.items():
        merged.setdefault(key, []).extend(value)
    return merged


def longest(matches: list[Match]) -> list[Match]:
    """Drop matches that lie inside an earlier, longer one (``matches`` in scan order)."""
    kept: list[Match] = []
    reach = -1
    for match in matches:
        if match.last <= reach:
            continue
        kept.append(match)
        reach = match.last
    return kept
