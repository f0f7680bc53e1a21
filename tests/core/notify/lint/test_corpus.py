"""The checker on the corpus of real emails (corpus/README.md): no email labelled clean
gets an error, each rule keeps its footing, and the manifest stays consistent.

The figures are printed by ``benchmarks/lint_real.py``; here they are floors that a
change must not break (accuracy, not timing: the same input gives the same result).
"""

from __future__ import annotations

import pytest

from email_crisis.core.notify.lint import RULES, Linter
from tests.core.notify.lint.corpus import scoring

EMAILS = scoring.load()
ERROR_RULES = {
    "no-apology",
    "missing-action-steps",
    "missing-exposed-data",
    "unrendered-merge-tag",
    "no-reply-sender",
    "subject-unclear",
}
"""The labelled rules whose finding blocks an email (``clean`` is false when one fires)."""
BREACH_ONLY = {"missing-action-steps", "missing-exposed-data"}
SUBJECT_RULES = {"subject-unclear", "subject-shouting", "subject-too-long"}
TARGET = 0.85


@pytest.fixture(scope="module")
def scores() -> scoring.Scores:
    return scoring.run(EMAILS, Linter())


def test_the_corpus_has_both_languages_and_several_kinds() -> None:
    assert len(EMAILS) >= 40
    languages = {e.language for e in EMAILS}
    assert languages == {"en", "fr"}
    assert len({e.kind for e in EMAILS}) >= 5
    assert sum(e.clean for e in EMAILS if e.language == "fr") >= 1


@pytest.mark.parametrize("email", EMAILS, ids=lambda e: e.id)
def test_the_manifest_is_consistent(email: scoring.Email) -> None:
    assert email.path.is_file(), email.path
    assert email.source_url.startswith(("http://", "https://"))
    assert email.fires <= set(scoring.LABELLED) <= set(RULES)
    assert email.clean == (not email.fires & ERROR_RULES)
    if email.fires & BREACH_ONLY:
        assert email.kind == "data-breach"
    for rule in email.fires & SUBJECT_RULES:
        assert "subject" in email.headers_known, rule
    text = email.path.read_text(encoding="utf-8")
    starts_with_headers = text.startswith(("Subject:", "From:", "Reply-To:"))
    assert starts_with_headers == bool(email.headers_known)


def test_no_email_labelled_clean_gets_an_error(scores: scoring.Scores) -> None:
    bad = {r.email.id: sorted({f.rule for f in r.errors}) for r in scores.clean_with_error}
    assert bad == {}


@pytest.mark.parametrize("scope", ["en", "fr", "overall"])
def test_precision_and_recall_stay_above_the_target(scores: scoring.Scores, scope: str) -> None:
    tally = scores.overall if scope == "overall" else scores.by_language[scope]
    assert tally.precision is not None and tally.precision >= TARGET
    assert tally.recall is not None and tally.recall >= TARGET


def test_each_rule_keeps_its_footing(scores: scoring.Scores) -> None:
    """A rule that fires is right at least two times in three, and a rule labelled on
    five emails or more finds at least two thirds of them; rules that cannot are rewritten
    or turned into advice (info), which is not counted."""
    weak = []
    for rule, tally in scores.by_rule.items():
        if tally.tp + tally.fp >= 3 and (tally.precision or 0) < 2 / 3:
            weak.append(f"{rule}: precision {tally.precision:.2f}")
        if tally.tp + tally.fn >= 5 and (tally.recall or 0) < 2 / 3:
            weak.append(f"{rule}: recall {tally.recall:.2f}")
    assert weak == []


def test_the_error_rules_are_never_wrong_on_the_corpus(scores: scoring.Scores) -> None:
    """When an error-severity rule fires on a real email, the labels agree."""
    wrong = [
        (r.email.id, f.rule)
        for r in scores.results
        for f in r.errors
        if f.rule in scoring.LABELLED and f.rule not in r.email.fires
    ]
    assert wrong == []


def test_without_a_kind_the_inferred_kind_keeps_clean_emails_clean() -> None:
    """The kind is inferred from the text when not given; a clean email must not be
    turned into a failing one by a wrong guess."""
    clean = [e for e in EMAILS if e.clean and e.kind != "data-breach"]
    scores = scoring.run(clean, Linter(), with_kind=False)
    assert {r.email.id: [f.rule for f in r.errors] for r in scores.clean_with_error} == {}
