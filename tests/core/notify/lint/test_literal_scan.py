"""``literal_scan.finditer`` gives exactly what ``pattern.finditer`` gives, faster."""

from __future__ import annotations

import random
import re

import pytest

from email_crisis.core.notify.lint import Linter, literal_scan
from email_crisis.core.notify.lint.tags import TAGS, TAGS_AND_JINJA

IRONY = re.compile(
    r"(?:\bno,?\s+really\b)|(?:!{2,})|(?:\?!|!\?)|(?:!\s*(?:\.{3}|…))|(?:\(not\))"
    r"|(?:\bwink\b)|(?:\bjust saying\b)",
    re.I,
)

TEXTS = [
    "",
    "No, really. We are sorry!!! Really?! (not) wink wink, just saying…",
    "NO REALLY!?!? JUST SAYING. Wink.",
    "no,really no , really nO,   ReAlLy",
    "Non, vraiment ! Clin d'œil (ou pas)… Non ? vraiment !!",
    # Characters that match ASCII letters case-insensitively though str.lower() keeps
    # them apart: Kelvin sign, long s, dotted capital I, sharp s, a ligature.
    "no, really — juſt saying, \u212aind regards, wınk, \u0130NK, straße, ﬁne !…",
    "Dear {{ first_name }}, *|FNAME|* %%Name%% %recipient.first% -first_name- [[TOKEN]]",
    "<FirstName> <p>hello</p> ${name} <%= name %> [firstname,fallback=there] a-b-c --x--",
    "e\u0301te\u0301 ! !! !!! ?! !? ...! !. ! … (NOT) (Not)",
]


@pytest.fixture(autouse=True)
def _every_text_is_long(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path is only taken on long texts: take it on these short ones too."""
    monkeypatch.setattr(literal_scan, "LONG", 0)


def _spans(matches: object) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]  # type: ignore[attr-defined]


def _patterns() -> list[re.Pattern[str]]:
    found = [IRONY, TAGS, TAGS_AND_JINJA]
    checker = Linter()
    for lang in ("en", "fr"):
        lexicon = checker.lexicon(lang)
        found += [*lexicon.patterns.values(), lexicon.greeting]
        if lexicon.emoticons is not None:
            found.append(lexicon.emoticons)
    return found


@pytest.mark.parametrize("text", TEXTS)
def test_the_same_matches_as_finditer(text: str) -> None:
    for pattern in _patterns():
        assert _spans(literal_scan.finditer(pattern, text)) == _spans(pattern.finditer(text))


def test_the_same_matches_on_random_text() -> None:
    """Random strings built from the pieces the patterns look for, and the characters
    that fold to ASCII, so overlaps and near misses are common."""
    pieces = [
        "no", "No", " ", ",", "really", "!", "?", "…", ".", "(not)", "wink", "just saying",
        "{{", "}}", "*|", "|*", "%", "<", ">", "-", "[", "]", "name", "\u212a", "ſ", "é",
        "\u0130", "\n", "non", "vraiment", "clin d'œil", ":)", ";-)", "XD", "<3",
    ]  # fmt: skip
    rng = random.Random(8058)
    patterns = _patterns()
    for _ in range(600):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30)))
        for pattern in patterns:
            expected = _spans(pattern.finditer(text))
            assert _spans(literal_scan.finditer(pattern, text)) == expected, (pattern, text)


def test_fixed_starts_of_each_branch() -> None:
    assert literal_scan.starts(IRONY) == ("!", "(not)", "?!", "just saying", "no", "wink")
    assert literal_scan.starts(re.compile(r"\bAbc|X+y", re.I)) == ("abc", "x")
    assert literal_scan.starts(re.compile(r"(?<!\w)Abc|d")) == ("Abc", "d")


@pytest.mark.parametrize(
    "source",
    [r"\d+%", r"a|\w", r"(?:x|y*)z", r"(?i:abc)", r"[ab]c", r"a?b", r"é", "(?i)é"],
)
def test_no_fixed_start_means_the_plain_scan(source: str) -> None:
    pattern = re.compile(source)
    if source == "é":  # case-sensitive: any fixed text will do
        assert literal_scan.starts(pattern) == ("é",)
        return
    assert literal_scan.starts(pattern) is None
    text = "12% abc xz yyz ab ac bc é É"
    assert _spans(literal_scan.finditer(pattern, text)) == _spans(pattern.finditer(text))


def test_every_character_that_matches_ascii_case_insensitively_is_caught() -> None:
    """The fast path compares lower-cased text; any non-ASCII character that Python's
    regex engine takes for an ASCII letter under IGNORECASE must send the text to the
    plain scan instead (checked over every code point)."""
    letter = re.compile("[a-z]", re.I)
    for code in range(0x80, 0x110000):
        char = chr(code)
        if letter.fullmatch(char):
            assert not literal_scan._safe(char), hex(code)


def test_a_short_text_never_pays_for_parsing_the_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(literal_scan, "LONG", 2000)
    pattern = re.compile(r"unlikely|pattern")
    text = "an unlikely pattern " * 10
    assert _spans(literal_scan.finditer(pattern, text)) == _spans(pattern.finditer(text))
    assert (pattern.pattern, pattern.flags) not in literal_scan._STARTS
    long_text = text * 20
    assert _spans(literal_scan.finditer(pattern, long_text)) == _spans(pattern.finditer(long_text))
    assert literal_scan._STARTS[(pattern.pattern, pattern.flags)] == ("pattern", "unlikely")


@pytest.mark.parametrize(
    "text",
    ["", "plain words", "a-b", "-x-", "e-mail - x", "{", "50%", "<p>", "a [b]", "$", "*", "--"],
)
def test_may_hold_tags_is_the_old_trigger(text: str) -> None:
    """``may_hold_tags`` replaced one regex, ``[<{$*%\\[]|-\\w+-``: same answers."""
    from email_crisis.core.notify.lint.tags import may_hold_tags

    old = re.compile(r"[<{$*%\[]|-\w+-")
    assert may_hold_tags(text) == (old.search(text) is not None)
