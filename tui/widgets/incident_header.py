"""The workspace header: what the incident is, the six steps, and its clocks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from email_crisis.core.base.clock import format_local, humanize
from email_crisis.core.base.domain import KINDS, STEP_LABELS, STEPS, Incident
from email_crisis.tui.render import plain, severity


def steps_line(incident: Incident) -> Text:
    """``[x] Own it  [>] Contain  [ ] Assess ...``: done, current, still to come."""
    current = STEPS.index(incident.step)
    line = Text()
    for position, step in enumerate(STEPS):
        if position:
            line.append("  ")
        if incident.resolved_at is not None or position < current:
            line.append(f"[x] {STEP_LABELS[step]}", style="green")
        elif position == current:
            line.append(f"[>] {STEP_LABELS[step]}", style="bold reverse")
        else:
            line.append(f"[ ] {STEP_LABELS[step]}", style="dim")
    return line


def clocks_line(incident: Incident, now: datetime) -> Text:
    """Time since detection and time to acknowledge (running while unacknowledged)."""
    line = Text()
    line.append(f"Detected {humanize(now - incident.detected_at)} ago")
    line.append(f" ({format_local(incident.detected_at)})", style="dim")
    line.append("  ")
    if incident.acknowledged_at is None:
        line.append(
            f"NOT ACKNOWLEDGED for {humanize(now - incident.detected_at)}", style="bold red"
        )
    else:
        took = humanize(incident.acknowledged_at - incident.detected_at)
        line.append(f"Acknowledged in {took}")
    line.append("  Commander: ")
    if incident.commander:
        line.append_text(plain(incident.commander, style="bold"))
    else:
        line.append("none", style="bold red")
    return line


class IncidentHeader(Static):
    """Three lines at the top of the workspace, and a fourth for running deadlines."""

    def show(self, incident: Incident, now: datetime, deadlines: Sequence[Text] = ()) -> None:
        """Render the header for ``incident`` as of ``now``.

        ``deadlines`` are short labels of clocks that run for this incident (for
        example breach-notification deadlines), already styled by urgency.
        """
        title = Text.assemble(
            (f"#{incident.id} ", "bold"),
            severity(incident.severity),
            " ",
            (KINDS.get(incident.kind, incident.kind), "italic"),
            "  ",
            plain(incident.title, style="bold"),
        )
        title.no_wrap = True
        title.overflow = "ellipsis"
        lines = [title, steps_line(incident), clocks_line(incident, now)]
        if deadlines:
            line = Text("Deadlines: ", style="bold")
            line.append_text(Text("  ").join(deadlines))
            lines.append(line)
        for line in lines:  # one line each, cut with an ellipsis rather than wrapped
            line.no_wrap = True
            line.overflow = "ellipsis"
        self.update(Group(*lines))
