"""The workspace header: what the incident is, the six steps, where it stands, its clocks.

At every moment it says which step the incident is in, what completes that step (its
criteria, each marked done or not), what is still missing, and which keyboard mode is on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from email_crisis.core.base.clock import format_local, humanize
from email_crisis.core.base.domain import KINDS, STEP_LABELS, STEPS, Incident
from email_crisis.core.steps.machine import StepStatus
from email_crisis.tui.render import plain, severity


def steps_line(incident: Incident) -> Text:
    """``[x] Own it  [>] Contain  [ ] Assess ...``: done, current, still to come."""
    current = STEPS.index(incident.step)
    line = Text()
    for position, step in enumerate(STEPS):
        if position:
            line.append(" ")
        if incident.resolved_at is not None or position < current:
            line.append(f"[x] {STEP_LABELS[step]}", style="green")
        elif position == current:
            line.append(f"[>] {STEP_LABELS[step]}", style="bold reverse")
        else:
            line.append(f"[ ] {STEP_LABELS[step]}", style="dim")
    return line


def step_lines(incident: Incident, status: StepStatus | None) -> list[Text]:
    """The current step's criteria (what completes it, each [x] or [ ]) and what is missing."""
    if incident.resolved_at is not None:
        return [Text(f"Closed {format_local(incident.resolved_at)}: x reopens it.", style="bold")]
    if status is None:
        return []
    line = Text(f"{status.number} {status.label}: ", style="bold")
    for position, criterion in enumerate(status.criteria):
        line.append("  " if position else "")
        line.append("[x] " if criterion.holds else "[ ] ", style="green" if criterion.holds else "")
        line.append(criterion.label, style="" if criterion.holds else "bold")
    last = status.step == STEPS[-1]
    if status.complete:
        more = Text("Complete: the incident is ready to close (x).", style="green")
    else:
        more = Text("Missing: ", style="bold yellow")
        more.append_text(plain("; ".join(status.missing)))
        more.append("  > ends the watch early" if last else "  > moves on by hand", style="dim")
    return [line, more]


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
    """The incident, its steps and the mode; the current step's criteria and what is
    missing; its clocks; and a line for running deadlines."""

    def show(
        self,
        incident: Incident,
        now: datetime,
        deadlines: Sequence[Text] = (),
        *,
        status: StepStatus | None = None,
        mode: str = "COMMAND",
    ) -> None:
        """Render the header for ``incident`` as of ``now``.

        ``deadlines`` are short labels of clocks that run for this incident (for
        example breach-notification deadlines), already styled by urgency; ``status``
        is the current step's (``steps.machine.status``); ``mode`` the keyboard mode.
        """
        title = Text.assemble(
            (f"#{incident.id} ", "bold"),
            severity(incident.severity),
            " ",
            (KINDS.get(incident.kind, incident.kind), "italic"),
            "  ",
            plain(incident.title, style="bold"),
        )
        steps = steps_line(incident)
        steps.append("  ").append(f" {mode} ", style="bold reverse")
        lines = [title, steps, *step_lines(incident, status), clocks_line(incident, now)]
        if deadlines:
            line = Text("Deadlines: ", style="bold")
            line.append_text(Text("  ").join(deadlines))
            lines.append(line)
        for line in lines:  # one line each, cut with an ellipsis rather than wrapped
            line.no_wrap = True
            line.overflow = "ellipsis"
        self.update(Group(*lines))
