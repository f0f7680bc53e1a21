"""What an operator can do to an incident, with the rules that guard each change.

Screens and the CLI call these functions; they validate, decide what changes and
which events describe it, and hand one transaction to the store. Whether a change
completes step 1 (and moves the incident on) is the step machine's call
(``core.steps``), made in that same transaction.
"""

from __future__ import annotations

from datetime import datetime

from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import KINDS, SEVERITIES, Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import clean_block, clean_line
from email_crisis.core.store.database import NewIncident, Store

TITLE_MAX = 200
NAME_MAX = 80
STATEMENT_MAX = 20_000
DEFAULT_SEVERITY = "SEV3"


def check_title(title: str) -> str:
    """The cleaned title, or ``ValidationError`` saying what is wrong."""
    try:
        return clean_line(title, field="Title", max_length=TITLE_MAX)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def check_kind(kind: str) -> str:
    """The kind id, or ``ValidationError`` listing the valid ones."""
    value = kind.strip().lower()
    if value not in KINDS:
        raise ValidationError(f"unknown kind {kind!r}; choose one of: {', '.join(KINDS)}.")
    return value


def check_severity(severity: str) -> str:
    """``SEV1``..``SEV4`` (``1``..``4`` and lower case accepted), or ``ValidationError``."""
    value = severity.strip().upper()
    if value.isdigit():
        value = f"SEV{value}"
    if value not in SEVERITIES:
        raise ValidationError(
            f"unknown severity {severity!r}; choose one of: {', '.join(SEVERITIES)}."
        )
    return value


def check_name(name: str, *, field: str = "Commander") -> str:
    """A person's name or handle, cleaned, or ``ValidationError``."""
    try:
        return clean_line(name, field=field, max_length=NAME_MAX)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def declare(
    store: Store,
    *,
    title: str,
    kind: str,
    severity: str = DEFAULT_SEVERITY,
    operator: str,
    detected_at: datetime | None = None,
) -> Incident:
    """Declare a new incident at step ``own``; returns it as stored."""
    if detected_at is not None and detected_at.tzinfo is None:
        raise ValidationError("Detection time needs a time zone (for example +00:00).")
    new = NewIncident(
        title=check_title(title),
        kind=check_kind(kind),
        severity=check_severity(severity),
        detected_at=detected_at or store.clock(),
        operator=operator,
    )
    if new.detected_at > store.clock():
        raise ValidationError("Detection time is in the future.")
    (incident_id,) = store.create_incidents([new])
    return store.get_incident(incident_id)


def acknowledge(store: Store, incident: Incident, *, operator: str) -> Incident:
    """Mark the incident acknowledged now by ``operator``."""
    if incident.is_acknowledged:
        raise ValidationError(
            f"Incident {incident.id} is already acknowledged "
            f"({format_local(incident.acknowledged_at)})."
        )
    now = store.clock()
    changes: dict[str, object] = {"acknowledged_at": now}
    lag = int((now - incident.detected_at).total_seconds())
    events: list[tuple[str, dict]] = [("acknowledged", {"seconds_after_detection": lag})]
    return store.update_incident(
        incident.id,
        expected_version=incident.version,
        operator=operator,
        changes=changes,
        events=events,
    )


def set_commander(store: Store, incident: Incident, name: str, *, operator: str) -> Incident:
    """Name (or replace) the incident commander."""
    commander = check_name(name)
    if commander == incident.commander:
        raise ValidationError(f"{commander} is already the commander.")
    changes: dict[str, object] = {"commander": commander}
    events: list[tuple[str, dict]] = [
        ("commander_set", {"from": incident.commander, "to": commander})
    ]
    return store.update_incident(
        incident.id,
        expected_version=incident.version,
        operator=operator,
        changes=changes,
        events=events,
    )


def set_severity(store: Store, incident: Incident, severity: str, *, operator: str) -> Incident:
    """Set or change the severity."""
    value = check_severity(severity)
    if value == incident.severity:
        raise ValidationError(f"Incident {incident.id} is already {value}.")
    return store.update_incident(
        incident.id,
        expected_version=incident.version,
        operator=operator,
        changes={"severity": value},
        events=[("severity_changed", {"from": incident.severity, "to": value})],
    )


def write_statement(store: Store, incident: Incident, body: str, *, operator: str) -> Incident:
    """Record a new version of the internal statement (every version is kept)."""
    try:
        text = clean_block(body, field="Statement", max_length=STATEMENT_MAX)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    previous = store.statements(incident.id)
    if previous and previous[-1].body == text:
        raise ValidationError("The statement is unchanged.")
    return store.update_incident(
        incident.id,
        expected_version=incident.version,
        operator=operator,
        changes={},
        events=[
            (
                "statement_written",
                {"version": len(previous) + 1, "characters": len(text)},
            )
        ],
        statement=text,
    )
