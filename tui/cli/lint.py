"""``email-crisis lint``: check drafts and campaign templates against the apology rules.

Exit codes (meant for CI): 0 when no finding has error severity, 1 when any does,
2 for usage mistakes and unreadable input (a missing file, bytes that are not text
in the declared charset, an invalid lint config). Unreadable files are named on
stderr, one line each, and the other files are still checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from email_crisis.core.base.domain import KINDS
from email_crisis.core.base.text import visible
from email_crisis.core.notify.lint import (
    RULES,
    Finding,
    LintConfigError,
    LintContext,
    Linter,
    Severity,
    counts,
    load_config,
    resolve_config_path,
)
from email_crisis.core.notify.lint.eml import Draft, UnreadableDraft, read_draft
from email_crisis.tui.cli.common import json_text

EXIT_CLEAN = 0
EXIT_ERRORS = 1
EXIT_INPUT = 2
_TEMPLATE = {"auto": None, "yes": True, "no": False}


class InputProblem(click.ClickException):
    """Unreadable input or config: one line on stderr, exit 2."""

    exit_code = EXIT_INPUT


def _line(text: str) -> str:
    return visible(text, single_line=True)


def format_finding(name: str, finding: Finding) -> str:
    """``file:line:col: severity rule: message`` (the field named unless it is the body)."""
    where = "" if finding.field == "body" else f"{finding.field}: "
    fix = ""
    if finding.suggestion == "":
        fix = " (suggestion: delete it)"
    elif finding.suggestion is not None:
        fix = f' (suggestion: "{finding.suggestion}")'
    return _line(
        f"{name}:{finding.line}:{finding.column}: {finding.severity.value} {finding.rule}: "
        f"{where}{finding.message}{fix}"
    )


def _summary(results: Sequence[tuple[str, list[Finding]]]) -> str:
    total = counts([f for _, found in results for f in found])
    files = f"{len(results)} file{'s' if len(results) != 1 else ''}"
    if not any(total.values()):
        return f"No findings in {files}."
    parts = [
        f"{total[Severity.ERROR]} error(s)",
        f"{total[Severity.WARNING]} warning(s)",
        f"{total[Severity.INFO]} info",
    ]
    return f"{', '.join(parts)} in {files}."


def rule_table() -> list[str]:
    """One line per rule: id, default severity, where it applies, what it finds."""
    width = max(len(rule) for rule in RULES)
    return [
        f"{rule.ljust(width)}  {info.severity.value:<7}  {info.scope:<7}  {info.summary}"
        for rule, info in sorted(RULES.items())
    ]


@click.command(name="lint")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="FILE...")
@click.option(
    "--kind",
    type=click.Choice(list(KINDS), case_sensitive=False),
    metavar="KIND",
    help="Incident kind; with one, every draft is judged as an apology. "
    f"One of: {', '.join(KINDS)}.",
)
@click.option(
    "--lang",
    type=click.Choice(["auto", "en", "fr"]),
    default="auto",
    show_default=True,
    help="Language of the drafts (auto: detected per paragraph).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--config",
    "config_path",
    metavar="PATH",
    help="Lint config (TOML). Default: $EMAIL_CRISIS_LINT_CONFIG, else lint.toml in the "
    "user config folder when it exists.",
)
@click.option(
    "--template",
    type=click.Choice(list(_TEMPLATE)),
    default="auto",
    show_default=True,
    help="Whether bodies are Jinja2 source (auto: .j2 files and bodies with {% %} or {# #}).",
)
@click.option(
    "--rules", "list_rules", is_flag=True, help="List the rule ids, severities and scopes."
)
def lint(
    files: tuple[Path, ...],
    kind: str | None,
    lang: str,
    fmt: str,
    config_path: str | None,
    template: str,
    list_rules: bool,
) -> int:
    """Check email drafts (.eml, or a bare body: .txt, .html, .j2) against the rules.

    \b
    Text output:  FILE:LINE:COL: SEVERITY RULE: MESSAGE
    JSON output:  [{"file", "findings": [{"rule", "severity", "field", "line",
                   "column", "end_line", "end_column", "message", "suggestion"}]}]

    Lines and columns count from 1 within the field (a header value, or the body;
    for an HTML body, its HTML source). The preheader is read from an X-Preheader
    header. Silence a rule in a paragraph with {# lint: disable=RULE[,RULE] #}, or
    in the whole draft with that comment on the body's first line.

    Exit status: 0 no error finding, 1 error findings, 2 usage or unreadable input.
    """
    if list_rules:
        click.echo("\n".join(rule_table()))
        return EXIT_CLEAN
    if not files:
        raise click.UsageError("give at least one FILE to check (or --rules).")
    try:
        config = load_config(resolve_config_path(config_path))
    except LintConfigError as error:
        raise InputProblem(str(error)) from None
    checker = Linter(config)
    results: list[tuple[str, list[Finding]]] = []
    unreadable = False
    for path in files:
        try:
            draft = read_draft(path)
        except UnreadableDraft as error:
            click.echo(f"email-crisis: {_line(str(error))}", err=True)
            unreadable = True
            continue
        results.append((str(path), _check(checker, draft, kind, lang, template)))
    if fmt == "json":
        records = [
            {"file": name, "findings": [f.as_record() for f in found]} for name, found in results
        ]
        click.echo(json_text(records))
    else:
        for name, found in results:
            for finding in found:
                click.echo(format_finding(name, finding))
        if results:
            click.echo(_summary(results))
    if unreadable:
        return EXIT_INPUT
    errors = any(f.severity is Severity.ERROR for _, found in results for f in found)
    return EXIT_ERRORS if errors else EXIT_CLEAN


def _check(
    checker: Linter, draft: Draft, kind: str | None, lang: str, template: str
) -> list[Finding]:
    forced = _TEMPLATE[template]
    context = LintContext(
        kind=kind.lower() if kind else None,
        language=lang,  # type: ignore[arg-type]
        is_template=forced if forced is not None else draft.is_template,
        # Without brand markers the CLI cannot know which template was used.
        check_template=bool(checker.config.brand_markers),
    )
    return draft.to_source(checker.check(draft.fields, context))
