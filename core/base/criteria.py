"""What completes a step: the shape of one criterion's answer, shared by every step.

Each step package implements its checks in ``<step>/criteria.py`` (a ``CHECKS`` table
from check id to function); ``core/steps/data/steps.toml`` says which checks complete
which step, and the step machine (``core.steps.machine``) runs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from email_crisis.core.base.domain import Incident


@dataclass(frozen=True)
class Finding:
    """One criterion, now: whether it holds and, in words, what is done or missing.

    ``text`` reads after the step's name: "Plan: 2 open tasks have no owner".
    """

    holds: bool
    text: str


class Check(Protocol):
    """A criterion's check: reads the stored state of ``incident`` at ``now``.

    ``store`` is the open ``Store`` (typed loosely: ``base`` sits below the store).
    ``params`` are the criterion's settings from steps.toml. Returns ``None`` when the
    criterion does not apply to this incident (security told, for a kind that needs
    no one told). Checks only read, and must work inside a write transaction.
    """

    def __call__(
        self, store: Any, incident: Incident, now: datetime, params: Mapping[str, Any]
    ) -> Finding | None: ...
