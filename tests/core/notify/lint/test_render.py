"""The preview helper: sandboxed, strict, and a missing merge field is a finding."""

from __future__ import annotations

import pytest

from email_crisis.core.notify.lint import Severity, render_template, sandbox


def test_a_complete_recipient_renders() -> None:
    rendered = render_template("Dear {{ first_name|title }},\n", {"first_name": "jane"})
    assert rendered.ok and rendered.text == "Dear Jane,\n" and rendered.findings == []


@pytest.mark.parametrize(
    ("source", "recipient"),
    [
        ("Dear {{ first_name }},\nWe are sorry. {{ last_name }} {{ first_name }}", {}),
        ("Bonjour {{ first_name }},\nNous sommes désolés. {{ last_name }} {{ first_name }}", {}),
    ],
)
def test_every_use_of_every_missing_field_is_a_finding_and_no_text(
    source: str, recipient: dict[str, str]
) -> None:
    rendered = render_template(source, recipient)
    assert rendered.text is None
    spans = [(f.rule, source[f.start : f.end], f.line) for f in rendered.findings]
    assert spans == [
        ("unrendered-merge-tag", "{{ first_name }}", 1),
        ("unrendered-merge-tag", "{{ last_name }}", 2),
        ("unrendered-merge-tag", "{{ first_name }}", 2),
    ]
    assert all(f.severity is Severity.ERROR for f in rendered.findings)


def test_a_missing_attribute_is_a_finding_at_its_line() -> None:
    source = "Hello,\n\nYour order {{ order.number }} was sent twice."
    rendered = render_template(source, {"order": {"id": 1}})
    (finding,) = rendered.findings
    assert finding.rule == "unrendered-merge-tag" and finding.line == 3
    assert "number" in finding.message


def test_a_field_tested_with_is_defined_is_not_missing() -> None:
    source = "Hello{% if first_name is defined %} {{ first_name }}{% endif %},"
    assert render_template(source, {}).text == "Hello,"


def test_a_syntax_error_is_a_template_error_at_its_line() -> None:
    rendered = render_template("Bonjour,\n{% if x %}\nNous sommes désolés.", {"x": 1})
    (finding,) = rendered.findings
    assert finding.rule == "template-error" and finding.line == 3 and rendered.text is None


def test_the_sandbox_refuses_reaching_into_python() -> None:
    rendered = render_template("{{ ''.__class__.__mro__ }}", {})
    (finding,) = rendered.findings
    assert finding.rule == "template-error"
    assert rendered.text is None


def test_html_templates_can_escape() -> None:
    env = sandbox(autoescape=True)
    rendered = render_template("<p>{{ name }}</p>", {"name": "<b>x</b>"}, env=env)
    assert rendered.text == "<p>&lt;b&gt;x&lt;/b&gt;</p>"
