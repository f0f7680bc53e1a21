"""Startup: process start to the board's first full paint, beside a minimal Textual app.

Reference (from the project's goals): with a 10,000-incident database the board is
painted in at most 1.5x the time a minimal Textual app with one DataTable takes to
paint the same 10,000 rows. Both are measured here, on this machine, in one go.

Each sample is a fresh ``python`` process (``sys.executable``): the clock starts
just before ``Popen`` and stops at the wall time the child prints once its table
holds every row and a screen refresh has followed (see ``_startup_child.py``).
Runs alternate between the two apps so that drift hits both alike.

    python benchmarks/startup.py [--incidents 10000] [--repeats 5] [--warmup 1]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import build_database, count_open, header, stats, table

CHILD = Path(__file__).with_name("_startup_child.py")
APPS = ("minimal", "email-crisis")
LABELS = {"minimal": "minimal Textual app (1 DataTable)", "email-crisis": "email-crisis board"}
TARGET = 1.5


def measure(
    app: str, db: Path, rows: int, size: tuple[int, int], timeout: float
) -> tuple[float, float]:
    """Seconds from just before ``Popen`` to ``app.run`` and to the first full paint."""
    command = [sys.executable, str(CHILD), app, str(db), str(rows), *map(str, size)]
    started = time.time()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=db.parent
    )
    assert child.stdout is not None
    marks: dict[str, float] = {}
    for line in child.stdout:
        name, _, stamp = line.partition(" ")
        marks[name] = float(stamp) - started
        if name == "PAINTED":
            break
    try:
        _, errors = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        _, errors = child.communicate()
    if "PAINTED" not in marks or child.returncode != 0:
        sys.exit(f"{app} child failed (exit {child.returncode}):\n{errors}")
    return marks["READY"], marks["PAINTED"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (see ``--help``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=10_000, help="rows on the board")
    parser.add_argument("--repeats", type=int, default=5, help="measured runs per app")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs per app first")
    parser.add_argument("--size", default="80x24", help="terminal size WIDTHxHEIGHT")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    parser.add_argument("--db", type=Path, help="use this database instead of building one")
    parser.add_argument(
        "--profile", type=Path, help="also write a cProfile of one email-crisis run here"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the database, time both apps alternately, print the table."""
    args = parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    header("email-crisis startup benchmark: process start -> first full paint (headless)")
    with tempfile.TemporaryDirectory(prefix="ec-bench-") as tmp:
        if args.db:
            db = args.db.resolve()
            rows = count_open(db)
        else:
            db = Path(tmp) / "startup.db"
            began = time.perf_counter()
            rows = build_database(db, args.incidents)
            took = time.perf_counter() - began
            print(f"  built {db.name}: {rows:,} open incidents in {took:.1f} s")
        runs = f"{args.repeats} runs per app after {args.warmup} warm-up each"
        print(f"  {runs}, alternating, terminal {args.size}")
        samples: dict[str, list[float]] = {app: [] for app in APPS}
        ready: dict[str, list[float]] = {app: [] for app in APPS}
        for n in range(args.warmup + args.repeats):
            order = APPS if n % 2 == 0 else APPS[::-1]
            for app in order:
                to_run, to_paint = measure(app, db, rows, (width, height), args.timeout)
                if n >= args.warmup:
                    ready[app].append(to_run)
                    samples[app].append(to_paint)
        if args.profile:
            command = [sys.executable, str(CHILD), "email-crisis", str(db), str(rows)]
            profile = [*command, str(width), str(height), str(args.profile)]
            subprocess.run(profile, check=True, stdout=subprocess.DEVNULL)
    mine, base = stats(samples["email-crisis"]), stats(samples["minimal"])
    rows_out = [
        [LABELS[app], *(f"{s:.3f}" for s in stats(samples[app])), f"{stats(ready[app])[0]:.3f}"]
        for app in APPS
    ]
    ratio = mine[0] / base[0], mine[1] / base[1]
    rows_out.append(["ratio email-crisis / minimal", *(f"{r:.2f}x" for r in ratio), "", ""])
    print()
    print(f"rows on the board: {rows:,}")
    print(table(["first full paint", "median s", "min s", "max s", "app.run at"], rows_out))
    print("(app.run at: median seconds until imports were done and the App built;")
    print(" email-crisis has also opened its Store by then)")
    verdict = "within target" if ratio[0] <= TARGET else "OVER target"
    print(f"reference: <= {TARGET}x the minimal app; median ratio {ratio[0]:.2f}x ({verdict})")
    if args.profile:
        print(f"profile of one email-crisis run: {args.profile}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
