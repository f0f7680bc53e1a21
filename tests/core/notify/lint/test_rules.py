"""Every rule against its failing and passing examples, in both languages."""

from __future__ import annotations

import importlib

import pytest

from email_crisis.core.notify.lint import RULES, LintContext, Linter, parse_config
from email_crisis.core.notify.lint.rules import FAMILIES, FAMILY_OF
from tests.core.notify.lint.examples import EXAMPLES, Example


def _findings(example: Example):  # type: ignore[no-untyped-def]
    fields, span = example.parsed()
    config = parse_config(example.config) if example.config else None
    checker = Linter(config) if config else Linter()
    context = example.context
    if context.language == "auto":
        context = LintContext(**{**context.__dict__, "language": example.lang})
    return fields, span, checker.check(fields, context)


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_example(example: Example) -> None:
    _, span, findings = _findings(example)
    mine = [f for f in findings if f.rule == example.rule]
    if span is None:
        assert mine == [], f"unexpected {example.rule}: {mine}"
        return
    where = [(f.field, f.start, f.end) for f in mine]
    assert span in where, f"expected {example.rule} at {span}, got {where} ({mine})"
    if example.suggestion is not None:
        found = next(f for f in mine if (f.field, f.start, f.end) == span)
        assert found.suggestion == example.suggestion


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.failing], ids=str)
def test_failing_example_also_fails_with_language_detected(example: Example) -> None:
    """The language given in the table is the one detection finds (or does not matter)."""
    fields, span, _ = _findings(example)
    config = parse_config(example.config) if example.config else None
    checker = Linter(config) if config else Linter()
    findings = checker.check(fields, example.context)
    assert span in [(f.field, f.start, f.end) for f in findings if f.rule == example.rule]


def test_every_rule_has_examples_in_each_language_it_claims() -> None:
    missing = []
    for rule, info in RULES.items():
        family = FAMILY_OF[rule]
        assert set(info.languages) <= set(family.LANGUAGES), rule
        for lang in info.languages:
            for failing in (True, False):
                if not any(
                    e.rule == rule and e.lang == lang and e.failing is failing for e in EXAMPLES
                ):
                    missing.append(f"{rule} ({lang}, {'failing' if failing else 'passing'})")
    assert missing == [], f"rules without examples: {missing}"


def test_examples_name_only_real_rules() -> None:
    assert {e.rule for e in EXAMPLES} <= set(RULES)


def test_the_meta_test_would_notice_a_missing_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Claiming a language with no examples is caught (the check above can fail)."""
    from tests.core.notify.lint import examples

    monkeypatch.setattr(
        examples, "EXAMPLES", [e for e in EXAMPLES if not (e.rule == "humor" and e.lang == "fr")]
    )
    module = importlib.import_module(__name__)
    monkeypatch.setattr(module, "EXAMPLES", examples.EXAMPLES)
    with pytest.raises(AssertionError, match=r"humor \(fr"):
        test_every_rule_has_examples_in_each_language_it_claims()


def test_every_family_declares_languages_and_rules() -> None:
    for family in FAMILIES:
        assert family.LANGUAGES, family.__name__
        assert set(family.LANGUAGES) <= {"en", "fr"}
        assert family.RULES, family.__name__


def test_rule_ids_are_stable_kebab_case() -> None:
    issue_ids = {
        "subject-unclear",
        "no-apology",
        "humor",
        "vague-language",
        "buried-lede",
        "missing-action-steps",
        "no-reply-sender",
        "unrendered-merge-tag",
        "apology-not-allowed",
        "unbranded-template",
    }
    assert issue_ids <= set(RULES)
    for rule in RULES:
        assert rule == rule.lower() and " " not in rule and "_" not in rule


def test_every_rule_family_runs_once() -> None:
    """A family listed twice ran its judge twice (its hits were only saved by the
    engine's de-duplication)."""
    from email_crisis.core.notify.lint.rules import FAMILIES, JUDGES, SCANNERS

    assert len(set(FAMILIES)) == len(FAMILIES)
    assert len(set(JUDGES)) == len(JUDGES) and len(set(SCANNERS)) == len(SCANNERS)
