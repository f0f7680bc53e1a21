"""The breach-rules files: the shipped table loads, broken files get clear messages, and an
organisation file replaces, adds or disables entries."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from email_crisis.core.assess.breach_rules import (
    RULES_ENV,
    SHIPPED_RULES,
    BreachRulesError,
    current_rules,
    load_file,
    load_rules,
    org_rules_path,
)

ENTRY = """
[[obligation]]
id = "{id}"
region = "eu-eea"
label = "Test"
obligation = "Tell the authority"
audience = "authority"
window = {{ kind = "hours", amount = 48 }}
condition = "Always"
source = "Test Act s 1"
url = "https://example.org/act"
last_reviewed = 2026-11-20
"""


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_table_loads_with_a_source_for_every_entry() -> None:
    rules = load_rules()
    assert len(rules) >= 20
    assert len({o.id for o in rules}) == len(rules)
    assert all(o.source and o.url.startswith("http") and o.last_reviewed for o in rules)
    assert all(o.origin == str(SHIPPED_RULES) for o in rules)


def test_bad_toml_names_the_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '[[obligation]]\nid = "x"\nregion = eu-eea\n')
    with pytest.raises(BreachRulesError) as caught:
        load_file(path)
    message = str(caught.value)
    assert str(path) in message and "not valid TOML" in message
    assert "line 3" in message and "column" in message


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('label = "Test"\n', ""), "missing field(s) label"),
        (
            ('window = { kind = "hours", amount = 48 }', 'window = { kind = "weeks", amount = 2 }'),
            "unknown window kind 'weeks'; use one of hours, calendar-days, business-days, none",
        ),
        (
            ("last_reviewed = 2026-11-20", 'last_reviewed = "2026-02-30"'),
            "last_reviewed must be an ISO date like 2026-11-20",
        ),
        (
            ("last_reviewed = 2026-11-20", "last_reviewed = 2026-11-20T10:00:00"),
            "last_reviewed must be an ISO date",
        ),
        (('region = "eu-eea"', 'region = "mars"'), "unknown region 'mars'"),
        (('region = "eu-eea"', 'region = "eu-eea"\nus_state = "CA"'), "needs region 'us'"),
        (
            ('window = { kind = "hours", amount = 48 }', 'window = { kind = "none", amount = 3 }'),
            "absent (or 0) only for kind 'none'",
        ),
        (
            ('window = { kind = "hours", amount = 48 }', 'window = { kind = "hours" }'),
            "must be positive",
        ),
        (('window = { kind = "hours", amount = 48 }', 'window = "72h"'), "window must be a table"),
        (('url = "https://example.org/act"', 'url = "example.org"'), "url must start with"),
        (('label = "Test"', 'label = "A label far too long for a header"'), "label is longer"),
        (('condition = "Always"', 'condition = "Always"\nwindoww = 3'), "unknown field(s) windoww"),
        (('condition = "Always"', 'condition = "Always"\nmin_affected = 0'), "min_affected"),
        (('condition = "Always"', 'condition = "Always"\ndata = ["ssn"]'), "data must list"),
        (
            ('condition = "Always"', 'condition = "Always"\ntime_zone = "Mars/Olympus"'),
            "unknown time_zone 'Mars/Olympus'",
        ),
        (('condition = "Always"', 'condition = ""'), "condition is empty"),
        (('source = "Test Act s 1"', "source = 12"), "source must be a string"),
        (('id = "test-entry"', 'id = "Test Entry"'), "id must be lower-case words"),
    ],
)
def test_entry_problems_name_the_file_entry_and_line(
    tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    text = "# a comment\n" + ENTRY.format(id="first-entry") + ENTRY.format(id="test-entry")
    old, new = change
    assert old in text
    head, tail = text.rsplit(old, 1)  # change the second entry only
    path = write(tmp_path, head + new + tail)
    with pytest.raises(BreachRulesError) as caught:
        load_file(path)
    message = str(caught.value)
    assert f"breach rules file {path}, entry 2" in message
    assert problem in message
    if "id must be" not in problem:
        assert "(id 'test-entry', line 16)" in message


def test_a_duplicate_id_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, ENTRY.format(id="twice") + ENTRY.format(id="twice"))
    with pytest.raises(BreachRulesError, match="the id 'twice' is used twice"):
        load_file(path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("title = 'mine'\n", "unknown top-level key(s) title"),
        ("obligation = 3\n", "must be [[obligation]]"),
    ],
)
def test_the_file_shape_is_checked(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(BreachRulesError, match=re.escape(problem)):
        load_file(write(tmp_path, text))


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(BreachRulesError, match="does not exist"):
        load_file(tmp_path / "nope.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"# caf\xe9\n")
    with pytest.raises(BreachRulesError, match="not UTF-8"):
        load_file(latin)


def test_an_organisation_file_replaces_adds_and_disables(tmp_path: Path) -> None:
    org = write(
        tmp_path,
        ENTRY.format(id="eu-gdpr-authority")
        + ENTRY.format(id="acme-internal-dpo")
        + '\n[[obligation]]\nid = "au-ndb-assessment"\ndisabled = true\n',
        "org.toml",
    )
    rules = {o.id: o for o in load_rules(org=org)}
    shipped = {o.id for o in load_rules()}
    assert rules["eu-gdpr-authority"].window.amount == 48  # replaced
    assert rules["eu-gdpr-authority"].origin == str(org)
    assert "acme-internal-dpo" in rules  # added
    assert "au-ndb-assessment" not in rules  # disabled
    assert set(rules) == shipped - {"au-ndb-assessment"} | {"acme-internal-dpo"}


def test_only_an_organisation_file_can_disable(tmp_path: Path) -> None:
    path = write(tmp_path, '[[obligation]]\nid = "x"\ndisabled = true\n')
    with pytest.raises(BreachRulesError, match="only an organisation file can disable"):
        load_file(path)
    odd = write(tmp_path, '[[obligation]]\nid = "x"\ndisabled = true\nlabel = "y"\n', "odd.toml")
    with pytest.raises(BreachRulesError, match="just id and disabled"):
        load_file(odd, allow_disable=True)


def test_the_organisation_file_comes_from_the_environment_or_the_config_folder(
    tmp_path: Path,
) -> None:
    assert org_rules_path({RULES_ENV: "~/rules.toml"}) == Path("~/rules.toml").expanduser()
    config = tmp_path / "no-config" / "email-crisis"
    assert org_rules_path({}) is None  # XDG_CONFIG_HOME points at an empty folder
    config.mkdir(parents=True)
    (config / "breach_rules.toml").write_text("", encoding="utf-8")
    assert org_rules_path({}) == config / "breach_rules.toml"


def test_current_rules_follows_the_environment_and_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = write(tmp_path, ENTRY.format(id="acme-one"), "org.toml")
    monkeypatch.setenv(RULES_ENV, str(org))
    assert "acme-one" in {o.id for o in current_rules()}
    org.write_text(ENTRY.format(id="acme-two") + "\n# longer now\n", encoding="utf-8")
    os.utime(org, ns=(1, 1))  # a different stamp even on coarse-mtime file systems
    ids = {o.id for o in current_rules()}
    assert "acme-two" in ids and "acme-one" not in ids
    monkeypatch.setenv(RULES_ENV, str(tmp_path / "missing.toml"))
    with pytest.raises(BreachRulesError, match=r"missing\.toml does not exist"):
        current_rules()
