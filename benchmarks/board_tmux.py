"""The board in a real terminal: ``email-crisis`` on a 10,000-incident database, in tmux,
until the board is on screen, beside a minimal Textual app with one DataTable.

Reference (issue 16): at most 1.3x the minimal app, measured in the same tmux, in the
same run. The headless ``startup.py`` skips writing to a terminal; this one does not.

Each sample starts a private tmux server (its own socket) with one 120x40 window that
runs the app, and polls ``tmux capture-pane`` every 5 ms. The clock starts just before
``tmux new-session`` and stops when the marker is on screen. Both apps use the same
marker rule: the title of the row known to be drawn first (the board's first row: worst
severity, oldest detection, lowest id; the minimal app loads its rows in that same
order), as a person sees it. Runs alternate between the two apps; children may use
``__pycache__`` (``PYTHONDONTWRITEBYTECODE`` is dropped for them).

    python benchmarks/board_tmux.py [--incidents 10000] [--repeats 5] [--size 120x40]
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import build_database, header, stats, table

TARGET = 1.3
MINIMAL = Path(__file__).with_name("_minimal_board.py")
CHILD_ENV = {
    "PATH": os.environ["PATH"],
    "HOME": os.environ.get("HOME", "/tmp"),
    "LANG": os.environ.get("LANG", "C.UTF-8"),
    "TERM": "screen-256color",
}
"""What the apps see: no PYTHONDONTWRITEBYTECODE (an installed app has its bytecode)."""
BOARD_ORDER = (
    "SELECT id, title FROM incidents WHERE resolved_at IS NULL "
    "ORDER BY severity, detected_at, id LIMIT 1"
)


def first_row_marker(db: Path) -> str:
    """The start of the first row's title: what both apps must show first."""
    conn = sqlite3.connect(db)
    try:
        _, title = conn.execute(BOARD_ORDER).fetchone()
    finally:
        conn.close()
    return title[:24]


def measure(command: list[str], marker: str, size: tuple[int, int], folder: Path) -> float:
    """Seconds from ``tmux new-session`` to ``marker`` on screen."""
    # A new socket each time: a server being killed may still hold the last one.
    socket = str(folder / f"bench-{time.monotonic_ns()}.sock")
    tmux = ["tmux", "-S", socket, "-f", "/dev/null"]
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in CHILD_ENV.items())
    line = f"env -i {exports} {shlex.join(command)}; sleep 60"
    started = time.perf_counter()
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "b", "-x", str(size[0]), "-y", str(size[1]), line],
        check=True,
        capture_output=True,
    )
    try:
        deadline = started + 60
        while time.perf_counter() < deadline:
            shown = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "b"], capture_output=True, text=True
            ).stdout
            if marker in shown:
                return time.perf_counter() - started
            time.sleep(0.005)
        raise SystemExit(f"{marker!r} never appeared for {command}:\n{shown}")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("needs tmux: apt-get install -y tmux")
    width, height = (int(n) for n in args.size.split("x"))
    header("The board in tmux: process start -> first row on screen")
    script = Path(sys.executable).with_name("email-crisis")
    ours_cmd = [str(script)] if script.exists() else [sys.executable, "-m", "email_crisis.tui.cli"]
    with tempfile.TemporaryDirectory(prefix="board-tmux-") as tmp:
        folder = Path(tmp)
        db = folder / "board.db"
        rows = build_database(db, args.incidents)
        marker = first_row_marker(db)
        print(f"  {rows:,} open incidents; marker {marker!r}; {width}x{height}; tmux")
        commands = {
            "minimal": [sys.executable, str(MINIMAL), str(db)],
            "email-crisis": [*ours_cmd, "--db", str(db), "--operator", "bench"],
        }
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for round_ in range(args.warmup + args.repeats):
            for name, command in commands.items():
                seconds = measure(command, marker, (width, height), folder)
                if round_ >= args.warmup:
                    samples[name].append(seconds)
    labels = {
        "minimal": "minimal Textual app (1 DataTable)",
        "email-crisis": "email-crisis board",
    }
    print()
    print(
        table(
            ["first row on screen", "median s", "min s", "max s"],
            [[labels[n], *(f"{v:.3f}" for v in stats(s))] for n, s in samples.items()],
        )
    )
    ratio = stats(samples["email-crisis"])[0] / stats(samples["minimal"])[0]
    verdict = "within target" if ratio <= TARGET else "OVER TARGET"
    print(f"\nreference: <= {TARGET:g}x the minimal app; median ratio {ratio:.2f}x ({verdict})")
    print(f"({args.repeats} runs per app after {args.warmup} warm-up each, alternating)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
