"""The step rules as data: ``core/steps/data/steps.toml``, read and checked.

The file says, for each of the six steps, what completes it (a sentence for people)
and which checks decide it (ids of checks implemented in each step's package, in
``core/<step>/criteria.py``). Loading it checks every name against those tables, so a
typo is an error naming the file and the entry, never a step that cannot complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from email_crisis.core.base.criteria import Check
from email_crisis.core.base.domain import STEP_LABELS, STEPS
from email_crisis.core.base.errors import CrisisError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

SHIPPED = Path(__file__).resolve().parent / "data" / "steps.toml"


@lru_cache(maxsize=1)
def checks() -> dict[str, Mapping[str, Check]]:
    """Each step's checks, by id (the ids steps.toml may name).

    Imported on first use, so that a process that only reads (``email-crisis list``)
    does not load every step's code.
    """
    from email_crisis.core.assess import criteria as assess_criteria
    from email_crisis.core.contain import criteria as contain_criteria
    from email_crisis.core.monitor import criteria as monitor_criteria
    from email_crisis.core.notify import criteria as notify_criteria
    from email_crisis.core.own import criteria as own_criteria
    from email_crisis.core.plan import criteria as plan_criteria

    return {
        "own": own_criteria.CHECKS,
        "contain": contain_criteria.CHECKS,
        "assess": assess_criteria.CHECKS,
        "plan": plan_criteria.CHECKS,
        "notify": notify_criteria.CHECKS,
        "monitor": monitor_criteria.CHECKS,
    }


CLOCKS = ("acknowledged_at", "contained_at", "notified_at")
"""Incident times a step passed by hand may set."""

_STEP_KEYS = {"completes", "clock", "criteria"}


class StepRulesError(CrisisError):
    """The step rules file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Criterion:
    """One criterion of a step: its check, its few words, its settings."""

    id: str
    label: str
    check: Check
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StepRule:
    """What completes one step."""

    step: str
    completes: str
    criteria: tuple[Criterion, ...]
    clock: str | None = None

    @property
    def number(self) -> int:
        return STEPS.index(self.step) + 1

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]


def _criterion(step: str, raw: Any, where: str) -> Criterion:
    if not isinstance(raw, dict):
        raise StepRulesError(f"{where}: write each criterion as a [[{step}.criteria]] table.")
    check_id, label = raw.get("id"), raw.get("label")
    known = checks()[step]
    if not isinstance(check_id, str) or check_id not in known:
        names = ", ".join(known)
        raise StepRulesError(f"{where}: unknown check {check_id!r} for {step}; known: {names}.")
    if not isinstance(label, str) or not label.strip():
        raise StepRulesError(f"{where}: criterion {check_id!r} needs a label.")
    params = {key: value for key, value in raw.items() if key not in ("id", "label")}
    return Criterion(check_id, label.strip(), known[check_id], params)


def _step(step: str, raw: Any, source: str) -> StepRule:
    where = f"{source}, [{step}]"
    if not isinstance(raw, dict):
        raise StepRulesError(f"{source}: step {step!r} is missing (a [{step}] table is needed).")
    unknown = set(raw) - _STEP_KEYS
    if unknown:
        raise StepRulesError(f"{where}: unknown keys {sorted(unknown)}; use {sorted(_STEP_KEYS)}.")
    completes, clock, entries = raw.get("completes"), raw.get("clock"), raw.get("criteria")
    if not isinstance(entries, list) or not entries:
        raise StepRulesError(f"{where}: a step needs at least one [[{step}.criteria]].")
    criteria = tuple(
        _criterion(step, entry, f"{where}, criterion {n}") for n, entry in enumerate(entries, 1)
    )
    if not isinstance(completes, str) or not completes.strip():
        raise StepRulesError(f"{where}: 'completes' must say what completes the step.")
    try:
        sentence = completes.strip().format(**{k: v for c in criteria for k, v in c.params.items()})
    except (KeyError, IndexError, ValueError) as error:
        raise StepRulesError(f"{where}: 'completes' names an unknown setting ({error}).") from None
    if clock is not None and clock not in CLOCKS:
        raise StepRulesError(f"{where}: clock must be one of {', '.join(CLOCKS)}.")
    return StepRule(step, sentence, criteria, clock)


def parse_rules(text: str, source: str) -> dict[str, StepRule]:
    """Read and check a step rules file's text (``source`` names it in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StepRulesError(f"{source}: {error}") from None
    unknown = set(data) - set(STEPS)
    if unknown:
        raise StepRulesError(f"{source}: unknown steps {sorted(unknown)}; the steps are {STEPS}.")
    return {step: _step(step, data.get(step), source) for step in STEPS}


@lru_cache(maxsize=1)
def load_rules() -> dict[str, StepRule]:
    """The shipped rules (read once per process)."""
    try:
        text = SHIPPED.read_text(encoding="utf-8")
    except OSError as error:
        raise StepRulesError(f"cannot read the step rules {SHIPPED}: {error.strerror}") from None
    return parse_rules(text, str(SHIPPED))
