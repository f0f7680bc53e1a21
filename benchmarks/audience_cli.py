"""Audience from the shell: ``email-crisis audience`` on 1,000,000 + 300,000 rows, beside
the ``sqlite3`` shell, the way an operator runs it.

Reference (issue 16): the whole ``email-crisis audience ID --affected A --suppressed S
--out O`` process takes at most 1.5x the ``sqlite3`` shell doing ``.import`` of both
files and an ``EXCEPT`` on lower-cased addresses, with a peak memory under 300 MB; and
the exported addresses stay exactly the same (byte for byte) as before the speed work.
Both are measured here, in one run, on the same generated files (``audience.py``'s
generator, same seed), alternating.

- **email-crisis:** before each timed run, ``email-crisis --db X new ...`` declares the
  incident in a fresh database (not timed); then the ``audience`` command is timed from
  ``Popen`` to exit, with its peak RSS from ``os.wait4``. Children may use
  ``__pycache__`` (``PYTHONDONTWRITEBYTECODE`` is dropped for them).
- **sqlite3 shell:** the same script as ``audience.py``.

The export's SHA-256 is compared with the one the code produced before the speed work
(``REFERENCE_SHA256``, for the default sizes and seed only).

    python benchmarks/audience_cli.py [--affected 1000000] [--suppressed 300000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import header, stats, table
from audience import SHELL_SCRIPT, run

TARGET_RATIO = 1.5
TARGET_MB = 300
DEFAULTS = (1_000_000, 300_000, 4)
REFERENCE_SHA256 = "0f93492c29d392d221a6dab261b4cf4935a92b5fd54fd986e02afdf068e176b5"
"""The export of main at 4fc6607+issue 10 (before any speed work), for DEFAULTS."""
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cli() -> list[str]:
    script = Path(sys.executable).with_name("email-crisis")
    return [str(script)] if script.exists() else [sys.executable, "-m", "email_crisis.tui.cli"]


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def ours_once(folder: Path) -> tuple[float, float]:
    for name in ("ours.db", "ours.db-wal", "ours.db-shm", "ours.csv"):
        (folder / name).unlink(missing_ok=True)
    db = str(folder / "ours.db")
    subprocess.run(
        [*cli(), "--db", db, "new", "--title", "Wrong segment", "--kind", "wrong-segment"],
        check=True,
        capture_output=True,
        env=CHILD_ENV,
    )
    command = [
        *cli(), "--db", db, "--operator", "bench", "audience", "1",
        "--affected", "affected.csv", "--suppressed", "suppressed.csv", "--out", "ours.csv",
    ]  # fmt: skip
    elapsed, peak, _ = run(command, folder, env=CHILD_ENV)
    return elapsed, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--affected", type=int, default=DEFAULTS[0])
    parser.add_argument("--suppressed", type=int, default=DEFAULTS[1])
    parser.add_argument("--seed", type=int, default=DEFAULTS[2])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    header("email-crisis audience from the shell: affected + suppressed CSV -> audience CSV")
    shell = shutil.which("sqlite3")
    if shell is None:
        raise SystemExit("needs the sqlite3 shell: apt-get install -y sqlite3")
    here = Path(__file__).with_name("audience.py")
    with tempfile.TemporaryDirectory(prefix="audience-cli-") as tmp:
        folder = Path(tmp)
        made = json.loads(
            subprocess.run(
                [sys.executable, str(here), "--generate-in", str(folder), "--seed",
                 str(args.seed), "--affected", str(args.affected), "--suppressed",
                 str(args.suppressed)],
                capture_output=True, text=True, check=True,
            ).stdout
        )  # fmt: skip
        print(f"  generated {args.affected:,} affected and {args.suppressed:,} suppressed rows")
        print(f"  ({made})")
        (folder / "shell.sql").write_text(
            SHELL_SCRIPT.format(affected="affected.csv", suppressed="suppressed.csv", out="s.csv")
        )
        ours: list[tuple[float, float]] = []
        theirs: list[tuple[float, float]] = []
        subprocess.run([*cli(), "--version"], check=True, capture_output=True, env=CHILD_ENV)
        for _ in range(args.repeats):
            ours.append(ours_once(folder))
            for name in ("shell.db", "s.csv"):
                (folder / name).unlink(missing_ok=True)
            elapsed, peak, _ = run([shell, "shell.db", "-init", "shell.sql", ".quit"], folder)
            theirs.append((elapsed, peak))
        exported = digest(folder / "ours.csv")
        lines = sum(1 for _ in (folder / "ours.csv").open()) - 1
    rows = [
        ["email-crisis audience (CLI)", *figures(ours)],
        ["sqlite3 shell .import + EXCEPT", *figures(theirs)],
    ]
    print()
    print(table(["whole process", "median s", "min s", "peak MB (max)"], rows))
    ratio = stats([t for t, _ in ours])[0] / stats([t for t, _ in theirs])[0]
    peak = max(p for _, p in ours)
    print(f"\n{lines:,} addresses exported; sha256 {exported}")
    if (args.affected, args.suppressed, args.seed) == DEFAULTS and REFERENCE_SHA256:
        same = "yes" if exported == REFERENCE_SHA256 else "NO: the audience changed"
        print(f"same bytes as before the speed work: {same}")
    verdict = "within target" if ratio <= TARGET_RATIO and peak < TARGET_MB else "OVER TARGET"
    print(
        f"reference: <= {TARGET_RATIO:g}x the sqlite3 shell and < {TARGET_MB} MB; "
        f"measured {ratio:.2f}x, {peak:.0f} MB ({verdict})"
    )
    return 0


def figures(samples: list[tuple[float, float]]) -> list[str]:
    median, low, _ = stats([t for t, _ in samples])
    return [f"{median:.2f}", f"{low:.2f}", f"{max(p for _, p in samples):.0f}"]


if __name__ == "__main__":
    sys.exit(main())
