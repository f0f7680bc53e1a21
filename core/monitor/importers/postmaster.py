"""Google Postmaster Tools: v1 ``trafficStats`` JSON, v2 (``postmaster_v2``), and CSV.

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
- ``deliveryErrors`` → ``delivery_error_rate``: each ``errorRatio`` is "the ratio of
  messages where the error occurred vs all authenticated traffic", per (class, type),
  and nothing says they add up to at most 1 (a message can fail temporarily, then for
  good). The point is the larger of the permanent and the temporary sums (each at most
  100%); the note gives both and the largest type;
- the encryption ratios and ``spammyFeedbackLoops`` are not used (the summary says so).

A day with an impossible value (a ratio above 1, an unknown reputation) is left out and
named in the summary; the other days are imported.

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
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, TextIO

from email_crisis.core.monitor.importers import postmaster_v2
from email_crisis.core.monitor.importers._common import (
    ImportProblem,
    Parsed,
    RawPoint,
    csv_rows,
    header_key,
    json_records,
    problem,
    record_where,
    shown,
)
from email_crisis.core.monitor.importers._events import event_where, events

SOURCE = "postmaster"
DOC_URL = "https://developers.google.com/workspace/gmail/postmaster/reference/rest/v1/domains.trafficStats"
MARKERS = (
    '"trafficStats"',
    '"userReportedSpamRatio"',
    '"domainReputation"',
    '"ipReputations"',
    *postmaster_v2.MARKERS,
)
SKIP_DAY = "days left out because of a wrong value (the notes say which and why)"
NOT_USED_V1 = (
    "v1 fields not imported: inboundEncryptionRatio, outboundEncryptionRatio, "
    "spammyFeedbackLoops (no series for them here)."
)
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


def parse(
    stream: TextIO,
    name: str,
    *,
    mapping: Mapping[str, str] | None = None,
    queries: Sequence[Mapping[str, Any]] = (),
) -> Parsed:
    """Read Postmaster JSON or CSV from ``stream`` (named ``name`` in messages).

    ``mapping`` (from ``--map``) and ``queries`` (``--query`` bodies) say what the
    metric names of a v2 answer mean.
    """
    head = stream.read(256).lstrip("\ufeff \t\r\n")
    stream.seek(0)
    if head[:1] in ("{", "["):
        return _parse_json(stream, name, mapping or {}, queries)
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
    by_class = {"PERMANENT_ERROR": 0.0, "TEMPORARY_ERROR": 0.0}
    ratios: list[tuple[float, str]] = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise problem(name, where, "a deliveryErrors entry is not an object.")
        value = _ratio(entry, "errorRatio", name, where) or 0.0
        kind = str(entry.get("errorClass", ""))
        by_class[kind if kind in by_class else "PERMANENT_ERROR"] += value
        ratios.append((value, str(entry.get("errorType", "?"))))
    permanent, temporary = (min(100.0, by_class[k]) for k in by_class)
    largest = max(ratios)
    note = f"permanent {permanent:.3g}%, temporary {temporary:.3g}%"
    if largest[0]:
        note += f"; largest: {shown(largest[1])} {largest[0]:.3g}%"
    return [RawPoint("delivery_error_rate", at, max(permanent, temporary), where, note=note)]


def _parse_json(
    stream: TextIO, name: str, mapping: Mapping[str, str], queries: Sequence[Mapping[str, Any]]
) -> Parsed:
    parsed = Parsed(SOURCE, notes=[DAY_NOTE])
    domains: set[str] = set()
    v2 = postmaster_v2.V2Reader(parsed, name, mapping)
    for query in queries:
        v2.query(query)
    v1_fields: set[str] = set()
    for number, line, record in json_records(stream, name):
        where = record_where(number, line)
        if isinstance(record, dict) and postmaster_v2.is_v2(record):
            parsed.records += 1
            _v2_record(v2, record, parsed, where)
            continue
        for n, ln, item, stats in events([(number, line, record)], name, ("trafficStats",)):
            parsed.records += 1
            at = event_where(n, ln, item)
            v1_fields.update(stats)
            try:
                domain, points = _stats(stats, name, at)
            except ImportProblem as error:
                _skip_day(parsed, stats, error)
                continue
            domains.add(domain)
            parsed.points.extend(points)
    v2.finish()
    if parsed.skipped[SKIP_DAY] and not parsed.points:
        raise ImportProblem(parsed.notes[-1].removeprefix("left out: "))  # nothing usable
    if v1_fields & {"inboundEncryptionRatio", "outboundEncryptionRatio", "spammyFeedbackLoops"}:
        parsed.notes.append(NOT_USED_V1)
    parsed.domain = _one_domain(domains | v2.domains, name)
    return parsed


def _v2_record(
    v2: postmaster_v2.V2Reader, record: Mapping[str, Any], parsed: Parsed, where: str
) -> None:
    if "metricDefinitions" in record or "requests" in record:
        v2.query(record)
    if "complianceData" in record or "subdomainComplianceData" in record:
        v2.compliance(record, where)
    for index, stats in enumerate(record.get("domainStats") or (), 1):
        if not isinstance(stats, dict):
            continue
        try:
            v2.stats(stats, f"{where}, item {index}")
        except ImportProblem as error:
            _skip_day(parsed, stats, error)


def _skip_day(parsed: Parsed, stats: Mapping[str, Any], error: ImportProblem) -> None:
    """Leave one day out and say which and why; the rest of the file is imported."""
    parsed.skipped[SKIP_DAY] += 1
    parsed.notes.append(f"left out: {error}")


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
