"""Phrase matching: whole words, case and accents ignored, spaces and hyphens alike."""

from __future__ import annotations

import unicodedata

import pytest

from email_crisis.core.notify.lint.tokens import (
    ANY,
    Phrase,
    PhraseMatcher,
    Tokens,
    compile_phrase,
    gap_kind,
    tokenize,
)


def spans(phrase: str, text: str) -> list[str]:
    compiled = compile_phrase(phrase, "t")
    assert compiled is not None
    tokens = tokenize(text)
    return [
        text[slice(*tokens.span(m.first, m.last))] for m in PhraseMatcher([compiled]).scan(tokens)
    ]


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("we are sorry", "WE ARE SORRY.", ["WE ARE SORRY"]),
        ("désolés", "Nous sommes DÉSOLÉS", ["DÉSOLÉS"]),
        ("desoles", "Nous sommes désolés", ["désolés"]),
        ("désolés", "Nous sommes desoles", ["desoles"]),
        ("lol", "a lollipop, lol!", ["lol"]),
        ("we're sorry", "We’re sorry", ["We’re sorry"]),
        ("we're sorry", "We re sorry", []),
        ("two-factor", "turn on two factor authentication", ["two factor"]),
        ("two factor", "turn on two-factor authentication", ["two-factor"]),
        ("we are sorry", "we are\nsorry", ["we are\nsorry"]),
        ("we are sorry", "we are. Sorry", []),
        ("apolog*", "Our apologies; we apologise", ["apologies", "apologise"]),
        ("désol* si", "désolées si", ["désolées si"]),
        ("2fa", "Use 2FA now", ["2FA"]),
    ],
)
def test_matching(phrase: str, text: str, expected: list[str]) -> None:
    assert spans(phrase, text) == expected


def test_combining_marks_match_like_precomposed_letters() -> None:
    text = unicodedata.normalize("NFD", "Nous sommes désolés")
    assert spans("désolés", text) == [text[12:]]


def test_offsets_survive_characters_whose_lower_case_is_longer() -> None:
    text = "İİ we are sorry"  # "İ".lower() is two characters
    assert spans("we are sorry", text) == ["we are sorry"]


def test_a_phrase_without_words_is_dropped() -> None:
    assert compile_phrase(":-)", "t") is None


def _naive(phrases: list[Phrase], tokens: Tokens, lemmas: dict[str, str]) -> list[tuple]:
    """Every phrase tried at every word: what the indexed matcher must find."""
    words = tokens.words
    found = []
    for phrase in phrases:
        for first in range(len(words) - len(phrase.words) + 1):
            for k, want in enumerate(phrase.words):
                got = words[first + k]
                fits = (
                    got == want
                    or want == ANY
                    or (phrase.prefix[k] and got.startswith(want))
                    or (phrase.inflect and lemmas.get(got) == want)
                )
                gap = gap_kind(tokens.gap_after(first + k - 1)) if k else ""
                if not fits or (k and gap != phrase.gaps[k - 1]):
                    break
            else:
                found.append((first, first + len(phrase.words) - 1, phrase.text, phrase.tag))
    return sorted(found)


def test_the_indexed_matcher_finds_what_trying_every_phrase_everywhere_finds() -> None:
    """First word, pairs keyed by the next word's forms, longer phrases by their third
    word's forms: random lists and texts (inflections, ``?`` and prefixes included)."""
    import random

    rng = random.Random(12)
    # Few words per position, so that phrases share their first two words (and compete
    # for the third) as the real lists do.
    choices = [
        ["we", "are", "sorr*", "be"],
        ["are", "be", "was", "?"],
        ["sorry", "sorr*", "?", "be", "a"],
        ["a", "sorry", "sorr*"],
    ]
    lemmas = {"is": "be", "was": "be", "were": "be", "are": "be", "sorrier": "sorry"}
    text_words = ["we", "are", "sorry", "sorrier", "is", "was", "be", "a", "x"]
    gaps = [" ", " ", " ", " ", " ", "-", "'", ". ", "\n"]
    for _ in range(600):
        phrases = []
        for n in range(rng.randint(1, 16)):
            words = [rng.choice(options) for options in choices[: rng.randint(1, 4)]]
            if words[-1] == "?":
                words[-1] = "a"
            compiled = compile_phrase(" ".join(words), f"t{n % 3}", inflect=rng.random() < 0.7)
            assert compiled is not None
            phrases.append(compiled)
        text = "".join(rng.choice(text_words) + rng.choice(gaps) for _ in range(rng.randint(1, 30)))
        tokens = tokenize(text)
        matcher = PhraseMatcher(phrases, lemmas)
        got = matcher.scan(tokens)
        assert sorted((m.first, m.last, m.phrase.text, m.tag) for m in got) == _naive(
            phrases, tokens, lemmas
        ), text
        assert [(m.first, -m.last) for m in got] == sorted((m.first, -m.last) for m in got)
