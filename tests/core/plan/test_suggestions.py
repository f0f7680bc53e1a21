"""The suggested-tasks data file: the shipped one is complete, broken ones are explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from email_crisis.core.base.domain import KINDS
from email_crisis.core.plan import tasks as plan

GOOD = """
[roles]
marketing = "Marketing"

[[suggest.all]]
id = "review"
title = "Hold a review"
kind = "process-change"
role = "marketing"
due_hours = 24
"""


def test_the_shipped_file_has_tasks_for_every_kind() -> None:
    book = plan.load_suggestions()
    for kind in KINDS:
        own = book.by_kind.get(kind, ())
        assert own, f"no suggested task for {kind}"
        assert book.for_kind(kind)[-len(book.common) :] == book.common
    for suggestion in [*book.common, *(s for items in book.by_kind.values() for s in items)]:
        assert suggestion.kind in plan.TASK_KINDS
        assert suggestion.role in book.roles


def test_every_task_kind_is_suggested_somewhere() -> None:
    book = plan.load_suggestions()
    used = {s.kind for items in book.by_kind.values() for s in items} | {
        s.kind for s in book.common
    }
    assert used == set(plan.TASK_KINDS)


def test_no_apology_task_is_suggested_for_a_suppression_list_send() -> None:
    titles = " ".join(
        s.title.lower() for s in plan.load_suggestions().for_kind("suppression-list-send")
    )
    assert "not even an apology" in titles
    assert "send the apology" not in titles


def test_the_roles_include_the_playbook_roles() -> None:
    playbooks = pytest.importorskip("email_crisis.core.contain.playbooks")
    assert set(playbooks.ROLES) <= set(plan.load_suggestions().roles)


def test_an_organisation_file_replaces_ours(tmp_path: Path) -> None:
    own = tmp_path / "mine.toml"
    own.write_text(GOOD, encoding="utf-8")
    book = plan.load_suggestions(env={plan.SUGGESTIONS_ENV: str(own)})
    assert book.source == str(own)
    assert [s.id for s in book.for_kind("data-breach")] == ["review"]
    assert book.roles == {"marketing": "Marketing"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('role = "marketing"\ndue', 'role = "janitor"\ndue'), r"line 5: unknown role 'janitor'"),
        (('kind = "process-change"', 'kind = "apology"'), "line 5: kind must be one of"),
        (("due_hours = 24", "due_hours = 0"), "line 5: due_hours must be a positive"),
        (("due_hours = 24", "due_hours = true"), "due_hours must be a positive"),
        (('id = "review"', 'id = "Review Me"'), "line 5: id must be lowercase"),
        (('title = "Hold a review"\n', ""), r"line 5: missing \['title'\]"),
        (("[[suggest.all]]", "[[suggest.spam]]"), "line 5: unknown incident kind 'spam'"),
        (('marketing = "Marketing"', ""), r"\[roles\] table"),
        (("due_hours = 24", "due_hours = "), r"line 10"),
    ],
)
def test_a_broken_file_names_the_file_and_line(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(plan.PlanDataError, match=message) as caught:
        plan.load_suggestions(broken)
    assert str(broken) in str(caught.value)


def test_a_missing_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(plan.PlanDataError, match="cannot read plan suggestions"):
        plan.load_suggestions(tmp_path / "nope.toml")
