"""The measured process of ``startup.py``: run one app headless until its first full paint.

Usage: ``python _startup_child.py {email-crisis,minimal} DB ROWS WIDTH HEIGHT [PROFILE]``

Prints ``READY <time.time()>`` just before ``app.run`` (imports done, app built) and
``PAINTED <time.time()>`` once the table holds ``ROWS`` rows, has laid them
out (its virtual height covers them) and the screen has refreshed after that; then
exits. Both apps use the same check, so the comparison is like for like. Imports
are done per mode so that the minimal app pays for nothing it does not use. With
a PROFILE path the run is profiled with cProfile (for diagnosis, not timing).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any


def _watch(app: Any, table_of: Callable[[], Any], rows: int) -> None:
    """Poll every 10 ms until the table is complete, then mark after the next refresh."""

    def marked() -> None:
        print(f"PAINTED {time.time():.6f}", flush=True)
        app.exit()

    def check() -> None:
        table = table_of()
        if table is not None and table.row_count == rows and table.virtual_size.height >= rows:
            timer.stop()
            app.call_after_refresh(marked)

    timer = app.set_interval(0.01, check)


def ours(db: str, rows: int) -> Any:
    """The real app on the real database, hooked from outside (no app change)."""
    from email_crisis.core.store.database import Store
    from email_crisis.tui.app import EmailCrisisApp, stylesheet_path
    from email_crisis.tui.widgets.incident_table import IncidentTable

    class Timed(EmailCrisisApp):
        CSS_PATH = str(stylesheet_path())  # resolved beside the subclass otherwise

        def on_mount(self) -> None:
            super().on_mount()
            _watch(self, lambda: next(iter(self.screen.query(IncidentTable)), None), rows)

    return Timed(Store.open(db), operator="bench")


def minimal(db: str, rows: int) -> Any:
    """A plain App with one DataTable loading the same rows as strings."""
    import sqlite3

    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            columns = "id, severity, title, kind, step, detected_at, commander"
            table.add_columns(*columns.split(", "))
            conn = sqlite3.connect(db)
            try:
                found = conn.execute(
                    f"SELECT {columns} FROM incidents WHERE resolved_at IS NULL ORDER BY id"
                ).fetchall()
            finally:
                conn.close()
            table.add_rows([tuple("" if v is None else str(v) for v in row) for row in found])
            _watch(self, lambda: table, rows)

    return Minimal()


def main(argv: list[str]) -> None:
    """Build the chosen app and run it headless at the given size."""
    mode, db, rows, width, height = argv[:5]
    app = (ours if mode == "email-crisis" else minimal)(db, int(rows))
    print(f"READY {time.time():.6f}", flush=True)
    app.run(headless=True, size=(int(width), int(height)))


if __name__ == "__main__":
    if len(sys.argv) > 6:
        import cProfile

        cProfile.run("main(sys.argv[1:6])", sys.argv[6])
    else:
        main(sys.argv[1:])
