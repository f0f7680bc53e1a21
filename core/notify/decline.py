"""Deciding not to send an apology, with the reason on the record.

After a send to a suppression list, mailing those people again is the harm itself, so
the right outcome of step 5 is often "no apology". That is a decision, not an absence:
someone records it with a reason, and step 5 is then complete. An apology can still be
marked sent later (the decision is kept in the log either way).
"""

from __future__ import annotations

from email_crisis.core.assess.apology_lock import REASON_MIN
from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import Event, Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import written_reason
from email_crisis.core.store.database import Store

EVENT = "apology_declined"


def declined(store: Store, incident_id: int) -> Event | None:
    """The recorded decision not to apologise, if there is one (the latest)."""
    found = store.events_of_type(incident_id, EVENT)
    return found[-1] if found else None


def decline_apology(store: Store, incident: Incident, *, reason: str, operator: str) -> Incident:
    """Record that no apology will be sent, and why (event ``apology_declined``)."""
    if incident.notified_at is not None:
        raise ValidationError(
            f"Incident {incident.id}'s apology was already marked sent "
            f"({format_local(incident.notified_at)}); there is nothing to decline."
        )
    earlier = declined(store, incident.id)
    if earlier is not None:
        raise ValidationError(
            f"{earlier.operator} already recorded that no apology will be sent "
            f"({format_local(earlier.at)}): “{earlier.details.get('reason', '')}”."
        )
    text = written_reason(reason, ask="Say why no apology will be sent", minimum=REASON_MIN)
    store.append_event(incident.id, operator=operator, type_=EVENT, details={"reason": text})
    return store.get_incident(incident.id)
