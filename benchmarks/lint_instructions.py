"""Instructions per rule check, counted by valgrind: a figure the machine's load cannot move.

On a shared 2-core machine the wall-time medians of ``lint.py`` swing by a third from one
run to the next (the same code gave 5.3 ms and 6.4 ms within the hour). To compare two
versions of the checker, count the instructions the CPU runs instead: valgrind's
cachegrind counts them exactly, so a 2 % change shows as 2 %.

It runs ``lint.py``'s 2,000-word draft (English then French) through one warm checker,
as ``lint.py``'s "full check" does (paragraph caches emptied, word lists and per-word
memos warm), and a one-character re-check, each ``--runs`` times in a child process under
cachegrind, minus the same child doing nothing (start-up and warm-up), divided by the
runs. ``PYTHONHASHSEED`` is fixed so that dictionaries are laid out the same each time.

There is no target here: the targets are wall times (``lint.py``, ``lint_cli.py``). This
is the ruler for the work towards them. Needs valgrind (``apt-get install valgrind``).

    python benchmarks/lint_instructions.py [--runs 40] [--src DIR]

``--src`` counts another checkout instead (a folder holding ``email_crisis/core``, e.g. a
``git archive`` of an older commit): the two figures then compare versions.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from _common import header

_CHILD = """
import random, sys
sys.path.insert(0, {bench!r})
from lint import make_draft
from email_crisis.core.notify.lint import LintContext, Linter
draft = make_draft(2000, 7)
body = draft["body"]
context = LintContext(kind="wrong-content", template_name="apology")
checker = Linter()
checker.prepare()
checker.check(draft, context)
runs, what = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
edits = [
    {{**draft, "body": body[:p] + "x" + body[p:]}}
    for p in (rng.randrange(len(body) + 1) for _ in range(runs))
]
for n in range(runs):
    if what == "full":
        checker.clear_cache()
        checker.check(draft, context)
    else:
        checker.check(edits[n], context)
"""


def instructions(runs: int, what: str, src: str | None) -> int:
    """Instructions of a child doing ``runs`` checks of kind ``what``."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if src:
        env["PYTHONPATH"] = src
    code = _CHILD.format(bench=str(Path(__file__).parent))
    result = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-c",
            code,
            str(runs),
            what,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--src", help="a folder holding email_crisis/core to count instead")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind: apt-get install valgrind")
    header("email-crisis lint: instructions per check (valgrind cachegrind)")
    if args.src:
        print(f"  counting the checker in {args.src}")
    for what, label in (("full", "full check (paragraph cache empty)"), ("edit", "re-check")):
        none = instructions(0, what, args.src)
        some = instructions(args.runs, what, args.src)
        per = (some - none) / args.runs
        print(f"{label:<40} {per / 1e6:8.2f} M instructions ({args.runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
