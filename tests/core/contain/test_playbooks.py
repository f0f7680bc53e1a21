"""The shipped playbook, and an organisation's file replacing or extending it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from email_crisis.core.base.domain import KINDS, STEPS
from email_crisis.core.contain.playbooks import (
    BUILT_IN,
    PLAYBOOK_ENV,
    ROLES,
    PlaybookError,
    built_in_text,
    load_playbook,
    org_playbook_path,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- the shipped playbook --------------------------------------------------------------


def test_shipped_playbook_covers_every_kind_with_an_action_that_stops_the_harm() -> None:
    playbook = load_playbook({})
    assert list(playbook.kinds) == list(KINDS)
    for kind, section in playbook.kinds.items():
        assert section.kind == kind
        assert section.actions, kind
        assert section.stops_harm_ids, f"{kind} has no stops_harm action"
        ids = [a.id for a in section.actions]
        assert len(ids) == len(set(ids)), kind
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids), ids
        assert all(a.owner in ROLES for a in section.actions)
        assert all(a.title and a.title[0].isupper() for a in section.actions)
        assert section.source == BUILT_IN
    assert playbook.sources == (BUILT_IN,)


def test_shipped_playbook_follows_the_examples_of_the_issue() -> None:
    playbook = load_playbook({})
    segment = {a.id: a for a in playbook.for_kind("wrong-segment").actions}
    assert segment["halt-send"].stops_harm
    assert segment["halt-send"].esp_operation == "cancel-scheduled"
    assert segment["pause-campaign"].esp_operation == "pause-batch"
    assert list(segment)[:2] == ["halt-send", "pause-campaign"]

    breach = playbook.for_kind("data-breach")
    rules = {e.to: e for e in breach.escalations}
    assert rules["security"].immediate and rules["security"].takes_command
    assert rules["it"].immediate and not rules["it"].takes_command
    ids = [a.id for a in breach.actions]
    assert ids[0] == "call-security"
    assert {"revoke-api-keys", "freeze-exports"} <= set(ids)

    suppression = playbook.for_kind("suppression-list-send")
    assert [a.id for a in suppression.actions][:2] == ["halt-send", "quarantine-list"]
    assert "legal" in {e.to for e in suppression.escalations}


def test_shipped_responsibility_matrix_names_owners_for_all_six_steps() -> None:
    owners = load_playbook({}).step_owners
    assert list(owners) == list(STEPS)
    assert owners["own"] == ("marketing", "leadership")
    assert {"marketing", "it", "security"} == set(owners["contain"])
    assert {"marketing", "legal", "security"} == set(owners["assess"])
    assert {"marketing", "legal"} == set(owners["notify"])
    assert {"deliverability", "marketing"} == set(owners["monitor"])
    assert len(owners["plan"]) >= 4  # cross-functional


def test_shipped_file_is_read_from_the_installed_package() -> None:
    text = built_in_text()
    assert "[data-breach]" in text and "[steps]" in text


# -- where the organisation's file is found ---------------------------------------------


def test_no_org_file_means_the_built_in_playbook(tmp_path: Path) -> None:
    assert org_playbook_path({}) is None
    assert load_playbook({}).sources == (BUILT_IN,)


def test_default_location_in_the_user_config_folder_is_used(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config" / "email-crisis" / "playbook.toml",
        '[other]\n[[other.actions]]\nid = "page-oncall"\ntitle = "Page the on-call"\n'
        'owner = "it"\nstops_harm = true\n',
    )
    assert org_playbook_path({}) == path
    playbook = load_playbook({})
    assert [a.id for a in playbook.for_kind("other").actions] == ["page-oncall"]
    assert playbook.sources == (BUILT_IN, str(path))


def test_env_variable_wins_over_the_default_location(tmp_path: Path) -> None:
    write(tmp_path / "config" / "email-crisis" / "playbook.toml", "[other\n")  # broken: unused
    chosen = write(tmp_path / "org.toml", "")
    assert org_playbook_path({PLAYBOOK_ENV: str(chosen)}) == chosen
    assert load_playbook({PLAYBOOK_ENV: str(chosen)}).sources == (BUILT_IN, str(chosen))


def test_env_variable_naming_a_missing_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(PlaybookError, match=f"{PLAYBOOK_ENV} points at .*nowhere.toml"):
        load_playbook({PLAYBOOK_ENV: str(missing)})


def test_explicit_path_wins_over_the_env_variable(tmp_path: Path) -> None:
    chosen = write(tmp_path / "cli.toml", "")
    playbook = load_playbook({PLAYBOOK_ENV: str(tmp_path / "missing.toml")}, path=chosen)
    assert playbook.sources == (BUILT_IN, str(chosen))
    with pytest.raises(PlaybookError, match="does not exist"):
        load_playbook({}, path=tmp_path / "gone.toml")


# -- replace and extend -----------------------------------------------------------------

ORG_SEGMENT = """
[wrong-segment]

[[wrong-segment.actions]]
id = "call-agency"
title = "Ask the agency to stop the send"
owner = "marketing"
stops_harm = true

[[wrong-segment.escalations]]
to = "legal"
"""


def test_a_kind_section_replaces_ours_and_leaves_the_others(tmp_path: Path) -> None:
    path = write(tmp_path / "org.toml", ORG_SEGMENT)
    ours = load_playbook({})
    playbook = load_playbook({PLAYBOOK_ENV: str(path)})
    section = playbook.for_kind("wrong-segment")
    assert [a.id for a in section.actions] == ["call-agency"]
    assert [e.to for e in section.escalations] == ["legal"]
    assert section.source == str(path)
    assert playbook.for_kind("data-breach") == ours.for_kind("data-breach")
    assert playbook.step_owners == ours.step_owners


def test_extend_appends_actions_and_replaces_one_with_the_same_id(tmp_path: Path) -> None:
    path = write(
        tmp_path / "org.toml",
        """
[wrong-segment]
extend = true

[[wrong-segment.actions]]
id = "pause-campaign"
title = "Pause the campaign and its journey in the automation tool"
owner = "it"

[[wrong-segment.actions]]
id = "tell-sales"
title = "Warn the sales team"
owner = "leadership"

[[wrong-segment.escalations]]
to = "leadership"
immediate = true

[[wrong-segment.escalations]]
to = "esp-support"
""",
    )
    ours = [a.id for a in load_playbook({}).for_kind("wrong-segment").actions]
    section = load_playbook({PLAYBOOK_ENV: str(path)}).for_kind("wrong-segment")
    assert [a.id for a in section.actions] == [*ours, "tell-sales"]
    replaced = {a.id: a for a in section.actions}["pause-campaign"]
    assert (replaced.owner, replaced.esp_operation) == ("it", None)
    assert [(e.to, e.immediate) for e in section.escalations] == [
        ("leadership", True),
        ("esp-support", False),
    ]
    assert section.source == f"{BUILT_IN}, extended by {path}"
    assert section.stops_harm_ids == ("halt-send",)


def test_extend_with_only_escalations_keeps_our_actions(tmp_path: Path) -> None:
    path = write(
        tmp_path / "org.toml", '[other]\nextend = true\n[[other.escalations]]\nto = "it"\n'
    )
    ours = load_playbook({}).for_kind("other")
    section = load_playbook({PLAYBOOK_ENV: str(path)}).for_kind("other")
    assert section.actions == ours.actions
    assert [e.to for e in section.escalations] == ["it"]


def test_extend_that_removes_the_last_stops_harm_action_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "org.toml",
        '[other]\nextend = true\n\n[[other.actions]]\nid = "halt-send"\n'
        'title = "Stop it"\nowner = "marketing"\nstops_harm = false\n',
    )
    with pytest.raises(PlaybookError) as caught:
        load_playbook({PLAYBOOK_ENV: str(path)})
    assert str(caught.value).startswith(f"{path}, line 1: [other] has no action with stops_harm")


def test_org_steps_replace_only_the_steps_they_name(tmp_path: Path) -> None:
    path = write(tmp_path / "org.toml", '[steps]\nnotify = ["marketing", "legal", "leadership"]\n')
    owners = load_playbook({PLAYBOOK_ENV: str(path)}).step_owners
    assert owners["notify"] == ("marketing", "legal", "leadership")
    assert owners["own"] == ("marketing", "leadership")
