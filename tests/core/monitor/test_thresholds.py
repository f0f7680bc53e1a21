"""Thresholds: statuses at the boundaries, sources, and the organisation's override file."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from email_crisis.core.monitor.metric_ids import METRICS
from email_crisis.core.monitor.thresholds import (
    ENV,
    ThresholdsProblem,
    load,
    parse_file,
    shipped_path,
)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (0.0, "ok"),
        (0.099, "ok"),
        (0.1, "warning"),
        (0.299, "warning"),
        (0.3, "critical"),
        (5, "critical"),
    ],
)
def test_spam_complaint_rate_boundaries(value: float, status: str) -> None:
    assert load().judge("complaint_rate", value).status == status


@pytest.mark.parametrize(
    ("value", "status", "words"),
    [
        (1.99, "ok", None),
        (2.0, "warning", "early warning"),
        (4.99, "warning", "early warning"),
        (5.0, "critical", "places an account under review"),
        (9.99, "critical", "places an account under review"),
        (10.0, "critical", "may pause sending"),
        (40.0, "critical", "may pause sending"),
    ],
)
def test_hard_bounce_boundaries_name_the_ses_level(
    value: float, status: str, words: str | None
) -> None:
    judgement = load().judge("hard_bounce_rate", value)
    assert judgement.status == status
    if words is None:
        assert judgement.band is None
    else:
        assert judgement.band is not None and words in judgement.band.label


@pytest.mark.parametrize(
    ("level", "status"),
    [("HIGH", "ok"), ("MEDIUM", "warning"), ("LOW", "critical"), ("BAD", "critical")],
)
def test_reputation_drops(level: str, status: str) -> None:
    value = METRICS["domain_reputation"].levels.index(level)
    assert load().judge("domain_reputation", value).status == status
    assert load().judge("ip_reputation", value).status == status


def test_snds_verdicts() -> None:
    rules = load()
    assert [rules.judge("snds_filter", v).status for v in (2, 1, 0)] == [
        "ok",
        "warning",
        "critical",
    ]


def test_an_upper_bound_is_judged_below_it() -> None:
    rules = load()
    assert rules.judge("complaint_rate", 0.1, "<").status == "ok"  # SNDS "< 0.1%"
    assert rules.judge("complaint_rate", 0.3, "<").status == "warning"
    assert rules.judge("complaint_rate", 0.1).status == "warning"


def test_every_band_has_a_source_and_a_review_date() -> None:
    bands = parse_file(shipped_path())
    assert {"complaint_rate", "hard_bounce_rate", "domain_reputation", "ip_reputation"} <= set(
        bands
    )
    for metric_bands in bands.values():
        for band in metric_bands:
            assert band.sources and all(s.startswith("https://") for s in band.sources)
            assert band.reviewed <= date.today()  # a review date is never in the future
            assert band.label and band.label_fr


def test_a_metric_without_threshold_is_not_judged() -> None:
    judgement = load().judge("inbox_placement", 3.0)
    assert (judgement.status, judgement.band, judgement.judged) == ("ok", None, False)


ORG = """
[complaint_rate]
[[complaint_rate.bands]]
status = "warning"
at = 0.05
label = "above our own 0.05% comfort level"
source = "https://intranet.example.com/deliverability-policy"
reviewed = 2026-10-01

[[complaint_rate.bands]]
status = "critical"
at = "0.2%"
label = "above our 0.2% stop-sending level"
source = "https://intranet.example.com/deliverability-policy"
reviewed = "2026-10-01"
"""


def test_the_organisation_file_replaces_listed_metrics_only(tmp_path: Path) -> None:
    org = tmp_path / "thresholds.toml"
    org.write_text(ORG, encoding="utf-8")
    rules = load({ENV: str(org)})
    assert rules.judge("complaint_rate", 0.05).status == "warning"
    assert rules.judge("complaint_rate", 0.2).status == "critical"
    assert rules.judge("complaint_rate", 0.19).band.label == "above our own 0.05% comfort level"
    assert rules.origin["complaint_rate"] == str(org)
    # Metrics the organisation did not list keep the shipped bands.
    assert rules.judge("hard_bounce_rate", 5.0).status == "critical"
    assert rules.origin["hard_bounce_rate"] == str(shipped_path())
    assert load({}).judge("complaint_rate", 0.05).status == "ok"


def test_a_changed_override_file_is_read_again(tmp_path: Path) -> None:
    org = tmp_path / "thresholds.toml"
    org.write_text(ORG, encoding="utf-8")
    assert load({ENV: str(org)}).judge("complaint_rate", 0.06).status == "warning"
    org.write_text(ORG.replace("at = 0.05", "at = 0.08"), encoding="utf-8")
    stat = org.stat()
    os.utime(org, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert load({ENV: str(org)}).judge("complaint_rate", 0.06).status == "ok"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[happiness]\n[[happiness.bands]]\n", "unknown metric [happiness]"),
        ("[complaint_rate]\nbands = 3\n", "needs a list of [[complaint_rate.bands]]"),
        (ORG.replace('status = "warning"', 'status = "alarm"'), "line 4: status must be"),
        (
            ORG.replace('source = "https://intranet.example.com/deliverability-policy"\n', "", 1),
            "line 3: missing source",
        ),
        (ORG.replace("at = 0.05", "at = 150"), "line 5: 'at' complaint_rate 150% is impossible"),
        (
            ORG.replace("reviewed = 2026-10-01", 'reviewed = "last week"'),
            "line 8: 'reviewed' must be a date",
        ),
        ("[complaint_rate\n", "not valid TOML"),
        # Issue 14: misspelt keys were silently ignored.
        (ORG.replace("label = ", "lable_fr = 'x'\nlabel = ", 1), "line 6: unknown key 'lable_fr'"),
        (
            ORG.replace("reviewed = 2026-10-01", "reviewed = 2026-10-01\ncolour = 'red'"),
            "line 9: unknown key 'colour'",
        ),
        (
            "[complaint_rate]\nthreshold = 1\n",
            "line 2: unknown key 'threshold' in [complaint_rate]",
        ),
        ("[happiness]\n", "line 1: unknown metric [happiness]"),
        # Issue 14: deep nesting, nan and a value out of bounds.
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "line 1: arrays or tables are nested"),
        (ORG.replace("at = 0.05", "at = nan"), "line 5: nan is not a usable number"),
        (ORG.replace("at = 0.05", "at = inf"), "line 5: inf is not a usable number"),
        (
            "[volume]\n[[volume.bands]]\nstatus = 'warning'\nat = 1e308\nlabel = 'x'\n"
            "source = 'y'\nreviewed = 2026-01-01\n",
            "line 4: 'at' volume 1e+308 is not believable",
        ),
    ],
)
def test_a_broken_override_file_is_named(tmp_path: Path, content: str, expected: str) -> None:
    org = tmp_path / "org.toml"
    org.write_text(content, encoding="utf-8")
    with pytest.raises(ThresholdsProblem) as caught:
        load({ENV: str(org)})
    assert str(caught.value).startswith(str(org))
    assert expected in str(caught.value)


def test_a_missing_override_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ThresholdsProblem, match="no such thresholds file"):
        load({ENV: str(tmp_path / "nope.toml")})
