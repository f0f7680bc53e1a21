"""Closing an incident and opening it again.

``resolve`` sets ``resolved_at``; ``reopen`` clears it. Both write their event in
the same transaction as the change (``store.update_incident``), so the event log
keeps every resolution, including the ones that were later undone; the metrics
read them from there.
"""

from __future__ import annotations

from email_crisis.core.base.clock import format_local, from_iso, to_iso
from email_crisis.core.base.domain import Event, Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import clean_block
from email_crisis.core.plan.store import list_tasks
from email_crisis.core.store.database import Store

SUMMARY_MAX = 4000
REASON_MAX = 2000
REASON_MIN = 10


def _block(text: str, field: str, max_length: int) -> str:
    try:
        return clean_block(text, field=field, max_length=max_length)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def resolve(
    store: Store, incident: Incident, operator: str, summary: str | None = None
) -> Incident:
    """Mark the incident resolved now, with an optional closing summary.

    Open plan tasks do not block it (follow-ups often outlive the incident); their
    number is recorded in the event so the postmortem can say so.
    """
    if incident.resolved_at is not None:
        raise ValidationError(
            f"Incident {incident.id} is already resolved ({format_local(incident.resolved_at)}); "
            "reopen it first if the problem came back."
        )
    text = _block(summary, "Summary", SUMMARY_MAX) if summary and summary.strip() else None
    open_tasks = sum(1 for task in list_tasks(store, incident.id) if task.is_open)
    now = store.clock()
    details: dict[str, object] = {
        "seconds_after_detection": int((now - incident.detected_at).total_seconds()),
        "open_tasks": open_tasks,
    }
    if text:
        details["summary"] = text
    return store.update_incident(
        incident.id,
        expected_version=incident.version,
        operator=operator,
        changes={"resolved_at": now},
        events=[("resolved", details)],
    )


def reopen(store: Store, incident: Incident, operator: str, reason: str) -> Incident:
    """Open a resolved incident again; the reason is required and goes on the record."""
    if incident.resolved_at is None:
        raise ValidationError(
            f"Incident {incident.id} is not resolved; there is nothing to reopen."
        )
    text = _block(reason, "Reason", REASON_MAX)
    if len(text) < REASON_MIN:
        raise ValidationError(
            f"Say why it is reopened (at least {REASON_MIN} characters): it goes on the record."
        )
    return store.update_incident(
        incident.id,
        expected_version=incident.version,
        operator=operator,
        changes={"resolved_at": None},
        events=[
            (
                "reopened",
                {"reason": text, "was_resolved_at": to_iso(incident.resolved_at)},
            )
        ],
    )


def describe_lifecycle_event(event: Event) -> str | None:
    """One line for ``resolved``/``reopened``, or ``None`` for any other event."""
    d = event.details
    if event.type == "resolved":
        open_tasks = d.get("open_tasks")
        tail = f" with {open_tasks} plan task(s) still open" if open_tasks else ""
        summary = f": {d['summary']}" if d.get("summary") else ""
        return f"resolved the incident{tail}{summary}"
    if event.type == "reopened":
        since = format_local(from_iso(d.get("was_resolved_at")))
        return f"reopened the incident (resolved {since}): {d.get('reason', '')}"
    return None
