"""Every way a playbook file can be wrong gets a message naming the file, line and problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.contain.playbooks import (
    PLAYBOOK_ENV,
    PlaybookError,
    load_playbook,
    parse_built_in,
)

GOOD_ACTION = 'id = "halt-send"\ntitle = "Stop the send"\nowner = "marketing"\nstops_harm = true\n'

CASES = {
    "toml syntax": (
        '[wrong-segment]\n[[wrong-segment.actions]]\nid = "halt-send\n',
        3,
        "not valid TOML",
    ),
    "toml at end of document": ("[other]\nextend =", 2, "not valid TOML: Invalid value"),
    "unknown kind": (
        f"# our playbook\n\n[wrong-segmnt]\n[[wrong-segmnt.actions]]\n{GOOD_ACTION}",
        3,
        "unknown kind 'wrong-segmnt'; kinds: wrong-content, broken-personalization",
    ),
    "unknown kind suggests the nearest": ("[data-breech]\n", 1, "Did you mean 'data-breach'?"),
    "unknown top-level key": ("colour = 'red'\n", 1, "unknown kind 'colour'"),
    "missing title": (
        f"[other]\n[[other.actions]]\n{GOOD_ACTION}\n[[other.actions]]\n"
        'id = "call-boss"\nowner = "leadership"\n',
        8,
        "action 'call-boss' has no title",
    ),
    "missing id": (
        '[other]\n[[other.actions]]\ntitle = "Stop"\nowner = "it"\n',
        2,
        "action 1 of [other] has no id",
    ),
    "missing owner": (
        '[other]\n\n[[other.actions]]\nid = "a"\ntitle = "Stop"\n',
        3,
        "action 'a' has no owner",
    ),
    "empty title": (
        '[other]\n[[other.actions]]\nid = "a"\ntitle = "  "\nowner = "it"\nstops_harm = true\n',
        4,
        "title is required",
    ),
    "title with an escape code": (
        '[other]\n[[other.actions]]\nid = "a"\ntitle = "Stop \\u001b[2J"\nowner = "it"\n',
        4,
        "title contains control characters",
    ),
    "duplicate id": (
        f"[other]\n[[other.actions]]\n{GOOD_ACTION}[[other.actions]]\n"
        'title = "Again"\nid = "halt-send"\nowner = "it"\n',
        9,
        "duplicate action id 'halt-send' in [other]",
    ),
    "unknown owner role": (
        '[other]\n[[other.actions]]\nid = "a"\ntitle = "Stop"\nowner = "ceo"\n',
        5,
        "unknown role 'ceo'; use one of: marketing, it, security, legal",
    ),
    "no stops_harm action": (
        '\n[other]\n[[other.actions]]\nid = "a"\ntitle = "Stop"\nowner = "it"\n',
        2,
        "[other] has no action with stops_harm = true",
    ),
    "section with no actions at all": ("[malformed]\n", 1, "[malformed] has no action with"),
    "stops_harm is not a boolean": (
        '[other]\n[[other.actions]]\nid = "a"\ntitle = "Stop"\nowner = "it"\nstops_harm = "yes"\n',
        6,
        "stops_harm must be true or false, not text",
    ),
    "title is not text": (
        '[other]\n[[other.actions]]\nid = "a"\ntitle = 3\nowner = "it"\n',
        4,
        "title must be text, not a number",
    ),
    "extend is not a boolean": ("[other]\nextend = 1\n", 2, "extend must be true or false"),
    "actions is not an array of tables": (
        '[other]\nactions = "halt-send"\n',
        2,
        "actions must be an array of tables ([[other.actions]]), not text",
    ),
    "kind is not a section": ("other = 3\n", 1, "other must be a section [other]"),
    "unknown key in an action": (
        '[other]\n[[other.actions]]\nid = "a"\ntitle = "Stop"\nowner = "it"\nstop_harm = true\n',
        6,
        "unknown key 'stop_harm' in action 1 of [other]",
    ),
    "unknown key in a section": ("[other]\n\nsteps = []\n", 3, "unknown key 'steps' in [other]"),
    "id not kebab-case": (
        '[other]\n[[other.actions]]\nid = "Halt Send"\ntitle = "Stop"\nowner = "it"\n',
        3,
        "action id 'Halt Send' must be kebab-case",
    ),
    "reserved custom- id": (
        '[other]\n[[other.actions]]\nid = "custom-1"\ntitle = "Stop"\nowner = "it"\n',
        3,
        "must not start with 'custom-'",
    ),
    "escalation without a role": (
        f"[other]\n[[other.actions]]\n{GOOD_ACTION}[[other.escalations]]\nimmediate = true\n",
        7,
        "escalation 1 of [other] has no to",
    ),
    "escalation to an unknown role": (
        f'[other]\n[[other.actions]]\n{GOOD_ACTION}[[other.escalations]]\nto = "police"\n',
        8,
        "unknown role 'police'",
    ),
    "escalation listed twice": (
        f"[other]\n[[other.actions]]\n{GOOD_ACTION}"
        '[[other.escalations]]\nto = "it"\n[[other.escalations]]\nto = "it"\n',
        10,
        "escalation to 'it' is listed twice in [other]",
    ),
    "takes_command is not a boolean": (
        f'[other]\n[[other.actions]]\n{GOOD_ACTION}[[other.escalations]]\nto = "it"\n'
        'takes_command = "yes"\n',
        9,
        "takes_command must be true or false",
    ),
    "unknown step": ('[steps]\nown = ["marketing"]\nlaunch = ["it"]\n', 3, "unknown step 'launch'"),
    "step owners not a list": ('[steps]\nown = "marketing"\n', 2, "must be a non-empty list"),
    "step owner unknown role": ('[steps]\n\nplan = ["it", "finance"]\n', 3, "'finance'"),
}


@pytest.mark.parametrize(("text", "line", "problem"), CASES.values(), ids=list(CASES))
def test_invalid_org_file_names_file_line_and_problem(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "playbook.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        load_playbook({PLAYBOOK_ENV: str(path)})
    message = str(caught.value)
    assert re.match(rf"{re.escape(str(path))}, line {line}[:,] ", message), message
    assert problem in message
    assert isinstance(caught.value, CrisisError)


def test_toml_syntax_error_gives_the_column_too(tmp_path: Path) -> None:
    path = tmp_path / "playbook.toml"
    path.write_text('[other]\ntitle = "a" "b"\n', encoding="utf-8")
    with pytest.raises(PlaybookError, match=r"playbook.toml, line 2, column \d+: not valid TOML"):
        load_playbook({PLAYBOOK_ENV: str(path)})


def test_inline_tables_still_get_an_error_with_the_section_line(tmp_path: Path) -> None:
    path = tmp_path / "playbook.toml"
    path.write_text('\n[other]\nactions = [{ id = "a", title = "Stop", owner = "x" }]\n')
    with pytest.raises(PlaybookError) as caught:
        load_playbook({PLAYBOOK_ENV: str(path)})
    assert str(caught.value).startswith(f"{path}, line 2: unknown role 'x'")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "playbook.toml"
    path.write_bytes(b"[other]\ntitle = '\xff'\n")
    with pytest.raises(PlaybookError, match=r"playbook.toml, line 2: not UTF-8 text"):
        load_playbook({PLAYBOOK_ENV: str(path)})


def test_a_folder_instead_of_a_file(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match="is a folder"):
        load_playbook({PLAYBOOK_ENV: str(tmp_path)})


def test_built_in_playbook_must_cover_every_kind_and_step() -> None:
    text = f"[steps]\nown = ['marketing']\n[other]\n[[other.actions]]\n{GOOD_ACTION}"
    with pytest.raises(PlaybookError, match="built-in playbook: no section for kind"):
        parse_built_in(text)
    from email_crisis.core.contain.playbooks import built_in_text

    shipped = built_in_text().replace('monitor = ["deliverability", "marketing"]\n', "")
    with pytest.raises(PlaybookError, match=r"built-in playbook, line \d+: no owners for: monitor"):
        parse_built_in(shipped)
