"""The incident board's order and its filter language.

Filter syntax, typed after ``/`` on the board (terms are ANDed)::

    breach              free text: title, commander, kind (case-insensitive)
    kind:data-breach    kind by id or unique part of it   (kind:breach)
    sev:1  sev:1,2      severity, also sev:SEV1 or severity:...
    step:own            current step, by id or unique prefix
    ack:no              acknowledged yes/no
    cmdr:alice          commander contains; cmdr:none for no commander
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from email_crisis.core.base.domain import KINDS, SEVERITIES, STEPS, Incident, severity_rank


def board_order(incidents: Iterable[Incident]) -> list[Incident]:
    """Worst severity first, then the oldest detection first, then id."""
    return sorted(incidents, key=lambda i: (severity_rank(i.severity), i.detected_at, i.id))


class FilterError(ValueError):
    """A filter term that cannot be understood; the message says why."""


@dataclass(frozen=True)
class BoardFilter:
    """A parsed filter; the empty filter matches everything."""

    words: tuple[str, ...] = ()
    kinds: frozenset[str] = field(default_factory=frozenset)
    severities: frozenset[str] = field(default_factory=frozenset)
    steps: frozenset[str] = field(default_factory=frozenset)
    acknowledged: bool | None = None
    commander: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == BoardFilter()

    def matches(self, incident: Incident) -> bool:
        """Whether ``incident`` passes every term."""
        if self.kinds and incident.kind not in self.kinds:
            return False
        if self.severities and incident.severity not in self.severities:
            return False
        if self.steps and incident.step not in self.steps:
            return False
        if self.acknowledged is not None and incident.is_acknowledged != self.acknowledged:
            return False
        if self.commander is not None:
            if self.commander == "":
                if incident.commander:
                    return False
            elif self.commander not in (incident.commander or "").casefold():
                return False
        haystack = " ".join((incident.title, incident.commander or "", incident.kind)).casefold()
        return all(word in haystack for word in self.words)


def _pick(value: str, options: Iterable[str], what: str, *, prefix: bool = False) -> str:
    """The one option ``value`` names: exactly, or by a unique part (or prefix)."""
    options = list(options)
    lowered = value.casefold()
    if lowered in options:
        return lowered
    hits = [
        option
        for option in options
        if (option.startswith(lowered) if prefix else lowered in option)
    ]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise FilterError(f"no {what} matches {value!r}; {what}s: {', '.join(options)}")
    raise FilterError(f"{value!r} could be {' or '.join(hits)}; type more of it")


def _severity(value: str) -> str:
    upper = value.upper()
    candidate = f"SEV{upper}" if upper.isdigit() else upper
    if candidate not in SEVERITIES:
        raise FilterError(f"no severity {value!r}; use 1-4 or SEV1-SEV4")
    return candidate


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def parse_filter(text: str) -> BoardFilter:
    """Parse the board's filter text; raises ``FilterError`` naming the bad term."""
    words: list[str] = []
    kinds: set[str] = set()
    severities: set[str] = set()
    steps: set[str] = set()
    acknowledged: bool | None = None
    commander: str | None = None
    for term in text.split():
        name, sep, value = term.partition(":")
        name = name.casefold()
        if not sep:
            words.append(term.casefold())
            continue
        if not value:
            raise FilterError(f"{term!r} needs a value after the colon")
        values = [v for v in value.split(",") if v]
        if not values:
            raise FilterError(f"{term!r} needs a value after the colon")
        if name == "kind":
            kinds.update(_pick(v, KINDS, "kind") for v in values)
        elif name in ("sev", "severity"):
            severities.update(_severity(v) for v in values)
        elif name == "step":
            steps.update(_pick(v, STEPS, "step", prefix=True) for v in values)
        elif name in ("ack", "acknowledged"):
            if value.casefold() in _YES:
                acknowledged = True
            elif value.casefold() in _NO:
                acknowledged = False
            else:
                raise FilterError(f"ack: takes yes or no, not {value!r}")
        elif name in ("cmdr", "commander"):
            commander = "" if value.casefold() == "none" else value.casefold()
        else:
            raise FilterError(
                f"unknown filter {name!r}; use kind:, sev:, step:, ack:, cmdr: or plain words"
            )
    return BoardFilter(
        words=tuple(words),
        kinds=frozenset(kinds),
        severities=frozenset(severities),
        steps=frozenset(steps),
        acknowledged=acknowledged,
        commander=commander,
    )
