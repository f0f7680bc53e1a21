"""Closing an incident and opening it again.

``resolve`` sets ``resolved_at``; ``reopen`` clears it. Both write their event in
the same transaction as the change (``store.update_incident``), so the event log
keeps every resolution, including the ones that were later undone; the metrics
read them from there.

Closing is deliberate: while ``warnings.closing_warnings`` lists anything (open
tasks, an unsent apology, a running breach-notification clock, a deliverability
signal at warning or critical level), ``resolve`` refuses with ``CloseNeedsReason``
unless it is given a reason to close anyway; the ``resolved`` event then keeps the
warnings and the reason, and the postmortem shows them.
"""

from __future__ import annotations

from collections.abc import Sequence

from email_crisis.core.base.clock import format_local, from_iso, to_iso
from email_crisis.core.base.domain import Event, Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import clean_block, written_reason
from email_crisis.core.close.warnings import ClosingWarning, closing_warnings
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


class CloseNeedsReason(ValidationError):
    """Closing was asked without a reason while there are reasons not to; ``warnings``."""

    def __init__(self, incident: Incident, warnings: Sequence[ClosingWarning]) -> None:
        listed = "; ".join(w.text for w in warnings)
        super().__init__(
            f"Incident {incident.id} is not ready to close: {listed}. To close it anyway, "
            "give the reason (it goes into the postmortem)."
        )
        self.warnings = tuple(warnings)


def _reason(text: str, ask: str) -> str:
    return written_reason(text, ask=ask, minimum=REASON_MIN, maximum=REASON_MAX)


def resolve(
    store: Store,
    incident: Incident,
    operator: str,
    summary: str | None = None,
    *,
    reason: str | None = None,
) -> Incident:
    """Mark the incident resolved now, with an optional closing summary.

    Open tasks, an unsent apology, a running breach clock or a bad deliverability
    signal do not forbid it (follow-ups often outlive the incident), but each must be
    acknowledged: without ``reason`` they raise ``CloseNeedsReason``; with it, they and
    the reason are recorded in the ``resolved`` event.
    """
    if incident.resolved_at is not None:
        raise ValidationError(
            f"Incident {incident.id} is already resolved ({format_local(incident.resolved_at)}); "
            "reopen it first if the problem came back."
        )
    text = _block(summary, "Summary", SUMMARY_MAX) if summary and summary.strip() else None
    now = store.clock()
    warnings = closing_warnings(store, incident, now)
    why = reason.strip() if reason else ""
    if warnings and not why:
        raise CloseNeedsReason(incident, warnings)
    open_tasks = sum(1 for task in list_tasks(store, incident.id) if task.is_open)
    details: dict[str, object] = {
        "seconds_after_detection": int((now - incident.detected_at).total_seconds()),
        "open_tasks": open_tasks,
    }
    if text:
        details["summary"] = text
    if why:
        details["reason"] = _reason(why, "Say why it is closed anyway")
    if warnings:
        details["warnings"] = [w.text for w in warnings]
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
    text = _reason(reason, "Say why it is reopened")
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
        anyway = ""
        if d.get("warnings"):
            anyway = f" (closed despite: {'; '.join(map(str, d['warnings']))}; reason: "
            anyway += f"{d.get('reason', '')})"
        return f"resolved the incident{tail}{summary}{anyway}"
    if event.type == "reopened":
        since = format_local(from_iso(d.get("was_resolved_at")))
        return f"reopened the incident (resolved {since}): {d.get('reason', '')}"
    return None
