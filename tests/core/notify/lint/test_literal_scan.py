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


def _marked(checker: Linter, lang: str, text: str) -> dict[str, list[object]]:
    """The phrases the matcher finds in ``text``, by tag (as a scanner receives them)."""
    from email_crisis.core.notify.lint.tokens import tokenize

    grouped: dict[str, list[object]] = {}
    for match in checker.lexicon(lang).body.scan(tokenize(text)):
        grouped.setdefault(match.tag, []).append(match)
    return grouped


def test_the_irony_pretest_never_hides_a_match() -> None:
    """The irony pattern runs only where ``_may_be_ironic`` says it may match: on every
    text here (odd case, look-alike letters, the real corpus) that test must hold
    wherever the pattern matches, in both languages."""
    from pathlib import Path

    from email_crisis.core.notify.lint.rules.phrases import _may_be_ironic

    corpus = Path(__file__).parent / "corpus" / "emails"
    texts = [
        *TEXTS,
        "WINK. Just SAYING. nO, rEaLlY. NON, VRAIMENT. CLIN D'ŒIL.",
        "wınk, juſt ſayıng, no, reallY, non, vraıment, clın d’œil",
        *(path.read_text(encoding="utf-8") for path in sorted(corpus.iterdir())),
    ]
    checker = Linter()
    checked = 0
    for lang in ("en", "fr"):
        irony = checker.lexicon(lang).patterns["irony"]
        assert irony is not None
        for text in texts:
            for piece in text.split("\n\n"):
                if irony.search(piece):
                    checked += 1
                    matches = _marked(checker, lang, piece)
                    assert _may_be_ironic(piece, matches), piece
    assert checked > 10


def test_look_alike_letters_are_every_one_re_matches() -> None:
    """Beyond ASCII, IGNORECASE matches a letter of the irony words only with characters
    that folding turns into that letter, or with the two look-alikes the pre-test lists."""
    from email_crisis.core.notify.lint.lexicon import LOOKALIKES
    from email_crisis.core.notify.lint.tokens import fold_word

    letters = "".join(sorted(set("reallywinksayingvraimentclin")))
    any_letter = re.compile(f"[{letters}]", re.I)
    for code in range(0x80, 0x110000):
        char = chr(code)
        if not any_letter.fullmatch(char):
            continue
        for letter in letters:
            if re.fullmatch(letter, char, re.I) and fold_word(char) != letter:
                assert LOOKALIKES.get(letter) == char, (hex(code), letter)


@pytest.mark.parametrize(
    ("lang", "body", "phrase"),
    [
        ("en", "We are sorry for the early email. No, rEally, we are.", "No, rEally"),
        ("en", "We sent it twice. WINK.", "WINK"),
        ("fr", "Nous sommes désolés pour ce message. Non, VRAIMENT, désolés.", "Non, VRAIMENT"),
    ],
)
def test_irony_in_odd_case_is_reported(lang: str, body: str, phrase: str) -> None:
    """The old pre-test looked for "eally" and "EALLY", so "rEally" slipped through."""
    findings = Linter().check({"body": body})
    assert [body[f.start : f.end] for f in findings if f.rule == "humor"] == [phrase], lang


def test_the_emoticon_pretest_finds_what_trying_every_position_finds() -> None:
    """``_emoticons`` tries the pattern only around trigger characters whose next
    character fits: on random text made of emoticons, their pieces and French spacing
    ("Note : "), it finds what trying the pattern at every position finds."""
    from types import SimpleNamespace

    from email_crisis.core.notify.lint.rules.phrases import _emoticons

    rng = random.Random(3)
    checker = Linter()
    for lang in ("en", "fr"):
        lex = checker.lexicon(lang)
        pattern = lex.emoticons
        assert pattern is not None
        emoticons = list(lex.lists["emoticons"])
        pieces = [*emoticons, " ", " : ", "o", "O", "x", "D", ":", "_", "^", "(", "word", "\n"]
        for _ in range(400):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
            expected = []
            reach = -1
            for start in range(len(text)):
                match = pattern.match(text, start)
                if match is not None and start >= reach:
                    expected.append((start, match.end()))
                    reach = match.end()
            para = SimpleNamespace(lex=lex, text=text)
            assert _emoticons(para) == expected, text  # type: ignore[arg-type]
