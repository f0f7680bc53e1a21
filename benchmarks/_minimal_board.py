"""The reference app of ``board_tmux.py``: one DataTable of the board's rows, in a terminal.

Usage: ``python _minimal_board.py DB``. Loads the open incidents with ``sqlite3`` in the
board's order (worst severity, oldest detection, lowest id) as plain strings, the same
seven columns the board shows, and runs until killed. Imports only what it uses.
"""

from __future__ import annotations

import sqlite3
import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable

COLUMNS = "id, severity, title, kind, step, commander, detected_at"


class Minimal(App[None]):
    def __init__(self, db: str) -> None:
        super().__init__()
        self.db = db

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS.split(", "))
        conn = sqlite3.connect(self.db)
        try:
            found = conn.execute(
                f"SELECT {COLUMNS} FROM incidents WHERE resolved_at IS NULL "
                "ORDER BY severity, detected_at, id"
            ).fetchall()
        finally:
            conn.close()
        table.add_rows([tuple("" if v is None else str(v) for v in row) for row in found])


if __name__ == "__main__":
    Minimal(sys.argv[1]).run()
