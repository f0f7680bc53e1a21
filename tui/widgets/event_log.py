"""An incident's event log: oldest first, new events appended, never rewritten."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import Event
from email_crisis.core.close.events_text import describe
from email_crisis.tui.render import plain

_WHEN = 16
_WHO = 10


class EventLog(DataTable[Text]):
    """Every change to the incident: when, who, what."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        self.last_event_id = 0

    def on_mount(self) -> None:
        # WHAT gets the rest of the width and long lines wrap (rows grow in height).
        rest = max(24, self.app.size.width - _WHEN - _WHO - 6 - 4)
        self.add_column("WHEN", key="when", width=_WHEN)
        self.add_column("WHO", key="who", width=_WHO)
        self.add_column("WHAT", key="what", width=rest)

    def append(self, events: Sequence[Event]) -> None:
        """Add events newer than the last one shown, and follow the end of the log."""
        at_end = self.cursor_row >= self.row_count - 1
        for event in events:
            if event.id <= self.last_event_id:
                continue
            self.add_row(
                Text(format_local(event.at)),
                plain(event.operator),
                plain(describe(event)),
                key=str(event.id),
                height=None,
            )
            self.last_event_id = event.id
        if events and at_end:
            self.move_cursor(row=self.row_count - 1, animate=False)
