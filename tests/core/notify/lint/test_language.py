"""Language detection: per paragraph, with the draft's language as the fallback."""

from __future__ import annotations

import pytest

from email_crisis.core.notify.lint.language import decided, detect, overall, votes
from email_crisis.core.notify.lint.tokens import tokenize


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We are sorry: we sent you the wrong email and we will fix it.", "en"),
        ("Nous sommes désolés : nous vous avons envoyé le mauvais e-mail.", "fr"),
        ("NOUS SOMMES DESOLES POUR CETTE ERREUR DANS LA LETTRE", "fr"),
        ("", "en"),
        ("12345 !!!", "en"),
    ],
)
def test_detect(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_a_short_or_mixed_paragraph_is_undecided() -> None:
    assert decided(*votes(tokenize("Bonjour,").words)) is None
    assert decided(*votes(tokenize("the and we les et nous").words)) is None
    assert decided(3, 1) == "en" and decided(1, 3) == "fr"


def test_the_draft_language_prefers_english_on_a_tie() -> None:
    assert overall(2, 2) == "en" and overall(1, 2) == "fr"
