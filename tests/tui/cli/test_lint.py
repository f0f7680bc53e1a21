"""``email-crisis lint``: compiler-like text, JSON, and exit codes 0, 1 and 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from email_crisis.core.notify.lint.config import CONFIG_ENV
from tests.tui.cli.helpers import Invoke

CLEAN = (
    "From: Shop <care@example.com>\nSubject: We sent you the wrong code\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "We are sorry: yesterday we sent you the wrong code. Reply to this email.\n"
)
BAD = (
    "From: Shop <noreply@example.com>\nSubject: Oops\nContent-Type: text/plain; charset=utf-8\n\n"
    "Dear ,\n\nWe may have sent the wrong code, lol.\n"
)


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    (tmp_path / "clean.eml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "bad.eml").write_text(BAD, encoding="utf-8")
    (tmp_path / "fr.txt").write_text(
        "Bonjour,\n\nNous sommes désolés : nous avons envoyé un mauvais code. "
        "Répondez à cet e-mail.\n",
        encoding="utf-8",
    )
    return tmp_path


def test_a_clean_draft_exits_0(invoke: Invoke, drafts: Path) -> None:
    result = invoke("lint", str(drafts / "clean.eml"), "--kind", "wrong-content")
    assert result.exit_code == 0, result.output
    assert result.stdout == "No findings in 1 file.\n"


def test_error_findings_exit_1_with_compiler_like_lines(invoke: Invoke, drafts: Path) -> None:
    bad = str(drafts / "bad.eml")
    result = invoke("lint", bad, str(drafts / "clean.eml"), "--kind", "wrong-content")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f'{bad}:1:7: error no-reply-sender: from: From "noreply@example.com"' in lines[0]
    assert f'{bad}:1:1: error unrendered-merge-tag: "Dear ," greets nobody' in result.stdout
    assert '(suggestion: "Hello,")' in result.stdout
    assert f'{bad}:3:4: warning vague-language: "may have" hedges' in result.stdout
    assert lines[-1].endswith("in 2 files.")
    assert result.stderr == ""


def test_json_output(invoke: Invoke, drafts: Path) -> None:
    result = invoke(
        "lint",
        str(drafts / "bad.eml"),
        str(drafts / "fr.txt"),
        "--format",
        "json",
        "--kind",
        "other",
    )
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert [r["file"] for r in records] == [str(drafts / "bad.eml"), str(drafts / "fr.txt")]
    assert records[1]["findings"] == []
    first = records[0]["findings"][0]
    assert set(first) == {
        "rule",
        "severity",
        "field",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "suggestion",
    }
    assert (first["rule"], first["field"], first["line"], first["column"]) == (
        "no-reply-sender",
        "from",
        1,
        7,
    )


def test_unreadable_input_exits_2_naming_the_file_and_checks_the_rest(
    invoke: Invoke, drafts: Path
) -> None:
    (drafts / "latin.txt").write_bytes(b"caf\xe9")
    result = invoke(
        "lint", str(drafts / "latin.txt"), str(drafts / "missing.eml"), str(drafts / "bad.eml")
    )
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert errors[0].startswith(
        f"email-crisis: {drafts / 'latin.txt'}: the file is not valid utf-8"
    )
    assert errors[1] == f"email-crisis: {drafts / 'missing.eml'}: there is no such file."
    assert "bad.eml:1:7: error no-reply-sender" in result.stdout


@pytest.mark.parametrize("args", [["--kind", "nope"], ["--lang", "de"], ["--format", "xml"], []])
def test_usage_errors_exit_2(invoke: Invoke, drafts: Path, args: list[str]) -> None:
    files = [str(drafts / "clean.eml")] if args else []
    result = invoke("lint", *files, *args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_an_invalid_config_exits_2_naming_file_and_line(invoke: Invoke, drafts: Path) -> None:
    config = drafts / "lint.toml"
    config.write_text("[rules.humor]\nseverity = 'loud'\n", encoding="utf-8")
    result = invoke("lint", str(drafts / "bad.eml"), "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"email-crisis: lint config {config}, line 2:")


def test_the_config_from_the_environment_applies(invoke: Invoke, drafts: Path) -> None:
    config = drafts / "env.toml"
    config.write_text(
        "[rules.no-reply-sender]\nenabled = false\n[rules.unrendered-merge-tag]\nenabled = false\n"
        "[rules.subject-unclear]\nenabled = false\n[rules.no-apology]\nenabled = false\n",
        encoding="utf-8",
    )
    result = invoke("lint", str(drafts / "bad.eml"), env={CONFIG_ENV: str(config)})
    assert result.exit_code == 0, result.stdout
    assert "no-reply-sender" not in result.stdout


def test_brand_markers_turn_on_the_template_check(invoke: Invoke, drafts: Path) -> None:
    config = drafts / "brand.toml"
    config.write_text('[brand]\nmarkers = ["Example Shop Ltd"]\n', encoding="utf-8")
    result = invoke("lint", str(drafts / "clean.eml"), "--config", str(config), "--kind", "other")
    assert result.exit_code == 1
    assert "error unbranded-template" in result.stdout


def test_template_mode_can_be_forced(invoke: Invoke, drafts: Path) -> None:
    body = drafts / "t.txt"
    body.write_text(
        "Dear {{ name }},\n\nWe are sorry: we sent the wrong code. Reply to this email.\n",
        encoding="utf-8",
    )
    assert invoke("lint", str(body), "--kind", "other").exit_code == 1
    assert invoke("lint", str(body), "--kind", "other", "--template", "yes").exit_code == 0


def test_forced_language(invoke: Invoke, drafts: Path) -> None:
    body = drafts / "oups.txt"
    body.write_text(
        "We are sorry: we sent the wrong code, oups. Reply to this email.\n", encoding="utf-8"
    )
    assert "humor" not in invoke("lint", str(body), "--kind", "other").stdout
    assert "humor" in invoke("lint", str(body), "--kind", "other", "--lang", "fr").stdout


def test_terminal_escapes_in_a_draft_are_shown_not_run(invoke: Invoke, drafts: Path) -> None:
    body = drafts / "esc.txt"
    body.write_text("We are sorry \x1b[31m*|FNAME\x1b|*", encoding="utf-8")
    result = invoke("lint", str(body))
    assert "unrendered-merge-tag" in result.stdout
    assert "\x1b" not in result.stdout


def test_help_documents_exit_codes(invoke: Invoke) -> None:
    result = invoke("lint", "--help")
    assert result.exit_code == 0
    assert "2 usage or unreadable input" in " ".join(result.stdout.split())


def test_the_rule_list(invoke: Invoke) -> None:
    result = invoke("lint", "--rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("rule "))
    rows = [line.split() for line in lines[start + 1 :] if not line.startswith(" ")]
    ids = [row[0] for row in rows]
    assert "unrendered-merge-tag" in ids and len(ids) == len(set(ids)) >= 20


def test_the_rule_list_shows_the_severity_each_kind_gives() -> None:
    """What --rules prints is what --kind does: breach-only rules are off for other
    kinds, phishing wording is an error in a breach notice, no apology rule runs after
    a send to a suppression list."""
    from email_crisis.tui.cli.lint import rule_table

    lines = rule_table()
    header = next(line for line in lines if line.startswith("rule "))
    kinds = header.split()[2:-1]
    row = {line.split()[0]: line.split()[2:-1] for line in lines if line and not line[0].isspace()}
    by_kind = lambda rule: dict(zip(kinds, row[rule], strict=True))  # noqa: E731
    assert by_kind("missing-exposed-data")["brch"] == "E"
    assert by_kind("missing-exposed-data")["cont"] == "-"
    assert by_kind("phishing-wording")["brch"] == "E"
    assert by_kind("phishing-wording")["segm"] == "W"
    assert by_kind("no-apology")["supp"] == "-"
    assert by_kind("apology-not-allowed")["supp"] == "E"
    assert by_kind("merge-tag-reused")["pers"] == "W"
    assert by_kind("merge-tag-reused")["cont"] == "-"


def test_without_a_kind_the_inferred_kind_is_printed(invoke: Invoke, tmp_path: Path) -> None:
    draft = tmp_path / "breach.txt"
    draft.write_text(
        "Hello,\n\nWe are sorry: an unauthorized party accessed our mailing list.\n",
        encoding="utf-8",
    )
    result = invoke("lint", str(draft))
    assert (
        f'{draft}: note: kind inferred as data-breach (from "unauthorized party", line 3); '
        "--kind sets it." in result.stdout
    )
    assert "missing-action-steps" in result.stdout
    given = invoke("lint", str(draft), "--kind", "data-breach")
    assert "kind inferred" not in given.stdout


def test_the_kind_decides_breach_rules_never_fire_for_another_kind(
    invoke: Invoke, tmp_path: Path
) -> None:
    """Issue 12: "No personal data was compromised" in a wrong-content apology, or even
    breach wording, does not make it a breach notice when the kind says otherwise."""
    draft = tmp_path / "d.txt"
    draft.write_text(
        "Hello,\n\nWe are sorry: we sent you the wrong code. No personal data was "
        "compromised, and a third party's unauthorized access was not involved.\n\n"
        "Reply to this email.\n",
        encoding="utf-8",
    )
    for args in (["--kind", "wrong-content"], []):
        result = invoke("lint", str(draft), *args)
        assert "missing-action-steps" not in result.stdout, args
        assert "missing-exposed-data" not in result.stdout, args
    breach = invoke("lint", str(draft), "--kind", "data-breach")
    assert "missing-action-steps" in breach.stdout


def test_json_says_headers_were_read_from_a_text_draft(invoke: Invoke, tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(
        "Subject: URGENT!!\nFrom: noreply@example.com\n\nWe are sorry: we sent the wrong "
        "code. Reply to this email.\n",
        encoding="utf-8",
    )
    (record,) = json.loads(invoke("lint", str(draft), "--format", "json").stdout)
    assert record["headers_in_text"] == ["subject", "from"]
    assert record["kind"] == {
        "value": "wrong-content",
        "inferred": True,
        "evidence": {"field": "body", "line": 1, "column": 27, "text": "wrong code"},
    }
    assert record["language"] == "en"
    rules = {f["rule"] for f in record["findings"]}
    assert {"no-reply-sender", "subject-shouting"} <= rules


def test_a_french_draft_gets_french_messages(invoke: Invoke, drafts: Path) -> None:
    body = drafts / "fr2.txt"
    body.write_text(
        "Bonjour,\n\nOups, nous avons envoyé un mauvais code. Nous sommes désolés.\n",
        encoding="utf-8",
    )
    result = invoke("lint", str(body), "--kind", "wrong-content")
    assert "« Oups » sonne comme une plaisanterie" in result.stdout
    assert "Rien n'indique comment joindre une personne" in result.stdout
