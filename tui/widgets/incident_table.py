"""The board's table of incidents, updated in place (rows keyed by incident id).

A large board is filled in batches: the first rows (the worst incidents: the board is
in order) are on screen after one refresh, and the rest follow batch by batch between
refreshes, so the operator sees what matters at once and keys keep working meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from email_crisis.core.base.domain import KIND_SHORT, Incident
from email_crisis.tui import keymap
from email_crisis.tui.render import age, ellipsize, plain, severity, step_cell

# (key, label, width); the title takes whatever width is left. Every column but
# the first starts with one space of gap (cell padding would cost two per column,
# which an 80-column terminal cannot spare).
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("id", "  ID", 4),
    ("sev", " SEV", 5),
    ("title", " TITLE", 0),
    ("kind", " KIND", 10),
    ("step", " STEP", 10),
    ("flags", " FLAG", 5),
    ("age", "    AGE", 7),
    ("cmdr", " CMDR", 9),
)
_MIN_TITLE = 16
_COMMANDER_WIDTH = 8
_TITLE = 2
_FLAGS = 5
_AGE = 6
FIRST_ROWS = 120
"""Rows put on screen before the first refresh: more than the tallest terminal shows."""
BATCH_ROWS = 5_000
"""Rows added between two refreshes while a large board fills."""


def _age_cell(text: str) -> Text:
    return Text(" " + text.rjust(6))


def _flags_cell(text: str) -> Text:
    return Text(" " + text, style="bold red" if "!" in text else "bold yellow")


def _gap(cell: Text) -> Text:
    # One Text built in one step (a leading space, then the cell's own style):
    # the board builds tens of thousands of these at start-up.
    gapped = Text(" " + cell.plain)
    if cell.style:
        gapped.stylize(cell.style, 1)
    for span in cell.spans:
        gapped.stylize(span.style, span.start + 1, span.end + 1)
    return gapped


@dataclass
class _Row:
    """What a row shows, with the incident version it was built from."""

    version: int
    age: str
    flags: str
    cells: list[Text]


class IncidentTable(DataTable[Text]):
    """Open incidents, one row each; ``enter`` opens the highlighted one."""

    BINDINGS = keymap.INCIDENT_TABLE

    class Filled(Message):
        """A batch of rows is on screen; ``pending`` rows are still to come (0: done)."""

        def __init__(self, pending: int) -> None:
            super().__init__()
            self.pending = pending

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", cell_padding=0, **kwargs)  # type: ignore[arg-type]
        self._rows: dict[int, _Row] = {}
        self._titles: dict[int, str] = {}
        self._title_width = _MIN_TITLE
        self._generation = 0
        self._select_when_filled: int | None = None
        self._open_when_filled = False
        self.pending = 0
        """Rows of the last ``sync`` not on screen yet (a large board fills in batches)."""

    def action_open_row(self) -> None:
        """Open the highlighted incident now, while the key is read, not through a
        ``RowSelected`` message: a key typed right after ``enter`` then reaches the
        workspace instead of the board."""
        if not self.row_count:
            # Typed ahead, before the board drew its rows: open the first one once there.
            self._open_when_filled = True
            return
        open_incident = getattr(self.screen, "open_incident", None)
        if not callable(open_incident):
            self.action_select_cursor()
            return
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        if row_key.value is not None:
            open_incident(int(row_key.value))

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width or self._title_width)

    def fit_title(self, available: int) -> None:
        """Give the title column whatever the other columns leave of ``available`` cells."""
        fixed = sum(width for _, _, width in COLUMNS)
        width = max(_MIN_TITLE, available - fixed - 2)  # 2: room for the scrollbar
        if width == self._title_width:
            return
        self._title_width = width
        column = self.columns.get(self._column_key("title"))
        if column is not None:
            column.width = width
            column.content_width = width
            for incident_id, row in self._rows.items():
                row.cells[_TITLE] = self._title_cell(self._titles[incident_id])
                self.update_cell(str(incident_id), "title", row.cells[_TITLE])
            self.refresh()

    def _column_key(self, key: str):  # type: ignore[no-untyped-def]
        return next(k for k in self.columns if k.value == key)

    def _title_cell(self, title: str) -> Text:
        return _gap(plain(ellipsize(title, self._title_width - 1)))

    def cells(self, incident: Incident, now: datetime, flags: str = "") -> list[Text]:
        """The row for one incident."""
        return [
            Text(str(incident.id).rjust(4)),
            _gap(severity(incident.severity)),
            self._title_cell(incident.title),
            _gap(Text(KIND_SHORT.get(incident.kind, incident.kind))),
            _gap(step_cell(incident)),
            _flags_cell(flags),
            _age_cell(age(incident, now)),
            _gap(plain(ellipsize(incident.commander or "—", _COMMANDER_WIDTH))),
        ]

    def highlighted_id(self) -> int | None:
        """The id of the incident under the cursor, if any."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    def sync(
        self,
        incidents: Sequence[Incident],
        now: datetime,
        flags: Mapping[int, str] | None = None,
    ) -> None:
        """Make the rows match ``incidents`` (already in board order), in place.

        ``flags`` holds each incident's short alerts (overdue tasks, metrics).

        Rows are rebuilt only for incidents whose version changed; for the rest
        only the age is recomputed, so a refresh of a large board stays cheap. When
        many rows are new (the first load of a large board, a filter cleared), the
        first ``FIRST_ROWS`` are added now and the rest in batches after each refresh;
        a later ``sync`` supersedes a fill still under way.
        """
        before = self.highlighted_id()
        wanted_set = {incident.id for incident in incidents}
        removed = [i for i in self._rows if i not in wanted_set]
        for incident_id in removed:
            self.remove_row(str(incident_id))
            del self._rows[incident_id]
            del self._titles[incident_id]
        if removed and before is not None and before in self._rows:
            self.move_cursor(row=self.get_row_index(str(before)), animate=False)
        self._generation += 1
        self._fill(list(incidents), 0, now, dict(flags or {}), self._generation)
        if self._open_when_filled and self.row_count:
            self._open_when_filled = False
            self.action_open_row()

    def _fill(
        self,
        incidents: list[Incident],
        start: int,
        now: datetime,
        flags: dict[int, str],
        generation: int,
    ) -> None:
        if generation != self._generation:
            return  # a newer sync took over
        budget = FIRST_ROWS if start == 0 else BATCH_ROWS
        position = start
        while position < len(incidents):
            incident = incidents[position]
            if incident.id not in self._rows:
                budget -= 1
            self._sync_row(incident, now, flags.get(incident.id, ""))
            position += 1
            if budget <= 0 and position < len(incidents):
                self.pending = len(incidents) - position
                self.post_message(self.Filled(self.pending))
                self.call_after_refresh(self._fill, incidents, position, now, flags, generation)
                return
        self.pending = 0
        target, self._select_when_filled = self._select_when_filled, None
        wanted = [incident.id for incident in incidents]
        current = [int(row.key.value) for row in self.ordered_rows if row.key.value is not None]
        if current != wanted:
            # Rows were appended after others, or moved: sort, and keep the cursor on
            # the incident it was on (appending alone never moves it).
            highlighted = self.highlighted_id()
            rank = {incident_id: place for place, incident_id in enumerate(wanted)}
            self.sort("id", key=lambda cell: rank[int(cell.plain)])
            target = target if target is not None else highlighted
        if target is not None and target in self._rows:
            self.move_cursor(row=self.get_row_index(str(target)), animate=False)
        if start:
            self.post_message(self.Filled(0))

    def _sync_row(self, incident: Incident, now: datetime, flags: str) -> None:
        row_key = str(incident.id)
        shown = self._rows.get(incident.id)
        if shown is not None and shown.version == incident.version:
            new_age = age(incident, now)
            if new_age != shown.age:
                shown.age = new_age
                shown.cells[_AGE] = _age_cell(new_age)
                self.update_cell(row_key, "age", shown.cells[_AGE])
            if flags != shown.flags:
                shown.flags = flags
                shown.cells[_FLAGS] = _flags_cell(flags)
                self.update_cell(row_key, "flags", shown.cells[_FLAGS])
            return
        cells = self.cells(incident, now, flags)
        self._titles[incident.id] = incident.title
        if shown is None:
            self.add_row(*cells, key=row_key)
        else:
            for (key, _, _), before, after in zip(COLUMNS, shown.cells, cells, strict=True):
                if before != after:
                    self.update_cell(row_key, key, after)
        self._rows[incident.id] = _Row(incident.version, age(incident, now), flags, cells)

    def select(self, incident_id: int) -> None:
        """Put the cursor on an incident (once its row is there, if the board is filling)."""
        if str(incident_id) in self.rows:
            self.move_cursor(row=self.get_row_index(str(incident_id)), animate=False)
        elif self.pending:
            self._select_when_filled = incident_id
