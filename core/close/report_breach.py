"""The postmortem's breach-notification section: every clock with its citation.

The same clocks as the Assess panel, as of the report's ``now``, with how each entry
was checked (an entry checked only against secondary sources says so) and the
reminder that the table is guidance, not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from email_crisis.core.assess.breach_rules import GUIDANCE_NOTICE
from email_crisis.core.assess.clocks import BreachClock, breach_clocks
from email_crisis.core.assess.store import load_assessment
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.text import visible
from email_crisis.core.store.database import Store


@dataclass(frozen=True)
class ClockLine:
    """One obligation as the report shows it (strings only, safe to print)."""

    jurisdiction: str
    audience: str
    due: str
    local: str
    caveat: str
    condition: str
    source: str
    url: str
    secondary: bool


@dataclass(frozen=True)
class BreachSection:
    """The notice, why these clocks, each clock, and what was left out."""

    notice: str
    reason: str
    clocks: list[ClockLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the problem below comes first here
    problem: str = ""  # the organisation's rules file was not used: why


def _line(clock: BreachClock) -> ClockLine:
    def text(value: str) -> str:
        return visible(value, single_line=True)

    return ClockLine(
        jurisdiction=text(clock.jurisdiction),
        audience=text(clock.audience),
        due=text(clock.due_text),
        local=text(clock.local_text if clock.obligation.time_zone != "UTC" else ""),
        caveat=text(clock.caveat),
        condition=text(clock.condition),
        source=text(clock.source_text),
        url=text(clock.url),
        secondary=clock.obligation.secondary_only or not clock.obligation.verified,
    )


def breach_section(store: Store, incident: Incident, now: datetime) -> BreachSection | None:
    """The section, or ``None`` when no assessment was saved."""
    assessment = load_assessment(store, incident)
    if not assessment.version:
        return None
    result = breach_clocks(assessment, now, notified_at=incident.notified_at)
    return BreachSection(
        notice=GUIDANCE_NOTICE,
        reason=visible(result.reason, single_line=True),
        clocks=[_line(clock) for clock in result.clocks],
        notes=[visible(note, single_line=True) for note in result.notes],
        problem=visible(result.problem, single_line=True),
    )
