"""Turning incident data into Rich ``Text`` that is safe to show.

User text never goes through markup parsing: it is wrapped in ``Text`` after
control characters are made visible, so ``[bold]`` or an escape sequence in a
title shows literally.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.text import Text

from email_crisis.core.base.clock import humanize
from email_crisis.core.base.domain import STEP_LABELS, STEPS, Incident
from email_crisis.core.base.text import visible

SEVERITY_STYLE = {
    "SEV1": "bold reverse red",
    "SEV2": "bold red",
    "SEV3": "yellow",
    "SEV4": "dim",
}


def plain(text: str | None, *, style: str = "", single_line: bool = True) -> Text:
    """User or imported text as a literal ``Text``."""
    return Text(visible(text or "", single_line=single_line), style=style)


def title_text(value: str | Text) -> Text:
    """A border or menu title: data strings become literal ``Text``, never markup."""
    return value if isinstance(value, Text) else plain(value)


def ellipsize(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells with an ellipsis (titles in narrow columns)."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def severity(incident_severity: str) -> Text:
    """The severity badge."""
    return Text(incident_severity, style=SEVERITY_STYLE.get(incident_severity, ""))


def step_cell(incident: Incident) -> Text:
    """``n Label``, flagged when nobody has acknowledged the incident yet."""
    number = STEPS.index(incident.step) + 1
    if incident.resolved_at is not None:
        return Text("Closed", style="dim")
    if not incident.is_acknowledged:
        return Text(f"{number} UNACKED", style="bold red")
    return Text(f"{number} {STEP_LABELS[incident.step]}")


def age(incident: Incident, now: datetime) -> str:
    """Time since detection."""
    return humanize(now - incident.detected_at)


def article(word: str) -> str:
    """``a`` or ``an`` before ``word`` (by its spelling, good enough for the kind ids)."""
    return "an" if word[:1].lower() in "aeiou" else "a"


MORE = " … space: read it all"
"""How a cut details pane ends while its table has the focus (``space`` acts there)."""
CUT = " …"


def fit_rows(text: Text, width: int, rows: int, console: Console, more: str = MORE) -> Text:
    """``text`` wrapped to ``width`` cells, cut to ``rows`` lines; a cut one ends with
    ``more``."""
    lines = text.wrap(console, width)
    if len(lines) <= rows:
        return text
    kept = list(lines[:rows])
    for line in kept:
        line.rstrip()
    last = kept[-1]
    last.truncate(max(1, width - len(more)))
    kept[-1] = last.append(more, style="bold")
    return Text("\n").join(kept)
