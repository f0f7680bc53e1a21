"""Audience: 1,000,000 affected + 300,000 suppressed rows -> apology audience.

Reference (issue 4, acceptance 5): at most 2x the time of the ``sqlite3``
command-line shell doing ``.import`` of both files into tables plus an ``EXCEPT``
query on lower-cased addresses, and a peak memory under 300 MB. Both are measured
here, on this machine, in one go, on the same generated files.

The script writes two CSV files in a temporary folder: affected rows in an ESP-like
export (the address in the second column, mixed case, a few invalid, blank and
duplicate rows) and a suppression list that overlaps a fifth of them (written by a
separate process, see below). Each sample is a fresh process, timed from ``Popen``
to exit; peak memory is that process's ``ru_maxrss`` as reported by ``os.wait4``
(resident set of the whole process, the interpreter and SQLite included; not
tracemalloc). On Linux a child's ``ru_maxrss`` starts from the peak of the process
that spawned it, so this script stays small and prints its own peak as the floor.
The two sides alternate.

- **email-crisis:** a ``python`` child opens a new database with ``Store.open``,
  declares an incident, then ``import_list`` (affected), ``import_list``
  (suppressed), ``audience_counts`` and ``export_audience`` to a CSV file.
- **sqlite3 shell:** ``sqlite3 FILE.db`` runs ``.import --csv --skip 1`` of both
  files into two tables, then writes ``SELECT lower(email) ... EXCEPT SELECT
  lower(email) ...`` to a CSV file with ``.once``. It neither validates nor
  deduplicates case-variants of invalid rows, so its count differs slightly.

The shell is needed for the comparison: ``apt-get install -y sqlite3`` (Debian and
Ubuntu). Without it the script times email-crisis alone and says so.

    python benchmarks/audience.py [--affected 1000000] [--suppressed 300000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import header, stats, table

TARGET_RATIO = 2.0
TARGET_MB = 300
DOMAINS = ("example.com", "mail.example.org", "shop.example.net", "example.co.uk", "ex.fr")
SHELL_SCRIPT = """\
.bail on
CREATE TABLE affected (first_name TEXT, email TEXT, last_name TEXT, campaign TEXT, sent_at TEXT);
CREATE TABLE suppressed (email TEXT, reason TEXT, suppressed_at TEXT);
.import --csv --skip 1 {affected} affected
.import --csv --skip 1 {suppressed} suppressed
.headers on
.mode csv
.once {out}
SELECT lower(email) AS email FROM affected EXCEPT SELECT lower(email) FROM suppressed;
"""
CHILD = """\
import json, sys, time
from pathlib import Path
from email_crisis.core.assess.audience import build as audience
from email_crisis.core.own import incidents
from email_crisis.core.steps.machine import install
from email_crisis.core.store.database import Store
install()  # the step rules run on every write, as in the app
folder = Path(sys.argv[1])
times = {}
start = time.perf_counter()
store = Store.open(folder / "ours.db")
incident = incidents.declare(
    store, title="Benchmark: wrong segment", kind="wrong-segment", operator="bench"
)
for role, name in (("affected", "affected.csv"), ("suppressed", "suppressed.csv")):
    t = time.perf_counter()
    audience.import_list(store, incident, folder / name, role=role, operator="bench")
    times["import " + role] = time.perf_counter() - t
t = time.perf_counter()
counts = audience.audience_counts(store, incident.id)
times["audience_counts"] = time.perf_counter() - t
t = time.perf_counter()
result = audience.export_audience(store, incident, folder / "ours.csv", operator="bench")
times["export"] = time.perf_counter() - t
store.close()
times["in process, total"] = time.perf_counter() - start
print(json.dumps({"times": times, "final": counts.final, "exported": result.addresses,
                  "affected": counts.affected, "invalid": counts.invalid,
                  "duplicates": counts.duplicates, "suppressed": counts.suppressed}))
"""


FIRST = ("anna", "bo", "chen", "dede", "eli", "fatou", "gus")


def address(n: int) -> str:
    """The n-th person's address; the multiplier scatters them like a real export's order."""
    return f"{FIRST[n % len(FIRST)]}.{(n * 2654435761) % 2**32:x}@{DOMAINS[n % len(DOMAINS)]}"


def mixed_case(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.1:
        return text.upper()
    if roll < 0.3:
        return text.capitalize()
    return text


def generate(folder: Path, affected: int, suppressed: int, seed: int) -> dict[str, int]:
    """Write affected.csv and suppressed.csv; return what they hold."""
    rng = random.Random(seed)
    invalid = blank = duplicates = 0
    with (folder / "affected.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("First Name,Email Address,Last Name,Campaign,Sent At\n")
        lines = []
        for n in range(affected):
            roll = rng.random()
            if roll < 0.0005:
                email, invalid = "not-an-address", invalid + 1
            elif roll < 0.001:
                lines.append("\n")
                blank += 1
                continue
            elif roll < 0.003 and n:
                email, duplicates = address(n - 1).upper(), duplicates + 1
            else:
                email = mixed_case(rng, address(n))
            lines.append(f"Ann,{email},Lee,black-friday-preview,2026-11-27T09:0{n % 10}:00Z\n")
            if len(lines) >= 50_000:
                out.writelines(lines)
                lines = []
        out.writelines(lines)
    # A fifth of the affected are also on the suppression list; the rest of that list
    # are people who were not mailed at all.
    with (folder / "suppressed.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("email,reason,suppressed_at\n")
        overlap = min(affected, suppressed * 2 // 3)
        picks = rng.sample(range(affected), overlap)
        lines = [f"{mixed_case(rng, address(n))},unsubscribed,2025-01-01\n" for n in picks]
        lines += [
            f"{address(n)},hard bounce,2024-06-30\n"
            for n in range(affected, affected + suppressed - overlap)
        ]
        out.writelines(lines)
    return {"invalid": invalid, "blank": blank, "duplicates": duplicates}


def run(
    argv: list[str], folder: Path, env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (``os.wait4``) and stdout of one process."""
    out_path, err_path = folder / "child.out", folder / "child.err"
    with out_path.open("w") as out, err_path.open("w") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, cwd=folder, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code  # already reaped by wait4
    if code != 0:
        raise SystemExit(f"{argv[0]} failed ({code}):\n{err_path.read_text()}")
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    return elapsed, peak_mb, out_path.read_text()


def load() -> str:
    """The 1-minute load average: other work on the machine skews both sides."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def clean(folder: Path) -> None:
    for name in ("ours.db", "ours.db-wal", "ours.db-shm", "ours.csv", "shell.db", "shell.csv"):
        (folder / name).unlink(missing_ok=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--affected", type=int, default=1_000_000, help="affected rows")
    parser.add_argument("--suppressed", type=int, default=300_000, help="suppressed rows")
    parser.add_argument("--repeats", type=int, default=3, help="measured runs per side")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--generate-in", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.generate_in:  # the child that writes the files (see below)
        made = generate(args.generate_in, args.affected, args.suppressed, args.seed)
        print(json.dumps(made))
        return 0
    header("email-crisis audience benchmark: affected + suppressed CSV -> apology audience")
    shell = shutil.which("sqlite3")
    with tempfile.TemporaryDirectory(prefix="audience-bench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        # Generated in a separate process: a child's ru_maxrss starts from the peak of
        # the process that spawned it, so this one must stay small.
        made = json.loads(
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--generate-in",
                    str(folder),
                    "--seed",
                    str(args.seed),
                    "--affected",
                    str(args.affected),
                    "--suppressed",
                    str(args.suppressed),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        sizes = {n: (folder / n).stat().st_size / 1e6 for n in ("affected.csv", "suppressed.csv")}
        print(
            f"  generated {args.affected:,} affected rows ({sizes['affected.csv']:.0f} MB; "
            f"{made['invalid']} invalid, {made['blank']} blank, {made['duplicates']} duplicate) "
            f"and {args.suppressed:,} suppressed rows ({sizes['suppressed.csv']:.0f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        if shell is None:
            print(
                "  sqlite3 shell not found: the comparison is skipped "
                "(install it with: apt-get install -y sqlite3)"
            )
        else:
            version = subprocess.run([shell, "--version"], capture_output=True, text=True)
            print(f"  sqlite3 shell {version.stdout.split()[0]} ({shell})")
        script = SHELL_SCRIPT.format(
            affected="affected.csv", suppressed="suppressed.csv", out="shell.csv"
        )
        (folder / "shell.sql").write_text(script)
        ours: list[tuple[float, float]] = []
        theirs: list[tuple[float, float]] = []
        phases: dict[str, list[float]] = {}
        last: dict[str, object] = {}
        load_before = load()
        for _ in range(args.repeats):
            clean(folder)
            elapsed, peak, output = run([sys.executable, "-c", CHILD, str(folder)], folder)
            ours.append((elapsed, peak))
            last = json.loads(output)
            for name, seconds in last["times"].items():  # type: ignore[union-attr]
                phases.setdefault(name, []).append(seconds)
            if shell is not None:
                elapsed, peak, _ = run([shell, "shell.db", "-init", "shell.sql", ".quit"], folder)
                theirs.append((elapsed, peak))
        load_after = load()
        shell_rows = sum(1 for _ in (folder / "shell.csv").open()) - 1 if shell else None
        ours_rows = sum(1 for _ in (folder / "ours.csv").open()) - 1
        clean(folder)
    print(f"  {args.repeats} runs per side, alternating; fresh database files each run")
    print(f"  load average: {load_before} before, {load_after} after (other work skews both)\n")
    rows = [
        [name, f"{stats(t)[0]:.2f}", f"{stats(t)[1]:.2f}", f"{stats(t)[2]:.2f}"]
        for name, t in phases.items()
    ]
    print(table(["email-crisis phases (in process)", "median s", "min s", "max s"], rows))
    print()
    rows = [["email-crisis (process)", *_figures(ours)]]
    if theirs:
        rows.append(["sqlite3 shell .import + EXCEPT", *_figures(theirs)])
    print(table(["whole run", "median s", "min s", "peak MB (max)"], rows))
    print(
        f"\naudience: {last['final']:,} addresses exported ({ours_rows:,} lines); affected rows "
        f"{last['affected']:,} = invalid {last['invalid']:,} + duplicates "
        f"{last['duplicates']:,} + suppressed {last['suppressed']:,} + final {last['final']:,}"
    )
    peak_mb = max(p for _, p in ours)
    verdict = "within target" if peak_mb < TARGET_MB else "OVER TARGET"
    print(f"reference: peak memory < {TARGET_MB} MB; email-crisis {peak_mb:.0f} MB ({verdict})")
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  (peak RSS of each child, ru_maxrss from os.wait4; it cannot be lower than this "
        f"script's own {floor:.0f} MB)"
    )
    if theirs:
        print(f"  (the shell's EXCEPT gave {shell_rows:,} rows: no validation, case only)")
        ours_t, theirs_t = stats([t for t, _ in ours]), stats([t for t, _ in theirs])
        ratio, best = ours_t[0] / theirs_t[0], ours_t[1] / theirs_t[1]
        verdict = "within target" if ratio <= TARGET_RATIO else "OVER TARGET"
        print(
            f"reference: <= {TARGET_RATIO:g}x the sqlite3 shell; median ratio {ratio:.2f}x "
            f"({verdict}); ratio of the fastest runs {best:.2f}x"
        )
    else:
        print("reference: <= 2x the sqlite3 shell: not measured (no sqlite3 shell)")
    return 0


def _figures(samples: list[tuple[float, float]]) -> list[str]:
    median, low, _ = stats([t for t, _ in samples])
    return [f"{median:.2f}", f"{low:.2f}", f"{max(p for _, p in samples):.0f}"]


if __name__ == "__main__":
    sys.exit(main())
