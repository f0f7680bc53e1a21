"""Apologise or not: every kind, with and without an override, plus the assessment cases."""

from __future__ import annotations

from dataclasses import replace

import pytest

from email_crisis.core.assess.assessment import Assessment
from email_crisis.core.assess.decisions import (
    ALLOWED_WITH_OVERRIDE,
    BREACH_NOTICE,
    DO_NOT_SEND,
    NOT_NEEDED,
    RECOMMENDED,
    apology_decision,
)
from email_crisis.core.assess.override_store import Override
from email_crisis.core.base.domain import KINDS
from tests.conftest import FROZEN_NOW

OVERRIDE = Override(
    id=1,
    incident_id=1,
    at=FROZEN_NOW,
    operator="priya",
    reason="Legal requires a breach notice to these people under GDPR Art. 34.",
)
BASE = Assessment(aware_at=FROZEN_NOW, affected_count=1200, data_exposed=frozenset({"none"}))

# kind -> (verdict without override, verdict with override, words the reason must hold)
TABLE: dict[str, tuple[str, str, str]] = {
    "wrong-content": (RECOMMENDED, RECOMMENDED, "right content or offer"),
    "broken-personalization": (RECOMMENDED, RECOMMENDED, "broken greeting"),
    "wrong-segment": (RECOMMENDED, RECOMMENDED, "never widen the audience"),
    "suppression-list-send": (DO_NOT_SEND, ALLOWED_WITH_OVERRIDE, "opted out"),
    "malformed": (RECOMMENDED, RECOMMENDED, "corrected message"),
    "data-breach": (BREACH_NOTICE, BREACH_NOTICE, "not a marketing apology"),
    "other": (RECOMMENDED, RECOMMENDED, "say you are sorry"),
}


def test_the_table_covers_every_kind() -> None:
    assert set(TABLE) == set(KINDS)


@pytest.mark.parametrize("with_override", [False, True], ids=["no-override", "override"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_with_and_without_override(kind: str, with_override: bool) -> None:
    plain, overridden, words = TABLE[kind]
    decision = apology_decision(kind, BASE, OVERRIDE if with_override else None)
    assert decision.verdict == (overridden if with_override else plain)
    assert decision.locked == (decision.verdict == DO_NOT_SEND)
    assert decision.send == (decision.verdict != DO_NOT_SEND)
    if decision.verdict == ALLOWED_WITH_OVERRIDE:
        assert OVERRIDE.reason in decision.reason and "priya" in decision.reason
        assert decision.override == OVERRIDE
    else:
        assert words in decision.reason
        assert decision.override is None


def test_suppression_send_is_a_firm_no_citing_the_opt_out_laws() -> None:
    decision = apology_decision("suppression-list-send", None, None)
    assert decision.reason.startswith("Do not send an apology.")
    assert "CAN-SPAM" in decision.reason and "CASL" in decision.reason
    assert "10 business days" in decision.reason
    assert "breach notice" not in decision.reason


def test_suppression_send_with_exposed_data_points_to_legal() -> None:
    exposed = replace(BASE, data_exposed=frozenset({"names"}))
    decision = apology_decision("suppression-list-send", exposed, None)
    assert decision.locked
    assert "breach notice" in decision.reason and "legal" in decision.reason


def test_suppression_lock_holds_even_when_nobody_is_counted() -> None:
    nobody = replace(BASE, affected_count=0)
    assert apology_decision("suppression-list-send", nobody, None).verdict == DO_NOT_SEND


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "suppression-list-send"])
def test_nobody_affected_means_nobody_to_apologise_to(kind: str) -> None:
    decision = apology_decision(kind, replace(BASE, affected_count=0), None)
    assert decision.verdict == NOT_NEEDED
    assert not decision.send and not decision.locked
    assert "nobody to apologise to" in decision.reason


def test_unknown_count_is_not_zero() -> None:
    unknown = replace(BASE, affected_count=None)
    assert apology_decision("wrong-content", unknown, None).verdict == RECOMMENDED


def test_personal_data_turns_any_apology_into_a_breach_notice() -> None:
    exposed = replace(BASE, data_exposed=frozenset({"email-addresses", "names"}))
    decision = apology_decision("wrong-segment", exposed, None)
    assert decision.verdict == BREACH_NOTICE
    assert "(email addresses, names)" in decision.reason
    assert "two-factor" in decision.reason


def test_data_breach_without_assessment_says_it_is_a_breach() -> None:
    decision = apology_decision("data-breach", None, None)
    assert decision.reason.startswith("This is a data breach")
    assert "may be legally required" in decision.reason
