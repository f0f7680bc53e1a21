"""Step 1, "own it": acknowledgement, commander, severity and the internal statement."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from email_crisis.core.base.clock import format_local, humanize
from email_crisis.core.base.domain import SEVERITIES, STEP_OWNERS, Incident
from email_crisis.core.steps import machine as steps
from email_crisis.core.store.database import Statement
from email_crisis.tui import keymap
from email_crisis.tui.render import plain, severity


def _facts(incident: Incident, statements: list[Statement]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_column(style="dim", no_wrap=True)
    if incident.acknowledged_at:
        took = humanize(incident.acknowledged_at - incident.detected_at)
        ack = Text(f"yes, at {format_local(incident.acknowledged_at)} ({took} after detection)")
    else:
        ack = Text("no: nobody has taken this incident yet", style="bold red")
    table.add_row("Acknowledged", ack, "a")
    table.add_row(
        "Commander",
        plain(incident.commander, style="bold")
        if incident.commander
        else Text("none named", style="bold red"),
        "c",
    )
    table.add_row(
        "Severity",
        Text.assemble(severity(incident.severity), "  ", SEVERITIES[incident.severity]),
        "s",
    )
    if statements:
        latest = statements[-1]
        meta = Text(f"version {len(statements)} by {latest.operator} at {format_local(latest.at)}")
    else:
        meta = Text("not written yet", style="yellow")
    table.add_row("Statement", meta, "w")
    return table


class OwnPanel(VerticalScroll):
    """What step 1 asks for, what is done, and the latest internal statement."""

    BINDINGS = keymap.OWN_PANEL
    HELP_GROUP = "1 Own it"

    def compose(self) -> ComposeResult:
        yield Static(id="own-intro")
        yield Static(id="own-facts")
        yield Static(id="own-statement")

    def load(self, incident: Incident, *, active: bool) -> None:
        """Read the statements and render the panel."""
        owned = steps.status(self.app.store, incident, "own").complete
        self.show(incident, self.app.store.statements(incident.id), owned=owned)

    def show(self, incident: Incident, statements: list[Statement], *, owned: bool) -> None:
        """Render the panel for ``incident`` and its statement history."""
        if owned:
            intro = Text(
                "Owned: acknowledged and a commander is named. "
                "Keep the statement current as facts change.",
                style="green",
            )
        else:
            intro = Text(
                "Take ownership now: acknowledge (a), name a commander (c), "
                f"check the severity (s), write the first internal statement (w). "
                f"Owners: {STEP_OWNERS['own']}."
            )
        self.query_one("#own-intro", Static).update(intro)
        self.query_one("#own-facts", Static).update(_facts(incident, statements))
        body = self.query_one("#own-statement", Static)
        if statements:
            body.update(plain(statements[-1].body, single_line=False))
            body.display = True
        else:
            body.display = False
