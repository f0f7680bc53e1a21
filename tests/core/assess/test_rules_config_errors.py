"""Issue 14 for the organisation's breach-rules file: every way it can be broken is one
``ConfigProblem`` naming the file and the line and saying what is wrong, and the clocks
keep running on the shipped table (with the problem said first) instead of crashing."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.assessment import Assessment
from email_crisis.core.assess.breach_rules import (
    RULES_ENV,
    BreachRulesError,
    load_rules,
    rules_in_force,
)
from email_crisis.core.assess.clocks import RULES_PROBLEM, breach_clocks, header_clocks
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.toml_file import ConfigProblem
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.assess.test_rules_file import ENTRY

GOOD = ENTRY.format(id="acme-dpo")
LINES = GOOD.splitlines()


def assessed_breach(store: Store) -> Incident:
    """A breach of 900 EU addresses and names, assessed: GDPR's clocks run."""
    incident = ops.declare(
        store,
        title="Export link in the footer",
        kind="data-breach",
        operator="sam",
        detected_at=FROZEN_NOW - timedelta(hours=2),
    )
    answers = {"data_exposed": "email-addresses, names", "regions": "eu-eea"}
    assess.update_assessment(store, incident, {**answers, "affected_count": "900"}, operator="sam")
    return incident


def changed(key: str, value: str) -> tuple[str, int]:
    """``GOOD`` with ``key`` set to ``value`` (added at the end if absent), and its line."""
    lines = list(LINES)
    for number, line in enumerate(lines):
        if line.startswith(f"{key} ="):
            lines[number] = f"{key} = {value}"
            return "\n".join(lines) + "\n", number + 1
    lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n", len(lines)


def _cases() -> list[tuple[str, str, int, str]]:
    """(case id, file text, line the message must name, words it must hold)."""
    cases = []
    for name, key, value, words in (
        ("region-list", "region", '["eu-eea"]', "region must be a string"),
        ("id-list", "id", '["acme"]', "id must be a string"),
        ("label-number", "label", "7", "label must be a string"),
        ("count-as-text", "min_affected", '"500"', "min_affected must be a whole number"),
        ("count-float", "min_affected", "1e308", "min_affected must be a whole number"),
        ("count-huge", "min_affected", "10" + "0" * 30, "min_affected must be a whole number"),
        ("window-kind-list", "window", "{ kind = [], amount = 3 }", "unknown window kind"),
        ("window-year", "window", '{ kind = "hours", amount = 999999999 }', "more than a year"),
        ("window-days", "window", '{ kind = "business-days", amount = 10000000 }', "a year"),
        ("data-nested", "data", "[[1]]", "data must list kinds of personal data"),
        ("cause-table", "only_if_cause", "[{}]", "only_if_cause must list cause ids"),
        ("state-list", "us_state", "[]", "us_state must be a string"),
        ("ends-table", "ends_earlier_at", "{}", "unknown ends_earlier_at"),
        ("unknown-key", "colour", '"red"', "unknown field(s) colour"),
        ("misspelt-key", "windoww", '{ kind = "hours", amount = 3 }', "unknown field(s) windoww"),
        ("bad-date", "last_reviewed", '"2026-02-30"', "last_reviewed must be an ISO date"),
        ("date-time", "in_force_from", "2027-05-13T10:00:00", "in_force_from must be an ISO date"),
        ("no-such-date", "last_reviewed", "2026-13-01", "not valid TOML"),
        ("nan", "min_affected", "nan", "nan is not a usable number"),
        ("inf", "small_agent_multiplier", "-inf", "-inf is not a usable number"),
        ("deep", "data", "[" * 5000 + "]" * 5000, "nested more than 32 deep"),
        ("syntax", "region", "eu-eea", "not valid TOML"),
    ):
        text, line = changed(key, value)
        cases.append((name, text, line, words))
    return cases


CASES = _cases()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from email_crisis.core.assess import breach_rules

    breach_rules._cached.cache_clear()


@pytest.mark.parametrize(
    ("text", "line", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_problem_names_the_file_the_line_and_what_is_wrong(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    org = tmp_path / "org_rules.toml"
    org.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigProblem) as caught:
        load_rules(org=org)
    message = str(caught.value)
    assert isinstance(caught.value, BreachRulesError)
    assert f"breach rules file {org}" in message
    assert f"line {line}" in message, message
    assert words in message, message
    assert "\n" not in message


def test_latin1_bytes_name_the_line(tmp_path: Path) -> None:
    org = tmp_path / "org_rules.toml"
    org.write_bytes(GOOD.replace('"Test"', '"Équipe"').encode("latin-1"))
    line = LINES.index('label = "Test"') + 1
    with pytest.raises(ConfigProblem, match=rf"org_rules\.toml, line {line}: not UTF-8 text"):
        load_rules(org=org)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    """Nothing writes to the pipe: opening it to read would block forever."""
    org = tmp_path / "org_rules.toml"
    os.mkfifo(org)
    with pytest.raises(ConfigProblem, match=r"org_rules\.toml: this is a named pipe"):
        load_rules(org=org)


# -- the rest keeps working -----------------------------------------------------------------

AWARE = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)
GDPR_BREACH = Assessment(
    aware_at=AWARE,
    data_exposed=frozenset({"email-addresses", "names"}),
    regions=frozenset({"eu-eea"}),
    affected_count=900,
)


def test_a_broken_file_leaves_the_shipped_clocks_running_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An organisation file that would replace GDPR's 72 hours with 48, but is broken.
    text, line = changed("colour", '"red"')
    org = tmp_path / "org_rules.toml"
    org.write_text(text.replace('id = "acme-dpo"', 'id = "eu-gdpr-authority"'), encoding="utf-8")
    monkeypatch.setenv(RULES_ENV, str(org))
    found = rules_in_force()
    assert found.rules == load_rules()  # the shipped table, none of the broken file
    assert f"{org}" in found.problem and f"line {line}" in found.problem
    result = breach_clocks(GDPR_BREACH, AWARE + timedelta(hours=2))
    gdpr = next(c for c in result.clocks if c.obligation.id == "eu-gdpr-authority")
    assert gdpr.deadline == AWARE + timedelta(hours=72)  # GDPR art. 33(1), the shipped entry
    assert result.problem == found.problem
    assert result.notes[0].startswith(found.problem)
    assert "built-in table only" in result.notes[0]
    header = header_clocks(result)
    assert header[0].status == RULES_PROBLEM and len(header) <= 3
    assert any("GDPR" in h.text for h in header)
    # Fixed, the file is read again and its entry used.
    org.write_text(text.replace('colour = "red"\n', ""), encoding="utf-8")
    os.utime(org, ns=(1, 1))
    assert rules_in_force().problem == ""
    assert "acme-dpo" in {o.id for o in rules_in_force().rules}


def test_a_broken_file_is_read_once_not_at_every_keystroke(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = tmp_path / "org_rules.toml"
    org.write_text(changed("colour", '"red"')[0], encoding="utf-8")
    monkeypatch.setenv(RULES_ENV, str(org))
    first = rules_in_force()
    assert rules_in_force() is first  # cached by path, time and size, error included
