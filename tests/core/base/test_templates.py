"""Statement templates (en, fr), organisation overrides and template errors."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from email_crisis.core.base.domain import KINDS, Incident
from email_crisis.core.base.settings import TEMPLATES_ENV
from email_crisis.core.base.templates import (
    LANGUAGES,
    TemplateProblem,
    environment,
    list_templates,
    render,
    shipped_templates_dir,
)
from email_crisis.core.own.statement import draft_statement, statement_template
from tests.conftest import FROZEN_NOW
from tests.core.support import incident

SHIPPED = [f"internal/statement.{language}.md.j2" for language in LANGUAGES]


def draft(item: Incident, language: str, env_dir: Path | None = None) -> str:
    env = environment(env_dir) if env_dir is not None else None
    return draft_statement(item, operator="sam", now=FROZEN_NOW, language=language, env=env)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("commander", [None, "Priya Shah"])
def test_statement_renders_for_every_kind(language: str, kind: str, commander: str | None) -> None:
    item = incident(42, title="Spring sale sent twice", kind=kind, commander=commander)
    text = draft(item, language)
    assert "Spring sale sent twice" in text
    assert "incident 42 (SEV3)" in text
    assert "2026-11-27 09:30" in text  # detection time, shown in local time (UTC here)
    assert "sam" in text
    if commander:
        assert commander in text
    else:
        assert ("not named yet" if language == "en" else "pas encore désigné") in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "{{" not in text and "{%" not in text

    lowered = text.lower()
    if language == "en":
        assert ("security and it lead" in lowered) == (kind == "data-breach")
        assert ("do not send an apology" in lowered) == (kind == "suppression-list-send")
    else:
        assert ("sécurité" in lowered) == (kind == "data-breach")
        assert ("pas d'e-mail d'excuses" in lowered) == (kind == "suppression-list-send")


def test_statement_languages_differ() -> None:
    item = incident(1, kind="other")
    assert draft(item, "en").startswith("INTERNAL - incident 1")
    assert draft(item, "fr").startswith("INTERNE - incident 1")


def test_unknown_language_is_a_template_problem() -> None:
    with pytest.raises(TemplateProblem, match="no statement template in 'de'; use en or fr"):
        statement_template("de")


@pytest.mark.parametrize(
    "title",
    ["{{ 7*7 }}", "{% if true %}yes{% endif %}", "{{ incident.id }}", "{# hidden #}"],
)
def test_user_text_with_jinja_syntax_is_not_evaluated(title: str) -> None:
    item = incident(3, title=title, kind="other", commander="{{ operator }}")
    text = draft(item, "en")
    assert f"Incident: {title}\n" in text
    assert "Who is in charge: {{ operator }}." in text
    assert "49" not in text


def test_user_text_is_not_html_escaped_in_markdown() -> None:
    text = draft(incident(4, title="<b>Dear <FirstName></b> & co"), "en")
    assert "Incident: <b>Dear <FirstName></b> & co\n" in text


def test_list_templates_includes_the_shipped_ones() -> None:
    names = list_templates()
    assert set(SHIPPED) <= set(names)
    assert names == sorted(names)
    for name in SHIPPED:
        assert (shipped_templates_dir() / name).is_file()


# -- the organisation's own templates --------------------------------------------------


def org_folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "org-templates"
    for name, body in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return folder


def test_org_folder_overrides_a_shipped_template(tmp_path: Path) -> None:
    folder = org_folder(
        tmp_path,
        {
            "internal/statement.en.md.j2": "ACME internal note on {{ incident.title }}\n",
            "emails/extra.md.j2": "extra\n",
        },
    )
    item = incident(5, title="Promo sent twice")
    assert draft(item, "en", folder) == "ACME internal note on Promo sent twice\n"
    assert draft(item, "fr", folder).startswith("INTERNE")  # not overridden: shipped one
    names = list_templates(environment(folder))
    assert "emails/extra.md.j2" in names
    assert set(SHIPPED) <= set(names)


def test_org_folder_from_the_environment_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = org_folder(tmp_path, {"internal/statement.fr.md.j2": "ACME : {{ incident.title }}\n"})
    monkeypatch.setenv(TEMPLATES_ENV, str(folder))
    assert draft(incident(6, title="Envoi en double"), "fr") == "ACME : Envoi en double\n"
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "missing-folder"))
    assert draft(incident(6), "fr").startswith("INTERNE")


def test_syntax_error_names_the_template_and_line(tmp_path: Path) -> None:
    folder = org_folder(tmp_path, {"internal/statement.en.md.j2": "fine\nfine\n{% if %}\n"})
    with pytest.raises(TemplateProblem) as caught:
        draft(incident(7), "en", folder)
    message = str(caught.value)
    assert "internal/statement.en.md.j2" in message
    assert "line 3" in message


def test_undefined_variable_names_the_template(tmp_path: Path) -> None:
    folder = org_folder(tmp_path, {"internal/statement.en.md.j2": "ok\n{{ nope }}\n"})
    with pytest.raises(TemplateProblem) as caught:
        draft(incident(7), "en", folder)
    message = str(caught.value)
    assert "internal/statement.en.md.j2" in message
    assert "'nope' is undefined" in message


@pytest.mark.parametrize(
    "body", ["ok\n{{ nope }}\n", "ok\n{{ 1 // 0 }}\n"], ids=["undefined", "runtime-error"]
)
def test_render_time_errors_name_the_line(tmp_path: Path, body: str) -> None:
    folder = org_folder(tmp_path, {"internal/statement.en.md.j2": body})
    with pytest.raises(TemplateProblem, match="line 2"):
        draft(incident(7), "en", folder)


def test_missing_template_is_a_template_problem(tmp_path: Path) -> None:
    with pytest.raises(
        TemplateProblem, match=re.escape("template 'nothing/here.j2' was not found")
    ):
        render("nothing/here.j2", {}, environment(tmp_path))


def test_missing_include_names_the_missing_template(tmp_path: Path) -> None:
    folder = org_folder(tmp_path, {"emails/note.md.j2": 'x\n{% include "parts/footer.j2" %}\n'})
    with pytest.raises(TemplateProblem, match=re.escape("parts/footer.j2")):
        render("emails/note.md.j2", {}, environment(folder))


def test_html_email_templates_escape_user_text(tmp_path: Path) -> None:
    folder = org_folder(tmp_path, {"emails/apology.en.html.j2": "<p>{{ incident.title }}</p>\n"})
    item = replace(incident(8), title="<script>alert(1)</script>")
    text = render("emails/apology.en.html.j2", {"incident": item}, environment(folder))
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
