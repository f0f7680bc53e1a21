"""The rule checker on real emails: precision and recall against hand labels.

The corpus (``tests/core/notify/lint/corpus/``: real apology and breach-notification
emails with their source URL, language, kind and hand labels decided before the
checker was run on them) is read the way ``email-crisis lint FILE --kind KIND`` reads
it. A rule counts as fired when it is reported at error or warning severity.

References (issue 12): precision >= 0.85 and recall >= 0.85 overall and in each
language; no email labelled clean gets an error-severity finding.

    python benchmarks/lint_real.py [--without-kind] [--details] [--held-out]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _common import header, table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.core.notify.lint.corpus import scoring

TARGET = 0.85


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _row(name: str, tally: scoring.Tally) -> list[str]:
    return [
        name,
        str(tally.tp),
        str(tally.fp),
        str(tally.fn),
        _ratio(tally.precision),
        _ratio(tally.recall),
    ]


def _verdict(value: float | None) -> str:
    return "within target" if value is not None and value >= TARGET else "MISSES the target"


def report(scores: scoring.Scores, title: str, *, details: bool) -> None:
    """Print the per-rule, per-language and overall tables of one run."""
    print(f"\n{title}")
    emails = [r.email for r in scores.results]
    langs = sorted({e.language for e in emails})
    print(
        "  "
        + ", ".join(f"{lang}: {sum(e.language == lang for e in emails)} emails" for lang in langs)
        + f"; {sum(e.clean for e in emails)} labelled clean"
    )
    headers = ["rule", "tp", "fp", "fn", "precision", "recall"]
    rows = [_row(rule, t) for rule, t in scores.by_rule.items() if t.tp + t.fp + t.fn]
    print(table(headers, rows))
    print()
    rows = [_row(f"language {lang}", scores.by_language[lang]) for lang in langs]
    rows.append(_row("overall", scores.overall))
    print(table(["scope", "tp", "fp", "fn", "precision", "recall"], rows))
    bad = scores.clean_with_error
    which = ", ".join(f"{r.email.id}: {', '.join(sorted({f.rule for f in r.errors}))}" for r in bad)
    print(f"clean emails given an error: {len(bad)}" + (f" ({which})" if bad else ""))
    for scope, tally in [*((f"{lang}", scores.by_language[lang]) for lang in langs)]:
        print(
            f"reference: {scope} precision >= {TARGET} ({_verdict(tally.precision)}), "
            f"recall >= {TARGET} ({_verdict(tally.recall)})"
        )
    overall = scores.overall
    print(
        f"reference: overall precision >= {TARGET} ({_verdict(overall.precision)}), "
        f"recall >= {TARGET} ({_verdict(overall.recall)}); no clean email with an error "
        f"({'holds' if not bad else 'FAILS'})"
    )
    wrong = [r for r in scores.results if r.kind != r.email.kind]
    if wrong:
        listed = ", ".join(f"{r.email.id} {r.email.kind}->{r.kind}" for r in wrong)
        print(f"kind inferred right for {len(emails) - len(wrong)} of {len(emails)} ({listed})")
    if details:
        print("\nper email (missed = labelled but not fired; extra = fired but not labelled):")
        for result in scores.results:
            if result.missed or result.extra:
                print(
                    f"  {result.email.id} {result.email.language} {result.email.kind}: "
                    f"missed {sorted(result.missed)} extra {sorted(result.extra)}"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--without-kind", action="store_true", help="also run with the kind inferred"
    )
    parser.add_argument("--details", action="store_true", help="list each email's misses")
    parser.add_argument(
        "--held-out", action="store_true", help="also score the emails added after tuning apart"
    )
    args = parser.parse_args(argv)
    header("email-crisis lint on real emails: precision and recall against hand labels")
    emails = scoring.load()
    scores = scoring.run(emails)
    title = "With the incident kind given (--kind, as in the Notify panel)"
    report(scores, title, details=args.details)
    if args.held_out:
        held = [e for e in emails if e.held_out]
        if held:
            report(
                scoring.run(held),
                "Emails added after the rules were tuned (labelled before their first run; "
                "that run: see the corpus README)",
                details=args.details,
            )
    if args.without_kind:
        report(
            scoring.run(emails, with_kind=False),
            "Without a kind (the kind is inferred from the text)",
            details=args.details,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
