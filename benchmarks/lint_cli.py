"""The rule checker the way a CI job runs it: ``email-crisis lint`` from the shell, beside
``proselint check`` on the same files.

References (issue 16), measured here in one run:

- one call over 100 drafts of 2,000 words (``email-crisis lint F1 ... F100`` against
  ``proselint check F1 ... F100``): email-crisis at least 10x faster;
- one call per small file (a short apology, as a CI job linting one template runs it):
  under 150 ms of wall time (median), shown beside ``python -c pass``.

Every figure is the wall time of a whole process (``subprocess.run``), interleaved so
that load from other work weighs on every command alike; the 100-file calls are repeated
five times and the medians compared (with three, one call slowed by other work on a
shared machine moved the ratio by a tenth; email-crisis, on both cores, feels work on
either, proselint only on its own). Children may use
``__pycache__`` (``PYTHONDONTWRITEBYTECODE`` is dropped for them), as an installed package
does, and the compiled word lists the first ``lint`` run keeps in the user cache folder
(``core/notify/lint/lexicon_cache.py``): one warm-up call writes both before timing.
A first run ever (no word-list cache: each call gets an empty cache folder) is timed
apart, on the small file. The drafts come from ``lint.py``'s generator (an English half,
then a French half).

    python benchmarks/lint_cli.py [--files 100] [--words 2000] [--repeats 5] [--small 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import header, stats, table
from lint import make_draft

from email_crisis.core.notify.lint.lexicon_cache import CACHE_ENV

RATIO_TARGET = 10.0
SMALL_TARGET_MS = 150.0
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
SMALL = """Subject: We sent you the wrong offer
From: Shop Team <team@shop.example>
Reply-To: care@shop.example

Dear Alex,

We are sorry: yesterday's email offered 50% off by mistake; the offer is 15%.
Orders placed with the wrong code keep the price you saw.
Reply to this email if you have any question.
"""


def write_drafts(folder: Path, files: int, words: int) -> list[Path]:
    paths = []
    for n in range(files):
        draft = make_draft(words, seed=n)
        path = folder / f"draft-{n:03}.eml"
        path.write_text(
            f"From: {draft['from']}\nReply-To: {draft['reply-to']}\n"
            f"Subject: {draft['subject']}\n\n{draft['body']}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def wall(argv: list[str], env: dict[str, str] = CHILD_ENV) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # both exit 1 when they find something
        raise SystemExit(f"{argv[:3]}... failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--small", type=int, default=20, help="calls on a small file")
    args = parser.parse_args()
    header("email-crisis lint from the shell, beside proselint check")
    proselint = shutil.which("proselint")
    if proselint is None:
        raise SystemExit("needs proselint for the comparison: pip install proselint")
    script = Path(sys.executable).with_name("email-crisis")
    ours = [str(script)] if script.exists() else [sys.executable, "-m", "email_crisis.tui.cli"]
    with tempfile.TemporaryDirectory(prefix="lint-cli-") as tmp:
        folder = Path(tmp)
        drafts = [str(p) for p in write_drafts(folder, args.files, args.words)]
        small = folder / "small.eml"
        small.write_text(SMALL, encoding="utf-8")
        print(f"  {args.files} drafts of ~{args.words:,} words; a small draft of 60 words")
        wall([*ours, "--version"])  # compile the package's bytecode once
        wall([*ours, "lint", drafts[0]])  # and keep both languages' word lists
        big: dict[str, list[float]] = {"email-crisis lint": [], "proselint check": []}
        for _ in range(args.repeats):
            big["email-crisis lint"].append(wall([*ours, "lint", *drafts]))
            big["proselint check"].append(wall([proselint, "check", *drafts]))
        first = "  the same, first run (no word-list cache)"
        one: dict[str, list[float]] = {
            "python -c pass": [],
            "email-crisis lint small.eml": [],
            first: [],
        }
        for n in range(args.small):
            one["python -c pass"].append(wall([sys.executable, "-c", "pass"]))
            one["email-crisis lint small.eml"].append(wall([*ours, "lint", str(small)]))
            cold = {**CHILD_ENV, CACHE_ENV: str(folder / f"cache-{n}")}
            one[first].append(wall([*ours, "lint", str(small)], cold))
    print()
    print(
        table(
            [f"one call over {args.files} files", "median s", "min s", "max s"],
            [[name, *(f"{v:.2f}" for v in stats(s))] for name, s in big.items()],
        )
    )
    ratio = stats(big["proselint check"])[0] / stats(big["email-crisis lint"])[0]
    verdict = "within target" if ratio >= RATIO_TARGET else "OVER TARGET"
    print(f"reference: >= {RATIO_TARGET:g}x faster than proselint; {ratio:.1f}x ({verdict})\n")
    print(
        table(
            ["one call per small file", "median ms", "min ms", "max ms"],
            [[name, *(f"{v * 1000:.0f}" for v in stats(s))] for name, s in one.items()],
        )
    )
    small_ms = stats(one["email-crisis lint small.eml"])[0] * 1000
    verdict = "within target" if small_ms < SMALL_TARGET_MS else "OVER TARGET"
    print(f"reference: < {SMALL_TARGET_MS:g} ms wall; median {small_ms:.0f} ms ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
