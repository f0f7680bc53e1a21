"""The metric registry of step 6: ids, units, labels (English and French), and how values
are typed, checked and shown. No I/O; the importers, the thresholds and ``metrics``
(the public API) build on it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class MetricInfo:
    """What a metric id means and how its values read."""

    id: str
    label: str
    label_fr: str
    unit: str  # "%", "messages", "hits" or "" for levels
    kind: str  # "rate", "count" or "level"
    worse: str  # "higher", "lower" or "" (neither is bad in itself)
    levels: tuple[str, ...] = ()  # level names, the stored value is the index


REPUTATION = ("BAD", "LOW", "MEDIUM", "HIGH")
_LEVELS_SNDS = ("RED", "YELLOW", "GREEN")
_REGISTRY = (
    # id, English label, French label, unit, kind, worse
    ("complaint_rate", "spam-complaint rate", "taux de plaintes pour spam", "%", "rate", "higher"),
    ("hard_bounce_rate", "hard bounce rate", "taux de rebonds durs", "%", "rate", "higher"),
    ("soft_bounce_rate", "soft bounce rate", "taux de rebonds temporaires", "%", "rate", "higher"),
    ("delivery_rate", "delivery rate", "taux de distribution", "%", "rate", "lower"),
    ("unsubscribe_rate", "unsubscribe rate", "taux de désabonnement", "%", "rate", "higher"),
    ("inbox_placement", "inbox placement", "placement en boîte de réception", "%", "rate", "lower"),
    ("delivery_error_rate", "Gmail delivery errors", "erreurs Gmail", "%", "rate", "higher"),
    ("spf_pass_rate", "SPF pass rate", "taux de réussite SPF", "%", "rate", "lower"),
    ("dkim_pass_rate", "DKIM pass rate", "taux de réussite DKIM", "%", "rate", "lower"),
    ("dmarc_pass_rate", "DMARC pass rate", "taux de réussite DMARC", "%", "rate", "lower"),
    (
        "domain_reputation",
        "domain reputation (Gmail)",
        "réputation du domaine",
        "",
        "level",
        "lower",
    ),
    ("ip_reputation", "IP reputation (Gmail)", "réputation des IP", "", "level", "lower"),
    ("snds_filter", "Outlook filter (SNDS)", "filtre Outlook (SNDS)", "", "level", "lower"),
    ("trap_hits", "spam-trap hits", "pièges à spam touchés", "hits", "count", "higher"),
    (
        "gmail_compliance",
        "Gmail sender compliance",
        "conformité Gmail des expéditeurs",
        "",
        "level",
        "lower",
    ),
    ("volume", "messages sent", "messages envoyés", "messages", "count", ""),
)
_LEVEL_NAMES = {"domain_reputation": REPUTATION, "ip_reputation": REPUTATION}
_LEVEL_NAMES["snds_filter"] = _LEVELS_SNDS
_LEVEL_NAMES["gmail_compliance"] = ("NEEDS_WORK", "COMPLIANT")
METRICS: dict[str, MetricInfo] = {
    row[0]: MetricInfo(*row, levels=_LEVEL_NAMES.get(row[0], ())) for row in _REGISTRY
}
"""Every metric id, in the order tables and the panel list them."""
ALIASES = {
    "spam_rate": "complaint_rate",
    "spam_complaint_rate": "complaint_rate",
    "bounce_rate": "hard_bounce_rate",
    "inbox_rate": "inbox_placement",
    "reputation": "domain_reputation",
    "sent": "volume",
}
WINDOWS: dict[str, timedelta | None] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "all": None,
}
ESP_SOURCES = frozenset({"sparkpost", "sendgrid", "mailgun", "ses"})
FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks drift; an hour ahead is a wrong zone
MAX_COUNT = 10**12
"""The largest count a point may hold: a trillion messages or hits in one period is
more than any sender has, so anything above is a broken export (1e308, 5,000 digits)."""
NOTE_MAX = 200
_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")


def metric_info(metric: str) -> MetricInfo:
    """The registry entry of ``metric`` (``KeyError`` for an unknown id)."""
    return METRICS[metric]


def parse_metric(text: str) -> str:
    """A metric id from what someone typed (id or alias), or ``ValueError`` listing them."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    key = ALIASES.get(key, key)
    if key not in METRICS:
        raise ValueError(f"unknown metric {text.strip()[:40]!r}; use one of: {', '.join(METRICS)}.")
    return key


def check_value(metric: str, value: float) -> float:
    """``value`` if it is possible for ``metric``, else ``ValueError`` saying why."""
    info = METRICS[metric]
    if math.isnan(value):
        raise ValueError(f"{metric} {value} is not a number.")
    if math.isinf(value):
        raise ValueError(f"{metric} value is too large to be real (is the export broken?).")
    if info.kind == "rate" and not 0 <= value <= 100:
        raise ValueError(f"{metric} {value:g}% is impossible: a rate is between 0% and 100%.")
    if info.kind == "count" and (value < 0 or value != int(value)):
        raise ValueError(f"{metric} {value:g} is impossible: a count is a whole number, 0 or more.")
    if info.kind == "count" and value > MAX_COUNT:
        raise ValueError(
            f"{metric} {value:.3g} is not believable: a count is at most {MAX_COUNT:,} "
            "(is the export broken?)."
        )
    if info.kind == "level" and value not in range(len(info.levels)):
        raise ValueError(f"{metric} {value:g} is not one of {', '.join(info.levels)}.")
    return float(value)


def parse_value(metric: str, text: str | float) -> float:
    """A value in the metric's unit: ``0.41`` or ``0.41%`` for rates, ``HIGH`` or ``3``
    for levels, whole numbers for counts. ``ValueError`` says what is wrong."""
    info = METRICS[metric]
    raw = str(text).strip()
    if info.kind == "level" and raw.upper() in info.levels:
        return float(info.levels.index(raw.upper()))
    number = raw[:-1].strip() if info.kind == "rate" and raw.endswith("%") else raw
    try:
        value = float(number.replace(",", "") if info.kind == "count" else number)
    except ValueError:
        expected = {"rate": "a percentage such as 0.41", "count": "a whole number"}
        wanted = expected.get(info.kind, f"one of {', '.join(info.levels)}")
        raise ValueError(f"{metric} value {raw[:40]!r} is not {wanted}.") from None
    return check_value(metric, value)


def format_value(metric: str, value: float, qualifier: str = "", language: str = "en") -> str:
    """A value as people read it: ``0.41%``, ``LOW``, ``12,000``; French uses 0,41 %."""
    info = METRICS.get(metric)
    if info is None:
        return f"{value:g}"
    prefix = f"{qualifier} " if qualifier else ""
    if info.kind == "level" and value in range(len(info.levels)):
        return prefix + info.levels[int(value)]
    if info.kind == "count":
        text = f"{round(value):,}"
        return prefix + (text.replace(",", "\u202f") if language == "fr" else text)
    text = f"{value:.3g}" if value < 100 else f"{value:.0f}"
    if "e" in text:
        text = f"{value:.4f}".rstrip("0").rstrip(".")
    return prefix + (text.replace(".", ",") + "\u00a0%" if language == "fr" else text + "%")


def metric_label(metric: str, language: str = "en") -> str:
    """The metric's name in ``language`` (``en`` or ``fr``)."""
    info = METRICS.get(metric)
    if info is None:
        return metric
    return info.label_fr if language == "fr" else info.label
