"""CLI start-up: one process per call, from the shell, beside ``python -c pass``.

Reference (issue 10): a subcommand imports only what it needs, so ``--version`` costs
little more than starting Python, ``lint FILE`` pays for the rule checker alone (no
store, no Textual), and ``list`` for the store but not for Textual. Each figure is
the wall time of a whole process (``subprocess.run``), as a CI job or a shell meets it,
and the table shows it beside a bare interpreter start measured in the same run.
Runs are interleaved so that drift hits every command alike. The children may write
and use ``__pycache__`` (``PYTHONDONTWRITEBYTECODE`` is dropped from their environment),
as an installed package does: without it every run would compile every module again.

    python benchmarks/cli_startup.py [--repeats 20] [--warmup 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import build_database, header, stats, table

DRAFT = """Subject: We sent you the wrong offer
From: Shop Team <team@shop.example>

Dear Alex,

We are sorry: yesterday's email offered 50% off by mistake. The offer was 15%.
Reply to this email if you have any question.
"""


def commands(folder: Path) -> dict[str, list[str]]:
    """What is timed: a bare interpreter, then the three commands."""
    draft = folder / "draft.eml"
    draft.write_text(DRAFT, encoding="utf-8")
    db = folder / "bench.db"
    build_database(db, 20)
    script = Path(sys.executable).with_name("email-crisis")
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "email_crisis.tui.cli"]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "email-crisis --version": [*cli, "--version"],
        "email-crisis lint FILE": [*cli, "lint", str(draft)],
        "email-crisis list": [*cli, "--db", str(db), "list"],
    }


CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=CHILD_ENV)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # lint exits 1 when it finds an error
        raise SystemExit(f"{argv} failed ({done.returncode}): {done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    header("CLI start-up: wall time of one process per call")
    with tempfile.TemporaryDirectory() as tmp:
        timed = commands(Path(tmp))
        samples: dict[str, list[float]] = {name: [] for name in timed}
        for round_ in range(args.warmup + args.repeats):
            for name, argv in timed.items():
                elapsed = run_once(argv)
                if round_ >= args.warmup:
                    samples[name].append(elapsed)
    base = stats(samples["python -c pass"])[0]
    rows = []
    for name, values in samples.items():
        median, low, high = stats(values)
        rows.append(
            (name, f"{median * 1000:.0f}", f"{low * 1000:.0f}", f"{high * 1000:.0f}",
             f"+{(median - base) * 1000:.0f}")
        )  # fmt: skip
    print()
    print(table(("command", "median ms", "min ms", "max ms", "over python"), rows))
    print()
    print(f"{args.repeats} runs each after {args.warmup} warm-up, interleaved.")


if __name__ == "__main__":
    main()
