"""The watch window of step 6: how long deliverability is watched after the apology.

The window opens when the incident reaches Monitor and lasts the number of days set
in ``core/steps/data/steps.toml`` (Gmail lifts its mitigation after seven days in a
row under its spam-rate limit). The commander can end it early with a reason; either
way step 6 is then complete and the incident is ready to close.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from email_crisis.core.base.domain import Event, Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import written_reason
from email_crisis.core.store.database import Store

ENDED = "watch_ended"
REASON_MIN = 10


@dataclass(frozen=True)
class Watch:
    """The watch window of an incident at Monitor: when it opened, ends, or was ended."""

    started_at: datetime
    ends_at: datetime
    ended: Event | None = None

    def over(self, now: datetime) -> bool:
        """Ended early, or its days have passed."""
        return self.ended is not None or now >= self.ends_at


def watch(store: Store, incident: Incident, days: float) -> Watch | None:
    """The incident's watch window, or ``None`` while it has not reached Monitor."""
    if incident.step != "monitor":
        return None
    arrivals = [
        e
        for e in store.events_of_type(incident.id, "step_advanced")
        if e.details.get("to") == "monitor"
    ]
    started = arrivals[-1].at if arrivals else incident.notified_at or incident.updated_at
    ended = store.events_of_type(incident.id, ENDED)
    return Watch(started, started + timedelta(days=days), ended[-1] if ended else None)


def end_watch(store: Store, incident: Incident, *, reason: str, operator: str) -> Incident:
    """End the watch window early, with the reason on the record (event ``watch_ended``)."""
    if incident.step != "monitor":
        raise ValidationError(
            f"Incident {incident.id} is not at step Monitor yet; its watch has not started."
        )
    if store.events_of_type(incident.id, ENDED):
        raise ValidationError(f"The watch of incident {incident.id} was already ended.")
    text = written_reason(reason, ask="Say why the watch ends early", minimum=REASON_MIN)
    store.append_event(incident.id, operator=operator, type_=ENDED, details={"reason": text})
    return store.get_incident(incident.id)
