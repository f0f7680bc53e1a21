"""The hand-labelled corpus of real emails, and how the checker is scored on it.

Shared by ``benchmarks/lint_real.py`` (which prints the figures) and
``tests/core/notify/lint/test_corpus.py`` (which asserts the properties that must
never regress, not the figures). See ``README.md`` beside this file for where each
email comes from and how it was labelled.

A rule "fires" on an email when the checker reports it at error or warning severity
at least once; info findings are advice, not claims, and are not counted. Only the
labelled rules (``LABELLED``) are scored; subject and sender rules are judged only on
emails whose headers are known (the others have no such field to check).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from email_crisis.core.notify.lint import Finding, LintContext, Linter, Severity
from email_crisis.core.notify.lint.eml import read_draft

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.toml"

LABELLED: tuple[str, ...] = (
    "no-apology",
    "apology-position",
    "humor",
    "vague-language",
    "minimising",
    "blame-shifting",
    "passive-voice",
    "defensive-tone",
    "buried-lede",
    "missing-exposed-data",
    "missing-action-steps",
    "missing-contact",
    "sales-pitch",
    "unrendered-merge-tag",
    "phishing-wording",
    "click-here-link",
    "subject-unclear",
    "subject-shouting",
    "subject-too-long",
    "no-reply-sender",
)
"""The rules the labels judge (every email is labelled for each of them)."""

COUNTED = (Severity.ERROR, Severity.WARNING)


@dataclass(frozen=True)
class Email:
    """One labelled email of the manifest."""

    id: str
    path: Path
    company: str
    source_url: str
    language: str
    kind: str
    completeness: str
    headers_known: tuple[str, ...]
    clean: bool
    fires: frozenset[str]
    held_out: bool = False
    """Added after the rules were tuned, labelled before its first run (see README)."""


def load(manifest: Path = MANIFEST) -> list[Email]:
    """Every email of the manifest, in its order."""
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    return [
        Email(
            id=entry["id"],
            path=manifest.parent / entry["file"],
            company=entry["company"],
            source_url=entry["source_url"],
            language=entry["language"],
            kind=entry["kind"],
            completeness=entry["completeness"],
            headers_known=tuple(entry["headers_known"]),
            clean=entry["clean"],
            fires=frozenset(entry["fires"]),
            held_out=entry.get("held_out", False),
        )
        for entry in data["email"]
    ]


def context_for(email: Email, *, with_kind: bool = True) -> LintContext:
    """What ``email-crisis lint FILE [--kind KIND]`` passes for this email."""
    return LintContext(kind=email.kind if with_kind else None, check_template=False)


def check(
    email: Email, checker: Linter, *, with_kind: bool = True
) -> tuple[list[Finding], str | None]:
    """The checker's findings for ``email``, read the way the CLI reads the file, and the
    kind its rules followed (given, or inferred without ``with_kind``)."""
    draft = read_draft(email.path)
    report = checker.inspect(draft.fields, context_for(email, with_kind=with_kind))
    return draft.to_source(report.findings), report.kind


def fired(findings: Iterable[Finding]) -> frozenset[str]:
    """The labelled rules reported at error or warning severity."""
    return frozenset(f.rule for f in findings if f.rule in LABELLED and f.severity in COUNTED)


@dataclass
class Tally:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        found = self.tp + self.fp
        return self.tp / found if found else None

    @property
    def recall(self) -> float | None:
        wanted = self.tp + self.fn
        return self.tp / wanted if wanted else None


@dataclass
class Result:
    """One email's labels beside what fired, and its error findings."""

    email: Email
    predicted: frozenset[str]
    errors: tuple[Finding, ...]
    kind: str | None = None
    """The kind the rules followed (the manifest's, or the one inferred)."""

    @property
    def missed(self) -> frozenset[str]:
        return self.email.fires - self.predicted

    @property
    def extra(self) -> frozenset[str]:
        return self.predicted - self.email.fires


@dataclass
class Scores:
    """Tallies by rule and by language, and the clean emails given an error."""

    results: list[Result]
    by_rule: dict[str, Tally] = field(default_factory=dict)
    by_language: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)

    @property
    def clean_with_error(self) -> list[Result]:
        return [r for r in self.results if r.email.clean and r.errors]


def run(
    emails: Sequence[Email], checker: Linter | None = None, *, with_kind: bool = True
) -> Scores:
    """Check every email and tally the outcome against its labels."""
    checker = checker or Linter()
    results = []
    for email in emails:
        findings, kind = check(email, checker, with_kind=with_kind)
        errors = tuple(f for f in findings if f.severity is Severity.ERROR)
        results.append(Result(email, fired(findings), errors, kind))
    return score(results)


def score(results: list[Result]) -> Scores:
    """Tally ``results`` per rule, per language and overall."""
    scores = Scores(results, {rule: Tally() for rule in LABELLED})
    for result in results:
        lang = scores.by_language.setdefault(result.email.language, Tally())
        for rule in LABELLED:
            wanted = rule in result.email.fires
            got = rule in result.predicted
            one = Tally(int(wanted and got), int(got and not wanted), int(wanted and not got))
            scores.by_rule[rule].add(one)
            lang.add(one)
            scores.overall.add(one)
    return scores


def counts(emails: Sequence[Email]) -> Counter[tuple[str, str]]:
    """How many emails per (language, kind)."""
    return Counter((e.language, e.kind) for e in emails)
