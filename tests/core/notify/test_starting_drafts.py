"""Starting drafts: one per kind and language, the lock on suppression-list sends."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from email_crisis.core.assess.apology_lock import LOCKED_KINDS, NotifyGate, gate, override_lock
from email_crisis.core.base.domain import KINDS, Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.templates import LANGUAGES, TemplateProblem, shipped_templates_dir
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.brand import Brand
from email_crisis.core.notify.export import is_no_reply
from email_crisis.core.store.database import Store
from tests.core.notify.support import write
from tests.core.support import incident

OPEN = NotifyGate(True, "allowed")
APOLOGY_KINDS = [kind for kind in KINDS if kind not in LOCKED_KINDS]
SORRY = {"en": "we are sorry", "fr": "nous sommes désolés"}
HELLO = {"en": "Hello,", "fr": "Bonjour,"}
# Jokes, flippancy and hedging have no place in an apology.
BANNED = re.compile(
    r"oops|our bad|lol|oups|boulette|may have|might have|abundance of caution|"
    r"small number of|il se pourrait|incident technique|click here|cliquez ici|"
    r"[\U0001F300-\U0001FAFF]|[:;]-?[)(D]",
    re.IGNORECASE,
)
PROTECTIVE = {
    "en": ("change your", "password", "two-factor authentication"),
    "fr": ("changez votre mot de passe", "authentification à deux facteurs"),
}
FIRST_PARAGRAPH = {
    "wrong-content": {"en": "wrong content", "fr": "contenu était erroné"},
    "broken-personalization": {"en": "where your name should have been", "fr": "prénom"},
    "wrong-segment": {"en": "different group of customers", "fr": "autre groupe de clients"},
    "malformed": {"en": "did not display correctly", "fr": "ne s'affichait pas correctement"},
    "data-breach": {"en": "unauthorised person", "fr": "personne non autorisée"},
    "other": {"en": "we made a mistake", "fr": "nous avons commis une erreur"},
}


@pytest.fixture(scope="module")
def linter() -> Any:
    """One rule checker for the module (it compiles its word lists once)."""
    engine = pytest.importorskip("email_crisis.core.notify.lint.engine")
    return engine.Linter()


def start(kind: str, language: str, brand: Brand) -> notify.Draft:
    return notify.starting_draft(incident(7, kind=kind), language, brand, gate=OPEN)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", APOLOGY_KINDS)
def test_a_starting_draft_for_every_kind_and_language(
    kind: str, language: str, brand: Brand
) -> None:
    draft = start(kind, language, brand)
    assert draft.version == 0 and draft.incident_id == 7
    assert draft.language == language and draft.template == "default"
    assert draft.from_address == brand.from_address
    assert draft.reply_to == brand.reply_to
    assert not is_no_reply(draft.reply_to)
    assert 10 < len(draft.subject) <= 70
    assert draft.preheader
    paragraphs = [p for p in draft.body.split("\n\n") if p.strip()]
    assert paragraphs[0] == HELLO[language]
    # What happened comes first, then the explicit apology.
    assert FIRST_PARAGRAPH[kind][language] in paragraphs[1].lower()
    assert "27 November 2026" in paragraphs[1] or "27 novembre 2026" in paragraphs[1]
    assert SORRY[language] in draft.body.lower()
    assert not BANNED.search(draft.body + draft.subject + draft.preheader)
    assert brand.name in draft.body
    assert notify.merge_fields(draft) == {}  # exportable without ESP tags

    rendered = notify.render_email(draft, notify.sample_recipient(brand), brand)
    assert rendered.problems == ()
    assert "{#" not in rendered.text and "EDIT" not in rendered.text
    assert "MODIFIER" not in rendered.text
    assert SORRY[language] in rendered.text.lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_breach_drafts_give_concrete_protective_steps(language: str, brand: Brand) -> None:
    draft = start("data-breach", language, brand)
    body = draft.body.lower()
    for phrase in PROTECTIVE[language]:
        assert phrase in body
    subject = draft.subject.lower()
    assert ("data breach" in subject) if language == "en" else ("violation de données" in subject)
    assert "https://" not in draft.body  # a breach notice asks people to type the address
    assert brand.website_host in draft.body


@pytest.mark.parametrize("kind", [k for k in APOLOGY_KINDS if k != "data-breach"])
def test_only_breach_drafts_talk_about_passwords(kind: str, brand: Brand) -> None:
    assert "password" not in start(kind, "en", brand).body.lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_editor_notes_are_in_the_draft_but_not_in_the_email(language: str, brand: Brand) -> None:
    draft = start("wrong-content", language, brand)
    note = "{# EDIT:" if language == "en" else "{# À MODIFIER :"
    assert note in draft.body
    rendered = notify.render_email(draft, {}, brand)
    assert note not in rendered.text and note not in rendered.html


def test_first_of_the_month_in_french(brand: Brand) -> None:
    first = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
    item = incident(1, kind="other", detected_at=first)
    assert "1er mars 2026" in notify.starting_draft(item, "fr", brand, gate=OPEN).body
    assert "1 March 2026" in notify.starting_draft(item, "en", brand, gate=OPEN).body


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_draft_for_a_suppression_list_send(
    store: Store, declare: Callable[..., Incident], brand: Brand, language: str
) -> None:
    item = declare("suppression-list-send")
    closed = gate(store, item)
    with pytest.raises(notify.NotifyLocked) as caught:
        notify.starting_draft(item, language, brand, gate=closed)
    assert str(caught.value) == closed.reason
    assert "Do not send an apology" in str(caught.value)
    for lang in LANGUAGES:  # no shipped draft exists for it either
        assert not (
            shipped_templates_dir() / f"apology/drafts/suppression-list-send.{lang}.txt.j2"
        ).exists()


def test_the_override_opens_the_generic_draft(
    store: Store, declare: Callable[..., Incident], brand: Brand
) -> None:
    item = declare("suppression-list-send")
    override_lock(store, item, "Regulator asked us to inform these people.", operator="lee")
    draft = notify.starting_draft(item, "en", brand, gate=gate(store, item))
    assert draft.subject == start("other", "en", brand).subject


def test_unknown_language_is_refused(brand: Brand) -> None:
    with pytest.raises(ValidationError, match="unknown language 'de'"):
        notify.starting_draft(incident(1), "de", brand, gate=OPEN)


def test_an_organisation_can_replace_a_starting_draft(tmp_path: Path, brand: Brand) -> None:
    folder = tmp_path / "org"
    write(
        folder / "apology/drafts/other.en.txt.j2",
        "Subject: ACME got it wrong\nPreheader: Sorry\n\nWe are sorry, from {{ brand.name }}.\n",
    )
    draft = notify.starting_draft(incident(1, kind="other"), "en", brand, gate=OPEN, org_dir=folder)
    assert draft.subject == "ACME got it wrong"
    assert draft.preheader == "Sorry"
    assert draft.body == f"We are sorry, from {brand.name}.\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Subject: x\n{% if %}\n", "other.en.txt.j2, line 2"),
        ("No subject line here\n", "must start with a 'Subject:' line"),
    ],
)
def test_a_broken_starting_draft_is_a_template_problem(
    tmp_path: Path, brand: Brand, text: str, message: str
) -> None:
    folder = tmp_path / "org"
    write(folder / "apology/drafts/other.en.txt.j2", text)
    with pytest.raises(TemplateProblem, match=re.escape(message)):
        notify.starting_draft(incident(1, kind="other"), "en", brand, gate=OPEN, org_dir=folder)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", APOLOGY_KINDS)
def test_starting_drafts_pass_the_rule_checker(
    kind: str, language: str, brand: Brand, linter: Any
) -> None:
    model = pytest.importorskip("email_crisis.core.notify.lint.model")
    draft = start(kind, language, brand)
    fields = {
        notify.LINT_FIELDS[name]: value
        for name, value in draft.fields().items()
        if name in notify.LINT_FIELDS
    }
    context = model.LintContext(kind=kind, language=language, template_name=draft.template)
    errors = [f for f in linter.check(fields, context) if f.severity == "error"]
    assert errors == []
