"""Helpers shared by the benchmark scripts (not a benchmark itself).

Kept free of Textual imports so that importing it costs the measured processes nothing.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path


def build_database(path: Path, open_incidents: int) -> int:
    """Create a demo database at ``path`` whose board shows ``open_incidents`` rows.

    ``demo.populate`` adds its hand-written scenes (one of them resolved) and then
    ``extra`` generated incidents; ``extra`` is chosen so the open ones add up.
    Returns how many open incidents the file really holds.
    """
    from email_crisis.core.demo import scenes as demo
    from email_crisis.core.store.database import Store

    open_scenes = sum(1 for scene in demo.SCENES if scene.resolved_after is None)
    extra = max(0, open_incidents - open_scenes)
    with Store.open(path) as store:
        demo.populate(store, now=datetime.now(timezone.utc), extra=extra)
    return count_open(path)


def count_open(path: Path) -> int:
    """How many incidents the board of ``path`` shows (open = not resolved)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM incidents WHERE resolved_at IS NULL").fetchone()[
            0
        ]
    finally:
        conn.close()


def machine() -> list[tuple[str, str]]:
    """What the figures depend on: interpreter, Textual, CPUs, OS."""
    return [
        ("Python", platform.python_version()),
        ("Textual", version("textual")),
        ("CPUs", str(os.cpu_count())),
        ("platform", platform.platform(terse=True)),
        ("date", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
    ]


def stats(samples: Sequence[float]) -> tuple[float, float, float]:
    """Median, minimum and maximum of ``samples``."""
    return statistics.median(samples), min(samples), max(samples)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table: first column left-aligned, the others right-aligned."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for n, row in enumerate([headers, *rows]):
        cells = [
            str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def header(title: str) -> None:
    """Print the benchmark's title and the machine it ran on."""
    print(title)
    print("  " + ", ".join(f"{name} {value}" for name, value in machine()))
    sys.stdout.flush()
