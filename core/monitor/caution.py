"""Step 6, "proceed with caution": before/after in words, and the next-send checklist.

``compare`` sets a baseline window (``baseline_days`` before the incident's detection)
against the window since detection, per metric and source, and says what moved:
"Spam complaints rose from 0.04% to 0.41%, over the 0.3% limit of Gmail and Yahoo
for bulk senders." Rates and counts compare the averages of the two windows;
levels (reputation, filter verdict) compare the last value before with the latest.

``checklist`` turns the same signals into guidance for the next send. The wording
(English and French) lives in ``core/monitor/data/caution.toml``; the numbers quoted come
from the thresholds in force, so an organisation's override shows in the text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from statistics import fmean
from typing import Any

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.toml_file import read_toml
from email_crisis.core.monitor.metric_ids import METRICS, format_value
from email_crisis.core.monitor.metrics import points
from email_crisis.core.monitor.store import Point
from email_crisis.core.monitor.thresholds import STATUSES, Band, Thresholds, load
from email_crisis.core.store.database import Store

LANGUAGES = ("en", "fr")
_STEADY = {"rate": 0.01, "count": 0.5, "level": 0.0}  # absolute change that is no change
_SENTENCES = {"up": "rose", "down": "fell", "steady": "steady", "new": "new", "gone": "gone"}


@lru_cache(maxsize=1)
def wording() -> dict[str, Any]:
    """The parsed ``caution.toml`` (settings and the text of each language)."""
    path = Path(__file__).resolve().parent / "data" / "caution.toml"
    return read_toml(path)[0]


def _text(language: str) -> dict[str, Any]:
    if language not in LANGUAGES:
        raise ValueError(f"no wording in {language!r}; use one of: {', '.join(LANGUAGES)}")
    return wording()[language]


@dataclass(frozen=True)
class Comparison:
    """One metric from one source, before the incident against since."""

    metric: str
    source: str
    before: float | None
    after: float | None
    latest: float | None
    status: str  # of ``after``: ok, warning or critical
    band: Band | None
    trend: str  # up, down, steady, new (nothing before) or gone (nothing since)
    sentence: str


@dataclass(frozen=True)
class ChecklistItem:
    """One piece of next-send guidance and the signal behind it."""

    id: str
    level: str  # critical, warning or info
    text: str
    why: str = ""


@dataclass
class _Window:
    values: list[Point]

    def summary(self, kind: str, worse: str) -> tuple[float | None, str]:
        """Average (rates, counts) or last value (levels), with the qualifier it keeps."""
        if not self.values:
            return None, ""
        if kind == "level":
            last = self.values[-1].at
            tied = [p.value for p in self.values if p.at == last]
            return (min(tied) if worse == "lower" else max(tied)), ""
        qualifiers = {p.qualifier for p in self.values}
        return fmean(p.value for p in self.values), (
            qualifiers.pop() if len(qualifiers) == 1 else ""
        )


def _series(
    store: Store, incident: Incident, now: datetime, baseline: timedelta
) -> dict[tuple[str, str], tuple[_Window, _Window]]:
    found: dict[tuple[str, str], tuple[_Window, _Window]] = defaultdict(
        lambda: (_Window([]), _Window([]))
    )
    start = incident.detected_at - baseline
    for point in points(store, incident.id, since=start, until=now + timedelta(seconds=1)):
        before, after = found[(point.metric, point.source)]
        (before if point.at < incident.detected_at else after).values.append(point)
    return dict(found)


def compare(
    store: Store,
    incident: Incident,
    *,
    now: datetime | None = None,
    language: str = "en",
    thresholds: Thresholds | None = None,
) -> list[Comparison]:
    """Every metric the incident has, before against since, worst status first."""
    rules = thresholds or load()
    baseline = timedelta(days=wording()["settings"]["baseline_days"])
    series = _series(store, incident, now or store.clock(), baseline)
    metrics_seen = [metric for metric, _source in series]
    result = [
        _comparison(metric, source, windows, rules, language, metrics_seen.count(metric) > 1)
        for (metric, source), windows in series.items()
    ]
    order = list(METRICS)
    result.sort(key=lambda c: (-STATUSES.index(c.status), order.index(c.metric), c.source))
    return result


def _say(metric: str, value: float | None, language: str, qualifier: str = "") -> str:
    """A value for a sentence: counts carry their unit ("1,200 messages")."""
    if value is None:
        return ""
    unit = _text(language)["units"].get(metric, "")
    shown = format_value(metric, value, qualifier, language)
    return f"{shown} {unit}" if unit else shown


def _comparison(
    metric: str,
    source: str,
    windows: tuple[_Window, _Window],
    rules: Thresholds,
    language: str,
    name_source: bool,
) -> Comparison:
    text, info = _text(language), METRICS[metric]
    before, _ = windows[0].summary(info.kind, info.worse)
    after, qualifier = windows[1].summary(info.kind, info.worse)
    latest = windows[1].values[-1].value if windows[1].values else None
    trend = _trend(info.kind, before, after)
    what = text["what"][metric]
    if name_source:
        what = text["with_source"].format(what=what, source=source)
    key = _SENTENCES[trend]
    if info.kind == "level" and trend in ("steady", "new"):
        key += "_level"  # a level is not averaged
    sentence = text[key].format(
        what=what,
        before=_say(metric, before, language),
        after=_say(metric, after, language, qualifier),
    )
    judgement = rules.judge(metric, after, qualifier) if after is not None else None
    if judgement is not None and judgement.band is not None:
        sentence += ", " + judgement.band.phrase(language)
    elif judgement is not None and judgement.judged:
        sentence += ", " + text["healthy"]
    return Comparison(
        metric=metric,
        source=source,
        before=before,
        after=after,
        latest=latest,
        status=judgement.status if judgement else "ok",
        band=judgement.band if judgement else None,
        trend=trend,
        sentence=sentence[:1].upper() + sentence[1:] + ".",
    )


def _trend(kind: str, before: float | None, after: float | None) -> str:
    if before is None:
        return "new"
    if after is None:
        return "gone"
    change = after - before
    if abs(change) <= max(_STEADY[kind], 0.1 * abs(before) if kind != "level" else 0.0):
        return "steady"
    return "up" if change > 0 else "down"


# -- the checklist ------------------------------------------------------------------------

LEVELS = ("critical", "warning", "info")


def _worst(values: list[Point], worse: str) -> Point:
    """The worst of several points (for rates the highest, for levels the lowest)."""
    return (
        min(values, key=lambda p: p.value)
        if worse == "lower"
        else max(values, key=lambda p: p.value)
    )


def _latest(values: list[Point], worse: str) -> Point:
    """The newest point; when several series share that time, the worst of them."""
    last = values[-1].at
    return _worst([p for p in values if p.at == last], worse)


def streak_under(values: list[Point], limit: float) -> int:
    """Consecutive UTC days, ending on the newest day with data, whose highest value is
    under ``limit`` ("< 0.1%" counts as under 0.1). A day without data ends the run."""
    days: dict[date, float] = {}
    for p in values:
        value = p.value - 1e-9 if p.qualifier == "<" else p.value
        day = p.at.date()
        days[day] = max(days.get(day, value), value)
    streak, expected = 0, None
    for day in sorted(days, reverse=True):
        if (expected is not None and day != expected) or days[day] >= limit:
            break
        streak, expected = streak + 1, day - timedelta(days=1)
    return streak


def checklist(
    store: Store,
    incident: Incident,
    *,
    now: datetime | None = None,
    language: str = "en",
    thresholds: Thresholds | None = None,
) -> list[ChecklistItem]:
    """Guidance for the next send, from the incident's kind and its signals since detection.

    Most urgent first: critical, then warning, then standing advice (info).
    """
    settings = wording()["settings"]
    moment = now or store.clock()
    series = _series(store, incident, moment, timedelta(days=settings["baseline_days"]))
    build = _Checklist(language, thresholds or load(), series)
    if incident.kind == "suppression-list-send":
        build.add("suppression_list", "critical")
    if incident.kind == "data-breach":
        build.add("data_breach", "critical")
    build.complaints(settings)
    build.bounces()
    build.reputation()
    build.outlook()
    build.traps()
    build.authentication()
    build.add("one_click", "info")
    build.unsubscribes()
    urgent = any(item.level != "info" for item in build.items)
    build.add("engaged_first", "warning" if urgent else "info")
    return sorted(build.items, key=lambda item: LEVELS.index(item.level))


class _Checklist:
    """Collects checklist items from the points before and since detection, per metric."""

    def __init__(
        self,
        language: str,
        rules: Thresholds,
        series: dict[tuple[str, str], tuple[_Window, _Window]],
    ) -> None:
        self.language, self.text, self.rules = language, _text(language), rules
        self.items: list[ChecklistItem] = []
        self.after: dict[str, list[Point]] = defaultdict(list)
        self.before: dict[str, list[Point]] = defaultdict(list)
        for (metric, _source), (before, after) in series.items():
            self.before[metric] += before.values
            self.after[metric] += after.values
        for values in (*self.after.values(), *self.before.values()):
            values.sort(key=lambda p: p.at)

    def fmt(self, metric: str, value: float, qualifier: str = "") -> str:
        return format_value(metric, value, qualifier, self.language)

    def why(self, key: str, **values: object) -> str:
        sentence = self.text["why"][key].format(**values)
        return sentence[:1].upper() + sentence[1:]

    def add(self, item_id: str, level: str, why: str = "", /, **values: object) -> None:
        text = self.text["checklist"][item_id].format(**values)
        self.items.append(ChecklistItem(item_id, level, text, why))

    def complaints(self, settings: dict[str, Any]) -> None:
        values = self.after["complaint_rate"]
        if not values:
            self.add("no_complaint_data", "warning")
            return
        warning = self.rules.first_band("complaint_rate", "warning")
        critical = self.rules.first_band("complaint_rate", "critical")
        warning_at = warning.at if warning else settings["complaint_warning"]
        critical_at = critical.at if critical else settings["complaint_critical"]
        latest, worst = _latest(values, "higher"), _worst(values, "higher")
        status = self.rules.judge("complaint_rate", latest.value, latest.qualifier).status
        shaky = self.rules.judge("complaint_rate", worst.value, worst.qualifier).status != "ok"
        days = settings["recovery_days"]
        if not shaky or streak_under(values, warning_at) >= days:
            return
        why = self.why(
            "hold_volume",
            streak=streak_under(values, critical_at),
            days=days,
            critical=self.fmt("complaint_rate", critical_at),
            latest=self.fmt("complaint_rate", latest.value, latest.qualifier),
        )
        self.add(
            "hold_volume",
            status if status != "ok" else "warning",
            why,
            warning=self.fmt("complaint_rate", warning_at),
            critical=self.fmt("complaint_rate", critical_at),
            days=days,
        )

    def bounces(self) -> None:
        values = self.after["hard_bounce_rate"]
        if not values:
            return
        worst = _worst(values, "higher")
        judgement = self.rules.judge("hard_bounce_rate", worst.value, worst.qualifier)
        if judgement.band is not None:
            band = judgement.band.phrase(self.language)
            latest = self.fmt("hard_bounce_rate", worst.value)
            self.add(
                "clean_bounces",
                judgement.status,
                self.why("bounces_high", latest=latest, band=band),
            )

    def reputation(self) -> None:
        found = []
        for metric in ("domain_reputation", "ip_reputation"):
            if self.after[metric]:
                latest = _latest(self.after[metric], "lower")
                found.append((self.rules.judge(metric, latest.value), metric, latest))
        bad = [entry for entry in found if entry[0].status != "ok"]
        if bad:
            judgement, metric, latest = max(bad, key=lambda e: STATUSES.index(e[0].status))
            level = self.fmt(metric, latest.value)
            why = self.why("reputation_low", what=self.text["what"][metric], latest=level)
            self.add("reputation", judgement.status, why, level=level)

    def outlook(self) -> None:
        if self.after["snds_filter"]:
            latest = _latest(self.after["snds_filter"], "lower")
            judgement = self.rules.judge("snds_filter", latest.value)
            if judgement.status != "ok":
                self.add("outlook", judgement.status, level=self.fmt("snds_filter", latest.value))

    def traps(self) -> None:
        hits = sum(p.value for p in self.after["trap_hits"])
        if hits:
            self.add("traps", "warning", self.why("traps_hit", count=int(hits)))

    def authentication(self) -> None:
        failing = []
        for metric in ("spf_pass_rate", "dkim_pass_rate", "dmarc_pass_rate"):
            if self.after[metric]:
                rate = fmean(p.value for p in self.after[metric])
                if rate < 100:
                    failing.append((rate, metric))
        if not failing:
            self.add("authentication", "info")
            return
        rate, metric = min(failing)
        what = self.text["what"][metric]
        self.add(
            "authentication",
            "warning",
            self.why("auth_failing", what=what, after=self.fmt(metric, rate)),
        )

    def unsubscribes(self) -> None:
        was, now = self.before["unsubscribe_rate"], self.after["unsubscribe_rate"]
        if not (was and now):
            return
        was_mean, now_mean = fmean(p.value for p in was), fmean(p.value for p in now)
        if was_mean > 0 and now_mean > 2 * was_mean:
            why = self.why(
                "unsubscribes_up",
                before=self.fmt("unsubscribe_rate", was_mean),
                after=self.fmt("unsubscribe_rate", now_mean),
            )
            self.add("unsubscribes", "warning", why)
