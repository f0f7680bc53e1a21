"""The preview: branded templates in both languages, escaping, merge fields, broken templates."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from email_crisis.core.base.templates import LANGUAGES
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.brand import Brand, load_brand
from email_crisis.core.notify.export import blocks
from email_crisis.core.notify.store import Draft
from tests.core.notify.support import write

ACME = """
name = "ACME & Sons <Outdoor>"
logo_alt = "ACME logo"
postal_address = "ACME SAS\\n12 rue des Pins\\n69001 Lyon"
[colours]
header_background = "#AA0000"
link = "#0055CC"
[unsubscribe]
url = "https://acme.example/unsub?list=1&x=2"
"""
RECIPIENT = {"first_name": "Alex", "last_name": "Martin"}
HTML_PARTS = ("<table", 'role="presentation"', "</html>")


def make(body: str, language: str = "en", **fields: str) -> Draft:
    values = {
        "from_address": "ACME <care@acme.example>",
        "reply_to": "care@acme.example",
        "subject": "We sent you the wrong price",
        "preheader": "What happened",
        "template": "default",
        "language": language,
        "body": body,
        **fields,
    }
    return Draft(1, 1, None, None, **values)


@pytest.fixture
def acme(tmp_path: Path) -> Brand:
    return load_brand(write(tmp_path / "acme.toml", ACME))


def test_the_shipped_templates_exist_in_both_languages() -> None:
    for language in LANGUAGES:
        assert notify.apology_templates(language) == ["default"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_renders_with_the_brand_settings(language: str, acme: Brand) -> None:
    body = "Hello {{ first_name }},\n\nWe sent the wrong price.\nWe are sorry."
    result = notify.render_email(make(body, language), RECIPIENT, acme)
    assert result.problems == ()
    assert result.subject == "We sent you the wrong price"
    # HTML: table layout, inline colours, escaped brand name, address lines, unsubscribe.
    for part in HTML_PARTS:
        assert part in result.html
    assert f'<html lang="{language}">' in result.html
    assert "background-color:#AA0000" in result.html
    assert "ACME &amp; Sons &lt;Outdoor&gt;" in result.html
    assert 'aria-label="ACME logo"' in result.html
    assert "ACME SAS<br>12 rue des Pins<br>69001 Lyon" in result.html
    assert 'href="https://acme.example/unsub?list=1&amp;x=2"' in result.html
    assert 'href="mailto:care@acme.example"' in result.html
    assert '<p style="margin:0 0 16px 0;">Hello Alex,</p>' in result.html
    assert "We sent the wrong price.<br>We are sorry." in result.html
    assert "What happened</div>" in result.html  # the hidden preheader
    # No external resources and no style sheets: inline CSS only.
    assert not re.search(r"<img|<link|<style|@import|url\(|src=", result.html)
    # Text: the same content, the reply path, the address and the unsubscribe link.
    assert result.text.startswith("ACME & Sons <Outdoor>\n=====")
    assert "Hello Alex,\n\nWe sent the wrong price.\nWe are sorry." in result.text
    assert "care@acme.example" in result.text
    assert "12 rue des Pins" in result.text
    assert "https://acme.example/unsub?list=1&x=2" in result.text
    footer = {"en": "Unsubscribe", "fr": "Se désinscrire"}[language]
    assert footer in result.text and footer in result.html
    reply = {"en": "Reply to this email", "fr": "Répondez à cet e-mail"}[language]
    assert reply in result.text and reply in result.html


JUNK = (
    "<script>alert('x')</script>\n"
    "[bold red]shout[/] and [link=https://evil.example]x[/link]\n"
    "<img src=https://tracker.example/p.gif> & \x1b[31mred\x1b[0m"
)


def test_the_html_escapes_markup_rich_and_ansi_from_the_body(brand: Brand) -> None:
    result = notify.render_email(make(JUNK, subject="<b>Subject</b>"), {}, brand)
    assert "<script>" not in result.html and "<img" not in result.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in result.html
    assert "&lt;img src=" in result.html
    assert "[bold red]shout[/]" in result.html  # Rich markup is just text
    assert "<title>&lt;b&gt;Subject&lt;/b&gt;</title>" in result.html
    assert "\x1b" not in result.html and "\x1b" not in result.text
    assert "␛[31mred" in result.text  # escape codes shown, not obeyed
    assert [p.field for p in result.problems] == ["body"]
    assert "control characters" in result.problems[0].message


def test_a_missing_merge_field_is_a_problem_with_name_and_line(brand: Brand) -> None:
    body = "Hello {{ first_name }},\n\nYour order {{ order_id }} was wrong.\n{{ order_id }} again."
    result = notify.render_email(make(body), {"first_name": "Alex"}, brand)
    (problem,) = result.problems
    assert problem.field == "body" and problem.name == "order_id" and problem.line == 3
    assert problem.message.startswith("body, line 3: the merge field 'order_id' has no value")
    # Never rendered blank: the preview shows where the value is missing.
    assert "Your order [missing: order_id] was wrong." in result.text
    assert "[missing: order_id] again." in result.text


def test_every_missing_merge_field_is_reported(brand: Brand) -> None:
    draft = make("{{ a }}\n{{ b }}\n{{ a }}", subject="Hi {{ first_name }}")
    result = notify.render_email(draft, {}, brand)
    found = {(p.field, p.name, p.line) for p in result.problems}
    assert found == {("subject", "first_name", 1), ("body", "a", 1), ("body", "b", 2)}
    assert result.subject == "Hi [missing: first_name]"


def test_merge_fields_with_a_default_are_not_problems(brand: Brand) -> None:
    draft = make("Hello {{ first_name | default('there') }},\nWe are sorry.")
    result = notify.render_email(draft, {}, brand)
    assert result.problems == ()
    assert "Hello there," in result.text


def test_an_attribute_of_a_value_that_does_not_exist(brand: Brand) -> None:
    result = notify.render_email(make("x\n{{ customer.city }}"), {"customer": {}}, brand)
    (problem,) = result.problems
    assert problem.line == 2 and "has no attribute 'city'" in problem.message
    assert "[missing: city]" in result.text


def test_a_body_syntax_error_is_a_problem_naming_the_line(brand: Brand) -> None:
    result = notify.render_email(make("fine\nfine\n{% if first_name %}\nno end"), {}, brand)
    (problem,) = result.problems
    assert (problem.field, problem.line) == ("body", 4)
    assert problem.message.startswith("body, line 4:")
    assert "no end" in result.text  # the preview still shows the text


def test_a_brand_template_syntax_error_names_the_template_and_line(
    tmp_path: Path, brand: Brand
) -> None:
    folder = tmp_path / "org"
    write(folder / "apology/acme.en.txt.j2", "{{ body }}\n")
    write(folder / "apology/acme.en.html.j2", "<p>\n{{ body }}\n{% for %}\n</p>\n")
    result = notify.render_email(make("We are sorry.", template="acme"), {}, brand, org_dir=folder)
    (problem,) = result.problems
    assert problem.field == "template"
    assert problem.template == "apology/acme.en.html.j2" and problem.line == 3
    assert "template apology/acme.en.html.j2, line 3" in problem.message
    assert result.html == ""
    assert result.text == "We are sorry.\n"


def test_a_brand_template_runtime_error_names_the_line(tmp_path: Path, brand: Brand) -> None:
    folder = tmp_path / "org"
    write(folder / "apology/acme.en.txt.j2", "{{ body }}\n")
    write(folder / "apology/acme.en.html.j2", "<p>{{ body }}</p>\n<p>{{ brand.nope }}</p>\n")
    result = notify.render_email(make("Sorry.", template="acme"), {}, brand, org_dir=folder)
    (problem,) = result.problems
    assert problem.line == 2 and "nope" in problem.message


def test_organisation_templates_are_listed_and_used(tmp_path: Path, brand: Brand) -> None:
    folder = tmp_path / "org"
    write(folder / "apology/acme.en.txt.j2", "ACME: {{ body }}\n")
    write(folder / "apology/acme.en.html.j2", "<p>ACME: {{ body }}</p>\n")
    write(folder / "apology/halfdone.en.html.j2", "<p>{{ body }}</p>\n")  # no text part
    assert notify.apology_templates("en", folder) == ["acme", "default"]
    assert notify.apology_templates("fr", folder) == ["default"]
    result = notify.render_email(make("<b>Sorry</b>", template="acme"), {}, brand, org_dir=folder)
    assert result.html == "<p>ACME: &lt;b&gt;Sorry&lt;/b&gt;</p>\n"
    assert result.text == "ACME: <b>Sorry</b>\n"


@pytest.mark.parametrize(
    ("template", "message"),
    [("", "no brand template chosen"), ("nope", "template apology/nope.en.txt.j2 was not found")],
)
def test_missing_template_is_a_problem(brand: Brand, template: str, message: str) -> None:
    result = notify.render_email(make("Sorry.", template=template), {}, brand)
    assert message in result.problems[0].message
    assert result.problems[0].field == "template"
    assert result.text.strip() == "Sorry."


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ 'x' * 100000000 }}",
        "{{ 10 ** 100000 }}",
        "{% include 'apology/default.en.html.j2' %}",
    ],
)
def test_the_body_runs_in_a_sandbox(brand: Brand, body: str) -> None:
    result = notify.render_email(make(body), {}, brand)
    assert result.problems and result.problems[0].field == "body"
    assert len(result.text) < 10_000


def test_empty_subject_and_body_are_problems(brand: Brand) -> None:
    result = notify.render_email(make("  ", subject=""), {}, brand)
    assert {p.field for p in result.problems} == {"subject", "body"}


def test_links_and_lists_in_the_html(brand: Brand) -> None:
    body = "See https://shop.example/help.\n\n- Change your password\n- Turn on 2FA"
    result = notify.render_email(make(body), {}, brand)
    assert '<a href="https://shop.example/help" ' in result.html
    assert ">https://shop.example/help</a>." in result.html
    assert re.search(r"<ul[^>]*>\s*<li[^>]*>Change your password</li>", result.html)
    assert [b.kind for b in blocks(body)] == ["p", "ul"]


def test_a_link_cannot_break_out_of_its_attribute(brand: Brand) -> None:
    result = notify.render_email(make('https://x.example/a"onmouseover="x'), {}, brand)
    assert 'href="https://x.example/a"' in result.html
    assert 'onmouseover="x' not in result.html


def test_recipient_values_are_escaped_too(brand: Brand) -> None:
    draft = replace(make("Hello {{ first_name }},"), subject="For {{ first_name }}")
    result = notify.render_email(draft, {"first_name": "<i>Al</i>\nBcc: x@y"}, brand)
    assert "&lt;i&gt;Al&lt;/i&gt;" in result.html
    assert "\n" not in result.subject  # no header injection through the subject
    assert [p.field for p in result.problems] == ["subject"]
