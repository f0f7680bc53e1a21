"""``email-crisis lint``: check drafts and campaign templates against the apology rules.

Exit codes (meant for CI): 0 when no finding has error severity, 1 when any does,
2 for usage mistakes and unreadable input (a missing file, bytes that are not text
in the declared charset, an invalid lint config). Unreadable files are named on
stderr, one line each, and the other files are still checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple

import click

from email_crisis.core.base.text import visible
from email_crisis.core.base.vocabulary import KINDS
from email_crisis.core.notify.lint import (
    RULES,
    Finding,
    LintConfigError,
    LintContext,
    Linter,
    Severity,
    counts,
    lexicon_cache,
    load_config,
    resolve_config_path,
)
from email_crisis.core.notify.lint.eml import Draft, UnreadableDraft, read_draft
from email_crisis.core.notify.lint.engine import Report
from email_crisis.core.notify.lint.positions import LineIndex
from email_crisis.tui.cli import collector_paused
from email_crisis.tui.cli import lint_parallel as parallel
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


def _summary(found: Sequence[int], files: int) -> str:
    """The last line: findings of each severity (``found``: error, warning, info)."""
    noun = f"{files} file{'s' if files != 1 else ''}"
    if not any(found):
        return f"No findings in {noun}."
    errors, warnings, info = found
    return f"{errors} error(s), {warnings} warning(s), {info} info in {noun}."


_MARK = {Severity.ERROR: "E", Severity.WARNING: "W", Severity.INFO: "I", None: "-"}


_KIND_COLUMN = {
    "wrong-content": "cont",
    "broken-personalization": "pers",
    "wrong-segment": "segm",
    "suppression-list-send": "supp",
    "malformed": "malf",
    "data-breach": "brch",
    "other": "othr",
}


def rule_table() -> list[str]:
    """Per rule: id, default severity, its severity for each incident kind (what
    ``--kind`` gives it), where it applies; then what it finds, indented."""
    width = max(len(rule) for rule in RULES)
    kinds = list(KINDS)
    legend = ", ".join(f"{_KIND_COLUMN.get(k, k[:4])} {k}" for k in kinds)
    lines = [
        "Severity for each --kind: E error, W warning, I info, - off. Without --kind the "
        "kind is inferred from the draft and printed.",
        f"Kinds: {legend}.",
        "",
        f"{'rule'.ljust(width)}  {'default':<7}  "
        + " ".join(_KIND_COLUMN.get(k, k[:4]) for k in kinds)
        + "  scope",
    ]
    for rule, info in sorted(RULES.items()):
        marks = " ".join(f"{_MARK[info.severity_for(kind)]:<4}" for kind in kinds)
        lines.append(f"{rule.ljust(width)}  {info.severity.value:<7}  {marks}  {info.scope}")
        lines.append(f"    {info.summary}")
    return lines


def kind_note(name: str, report: Report, draft: Draft) -> str | None:
    """The line saying which kind was inferred, and from which words (``None`` if given)."""
    if not report.kind_inferred or report.kind is None:
        return None
    found = report.kind_evidence
    if found is None:
        why = "no kind-specific wording found"
    else:
        text = draft.fields.get(found.field) or ""
        quote = " ".join(text[found.start : found.end].split())
        line = LineIndex(text).position(found.start)[0]
        where = "" if found.field == "body" else f"{found.field} "
        why = f'from "{quote}", {where}line {line}'
    return _line(f"{name}: note: kind inferred as {report.kind} ({why}); --kind sets it.")


@click.command(name="lint")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="FILE...")
@click.option(
    "--kind",
    type=click.Choice(list(KINDS), case_sensitive=False),
    metavar="KIND",
    help="Incident kind; with one, every draft is judged as an apology and the rules of "
    f"that kind apply (see --rules). Without it the kind is inferred. One of: {', '.join(KINDS)}.",
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
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Check the files in N processes (default: one per CPU; one file is checked "
    "in this process). The output is the same, in the order of the files.",
)
@click.option(
    "--rules",
    "list_rules",
    is_flag=True,
    help="List the rule ids, their severity for each incident kind, and scopes.",
)
def lint(
    files: tuple[Path, ...],
    kind: str | None,
    lang: str,
    fmt: str,
    config_path: str | None,
    template: str,
    jobs: int | None,
    list_rules: bool,
) -> int:
    """Check email drafts (.eml, or a bare body: .txt, .html, .j2) against the rules.

    \b
    Text output:  FILE:LINE:COL: SEVERITY RULE: MESSAGE
                  FILE: note: kind inferred as KIND (...)   (without --kind)
    JSON output:  [{"file", "findings": [{"rule", "severity", "field", "line",
                   "column", "end_line", "end_column", "message", "suggestion"}],
                   "kind": {"value", "inferred", "evidence"}, "language",
                   "headers_in_text": [fields read from header lines of a .txt]}]

    The incident kind decides which rules apply (breach-only rules never fire for
    another kind); without --kind it is inferred from the draft and printed. A .txt
    draft may start with From:/Subject:/Reply-To: lines and a blank line: those are
    read as headers. Messages are in the draft's language (English or French).

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
    lexicon_cache.enable(lexicon_cache.default_folder())
    checker = Linter(config)
    paths = [str(path) for path in files]
    jobs = parallel.cpus() if jobs is None else jobs
    if jobs > 1 and len(files) > 1 and parallel.can_fork():
        # The word lists, once here before the workers fork rather than in each of them.
        # The email package and the HTML reader are left to a worker whose draft needs
        # them: most plain drafts need neither.
        checker.prepare()
    with collector_paused():
        outcomes = parallel.run(
            partial(_lint_file, checker, paths, fmt, kind, lang, template), len(files), jobs
        )
    unreadable = False
    found = [0, 0, 0]
    records: list[str] = []
    for outcome in outcomes:
        if outcome.error is not None:
            click.echo(outcome.error, err=True)
            unreadable = True
            continue
        for n, count in enumerate(outcome.counts):
            found[n] += count
        if fmt == "json":
            records.append(outcome.output)
        elif outcome.output:
            click.echo(outcome.output)
    if fmt == "json":
        click.echo(_json_list(records))
    else:
        readable = sum(outcome.error is None for outcome in outcomes)
        if readable:
            click.echo(_summary(found, readable))
    if unreadable:
        return EXIT_INPUT
    return EXIT_ERRORS if found[0] else EXIT_CLEAN


class Outcome(NamedTuple):
    """What checking one file printed: an error line, or its output and finding counts."""

    error: str | None
    output: str
    """Text: the file's lines (joined); JSON: its record, rendered."""
    counts: tuple[int, int, int] = (0, 0, 0)
    """Findings of error, warning and info severity."""


def _lint_file(
    checker: Linter,
    paths: list[str],
    fmt: str,
    kind: str | None,
    lang: str,
    template: str,
    number: int,
) -> Outcome:
    """Check file ``number`` of ``paths`` (run in a worker process for many files)."""
    name = paths[number]
    try:
        draft = read_draft(Path(name))
    except UnreadableDraft as error:
        return Outcome(f"email-crisis: {_line(str(error))}", "")
    report = _check(checker, draft, kind, lang, template)
    found = draft.to_source(report.findings)
    tally = counts(found)
    numbers = (tally[Severity.ERROR], tally[Severity.WARNING], tally[Severity.INFO])
    if fmt == "json":
        return Outcome(None, json_text(_record(name, found, report, draft)), numbers)
    lines = [format_finding(name, finding) for finding in found]
    note = kind_note(name, report, draft)
    if note is not None:
        lines.append(note)
    return Outcome(None, "\n".join(lines), numbers)


def _json_list(records: list[str]) -> str:
    """``json_text(list)`` of records already rendered by ``json_text`` (its escapes are
    per character, so rendering each record apart changes nothing)."""
    if not records:
        return "[]"
    return "[\n" + ",\n".join("  " + r.replace("\n", "\n  ") for r in records) + "\n]"


def _check(checker: Linter, draft: Draft, kind: str | None, lang: str, template: str) -> Report:
    forced = _TEMPLATE[template]
    context = LintContext(
        kind=kind.lower() if kind else None,
        language=lang,  # type: ignore[arg-type]
        is_template=forced if forced is not None else draft.is_template,
        # Without brand markers the CLI cannot know which template was used.
        check_template=bool(checker.config.brand_markers),
    )
    return checker.inspect(draft.fields, context)


def _record(name: str, found: list[Finding], report: Report, draft: Draft) -> dict[str, object]:
    """The JSON object of one file: findings, the kind followed, language, headers."""
    evidence = None
    if report.kind_evidence is not None:
        where = report.kind_evidence
        text = draft.fields.get(where.field) or ""
        line, column = LineIndex(text).position(where.start)
        evidence = {
            "field": where.field,
            "line": line,
            "column": column,
            "text": " ".join(text[where.start : where.end].split()),
        }
    return {
        "file": name,
        "findings": [f.as_record() for f in found],
        "kind": {"value": report.kind, "inferred": report.kind_inferred, "evidence": evidence},
        "language": report.language,
        "headers_in_text": list(draft.headers_in_text),
    }
