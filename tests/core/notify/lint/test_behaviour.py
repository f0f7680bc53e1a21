"""How the rules combine: apology or campaign, severities that depend on the draft,
bilingual drafts, order and input checks."""

from __future__ import annotations

import pytest

from email_crisis.core.notify.lint import FIELDS, LintContext, Linter, Severity, check, has_errors

APOLOGY = LintContext(kind="wrong-content", template_name="apology")
EN_OK = "We are sorry: yesterday we sent you the wrong code. Reply to this email with questions."


def rules(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f.rule for f in findings]


def test_a_plain_campaign_gets_only_the_general_rules() -> None:
    campaign = {
        "subject": "Our winter sale starts now",
        "body": "Hello *|FNAME|*,\n\nOur winter sale starts today, lol. Click here to shop.",
    }
    found = rules(check(campaign, LintContext(template_name="newsletter")))
    assert found == ["unrendered-merge-tag", "click-here-link"]


def test_forcing_the_apology_purpose_applies_the_apology_rules() -> None:
    campaign = {"body": "Our winter sale starts today, lol."}
    found = rules(check(campaign, LintContext(purpose="apology", template_name="t")))
    assert "no-apology" in found and "humor" in found


def test_an_apology_without_a_kind_is_recognised_from_its_wording() -> None:
    found = rules(check({"body": "We are sorry, lol."}, LintContext(template_name="t")))
    assert "humor" in found


def test_a_hedged_apology_is_an_error_alone_and_advice_beside_a_real_one() -> None:
    """Corpus 002 (Shutterfly): "Please accept our most sincere apologies" then "sorry if
    you received this email in error" is a sound apology; the hedge is only advice."""
    alone = check({"body": "We apologize for any inconvenience."}, APOLOGY)
    both = check({"body": "We apologize for any inconvenience. " + EN_OK}, APOLOGY)
    assert [f.severity for f in alone if f.rule == "no-apology"] == [Severity.ERROR]
    assert [f.severity for f in both if f.rule == "no-apology"] == [Severity.INFO]


def test_a_hedge_after_a_real_apology_belongs_to_the_regret_between_them() -> None:
    """Corpus 039 (Target, 2014): "I am truly sorry this incident occurred and sincerely
    regret any inconvenience it may cause you" apologises; only the regret is hedged."""
    body = (
        "I am truly sorry this incident occurred and sincerely regret any inconvenience it "
        "may cause you. Reply to this email."
    )
    found = [f for f in check({"body": body}, APOLOGY) if f.rule == "no-apology"]
    assert [(f.severity, body[f.start : f.end]) for f in found] == [
        (Severity.INFO, "regret any inconvenience")
    ]


def test_no_apology_rules_at_all_after_a_suppression_list_send() -> None:
    found = check(
        {"body": "We apologize for any inconvenience."}, LintContext(kind="suppression-list-send")
    )
    assert "no-apology" not in rules(found)
    assert "apology-not-allowed" in rules(found)


def test_apology_not_allowed_points_at_the_body_when_there_is_no_apology_word() -> None:
    found = check(
        {"body": "\n\nWe mailed you by mistake."}, LintContext(kind="suppression-list-send")
    )
    (finding,) = [f for f in found if f.rule == "apology-not-allowed"]
    assert (finding.start, finding.end, finding.line) == (2, 27, 3)


def test_phishing_wording_is_an_error_in_a_breach_notice_only() -> None:
    body = "We are sorry. Verify your account below. Reply to this email."
    plain = check({"body": body}, APOLOGY)
    breach = check({"body": body + " Change your password."}, LintContext(kind="data-breach"))
    assert [f.severity for f in plain if f.rule == "phishing-wording"] == [Severity.WARNING]
    assert [f.severity for f in breach if f.rule == "phishing-wording"] == [Severity.ERROR]


@pytest.mark.parametrize(
    ("subject", "severity"),
    [("Update", Severity.ERROR), ("", Severity.ERROR), ("A note from our CEO", Severity.WARNING)],
)
def test_subject_unclear_severity(subject: str, severity: Severity) -> None:
    found = check({"subject": subject, "body": EN_OK}, APOLOGY)
    assert [f.severity for f in found if f.rule == "subject-unclear"] == [severity]


def test_an_empty_subject_in_a_breach_gets_the_breach_subject_as_suggestion() -> None:
    found = check({"subject": "", "body": EN_OK}, LintContext(kind="data-breach"))
    (finding,) = [f for f in found if f.rule == "subject-unclear"]
    assert finding.suggestion == "Notice of a data breach affecting your account"


def test_each_paragraph_of_a_bilingual_draft_uses_its_own_language() -> None:
    body = (
        "We are sorry: yesterday we sent you the wrong code. Reply to this email.\n\n"
        "Nous sommes désolés : hier, nous vous avons envoyé un mauvais code, oups. "
        "Répondez à cet e-mail."
    )
    found = check({"body": body}, APOLOGY)
    assert [(f.rule, body[f.start : f.end]) for f in found] == [("humor", "oups")]
    forced = check({"body": body}, LintContext(kind="wrong-content", language="en"))
    assert "humor" not in rules(forced)  # "oups" is not on the English list


def test_findings_come_sorted_by_field_then_position_and_are_repeatable() -> None:
    draft = {
        "body": "Oops, lol. We may have sent it.",
        "subject": "URGENT update!!",
        "from": "noreply@example.com",
    }
    first = check(draft, APOLOGY)
    assert first == check(draft, APOLOGY) == Linter().check(draft, APOLOGY)
    order = [FIELDS.index(f.field) for f in first]
    assert order == sorted(order)
    body = [f.start for f in first if f.field == "body"]
    assert body == sorted(body)


def test_fields_left_out_are_not_checked_but_empty_ones_are() -> None:
    assert "subject-unclear" not in rules(check({"body": EN_OK}, APOLOGY))
    assert "subject-unclear" in rules(check({"body": EN_OK, "subject": ""}, APOLOGY))
    assert "subject-unclear" not in rules(check({"body": EN_OK, "subject": None}, APOLOGY))


def test_unknown_fields_and_languages_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        check({"bdy": "x"})
    with pytest.raises(ValueError, match="unknown language"):
        check({"body": "x"}, LintContext(language="de"))  # type: ignore[arg-type]


def test_has_errors_is_the_export_gate() -> None:
    assert has_errors(check({"body": "Dear ,\n\n" + EN_OK}, APOLOGY))
    assert not has_errors(check({"body": EN_OK}, APOLOGY))


def test_jinja_source_is_not_prose_but_foreign_tags_are_flagged() -> None:
    body = (
        '{% set note = "oops lol" %}\n\nDear {{ first_name }},\n\n'
        "{# a comment with our bad #}" + EN_OK + " Hi *|FNAME|*"
    )
    found = check({"body": body}, LintContext(kind="wrong-content", template_name="t"))
    assert [(f.rule, body[f.start : f.end]) for f in found] == [
        ("unrendered-merge-tag", "*|FNAME|*")
    ]


def test_an_assessment_that_found_exposed_data_calls_for_protective_steps() -> None:
    body = "We are sorry: we sent your order history to another customer. Reply to us."
    context = LintContext(kind="wrong-segment", template_name="t", data_exposed=True)
    assert "missing-action-steps" in rules(check({"body": body}, context))
    assert "missing-action-steps" not in rules(check({"body": body}, APOLOGY))
