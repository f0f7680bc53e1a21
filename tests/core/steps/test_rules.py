"""The step rules file: every step, every criterion a real check, errors that name the entry."""

from __future__ import annotations

import pytest

from email_crisis.core.base.domain import STEPS
from email_crisis.core.steps.rules import SHIPPED, StepRulesError, checks, load_rules, parse_rules

SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")


def test_the_shipped_rules_cover_the_six_steps_with_real_checks() -> None:
    rules = load_rules()
    assert list(rules) == list(STEPS)
    for step, rule in rules.items():
        assert rule.completes.endswith(".") and "{" not in rule.completes
        assert rule.criteria, step
        for criterion in rule.criteria:
            assert criterion.check is checks()[step][criterion.id]
    # Every check a step package offers is used, so none is dead code.
    assert {s: {c.id for c in r.criteria} for s, r in rules.items()} == {
        s: set(table) for s, table in checks().items()
    }


def test_the_shipped_rules_say_what_the_issue_asks() -> None:
    rules = load_rules()
    assert [c.id for c in rules["own"].criteria] == ["acknowledged", "commander", "severity"]
    assert rules["contain"].criteria[1].params == {"required": {"data-breach": ["security"]}}
    assert rules["monitor"].criteria[0].params == {"days": 7}
    assert "(7 days after reaching Monitor)" in rules["monitor"].completes
    assert (rules["own"].clock, rules["contain"].clock, rules["notify"].clock) == (
        "acknowledged_at",
        "contained_at",
        None,  # time to notify is when the apology went out, never a hand on a step
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('id = "harm_stopped"', 'id = "harm_stoped"'), "unknown check 'harm_stoped' for contain"),
        (('label = "acknowledged"', 'label = " "'), "criterion 'acknowledged' needs a label"),
        (('clock = "contained_at"', 'clock = "resolved_at"'), "clock must be one of"),
        (("[plan]\n", "[plan]\ncolour = 1\n"), "unknown keys ['colour']"),
        (("[notify]", "[notifi]"), "unknown steps ['notifi']"),
        (("({days} days", "({weeks} weeks"), "'completes' names an unknown setting"),
        (("days = 7", "days = 7\n[[close.criteria]]"), "unknown steps ['close']"),
        (('completes = "Someone has', 'completes = ""\nx = "'), "unknown keys ['x']"),
        (("[[assess.criteria]]", "[[assess.criterion]]"), "unknown keys ['criterion']"),
        (("[own]", "[own"), "steps.toml"),
    ],
)
def test_a_broken_rules_file_names_its_entry(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in SHIPPED_TEXT
    text = SHIPPED_TEXT.replace(old, new, 1)
    with pytest.raises(StepRulesError, match=r"steps\.toml") as error:
        parse_rules(text, "steps.toml")
    assert message in str(error.value)


def test_a_step_missing_from_the_file_is_named() -> None:
    text = SHIPPED_TEXT.split("[monitor]")[0]
    with pytest.raises(StepRulesError, match=r"step 'monitor' is missing"):
        parse_rules(text, "steps.toml")


def test_a_step_without_criteria_is_refused() -> None:
    start = SHIPPED_TEXT.index("[[plan.criteria]]")
    end = SHIPPED_TEXT.index("[notify]")
    text = SHIPPED_TEXT[:start] + SHIPPED_TEXT[end:]
    with pytest.raises(StepRulesError, match=r"\[plan\]: a step needs at least one"):
        parse_rules(text, "steps.toml")
