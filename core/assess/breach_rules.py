"""Breach-notification obligations per jurisdiction, loaded from TOML data files.

The shipped table is ``core/assess/data/breach_rules.toml`` (installed as
``email_crisis/core/assess/data/breach_rules.toml``). An organisation can adjust it with its
own file, found at:

1. the path in the environment variable ``EMAIL_CRISIS_BREACH_RULES``, else
2. ``breach_rules.toml`` in the user configuration folder
   (``~/.config/email-crisis/breach_rules.toml`` on Linux), if it exists.

The organisation file has the same shape (``[[obligation]]`` tables). An entry whose
``id`` matches a shipped one replaces it entirely; a new ``id`` adds an obligation;
``{ id = "...", disabled = true }`` removes a shipped one. Every entry names its
source (legal citation and URL) and when it was last reviewed.

Entry fields: ``id``, ``region`` (a region id from ``core.assess.assessment.REGIONS``),
``us_state`` (two letters, only with region ``us``), ``label`` (a dozen characters
for the incident header), ``obligation``, ``audience`` (who must be told),
``window = { kind = "hours" | "calendar-days" | "business-days" | "none", amount = N }``,
``starts`` (``aware`` by default, ``assessed`` or ``individuals-notified``),
``condition``, ``source``, ``url``, ``last_reviewed`` (an ISO date), and optionally
``min_affected`` (hidden when fewer people are affected in total), ``data`` (kinds of
data that trigger it; default: any personal data), ``time_zone`` (IANA name whose
weekends business days skip; default UTC) and ``note``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from email_crisis.core.assess.assessment import DATA_KINDS, REGIONS, US_STATES
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.settings import APP_NAME
from email_crisis.core.base.toml_file import read_toml

RULES_ENV = "EMAIL_CRISIS_BREACH_RULES"
SHIPPED_RULES = Path(__file__).resolve().parent / "data" / "breach_rules.toml"

GUIDANCE_NOTICE = (
    "These deadlines are guidance to help you act in time, not legal advice: "
    "confirm each obligation, and whether it applies, with your legal counsel."
)
"""Shown wherever the clocks are: the table is a summary, not the law."""

WINDOW_KINDS = ("hours", "calendar-days", "business-days", "none")
STARTS = ("aware", "assessed", "individuals-notified")

_REQUIRED = (
    "id",
    "region",
    "label",
    "obligation",
    "audience",
    "window",
    "condition",
    "source",
    "url",
    "last_reviewed",
)
_OPTIONAL = ("us_state", "starts", "min_affected", "data", "time_zone", "note")
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
LABEL_MAX = 24


class BreachRulesError(CrisisError):
    """A breach-rules file cannot be used; the message names the file and the entry."""


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
    """One duty to tell someone about a breach, in one jurisdiction."""

    id: str
    region: str
    us_state: str | None
    label: str
    obligation: str
    audience: str
    window: Window
    starts: str
    condition: str
    source: str
    url: str
    last_reviewed: date
    min_affected: int | None = None
    data: frozenset[str] | None = None
    time_zone: str = "UTC"
    note: str = ""
    origin: str = ""

    @property
    def jurisdiction(self) -> str:
        """``EU/EEA``, ``United States: California``…"""
        region = REGIONS[self.region]
        return f"{region}: {US_STATES[self.us_state]}" if self.us_state else region

    def deadline(self, start: datetime) -> datetime | None:
        """When the window that opened at ``start`` closes (``None`` for no fixed time)."""
        if self.window.kind == "hours":
            return start + timedelta(hours=self.window.amount)
        if self.window.kind == "calendar-days":
            return start + timedelta(days=self.window.amount)
        if self.window.kind == "business-days":
            return add_business_days(start, self.window.amount, ZoneInfo(self.time_zone))
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


# -- loading -----------------------------------------------------------------------------


def _id_lines(text: str) -> dict[str, int]:
    """Line of each ``id = "..."`` (tomllib gives no positions for valid documents)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*id\s*=\s*[\"']([^\"']*)[\"']", line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def _parse(path: Path) -> tuple[list[Any], dict[str, int]]:
    if not path.exists():
        raise BreachRulesError(f"breach rules file {path} does not exist.")
    # The shared reader: regular files only, UTF-8, no nan/inf, no runaway nesting.
    document, text = read_toml(path, where=f"breach rules file {path}", error=BreachRulesError)
    unknown = set(document) - {"obligation"}
    if unknown:
        raise BreachRulesError(
            f"breach rules file {path}: unknown top-level key(s) {', '.join(sorted(unknown))}; "
            "write each entry as an [[obligation]] table."
        )
    entries = document.get("obligation", [])
    if not isinstance(entries, list):
        raise BreachRulesError(f"breach rules file {path}: 'obligation' must be [[obligation]].")
    return entries, _id_lines(text)


def _entry(raw: Any, where: str, origin: str) -> Obligation:
    def fail(problem: str) -> BreachRulesError:
        return BreachRulesError(f"{where}: {problem}")

    if not isinstance(raw, dict):
        raise fail("must be a table of fields.")
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise fail(f"missing field(s) {', '.join(missing)}.")
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise fail(f"unknown field(s) {', '.join(sorted(unknown))}.")
    for key in (*_REQUIRED, "us_state", "starts", "time_zone", "note"):
        if key in raw and key not in ("window", "last_reviewed") and not isinstance(raw[key], str):
            raise fail(f"{key} must be a string.")
        if key in _REQUIRED and isinstance(raw[key], str) and not raw[key].strip():
            raise fail(f"{key} is empty.")
    if not _ID.fullmatch(raw["id"]):
        raise fail("id must be lower-case words joined by hyphens, like eu-gdpr-authority.")
    if raw["region"] not in REGIONS:
        raise fail(f"unknown region '{raw['region']}'; use one of {', '.join(REGIONS)}.")
    state = raw.get("us_state")
    if state is not None and (raw["region"] != "us" or state not in US_STATES):
        raise fail(f"us_state '{state}' needs region 'us' and a two-letter state code.")
    if len(raw["label"]) > LABEL_MAX:
        raise fail(f"label is longer than {LABEL_MAX} characters (it goes in the header).")
    window = _window(raw["window"], fail)
    starts = raw.get("starts", "aware")
    if starts not in STARTS:
        raise fail(f"unknown starts '{starts}'; use one of {', '.join(STARTS)}.")
    if not re.match(r"https?://", raw["url"]):
        raise fail("url must start with https:// (or http://).")
    reviewed = raw["last_reviewed"]
    if isinstance(reviewed, str):
        try:
            reviewed = date.fromisoformat(reviewed)
        except ValueError:
            reviewed = None
    if not isinstance(reviewed, date) or isinstance(reviewed, datetime):
        raise fail("last_reviewed must be an ISO date like 2026-11-20.")
    minimum = raw.get("min_affected")
    if minimum is not None and (type(minimum) is not int or minimum < 1):
        raise fail("min_affected must be a whole number of people, 1 or more.")
    data = raw.get("data")
    if data is not None:
        if not isinstance(data, list) or not data or not set(data) <= set(DATA_KINDS) - {"none"}:
            raise fail("data must list kinds of personal data, such as ['credentials'].")
        data = frozenset(data)
    zone = raw.get("time_zone", "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(
            f"unknown time_zone '{zone}' (an IANA name like America/Sao_Paulo; on Windows "
            "install the tzdata package)."
        ) from None
    return Obligation(
        id=raw["id"],
        region=raw["region"],
        us_state=state,
        label=raw["label"],
        obligation=raw["obligation"],
        audience=raw["audience"],
        window=window,
        starts=starts,
        condition=raw["condition"],
        source=raw["source"],
        url=raw["url"],
        last_reviewed=reviewed,
        min_affected=minimum,
        data=data,
        time_zone=zone,
        note=raw.get("note", ""),
        origin=origin,
    )


def _window(raw: Any, fail: Any) -> Window:
    if not isinstance(raw, dict) or "kind" not in raw:
        raise fail('window must be a table like { kind = "hours", amount = 72 }.')
    kind, amount = raw["kind"], raw.get("amount", 0)
    if kind not in WINDOW_KINDS:
        raise fail(f"unknown window kind '{kind}'; use one of {', '.join(WINDOW_KINDS)}.")
    if set(raw) - {"kind", "amount"}:
        raise fail("window takes only kind and amount.")
    if type(amount) is not int or amount < 0:
        raise fail("window amount must be a whole number.")
    if (kind == "none") != (amount == 0):
        raise fail("window amount must be positive, and absent (or 0) only for kind 'none'.")
    return Window(kind, amount)


def load_file(path: Path, *, allow_disable: bool = False) -> dict[str, Obligation | None]:
    """Every entry of one rules file by id (``None`` marks a disabled id)."""
    entries, lines = _parse(path)
    loaded: dict[str, Obligation | None] = {}
    for index, raw in enumerate(entries, start=1):
        ident = raw.get("id") if isinstance(raw, dict) else None
        line = f", line {lines[ident]}" if ident in lines else ""
        where = f"breach rules file {path}, entry {index}" + (
            f" (id '{ident}'{line})" if ident else ""
        )
        if ident in loaded:
            raise BreachRulesError(f"{where}: the id '{ident}' is used twice.")
        if isinstance(raw, dict) and raw.get("disabled") is True:
            if not allow_disable or set(raw) != {"id", "disabled"}:
                raise BreachRulesError(
                    f"{where}: only an organisation file can disable an entry, with just "
                    "id and disabled = true."
                )
            loaded[str(ident)] = None
            continue
        obligation = _entry(raw, where, str(path))
        loaded[obligation.id] = obligation
    return loaded


def org_rules_path(env: Mapping[str, str] = os.environ) -> Path | None:
    """The organisation's rules file: the env variable, else the config folder's if present."""
    chosen = env.get(RULES_ENV)
    if chosen:
        return Path(chosen).expanduser()
    default = platformdirs.user_config_path(APP_NAME) / "breach_rules.toml"
    return default if default.is_file() else None


def load_rules(shipped: Path = SHIPPED_RULES, org: Path | None = None) -> tuple[Obligation, ...]:
    """The shipped table with the organisation's file applied (in table order)."""
    merged = load_file(shipped)
    if org is not None:
        for ident, obligation in load_file(org, allow_disable=True).items():
            merged[ident] = obligation  # replaces, adds, or (None) disables
    return tuple(item for item in merged.values() if item is not None)


def _stamp(path: Path | None) -> tuple[str, int, int] | None:
    if path is None:
        return None
    try:
        info = path.stat()
    except OSError:
        return (str(path), -1, -1)  # load_rules reports the missing file
    return (str(path), info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=4)
def _cached(
    shipped: tuple[str, int, int] | None, org: tuple[str, int, int] | None
) -> tuple[Obligation, ...]:
    # Keyed on path, mtime and size: an edited file is read again, an unchanged one never.
    return load_rules(Path(shipped[0]) if shipped else SHIPPED_RULES, Path(org[0]) if org else None)


def current_rules(env: Mapping[str, str] = os.environ) -> tuple[Obligation, ...]:
    """The rules in force, re-read only when a file changes (cheap to call per keystroke)."""
    return _cached(_stamp(SHIPPED_RULES), _stamp(org_rules_path(env)))
