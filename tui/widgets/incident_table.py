"""The board's table of incidents, updated in place (rows keyed by incident id)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
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


def _age_cell(text: str) -> Text:
    return Text(" " + text.rjust(6))


def _flags_cell(text: str) -> Text:
    return Text(" " + text, style="bold red" if "!" in text else "bold yellow")


def _gap(cell: Text) -> Text:
    return Text(" ").append_text(cell)


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

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", cell_padding=0, **kwargs)  # type: ignore[arg-type]
        self._rows: dict[int, _Row] = {}
        self._titles: dict[int, str] = {}
        self._title_width = _MIN_TITLE

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
        only the age is recomputed, so a refresh of a large board stays cheap.
        """
        keep = self.highlighted_id()
        wanted = [incident.id for incident in incidents]
        wanted_set = set(wanted)
        for incident_id in [i for i in self._rows if i not in wanted_set]:
            self.remove_row(str(incident_id))
            del self._rows[incident_id]
            del self._titles[incident_id]
        flags = flags or {}
        for incident in incidents:
            self._sync_row(incident, now, flags.get(incident.id, ""))
        current = [int(row.key.value) for row in self.ordered_rows if row.key.value is not None]
        if current != wanted:
            rank = {incident_id: position for position, incident_id in enumerate(wanted)}
            self.sort("id", key=lambda cell: rank[int(cell.plain)])
        if keep is not None and keep in wanted_set:
            self.move_cursor(row=self.get_row_index(str(keep)), animate=False)

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
        """Put the cursor on an incident."""
        if str(incident_id) in self.rows:
            self.move_cursor(row=self.get_row_index(str(incident_id)), animate=False)
