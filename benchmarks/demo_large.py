"""``email-crisis demo --incidents 10000``: filling a large demo database, from the shell.

Reference: a 10,000-incident demo database (used to try the board at scale and by the
other benchmarks) is ready in at most **10 s**. Each sample is a whole process
(``subprocess.run``, wall time) on a fresh file in a temporary folder, as an operator
meets it; the children may use ``__pycache__`` as an installed package does. What the
command writes (counts, events) is checked by ``tests/tui/cli/test_commands.py``, not
here.

    python benchmarks/demo_large.py [--incidents 10000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import count_open, header, stats, table

REFERENCE_SECONDS = 10.0
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cli() -> list[str]:
    """The installed ``email-crisis`` script, or the package run as a module."""
    script = Path(sys.executable).with_name("email-crisis")
    return [str(script)] if script.exists() else [sys.executable, "-m", "email_crisis.tui.cli"]


def run_once(folder: Path, number: int, incidents: int) -> tuple[float, int]:
    """Seconds one ``demo`` process took, and the open incidents it left."""
    db = folder / f"demo-{number}.db"
    argv = [*cli(), "--db", str(db), "demo", "--incidents", str(incidents)]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=CHILD_ENV)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr}")
    return elapsed, count_open(db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    header(f"email-crisis demo --incidents {args.incidents:,}: one process, fresh file")
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(args.repeats):
            elapsed, on_board = run_once(Path(tmp), number, args.incidents)
            samples.append(elapsed)
    median, low, high = stats(samples)
    print()
    print(f"open incidents on the board afterwards: {on_board:,}")
    rows = [("demo process", f"{median:.2f}", f"{low:.2f}", f"{high:.2f}")]
    print(table(("wall time", "median s", "min s", "max s"), rows))
    verdict = "within target" if median <= REFERENCE_SECONDS else "OVER target"
    print(
        f"reference: <= {REFERENCE_SECONDS:g} s for 10,000 incidents; "
        f"median {median:.2f} s over {args.repeats} run(s) ({verdict})"
    )


if __name__ == "__main__":
    main()
