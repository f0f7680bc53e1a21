"""The lint config file: what it changes, and errors that name the file and the line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from email_crisis.core.notify.lint import (
    LintConfigError,
    LintContext,
    Linter,
    Severity,
    load_config,
    parse_config,
    resolve_config_path,
)
from email_crisis.core.notify.lint.config import CONFIG_ENV, DEFAULT_CONFIG

APOLOGY = LintContext(kind="wrong-content", template_name="t")
DRAFT = {"body": "Oops, we are sorry: we sent the wrong code. Reply to this email."}


def rules_with(config_text: str, draft: dict[str, str] = DRAFT) -> list[tuple[str, Severity]]:
    return [(f.rule, f.severity) for f in Linter(parse_config(config_text)).check(draft, APOLOGY)]


def test_the_defaults_change_nothing() -> None:
    assert rules_with("") == [("humor", Severity.WARNING)]
    assert load_config(None) is DEFAULT_CONFIG


def test_a_rule_can_be_turned_off() -> None:
    assert rules_with("[rules.humor]\nenabled = false") == []


def test_a_rule_severity_can_be_changed() -> None:
    assert rules_with('[rules]\nhumor = { severity = "ERROR" }') == [("humor", Severity.ERROR)]


def test_word_lists_can_be_extended_per_language() -> None:
    body = "We are sorry, c'est ballot: we sent the wrong code. Reply to this email."
    config = parse_config('[words.en]\nhumor = ["c\'est ballot"]')
    found = Linter(config).check({"body": body}, APOLOGY)
    assert [(f.rule, body[f.start : f.end]) for f in found] == [("humor", "c'est ballot")]
    assert rules_with("", {"body": body}) == []


def test_banned_phrase_carries_its_own_message_suggestion_and_severity() -> None:
    config = parse_config(
        'banned = [{ phrase = "sorry", message = "Say apologise.", suggestion = "apologise", '
        'severity = "info" }]'
    )
    (found,) = [f for f in Linter(config).check(DRAFT, APOLOGY) if f.rule == "banned-phrase"]
    assert (found.message, found.suggestion, found.severity) == (
        "Say apologise.",
        "apologise",
        Severity.INFO,
    )


def test_a_required_phrase_for_another_language_is_not_required() -> None:
    config = 'required = [{ phrase = "répondez à cet e-mail", lang = "fr" }]'
    assert rules_with(config) == [("humor", Severity.WARNING)]


def test_a_required_phrase_can_be_tied_to_a_field() -> None:
    config = 'required = [{ phrase = "Example Shop", field = "subject" }]'
    draft = {**DRAFT, "subject": "We sent the wrong code"}
    assert ("required-phrase", Severity.WARNING) in rules_with(config, draft)
    assert ("required-phrase", Severity.WARNING) not in rules_with(
        config, {**DRAFT, "subject": "Example Shop: we sent the wrong code"}
    )


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[rules.humr]\nenabled = false", 1, "unknown rule 'humr'"),
        ('# a comment\n\n[rules.humor]\nseverity = "loud"', 4, "unknown severity 'loud'"),
        ('[rules.humor]\nenabled = "no"', 2, "must be true or false"),
        ("[rules.humor]\ncolour = 1", 2, "unknown setting 'colour'"),
        ("[rules.subject-too-long]\nmax_length = -3", 2, "positive whole number"),
        ('banned = ["ok", 3]', 1, "string or a table"),
        ('banned = [{ phrase = "x", lang = "de" }]', 1, "unknown language 'de'"),
        ('required = [{ phrase = "x", field = "footer" }]', 1, "unknown field 'footer'"),
        ('[brand]\nterms = "ShopCo"', 2, "list of strings"),
        ("[brand]\nlogo = 1", 2, "unknown setting brand.logo"),
        ('[words.fr]\nblagues = ["x"]', 2, "unknown word list"),
        ("colour = 1", 1, "unknown setting 'colour'"),
        ("[rules.humor\nenabled = false", 1, "not valid TOML"),
    ],
)
def test_mistakes_name_the_file_and_the_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = tmp_path / "lint.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LintConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"line {line}" in message
    assert words in message


def test_unreadable_config_files(tmp_path: Path) -> None:
    with pytest.raises(LintConfigError, match="there is no such file"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(LintConfigError, match="is a folder"):
        load_config(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"[rules]\n\xff")
    with pytest.raises(LintConfigError, match="line 2: not UTF-8"):
        load_config(bad)
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # issue 14: a FIFO hung the reader forever
    with pytest.raises(LintConfigError, match=r"named pipe \(FIFO\), not a regular file"):
        load_config(fifo)


def test_where_the_config_comes_from(tmp_path: Path) -> None:
    env = {CONFIG_ENV: str(tmp_path / "env.toml")}
    assert resolve_config_path("given.toml", env) == Path("given.toml")
    assert resolve_config_path(None, env) == tmp_path / "env.toml"
    assert resolve_config_path(None, {}) is None  # the default file does not exist (fixture)


def test_fingerprints_differ_when_scans_would() -> None:
    one = parse_config('banned = ["a"]')
    two = parse_config('banned = ["b"]')
    severity = parse_config('[rules.humor]\nseverity = "error"')
    assert one.fingerprint() != two.fingerprint()
    assert severity.fingerprint() == DEFAULT_CONFIG.fingerprint()
    assert severity.identity() != DEFAULT_CONFIG.identity()
