"""Negation scope and lemmas: which words a "no" or "ne ... pas" governs, and phrase
words that find their inflections. Sentences from the corpus (corpus/README.md)."""

from __future__ import annotations

import pytest

from email_crisis.core.notify.lint import Linter
from email_crisis.core.notify.lint.lexicon import lemma_table_targets, lemma_targets, load_data
from email_crisis.core.notify.lint.scope import Scope
from email_crisis.core.notify.lint.tokens import tokenize

LINTER = Linter()


def negated(lang: str, text: str, phrase: str) -> bool:
    """Whether the first occurrence of ``phrase`` sits in a negated clause of ``text``."""
    tokens = tokenize(text)
    wanted = tokenize(phrase).words
    words = tokens.words
    first = next(i for i in range(len(words)) if words[i : i + len(wanted)] == wanted)
    lex = LINTER.lexicon(lang)
    scope = Scope(
        tokens, lex.words["negation"], lex.words["clause_break"], lex.words["negation_back"]
    )
    return scope.negated(first, first + len(wanted) - 1)


@pytest.mark.parametrize(
    ("lang", "text", "phrase", "expected"),
    [
        ("en", "No personal data was compromised.", "compromised", True),
        ("en", "Your card details and passwords were not exposed.", "passwords", True),
        (
            "en",
            "Your email address was exposed; passwords were not stored.",
            "email address",
            False,
        ),
        ("en", "Your name and email, but not your password, were exposed.", "email", False),
        ("en", "There is no need for you to change your password.", "change your password", True),
        ("en", "Never share your password.", "never share", False),
        ("en", "Tell your bank about any payment you did not make.", "your bank", False),
        ("en", "We haven't found any misuse. We were hacked.", "hacked", False),
        ("en", "We don't believe your data was taken.", "taken", True),
        ("fr", "Aucun tiers non autorisé n'a pu accéder à vos données.", "non autorisé", True),
        (
            "fr",
            "Vos coordonnées bancaires, mots de passe et adresse email n'ont pas été compromis.",
            "coordonnées bancaires",
            True,
        ),
        ("fr", "Ne transmettez jamais vos identifiants.", "ne transmettez jamais", False),
        (
            "fr",
            "Un mail transmis par erreur et qui n'est conforme ni à nos engagements.",
            "transmis",
            False,
        ),
        ("fr", "Vos données ont été extraites. Rien d'autre.", "extraites", False),
    ],
)
def test_negation_scope(lang: str, text: str, phrase: str, expected: bool) -> None:
    assert negated(lang, text, phrase) is expected


@pytest.mark.parametrize(
    ("lang", "text", "tag"),
    [
        (
            "en",
            "We ask that you consider changing your password on all services.",
            "protect_credentials",
        ),
        ("en", "Please review your account statements.", "protect_payment"),
        ("fr", "Surveillez vos prélèvements.", "protect_payment"),
        ("fr", "Faites opposition auprès de votre banque.", "protect_payment"),
        ("fr", "Restez vigilants face aux appels.", "protect_phishing"),
    ],
)
def test_inflected_protective_steps_are_found(lang: str, text: str, tag: str) -> None:
    """Issue 12: "consider changing your password", "surveillez vos prélèvements" and
    "faites opposition" were missed by the plain word lists."""
    matches = LINTER.lexicon(lang).body.scan(tokenize(text))
    assert tag in {m.tag for m in matches}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_lemma_table_covers_every_word_of_the_lists(lang: str) -> None:
    """Run scripts/build_lemmas.py after adding a word to a list (it needs simplemma)."""
    missing = lemma_targets(load_data(lang)) - lemma_table_targets(lang)
    assert missing == set(), f"rebuild the lemma table for {sorted(missing)[:10]}"


def test_phishing_phrases_match_only_as_written() -> None:
    """ "provide your credit card" is what a scam asks; "if you provided your credit
    card" (corpus 043, Sony) only describes."""
    lex = LINTER.lexicon("en")
    assert "phishing" not in {
        m.tag for m in lex.body.scan(tokenize("If you have provided your credit card data"))
    }
    assert "phishing" in {m.tag for m in lex.body.scan(tokenize("Provide your credit card now"))}


def test_the_words_the_matcher_marks_are_every_word_of_their_sets() -> None:
    """The clause work and the passive-voice scan read where negation words and fault-verb
    forms are from the matcher's marks: on every paragraph of the real corpus, in both
    languages, the marks are exactly the words of those sets (all their forms included)."""
    from pathlib import Path

    from email_crisis.core.notify.lint.lexicon import load_lemmas
    from email_crisis.core.notify.lint.model import FAULT_FORM, NEGATION_WATCH
    from email_crisis.core.notify.lint.scope import watched
    from email_crisis.core.notify.lint.tokens import fold_word

    corpus = Path(__file__).parent / "corpus" / "emails"
    paragraphs = [
        piece
        for path in sorted(corpus.iterdir())
        for piece in path.read_text(encoding="utf-8").split("\n\n")
    ]
    for lang in ("en", "fr"):
        lex = LINTER.lexicon(lang)
        fault = lex.words["fault_verbs"]
        lemmas = load_lemmas(lang)
        sets = {
            FAULT_FORM: fault | {form for form, lemma in lemmas.items() if lemma in fault},
            NEGATION_WATCH: watched(fold_word(w) for w in lex.lists["negation"]),
        }
        found = 0
        for piece in paragraphs:
            tokens = tokenize(piece)
            matches = lex.body.scan(tokens)
            for tag, words in sets.items():
                marked = [m.first for m in matches if m.tag == tag]
                assert marked == [i for i, w in enumerate(tokens.words) if w in words], piece
                found += len(marked)
        assert found > 50, lang
