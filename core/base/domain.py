"""The vocabulary of an incident (kinds, severities, the six steps: ``vocabulary``) and the
records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from email_crisis.core.base.vocabulary import (
    KIND_SHORT,
    KINDS,
    SEVERITIES,
    STEP_LABELS,
    STEP_OWNERS,
    STEPS,
    TIMESTAMP_FIELDS,
    severity_rank,
    step_index,
    step_name,
)

__all__ = [
    "KINDS",
    "KIND_SHORT",
    "SEVERITIES",
    "STEPS",
    "STEP_LABELS",
    "STEP_OWNERS",
    "TIMESTAMP_FIELDS",
    "Event",
    "Incident",
    "severity_rank",
    "step_index",
    "step_name",
]


@dataclass(frozen=True)
class Incident:
    """One incident as stored; times are timezone-aware UTC datetimes."""

    id: int
    title: str
    kind: str
    severity: str
    step: str
    commander: str | None
    detected_at: datetime
    acknowledged_at: datetime | None
    contained_at: datetime | None
    notified_at: datetime | None
    resolved_at: datetime | None
    created_by: str
    updated_at: datetime
    version: int

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


@dataclass(frozen=True)
class Event:
    """One entry of an incident's append-only event log."""

    id: int
    incident_id: int
    at: datetime
    operator: str
    type: str
    details: dict[str, Any] = field(default_factory=dict)
