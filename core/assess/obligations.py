"""One breach-notification obligation: who must be told, by when, and how sure we are.

The model behind ``core.assess.breach_rules`` (which loads the table) and
``core.assess.rules_file`` (which reads and checks one file). Pure data and date
arithmetic: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from email_crisis.core.assess.places import PROVINCES, REGIONS, US_STATES

WINDOW_KINDS = ("hours", "calendar-days", "business-days", "none")
EVENTS: dict[str, str] = {
    "assessed": "the assessment that it must be reported",
    "individuals-notified": "the notice to the affected people",
}
"""Later moments a clock can wait for, or end at (``deadline:<id>`` is the other kind)."""
VERIFIED: dict[str, str] = {
    "statute": "checked against the law's text",
    "regulator-guidance": "checked against the regulator's guidance",
    "secondary": "checked only against secondary sources, not the law's text",
}
"""How an entry was checked, weakest source first in doubt: the label says so on screen."""
UNSTATED = "from your organisation's rules file; not checked by email-crisis"
THRESHOLD_SCOPES = ("jurisdiction", "total")
ROLES = ("controller", "processor")


@dataclass(frozen=True)
class Window:
    """How long the obligation allows: ``amount`` of ``kind`` (``none``: no fixed time)."""

    kind: str
    amount: int = 0

    def describe(self) -> str:
        """``72 hours``, ``3 business days``, or ``no fixed deadline``."""
        if self.kind == "none":
            return "no fixed deadline"
        unit = {"hours": "hour", "calendar-days": "day", "business-days": "business day"}
        return f"{self.amount} {unit[self.kind]}{'s' if self.amount != 1 else ''}"


@dataclass(frozen=True)
class Obligation:
    """One duty to tell someone about a breach, in one jurisdiction.

    ``waits_for``: ``None`` (the clock starts when you became aware), an ``EVENTS`` key,
    or ``deadline:<id>`` (it starts when that obligation's deadline ends).
    ``ends_earlier_at``: an ``EVENTS`` key that ends the window early if it comes first.
    ``threshold_scope``: whether ``min_affected`` counts the people of this jurisdiction
    (``jurisdiction``, the way the laws are written) or of the whole breach (``total``).
    """

    id: str
    region: str
    label: str
    obligation: str
    audience: str
    window: Window
    condition: str
    citation: str
    url: str
    last_reviewed: date
    verified: str = ""
    us_state: str | None = None
    ca_province: str | None = None
    waits_for: str | None = None
    ends_earlier_at: str | None = None
    in_force_from: date | None = None
    min_affected: int | None = None
    threshold_scope: str = "jurisdiction"
    any_size_causes: frozenset[str] = frozenset()
    any_size_data: frozenset[str] = frozenset()
    only_if_cause: frozenset[str] | None = None
    unless_cause: frozenset[str] = frozenset()
    data: frozenset[str] | None = None
    data_with_name: frozenset[str] | None = None
    role: str = "controller"
    time_zone: str = "UTC"
    alternative: str = ""
    record_keeping: str = ""
    small_agent_multiplier: int = 1
    note: str = ""
    origin: str = ""
    part_of: str | None = None  # the entry a credit-agency duty was written in
    line: int = 0

    @property
    def jurisdiction(self) -> str:
        """``EU/EEA``, ``United States: California``, ``Canada: Québec``…"""
        region = REGIONS[self.region]
        if self.us_state:
            return f"{region}: {US_STATES[self.us_state]}"
        if self.ca_province:
            return f"{region}: {PROVINCES[self.ca_province]}"
        return region

    @property
    def verified_text(self) -> str:
        """How the entry was checked, in words (an organisation's entry may not say)."""
        return VERIFIED.get(self.verified, UNSTATED)

    @property
    def secondary_only(self) -> bool:
        """Checked only against secondary sources: the console says so beside the clock."""
        return self.verified == "secondary"

    def deadline(self, start: datetime, *, small_agent: bool = False) -> datetime | None:
        """When the window that opened at ``start`` closes (``None`` for no fixed time).

        ``small_agent`` multiplies the window by ``small_agent_multiplier`` (Brazil).
        """
        amount = self.window.amount * (self.small_agent_multiplier if small_agent else 1)
        if self.window.kind == "hours":
            return start + timedelta(hours=amount)
        if self.window.kind == "calendar-days":
            return start + timedelta(days=amount)
        if self.window.kind == "business-days":
            return add_business_days(start, amount, ZoneInfo(self.time_zone))
        return None


def add_business_days(start: datetime, days: int, zone: ZoneInfo) -> datetime:
    """``start`` moved ``days`` weekdays ahead, same wall-clock time, weekends in ``zone``.

    Public holidays are not skipped (they differ by state and year).
    """
    moment = start.astimezone(zone)
    counted = 0
    while counted < days:
        moment += timedelta(days=1)  # wall-clock arithmetic in ``zone``
        if moment.weekday() < 5:
            counted += 1
    return moment.astimezone(timezone.utc)
