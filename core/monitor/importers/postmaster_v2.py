"""Google Postmaster Tools API v2: ``domainStats:query`` answers and ``complianceStatus``.

Format: the ``gmailpostmastertools.v2`` discovery document (googleapis/
google-api-python-client ``googleapiclient/discovery_cache/documents/
gmailpostmastertools.v2.json``) and Google's migration guide
(https://developers.google.com/workspace/gmail/postmaster/guides/migration-v2):
"The ``trafficStats`` resource has been replaced with ``domainStats``".

A ``domains.domainStats.query`` answer is ``{"domainStats": [{"name", "metric", "date":
{"year", "month", "day"}, "value": {"doubleValue" | "floatValue" | "intValue" ...}}],
"nextPageToken"}``. ``metric`` is the name the *query* gave each ``MetricDefinition``,
not Google's metric: a value is understood when

1. ``--map NAME=STANDARD_METRIC`` names it, or
2. the query body (``{"metricDefinitions": [{"name", "baseMetric": {"standardMetric"},
   "filter"}], ...}``) is in the file before the answer, or given with ``--query``, or
3. the name is itself a standard metric in any case (``spam_rate`` → ``SPAM_RATE``).

Mapping: ``SPAM_RATE`` → ``complaint_rate``; ``AUTH_SUCCESS_RATE`` with the filter
``auth_type = "spf"|"dkim"|"dmarc"`` → ``spf_pass_rate``, ``dkim_pass_rate``,
``dmarc_pass_rate``; ``DELIVERY_ERROR_RATE`` → ``delivery_error_rate`` (one series per
``error_type`` filter: reject, temp_fail, or all). Counts, TLS and feedback-loop
metrics have no series here and are reported as not imported.

A ``complianceStatus`` document (``{"name", "complianceData": {"rowData": [{"requirement",
"status": {"status"}}], "oneClickUnsubscribeVerdict", "honorUnsubscribeVerdict"},
"subdomainComplianceData"}``) becomes ``gmail_compliance`` points, one per requirement
(SPF, DKIM, DMARC_POLICY, USER_REPORTED_SPAM_RATE, ONE_CLICK_UNSUBSCRIBE...), as of the
import: the document carries no date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from email_crisis.core.monitor.importers._common import ImportProblem, Parsed, RawPoint, shown

STANDARD_METRICS = (
    "FEEDBACK_LOOP_ID",
    "FEEDBACK_LOOP_SPAM_RATE",
    "SPAM_RATE",
    "AUTH_SUCCESS_RATE",
    "TLS_ENCRYPTION_MESSAGE_COUNT",
    "TLS_ENCRYPTION_RATE",
    "DELIVERY_ERROR_COUNT",
    "DELIVERY_ERROR_RATE",
)
"""``StandardMetric`` enum of the v2 discovery document (UNSPECIFIED left out)."""
MARKERS = ('"domainStats"', '"metricDefinitions"', '"complianceData"', '"standardMetric"')
V2_NOTE = (
    "Postmaster Tools v2 reports no domain or IP reputation (Google retired those "
    "dashboards with v1): reputation now has to be judged from the spam rate, the "
    "delivery errors and the compliance status."
)
COMPLIANCE_NOTE = "Gmail compliance status is a snapshot: stored at the time of the import."
COMPLIANCE_LEVELS = {"NEEDS_WORK": 0.0, "COMPLIANT": 1.0}
NOT_KEPT = "v2 values with no series here (counts, TLS, feedback loops)"
UNKNOWN = "v2 values of metrics not recognised (name them with --map NAME=STANDARD_METRIC)"
NO_FILTER = "v2 AUTH_SUCCESS_RATE values without an auth_type filter (which check?)"
_AUTH = re.compile(r'auth_type\s*=\s*"?(spf|dkim|dmarc)"?', re.IGNORECASE)
_ERROR_TYPE = re.compile(r'error_type\s*=\s*"?(reject|temp_fail)"?', re.IGNORECASE)
_NAME = re.compile(r"domains/([^/]+)/(domainStats|complianceStatus)\b")


def standard(text: str) -> str | None:
    """``spam_rate``, ``Spam-Rate`` → ``SPAM_RATE``; None when not a standard metric."""
    key = re.sub(r"[\s-]+", "_", text.strip()).upper()
    return key if key in STANDARD_METRICS else None


def parse_map(pairs: Iterable[str]) -> dict[str, str]:
    """``NAME=STANDARD_METRIC[:filter]`` pairs from ``--map``; ``ImportProblem`` if wrong.

    The optional ``:spf`` (``:dkim``, ``:dmarc``, ``:reject``, ``:temp_fail``) stands for
    the query's filter: ``--map dkim_ok=AUTH_SUCCESS_RATE:dkim``.
    """
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, target = pair.partition("=")
        base, _, extra = target.partition(":")
        metric = standard(base)
        if not sep or not name.strip() or metric is None:
            raise ImportProblem(
                f"--map {shown(pair)!r}: write NAME=STANDARD_METRIC, where STANDARD_METRIC "
                f"is one of {', '.join(STANDARD_METRICS)}."
            )
        found[name.strip()] = f"{metric}:{extra.strip().lower()}" if extra.strip() else metric
    return found


def _definitions(record: Mapping[str, Any]) -> dict[str, str]:
    """Metric name → ``STANDARD[:filter]`` from a query body (or a batchQuery of them)."""
    found: dict[str, str] = {}
    for definition in record.get("metricDefinitions") or ():
        if not isinstance(definition, dict) or not isinstance(definition.get("name"), str):
            continue
        base = definition.get("baseMetric") or {}
        metric = standard(str(base.get("standardMetric", ""))) if isinstance(base, dict) else None
        if metric is None:
            continue
        filter_text = str(definition.get("filter") or "")
        extra = _AUTH.search(filter_text) or _ERROR_TYPE.search(filter_text)
        found[definition["name"]] = f"{metric}:{extra.group(1).lower()}" if extra else metric
    return found


def _value(raw: object, name: str, where: str) -> float:
    if isinstance(raw, dict):
        for key in ("doubleValue", "floatValue", "intValue"):
            if key in raw:
                try:
                    return float(raw[key])  # intValue is an int64 written as a string
                except (TypeError, ValueError):
                    break
    raise ImportProblem(f"{name}, {where}: value {shown(raw)} is not a number.")


def _day(raw: object, name: str, where: str) -> datetime:
    try:
        assert isinstance(raw, dict)
        return datetime(int(raw["year"]), int(raw["month"]), int(raw["day"]), tzinfo=timezone.utc)
    except (AssertionError, KeyError, TypeError, ValueError):
        raise ImportProblem(f"{name}, {where}: date {shown(raw)} is not a day.") from None


class V2Reader:
    """Reads v2 records one by one into ``parsed`` (a query body first, when present)."""

    def __init__(self, parsed: Parsed, name: str, mapping: Mapping[str, str]) -> None:
        self.parsed = parsed
        self.name = name
        self.mapping = dict(mapping)  # --map wins over the query body
        self.defined: dict[str, str] = {}
        self.domains: set[str] = set()
        self.unknown: set[str] = set()
        self.seen = False  # any v2 record at all

    def query(self, record: Mapping[str, Any]) -> None:
        """A query body (or a ``batchQuery`` of them): learn what each name means."""
        self.seen = True
        for request in record.get("requests") or [record]:
            if isinstance(request, dict):
                self.defined.update(_definitions(request))

    def meaning(self, metric: str) -> str | None:
        return self.mapping.get(metric) or self.defined.get(metric) or standard(metric)

    def stats(self, stats: Mapping[str, Any], where: str) -> None:
        """One ``DomainStat``."""
        self.seen = True
        match = _NAME.match(str(stats.get("name", "")))
        if match:
            self.domains.add(match.group(1).lower())
        metric = str(stats.get("metric", ""))
        meaning = self.meaning(metric)
        skipped = self.parsed.skipped
        if meaning is None:
            self.unknown.add(metric)
            skipped[UNKNOWN] += 1
            return
        base, _, extra = meaning.partition(":")
        at = _day(stats.get("date"), self.name, where)
        value = _value(stats.get("value"), self.name, where)
        if (
            base in ("SPAM_RATE", "AUTH_SUCCESS_RATE", "DELIVERY_ERROR_RATE")
            and not 0 <= value <= 1
        ):
            raise ImportProblem(
                f"{self.name}, {where}: {metric} is {value:g}; a rate is between 0 and 1."
            )
        if base == "SPAM_RATE":
            self.parsed.points.append(RawPoint("complaint_rate", at, 100 * value, where))
        elif base == "AUTH_SUCCESS_RATE":
            if extra not in ("spf", "dkim", "dmarc"):
                skipped[NO_FILTER] += 1
                return
            self.parsed.points.append(RawPoint(f"{extra}_pass_rate", at, 100 * value, where))
        elif base == "DELIVERY_ERROR_RATE":
            note = {"reject": "rejections", "temp_fail": "temporary failures"}.get(extra, "")
            self.parsed.points.append(
                RawPoint("delivery_error_rate", at, 100 * value, where, subject=extra, note=note)
            )
        else:
            skipped[NOT_KEPT] += 1

    def compliance(self, record: Mapping[str, Any], where: str) -> None:
        """A ``complianceStatus`` document."""
        self.seen = True
        match = _NAME.match(str(record.get("name", "")))
        if match:
            self.domains.add(match.group(1).lower())
        for key, prefix in (("complianceData", ""), ("subdomainComplianceData", "subdomain ")):
            data = record.get(key)
            if not isinstance(data, dict):
                continue
            reasons = {
                "ONE_CLICK_UNSUBSCRIBE": _reason(data.get("oneClickUnsubscribeVerdict")),
                "HONOR_UNSUBSCRIBE": _reason(data.get("honorUnsubscribeVerdict")),
            }
            for row in data.get("rowData") or ():
                if not isinstance(row, dict):
                    continue
                requirement = str(row.get("requirement", ""))
                status = row.get("status")
                state = status.get("status") if isinstance(status, dict) else None
                level = COMPLIANCE_LEVELS.get(str(state))
                if not requirement or level is None:
                    continue  # STATE_UNSPECIFIED: Google says nothing yet
                subject = f"{prefix}{requirement}"
                note = reasons.get(requirement, "")
                self.parsed.points.append(
                    RawPoint("gmail_compliance", None, level, where, subject=subject, note=note)
                )
        if COMPLIANCE_NOTE not in self.parsed.notes:
            self.parsed.notes.append(COMPLIANCE_NOTE)

    def finish(self) -> None:
        if self.seen and V2_NOTE not in self.parsed.notes:
            self.parsed.notes.append(V2_NOTE)
        if self.unknown:
            names = ", ".join(sorted(shown(n, 30) for n in self.unknown)[:8])
            self.parsed.notes.append(
                f"v2 metric names not recognised: {names}. Give the query body with "
                "--query, or --map NAME=STANDARD_METRIC (for example "
                "--map my_spam=SPAM_RATE, --map dkim_ok=AUTH_SUCCESS_RATE:dkim)."
            )


def _reason(verdict: object) -> str:
    if isinstance(verdict, dict) and verdict.get("reason"):
        return f"Google's reason: {shown(verdict['reason'], 60)}"
    return ""


def is_v2(record: Mapping[str, Any]) -> bool:
    """Whether a JSON record belongs to the v2 API (a query, an answer, a compliance doc)."""
    return any(
        key in record for key in ("domainStats", "metricDefinitions", "complianceData", "requests")
    )
