"""Inline suppression with {# lint: disable=... #}."""

from __future__ import annotations

from email_crisis.core.notify.lint import LintContext, check

APOLOGY = LintContext(kind="wrong-content", template_name="t")
OK = "We are sorry: we sent the wrong code. Reply to this email."


def humor_lines(body: str, **fields: str) -> list[tuple[str, int]]:
    found = check({"body": body, **fields}, APOLOGY)
    return [(f.field, f.line) for f in found if f.rule == "humor"]


def test_a_directive_silences_its_own_paragraph_only() -> None:
    body = f"{OK}\n\nOops. {{# lint: disable=humor #}}\n\nOops again."
    assert humor_lines(body) == [("body", 5)]


def test_a_directive_on_its_own_line_belongs_to_the_next_paragraph() -> None:
    body = f"{OK} Lol.\n\n{{# lint: disable=humor #}}\nOops.\n\nOops again."
    assert humor_lines(body) == [("body", 1), ("body", 6)]


def test_a_directive_on_the_first_body_line_covers_the_whole_draft() -> None:
    body = f"{{# lint: disable=humor,vague-language #}}\n{OK} Oops.\n\nLol, it may have gone."
    found = check({"body": body, "subject": "Oops, wrong code"}, APOLOGY)
    assert [f.rule for f in found if f.rule in ("humor", "vague-language")] == []


def test_disable_all() -> None:
    body = f"{OK}\n\n{{# lint: disable=all #}}\nOops, *|FNAME|*, it may have gone."
    assert [f.rule for f in check({"body": body}, APOLOGY)] == []


def test_other_rules_are_not_silenced() -> None:
    body = f"{OK}\n\n{{# lint: disable=humor #}}\nOops, it may have gone."
    assert [f.rule for f in check({"body": body}, APOLOGY)] == ["vague-language"]


def test_a_directive_in_the_subject_covers_the_subject() -> None:
    assert humor_lines(OK, subject="Oops {# lint: disable=humor #}") == []
    assert humor_lines(OK, subject="Oops") == [("subject", 1)]


def test_unknown_ids_are_reported_and_silence_nothing() -> None:
    body = f"{OK}\n\n{{# lint: disable=humr, humor #}}\nOops."
    found = check({"body": body}, APOLOGY)
    assert [f.rule for f in found] == ["lint-directive"]
    assert '"humr" is not a rule id' in found[0].message


def test_directives_are_case_insensitive_and_allow_whitespace_control() -> None:
    body = f"{OK}\n\n{{#- LINT: Disable = Humor -#}}\nOops."
    assert humor_lines(body) == []


def test_directives_work_in_rendered_text_too() -> None:
    body = f"{OK}\n\n{{# lint: disable=humor #}}\nOops."
    found = check({"body": body}, LintContext(kind="other", template_name="t", is_template=False))
    assert [f.rule for f in found] == []
