"""Google Postmaster Tools: the v1 ``trafficStats`` JSON and CSV exports of it.

JSON format: https://developers.google.com/workspace/gmail/postmaster/reference/rest/v1/domains.trafficStats
A ``domains.trafficStats.list`` page ``{"trafficStats": [...], "nextPageToken": ...}``,
a single ``TrafficStats`` object, an array of them, or several pages one per line.
Each object is one domain and one day, named ``domains/{domain}/trafficStats/{yyyymmdd}``.

Mapping (ratios 0-1 become percentages):

- ``userReportedSpamRatio`` → ``complaint_rate`` (the lower and upper bounds, when
  given, go into the note);
- ``domainReputation`` → ``domain_reputation`` (BAD 0, LOW 1, MEDIUM 2, HIGH 3);
- ``ipReputations`` → ``ip_reputation``: the worst category that holds IPs (the note
  gives the count per category);
- ``spfSuccessRatio``, ``dkimSuccessRatio``, ``dmarcSuccessRatio`` → ``spf_pass_rate``,
  ``dkim_pass_rate``, ``dmarc_pass_rate``;
- ``deliveryErrors`` → ``delivery_error_rate``: the sum of the ``errorRatio`` of
  every class and type (the note names the largest);
- the encryption ratios and ``spammyFeedbackLoops`` are not used.

CSV: Google publishes no schema for CSV copies of these figures, so the importer takes
any CSV with a ``date`` column (2026-11-20 or 20261120) and at least one column named
after a field above (``userReportedSpamRatio``) or its dashboard title ("User-reported
spam rate", "Domain reputation", "SPF success rate"...), plus an optional ``domain``
column. A value written with ``%`` is a percentage; a bare number is a ratio (0-1) in a
column whose name says "ratio", a percentage otherwise.

Times: Postmaster figures are per calendar day, with no zone; a day is stored at
00:00 UTC.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import TextIO

from email_crisis.core.monitor.importers._common import (
    ImportProblem,
    Parsed,
    RawPoint,
    csv_rows,
    header_key,
    json_records,
    problem,
    shown,
)
from email_crisis.core.monitor.importers._events import event_where, events

SOURCE = "postmaster"
DOC_URL = "https://developers.google.com/workspace/gmail/postmaster/reference/rest/v1/domains.trafficStats"
MARKERS = ('"trafficStats"', '"userReportedSpamRatio"', '"domainReputation"', '"ipReputations"')
REPUTATIONS = {"BAD": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3}
DAY_NOTE = "Postmaster figures are daily; each day is stored at 00:00 UTC."
RATIO_FIELDS = {
    "userReportedSpamRatio": "complaint_rate",
    "spfSuccessRatio": "spf_pass_rate",
    "dkimSuccessRatio": "dkim_pass_rate",
    "dmarcSuccessRatio": "dmarc_pass_rate",
}
_NAME = re.compile(r"domains/([^/]+)/trafficStats/(\d{8})")
# CSV column titles (reduced by header_key) -> metric
CSV_COLUMNS = {
    **{header_key(field): metric for field, metric in RATIO_FIELDS.items()},
    "userreportedspamrate": "complaint_rate",
    "spamrate": "complaint_rate",
    "domainreputation": "domain_reputation",
    "ipreputation": "ip_reputation",
    "ipreputations": "ip_reputation",
    "spfsuccessrate": "spf_pass_rate",
    "dkimsuccessrate": "dkim_pass_rate",
    "dmarcsuccessrate": "dmarc_pass_rate",
    "deliveryerrors": "delivery_error_rate",
    "deliveryerrorratio": "delivery_error_rate",
    "deliveryerrorrate": "delivery_error_rate",
}
ORDINAL_METRICS = frozenset({"domain_reputation", "ip_reputation"})


def looks_like_csv(head: str) -> bool:
    """A CSV whose header has a date column and a Postmaster column."""
    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    keys = {header_key(cell) for cell in first.split(",")}
    return bool({"date", "day"} & keys) and bool(keys & CSV_COLUMNS.keys())


def parse(stream: TextIO, name: str) -> Parsed:
    """Read Postmaster JSON or CSV from ``stream`` (named ``name`` in messages)."""
    head = stream.read(256).lstrip("\ufeff \t\r\n")
    stream.seek(0)
    if head[:1] in ("{", "["):
        return _parse_json(stream, name)
    return _parse_csv(stream, name)


# -- JSON -------------------------------------------------------------------------------


def _ratio(stats: dict, field: str, name: str, where: str) -> float | None:
    value = stats.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise problem(name, where, f"{field} is {shown(value)}; a ratio is between 0 and 1.")
    return 100 * float(value)


def _stats(stats: dict, name: str, where: str) -> tuple[str, list[RawPoint]]:
    match = _NAME.fullmatch(str(stats.get("name", "")))
    if not match:
        raise problem(
            name, where, "no 'name' like domains/example.com/trafficStats/20261120 (domain, day)."
        )
    domain, day = match.groups()
    try:
        at = datetime.strptime(day, "%Y%m%d").replace(tzinfo=timezone.utc)
    except ValueError:
        raise problem(name, where, f"{day} in 'name' is not a date (yyyymmdd).") from None
    points: list[RawPoint] = []
    for field, metric in RATIO_FIELDS.items():
        value = _ratio(stats, field, name, where)
        if value is not None:
            points.append(RawPoint(metric, at, value, where, note=_bounds(stats, metric)))
    reputation = stats.get("domainReputation")
    if reputation not in (None, "REPUTATION_CATEGORY_UNSPECIFIED"):
        points.append(RawPoint("domain_reputation", at, _level(reputation, name, where), where))
    ips = _ip_reputation(stats.get("ipReputations"), at, name, where)
    errors = _delivery_errors(stats.get("deliveryErrors"), at, name, where)
    return domain, points + ips + errors


def _bounds(stats: dict, metric: str) -> str:
    low, high = (
        stats.get("userReportedSpamRatioLowerBound"),
        stats.get("userReportedSpamRatioUpperBound"),
    )
    if (
        metric != "complaint_rate"
        or not isinstance(low, (int, float))
        or not isinstance(high, (int, float))
    ):
        return ""
    return f"Google's interval: {100 * low:.3g}% to {100 * high:.3g}%"


def _level(raw: object, name: str, where: str) -> float:
    level = REPUTATIONS.get(str(raw).strip().upper())
    if level is None:
        raise problem(name, where, f"reputation {shown(raw)!r} is not HIGH, MEDIUM, LOW or BAD.")
    return float(level)


def _ip_reputation(raw: object, at: datetime, name: str, where: str) -> list[RawPoint]:
    if not raw:
        return []
    if not isinstance(raw, list):
        raise problem(name, where, "ipReputations is not a list.")
    counts: dict[str, int] = {}
    for entry in raw:
        category = str(entry.get("reputation", "")) if isinstance(entry, dict) else ""
        if category in ("", "REPUTATION_CATEGORY_UNSPECIFIED"):
            continue
        _level(category, name, where)
        try:
            count = int(entry.get("ipCount", 0))
        except (TypeError, ValueError):
            raise problem(
                name, where, f"ipCount {shown(entry.get('ipCount'))!r} is not a number."
            ) from None
        if count > 0:
            counts[category] = counts.get(category, 0) + count
    if not counts:
        return []
    worst = min(counts, key=lambda category: REPUTATIONS[category])
    note = ", ".join(
        f"{category} {counts[category]} IP(s)"
        for category in sorted(counts, key=REPUTATIONS.get, reverse=True)
    )
    return [RawPoint("ip_reputation", at, float(REPUTATIONS[worst]), where, note=note)]


def _delivery_errors(raw: object, at: datetime, name: str, where: str) -> list[RawPoint]:
    if not raw:
        return []
    if not isinstance(raw, list):
        raise problem(name, where, "deliveryErrors is not a list.")
    ratios: list[tuple[float, str]] = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise problem(name, where, "a deliveryErrors entry is not an object.")
        value = _ratio(entry, "errorRatio", name, where)
        ratios.append((value or 0.0, str(entry.get("errorType", "?"))))
    total = sum(value for value, _ in ratios)
    if total > 100:
        raise problem(name, where, "deliveryErrors add up to more than 100% of the traffic.")
    largest = max(ratios)
    note = f"largest: {shown(largest[1])} {largest[0]:.3g}%" if largest[0] else ""
    return [RawPoint("delivery_error_rate", at, total, where, note=note)]


def _parse_json(stream: TextIO, name: str) -> Parsed:
    parsed = Parsed(SOURCE, notes=[DAY_NOTE])
    domains: set[str] = set()
    for number, line, item, stats in events(json_records(stream, name), name, ("trafficStats",)):
        parsed.records += 1
        domain, points = _stats(stats, name, event_where(number, line, item))
        domains.add(domain)
        parsed.points.extend(points)
    parsed.domain = _one_domain(domains, name)
    return parsed


# -- CSV --------------------------------------------------------------------------------


def _csv_value(text: str, metric: str, ratio: bool, name: str, where: str) -> float | None:
    if not text or text in ("-", "—"):
        return None
    if metric in ORDINAL_METRICS:
        return _level(text, name, where)
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%").strip())
    except ValueError:
        raise problem(name, where, f"{shown(text)!r} is not a number.") from None
    if not percent and ratio:
        if not 0 <= value <= 1:
            raise problem(name, where, f"{shown(text)!r} is not a ratio between 0 and 1.")
        value *= 100
    return value


def _parse_csv(stream: TextIO, name: str) -> Parsed:
    parsed = Parsed(SOURCE, notes=[DAY_NOTE])
    rows = csv_rows(stream, name)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ImportProblem(f"{name} is empty.") from None
    keys = [header_key(cell) for cell in header]
    if "date" not in keys and "day" not in keys:
        raise problem(name, "line 1", "no 'date' column (the day of each row).")
    date_column = keys.index("date") if "date" in keys else keys.index("day")
    domain_column = keys.index("domain") if "domain" in keys else None
    columns = {index: CSV_COLUMNS[key] for index, key in enumerate(keys) if key in CSV_COLUMNS}
    if not columns:
        raise problem(
            name,
            "line 1",
            "no Postmaster column (such as userReportedSpamRatio, Domain reputation).",
        )
    unused = [
        header[i]
        for i, key in enumerate(keys)
        if i not in columns and i not in (date_column, domain_column) and key
    ]
    if unused:
        parsed.notes.append(f"columns not used: {', '.join(shown(c) for c in unused)}")
    domains: set[str] = set()
    for line, cells in rows:
        where = f"line {line}"
        if len(cells) < len(header):
            raise problem(name, where, f"{len(cells)} columns; the header has {len(header)}.")
        parsed.records += 1
        at = _csv_day(cells[date_column], name, where)
        if domain_column is not None and cells[domain_column]:
            domains.add(cells[domain_column].lower())
        for index, metric in columns.items():
            value = _csv_value(cells[index], metric, "ratio" in keys[index], name, where)
            if value is not None:
                parsed.points.append(RawPoint(metric, at, value, where))
    parsed.domain = _one_domain(domains, name)
    return parsed


def _one_domain(domains: set[str], name: str) -> str:
    if len(domains) > 1:
        raise ImportProblem(
            f"{name} holds figures for several domains ({', '.join(sorted(domains))}); "
            "import one domain per file."
        )
    return next(iter(domains), "")


def _csv_day(text: str, name: str, where: str) -> datetime:
    for pattern in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    raise problem(name, where, f"date {shown(text)!r} is not like 2026-11-20 or 20261120.")
