"""Thresholds that judge each metric ok, warning or critical, each with its source.

The shipped values are in ``core/monitor/data/thresholds.toml`` (its header explains the
shape). An organisation replaces any metric's bands with a file of the same shape
named by ``EMAIL_CRISIS_THRESHOLDS``. A metric with no bands is never judged: its
status is ``ok`` and ``Judgement.band`` is None, so callers can say "no threshold".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from email_crisis.core.base.toml_file import ConfigProblem, read_toml, table_line
from email_crisis.core.monitor.metric_ids import METRICS, parse_value

ENV = "EMAIL_CRISIS_THRESHOLDS"
STATUSES: tuple[str, ...] = ("ok", "warning", "critical")
"""Statuses from best to worst."""
BAND_KEYS = ("status", "at", "label", "label_fr", "source", "reviewed")
_REQUIRED = ("status", "at", "label", "source", "reviewed")


class ThresholdsProblem(ConfigProblem):
    """A thresholds file that cannot be used; the message names the file and the metric."""


@dataclass(frozen=True)
class Band:
    """From ``at`` on, the metric is in ``status``; ``label`` says so in a phrase."""

    status: str
    at: float
    label: str
    label_fr: str
    sources: tuple[str, ...]
    reviewed: date

    def phrase(self, language: str = "en") -> str:
        """The label in ``language`` (French falls back to English)."""
        return self.label_fr if language == "fr" and self.label_fr else self.label


@dataclass(frozen=True)
class Judgement:
    """A value's status and the band that decided it (None: ok, or no threshold)."""

    status: str
    band: Band | None = None
    judged: bool = True  # False when no threshold covers the metric


@dataclass(frozen=True)
class Thresholds:
    """Bands per metric, and the file each metric's bands came from."""

    bands: Mapping[str, tuple[Band, ...]]
    origin: Mapping[str, str] = field(default_factory=dict)

    def judge(self, metric: str, value: float, qualifier: str = "") -> Judgement:
        """The status of ``value`` for ``metric``.

        A qualified value (``<`` 0.1: "below 0.1") is judged just inside its bound, so
        "< 0.1%" is under a band starting at 0.1 but over one starting at 0.05.
        """
        bands = self.bands.get(metric)
        if not bands:
            return Judgement("ok", None, judged=False)
        lower_is_worse = METRICS[metric].worse == "lower"
        hit: Band | None = None
        for band in bands:  # ordered from the mildest to the worst
            if lower_is_worse:
                inside = value < band.at if qualifier == ">" else value <= band.at
            else:
                inside = value > band.at if qualifier == "<" else value >= band.at
            if inside:
                hit = band
        return Judgement(hit.status, hit) if hit else Judgement("ok")

    def first_band(self, metric: str, status: str) -> Band | None:
        """The mildest band of ``metric`` with ``status`` (where that status begins)."""
        return next((b for b in self.bands.get(metric, ()) if b.status == status), None)


def shipped_path() -> Path:
    """The thresholds file installed with the package."""
    return Path(__file__).resolve().parent / "data" / "thresholds.toml"


def _reviewed(raw: object, where: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ThresholdsProblem(f"{where}: 'reviewed' must be a date like 2026-11-27.") from None


def _band(metric: str, raw: object, where: str, at_key: Callable[[str], str]) -> Band:
    if not isinstance(raw, dict):
        raise ThresholdsProblem(f"{where}: each band is a table ([[{metric}.bands]]).")
    unknown = [key for key in raw if key not in BAND_KEYS]
    if unknown:  # a misspelt key (lable_fr, colour) would otherwise be silently ignored
        raise ThresholdsProblem(
            f"{at_key(unknown[0])}: unknown key {unknown[0]!r} in a band of [{metric}]; "
            f"a band has {', '.join(BAND_KEYS)}."
        )
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise ThresholdsProblem(f"{where}: missing {', '.join(missing)}.")
    if raw["status"] not in STATUSES[1:]:
        raise ThresholdsProblem(f"{at_key('status')}: status must be 'warning' or 'critical'.")
    try:
        at = parse_value(metric, raw["at"])
    except ValueError as error:
        raise ThresholdsProblem(f"{at_key('at')}: 'at' {error}") from None
    sources = raw["source"] if isinstance(raw["source"], list) else [raw["source"]]
    if not sources or not all(isinstance(s, str) and s.strip() for s in sources):
        raise ThresholdsProblem(f"{where}: 'source' must name where the number comes from.")
    for key in ("label", "label_fr"):
        if not isinstance(raw.get(key, ""), str) or (key == "label" and not raw[key].strip()):
            raise ThresholdsProblem(f"{where}: '{key}' must be a phrase.")
    return Band(
        status=raw["status"],
        at=at,
        label=raw["label"].strip(),
        label_fr=str(raw.get("label_fr", "")).strip(),
        sources=tuple(s.strip() for s in sources),
        reviewed=_reviewed(raw["reviewed"], at_key("reviewed")),
    )


def parse_file(path: Path) -> dict[str, tuple[Band, ...]]:
    """Bands per metric from one TOML file; ``ThresholdsProblem`` names file, line and fault."""
    if not path.exists() and not path.is_symlink():
        raise ThresholdsProblem(f"{path}: no such thresholds file (check {ENV} or unset it).")
    data, text = read_toml(path, error=ThresholdsProblem)
    result: dict[str, tuple[Band, ...]] = {}
    for metric, table in data.items():
        if metric not in METRICS:
            line = table_line(text, metric) or table_line(text, f"{metric}.bands")
            at = f", line {line}" if line else ""
            raise ThresholdsProblem(
                f"{path}{at}: unknown metric [{metric}]; metrics are: {', '.join(METRICS)}."
            )
        if isinstance(table, dict) and set(table) - {"bands"}:
            extra = sorted(set(table) - {"bands"})[0]
            line = table_line(text, metric, key=extra)
            raise ThresholdsProblem(
                f"{path}, line {line}: unknown key {extra!r} in [{metric}]; "
                f"write bands as [[{metric}.bands]]."
            )
        raw_bands = table.get("bands", []) if isinstance(table, dict) else None
        if not isinstance(raw_bands, list):
            raise ThresholdsProblem(f"{path}: [{metric}] needs a list of [[{metric}.bands]].")
        bands = []
        for n, raw in enumerate(raw_bands):
            line = table_line(text, f"{metric}.bands", n)
            where = f"{path}, line {line}" if line else f"{path}: [{metric}] band {n + 1}"

            def at_key(key: str, n: int = n, where: str = where, metric: str = metric) -> str:
                found = table_line(text, f"{metric}.bands", n, key=key)
                return f"{path}, line {found}" if found else where

            bands.append(_band(metric, raw, where, at_key))
        lower = METRICS[metric].worse == "lower"
        bands.sort(key=lambda b: (STATUSES.index(b.status), -b.at if lower else b.at))
        result[metric] = tuple(bands)
    return result


@lru_cache(maxsize=8)
def _load(org: str, org_stamp: int) -> Thresholds:
    shipped = shipped_path()
    bands = parse_file(shipped)
    origin = dict.fromkeys(bands, str(shipped))
    if org:
        overrides = parse_file(Path(org))
        bands.update(overrides)
        origin.update(dict.fromkeys(overrides, org))
    return Thresholds(bands, origin)


def load(env: Mapping[str, str] = os.environ) -> Thresholds:
    """The shipped thresholds with the organisation's file (``EMAIL_CRISIS_THRESHOLDS``)
    laid over them. Cached; a changed override file is read again."""
    org = env.get(ENV, "").strip()
    stamp = 0
    if org:
        org = str(Path(org).expanduser())
        try:
            stamp = Path(org).stat().st_mtime_ns
        except OSError:
            stamp = -1  # parse_file reports the missing file
    return _load(org, stamp)
