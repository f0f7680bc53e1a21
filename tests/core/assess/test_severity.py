"""Suggested severity: the worst level any rule calls for, with that rule's reason."""

from __future__ import annotations

import pytest

from email_crisis.core.assess.assessment import Assessment
from email_crisis.core.assess.decisions import suggested_severity
from tests.conftest import FROZEN_NOW


def make(data: str = "", count: int | None = None) -> Assessment:
    return Assessment(
        aware_at=FROZEN_NOW,
        data_exposed=frozenset(data.split(",")) if data else frozenset(),
        affected_count=count,
    )


@pytest.mark.parametrize(
    ("kind", "data", "count", "severity", "words"),
    [
        ("wrong-content", "", None, "SEV3", "usual level"),
        ("wrong-content", "none", 5_000, "SEV3", "usual level"),
        ("wrong-content", "none", 99, "SEV4", "only 99 subscribers"),
        ("broken-personalization", "", 0, "SEV4", "nobody received it"),
        ("wrong-content", "none", 100, "SEV3", "usual level"),
        ("wrong-segment", "none", 100_000, "SEV2", "100,000 subscribers"),
        ("wrong-segment", "none", 99_999, "SEV3", "usual level"),
        ("data-breach", "", None, "SEV2", "data breach is at least"),
        ("data-breach", "none", 10, "SEV2", "data breach is at least"),
        ("suppression-list-send", "none", 10, "SEV2", "opted out"),
        ("wrong-content", "credentials", 3, "SEV1", "passwords or other credentials exposed"),
        ("malformed", "payment-data", None, "SEV1", "payment data exposed"),
        ("wrong-segment", "names", 499, "SEV2", "names exposed"),
        ("wrong-segment", "names,postal-addresses", 500, "SEV1", "of 500 people"),
        ("wrong-segment", "other", None, "SEV2", "other personal data exposed"),
        ("wrong-segment", "email-addresses", 20, "SEV2", "email addresses exposed"),
        ("data-breach", "email-addresses,credentials", 2, "SEV1", "credentials"),
        ("other", "none", None, "SEV3", "usual level"),
    ],
)
def test_suggested_severity(
    kind: str, data: str, count: int | None, severity: str, words: str
) -> None:
    decision = suggested_severity(kind, make(data, count))
    assert decision.severity == severity
    assert decision.reason.startswith(f"{severity}: ")
    assert words in decision.reason
