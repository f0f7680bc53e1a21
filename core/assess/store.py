"""Store layer for impact assessments (SQL lives only in ``store*`` modules).

One row per incident, saved with compare-and-swap on the assessment's own version, so
two operators editing the same form never overwrite each other silently. The event
that describes a save is written in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from email_crisis.core.assess.assessment import (
    ANSWER_FIELDS,
    LIST_FIELDS,
    PLACES_FIELD,
    SET_FIELDS,
    TIME_FIELDS,
    Assessment,
    default_assessment,
)
from email_crisis.core.assess.places import canonical
from email_crisis.core.base.clock import from_iso, to_iso
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError, NotFound, StoreError
from email_crisis.core.store.database import Store

EVENT_TYPE = "assessment_updated"


class StaleAssessment(CrisisError):
    """Someone else saved the assessment first; nothing was written.

    ``fresh`` holds the assessment as it is now, so the caller can show it.
    """

    def __init__(self, message: str, fresh: Assessment) -> None:
        super().__init__(message)
        self.fresh = fresh


FORMAT = 2  # bump, and read the old formats too, when the stored shape changes
READABLE_FORMATS = (1, 2)
# Format 2 added the counts per place (an object, place -> count), where they came from,
# and the processor and small-agent flags; a format-1 assessment reads with them empty.


def to_json(assessment: Assessment) -> str:
    """The answers as JSON with a stable key order (storage metadata left out)."""
    data: dict[str, Any] = {"format": FORMAT}
    for name in ANSWER_FIELDS:
        value = getattr(assessment, name)
        if name == PLACES_FIELD:
            value = dict(value)
        elif isinstance(value, datetime):
            value = to_iso(value)
        elif isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Decimal):
            value = str(value)
        data[name] = value
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def from_json(text: str, **meta: Any) -> Assessment:
    """Read ``to_json`` output back; ``meta`` sets version/updated_by/updated_at.

    Raises ``ValueError`` when the text is not a stored assessment.
    """
    data = json.loads(text)
    known = isinstance(data, dict) and data.get("format") in READABLE_FORMATS
    if not known or "aware_at" not in data:
        raise ValueError("not an assessment in a known format")
    values: dict[str, Any] = {}
    for name in ANSWER_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in TIME_FIELDS:
            value = from_iso(value)
        elif name == PLACES_FIELD:
            value = _places(value)
        elif name in SET_FIELDS:
            value = frozenset(value)
        elif name in LIST_FIELDS:
            value = tuple(value)
        elif name == "cost_amount" and value is not None:
            value = Decimal(value)
        values[name] = value
    return replace(Assessment(aware_at=values.pop("aware_at")), **values, **meta)


def _places(value: Any) -> Any:
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and type(count) is int and count >= 0 for key, count in value.items()
    ):
        raise ValueError("counts per place must map places to whole numbers")
    return canonical(value)


def _row_to_assessment(incident_id: int, row: tuple[Any, ...]) -> Assessment:
    data, updated_at, updated_by, version = row
    try:
        return from_json(
            data, version=version, updated_by=updated_by, updated_at=from_iso(updated_at)
        )
    except (ValueError, TypeError, KeyError):
        raise StoreError(
            f"the stored assessment of incident {incident_id} is unreadable (version "
            f"{version}, saved by {updated_by}); restore the database from a backup."
        ) from None


def load_assessment(store: Store, incident: Incident) -> Assessment:
    """The incident's saved assessment, or a fresh default (version 0) when none is saved."""
    with store._read():
        row = store._conn.execute(
            "SELECT data, updated_at, updated_by, version FROM assessments WHERE incident_id = ?",
            (incident.id,),
        ).fetchone()
    if row is None:
        return default_assessment(incident.detected_at)
    return _row_to_assessment(incident.id, row)


def save_assessment(
    store: Store,
    incident: Incident,
    assessment: Assessment,
    *,
    operator: str,
    details: Mapping[str, Any],
) -> Assessment:
    """Save ``assessment`` if the stored one is still at ``assessment.version``.

    Appends an ``assessment_updated`` event with ``details`` in the same transaction and
    returns the saved assessment (its version bumped). A stale version raises
    ``StaleAssessment`` carrying the fresh one and naming who saved it.
    """
    now = store.clock()
    expected = assessment.version
    stale = False
    with store._write():
        if not store._conn.execute(
            "SELECT 1 FROM incidents WHERE id = ?", (incident.id,)
        ).fetchone():
            raise NotFound(f"there is no incident {incident.id}.")
        data = to_json(assessment)
        if expected == 0:
            cursor = store._conn.execute(
                "INSERT INTO assessments (incident_id, data, updated_at, updated_by, version) "
                "VALUES (?, ?, ?, ?, 1) ON CONFLICT (incident_id) DO NOTHING",
                (incident.id, data, to_iso(now), operator),
            )
        else:
            cursor = store._conn.execute(
                "UPDATE assessments SET data = ?, updated_at = ?, updated_by = ?, "
                "version = version + 1 WHERE incident_id = ? AND version = ?",
                (data, to_iso(now), operator, incident.id, expected),
            )
        if cursor.rowcount == 1:
            store._append_event(
                incident.id,
                to_iso(now),
                operator,
                EVENT_TYPE,
                {**details, "version": expected + 1},
            )
        else:
            stale = True
    fresh = load_assessment(store, incident)
    if stale:
        raise StaleAssessment(
            f"the assessment of incident {incident.id} was changed by {fresh.updated_by} "
            f"since you loaded it (version {expected}, now {fresh.version}); nothing was "
            "saved. Review the latest answers and try again.",
            fresh,
        )
    return fresh
