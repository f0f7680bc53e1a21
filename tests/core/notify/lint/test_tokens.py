"""Phrase matching: whole words, case and accents ignored, spaces and hyphens alike."""

from __future__ import annotations

import unicodedata

import pytest

from email_crisis.core.notify.lint.tokens import PhraseMatcher, compile_phrase, tokenize


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
