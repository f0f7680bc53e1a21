"""The Assess panel's right-hand column: the decisions that follow from the assessment."""

from __future__ import annotations

from rich.text import Text

from email_crisis.core.assess.clocks import BreachClock
from email_crisis.core.assess.form import AssessView
from email_crisis.core.base.domain import Incident
from email_crisis.tui.render import plain, severity

CLOCK_STYLE = {
    "overdue": "bold red",
    "due-soon": "bold yellow",
    "running": "",
    "no-fixed-deadline": "bold",
    "waiting": "bold cyan",
    "not-in-force": "dim",
}
HEADER_STYLE = {
    "overdue": "bold reverse red",
    "due-soon": "bold yellow",
    "waiting": "cyan",
    "problem": "bold red",  # the organisation's breach rules could not be read
}
VERDICT_STYLE = {
    "do-not-send": "bold red",
    "breach-notice": "bold yellow",
    "recommended": "green",
    "allowed-with-override": "yellow",
    "not-needed": "dim",
}


def decisions_text(incident: Incident, view: AssessView) -> Text:
    """The decisions beside the form, each with its reason."""
    out = Text()
    apology = view.apology
    out.append("Apology: ", style="bold")
    out.append(
        apology.verdict.replace("-", " ").upper(), style=VERDICT_STYLE.get(apology.verdict, "")
    )
    out.append("\n").append_text(plain(apology.reason, single_line=False))
    if apology.locked:
        out.append("\no (F4) lifts the lock with a written reason.", style="dim")
    out.append("\n\nSeverity: ", style="bold")
    suggested = view.severity.severity
    out.append_text(severity(suggested))
    if suggested == incident.severity:
        out.append(" (as set)")
    else:
        out.append(f" suggested, now {incident.severity}: t (F3) takes it", style="bold yellow")
    out.append("\n").append_text(plain(view.severity.reason, single_line=False))
    out.append("\n\nBreach notification\n", style="bold")
    if view.clocks.clocks:
        out.append(view.notice, style="italic").append("\n")
    out.append_text(plain(view.clocks.reason, single_line=False))
    for clock in view.clocks.clocks:
        out.append_text(clock_text(clock))
    for note in view.clocks.notes:
        out.append("\n").append_text(plain(note, single_line=False))
    return out


def clock_text(clock: BreachClock) -> Text:
    """One clock: who, by when, its citation and how it was checked (right under it, so
    it is never scrolled away), the deadline on the jurisdiction's clock, then why.

    Rules files are data an organisation may edit: their text goes through ``plain``.
    """
    o = clock.obligation
    out = Text("\n- ")
    out.append_text(plain(f"{clock.jurisdiction}, {clock.audience}: ", style="bold"))
    out.append_text(plain(clock.due_text, style=CLOCK_STYLE.get(clock.status, "")))
    style = "yellow" if o.secondary_only or not o.verified else "dim"
    out.append("\n  ").append_text(plain(clock.source_text, style=style))
    if clock.local_text and o.time_zone != "UTC":
        out.append(f"\n  there: {clock.local_text}", style="dim")
    if clock.caveat:
        out.append("\n  ").append_text(plain(clock.caveat, style="yellow"))
    details = (
        ("", o.condition),
        ("Instead: ", o.alternative),
        ("Keep a record: ", o.record_keeping),
        ("Note: ", o.note),
    )
    for prefix, text in details:
        if text:
            out.append("\n  ").append_text(plain(prefix + text, style="dim"))
    return out
