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
    load_file,
    load_rules,
    org_rules_path,
    rules_in_force,
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
citation = "Test Act s 1"
url = "https://example.org/act"
verified = "statute"
last_reviewed = 2026-11-20
"""
# What an organisation's file written for earlier versions looks like: no verified,
# the older names source and starts.
OLD_ENTRY = """
[[obligation]]
id = "{id}"
region = "eu-eea"
label = "Old"
obligation = "Tell the authority"
audience = "authority"
window = {{ kind = "hours", amount = 24 }}
starts = "assessed"
condition = "Always"
source = "Older Act s 2"
url = "https://example.org/old"
last_reviewed = 2025-01-10
"""


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_table_loads_with_a_source_for_every_entry() -> None:
    rules = load_rules()
    assert len(rules) >= 60
    assert len({o.id for o in rules}) == len(rules)
    assert all(o.citation and o.url.startswith("http") and o.last_reviewed for o in rules)
    assert all(o.verified in ("statute", "regulator-guidance", "secondary") for o in rules)
    assert all(o.origin == str(SHIPPED_RULES) for o in rules)


def test_no_shipped_entry_still_says_it_was_never_checked() -> None:
    assert not [o.id for o in load_rules() if "not yet checked" in o.note.lower()]


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
        (
            ('condition = "Always"', 'condition = "Always"\nwindoww = 3'),
            "unknown field(s) windoww (line 24).",
        ),
        (('verified = "statute"\n', ""), "missing field(s) verified"),
        (('verified = "statute"', 'verified = "blog"'), "unknown verified 'blog'"),
        (
            ('condition = "Always"', 'condition = "Always"\nwaits_for = "lunch"'),
            "unknown waits_for 'lunch'",
        ),
        (
            ('condition = "Always"', 'condition = "Always"\nends_earlier_at = "assessed-ish"'),
            "unknown ends_earlier_at",
        ),
        (
            ('condition = "Always"', 'condition = "Always"\nin_force_from = "May 2027"'),
            "in_force_from must be an ISO date",
        ),
        (
            ('condition = "Always"', 'condition = "Always"\nany_size_if = { size = 3 }'),
            "any_size_if must be a table",
        ),
        (
            ('condition = "Always"', 'condition = "Always"\nonly_if_cause = ["bad-luck"]'),
            "only_if_cause must list cause ids",
        ),
        (
            (
                'condition = "Always"',
                'condition = "Always"\ncredit_agencies = { min_affected = 5 }',
            ),
            "credit_agencies must be a table of min_affected, condition, citation and verified",
        ),
        (('region = "eu-eea"', 'region = "eu-eea"\nca_province = "QC"'), "needs region 'canada'"),
        (('condition = "Always"', 'condition = "Always"\nrole = "boss"'), "unknown role 'boss'"),
        (
            ('citation = "Test Act s 1"', 'citation = "Test Act s 1"\nsource = "Again"'),
            "give citation only (source is its older name)",
        ),
        (('condition = "Always"', 'condition = "Always"\nmin_affected = 0'), "min_affected"),
        (('condition = "Always"', 'condition = "Always"\ndata = ["ssn"]'), "data must list"),
        (
            ('condition = "Always"', 'condition = "Always"\ntime_zone = "Mars/Olympus"'),
            "unknown time_zone 'Mars/Olympus'",
        ),
        (('condition = "Always"', 'condition = ""'), "condition is empty"),
        (('citation = "Test Act s 1"', "citation = 12"), "citation must be a string"),
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
        assert "(id 'test-entry', line 17)" in message


def test_an_unknown_top_level_key_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "# rules\n\ntitle = 'mine'\n" + ENTRY.format(id="one"))
    with pytest.raises(
        BreachRulesError, match=re.escape("unknown top-level key(s) title (line 3)")
    ):
        load_file(path)


def test_an_unknown_table_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, ENTRY.format(id="one") + "\n[defaults]\nwindow = 3\n")
    with pytest.raises(
        BreachRulesError, match=re.escape("unknown top-level key(s) defaults (line 15)")
    ):
        load_file(path)


def test_a_waits_for_link_must_name_an_entry_in_force(tmp_path: Path) -> None:
    chained = ENTRY.format(id="first") + ENTRY.format(id="second").replace(
        'condition = "Always"', 'condition = "Always"\nwaits_for = "deadline:third"'
    )
    path = write(tmp_path, chained)
    with pytest.raises(
        BreachRulesError, match="waits_for names 'third', which is not in the rules"
    ):
        load_rules(shipped=path)
    loop = ENTRY.format(id="first").replace(
        'condition = "Always"', 'condition = "Always"\nwaits_for = "deadline:second"'
    ) + ENTRY.format(id="second").replace(
        'condition = "Always"', 'condition = "Always"\nwaits_for = "deadline:first"'
    )
    with pytest.raises(BreachRulesError, match="goes round in a circle"):
        load_rules(shipped=write(tmp_path, loop, "loop.toml"))


def test_an_organisation_file_written_for_earlier_versions_still_loads(tmp_path: Path) -> None:
    org = write(tmp_path, OLD_ENTRY.format(id="acme-old"), "org.toml")
    rules = {o.id: o for o in load_rules(org=org)}
    old = rules["acme-old"]
    assert (old.citation, old.waits_for, old.verified) == ("Older Act s 2", "assessed", "")
    assert old.verified_text == "from your organisation's rules file; not checked by email-crisis"
    with pytest.raises(BreachRulesError, match="missing field\\(s\\) verified"):
        load_file(org)  # the shipped table must say how each entry was checked


def test_a_credit_agency_duty_becomes_an_obligation_of_its_own(tmp_path: Path) -> None:
    entry = ENTRY.format(id="us-zz").replace('region = "eu-eea"', 'region = "us"\nus_state = "NY"')
    entry = entry.replace(
        'condition = "Always"',
        'condition = "Always"\ncredit_agencies = { min_affected = 5001, condition = "Tell them", '
        'citation = "Test Act s 9", verified = "secondary" }',
    )
    rules = load_file(write(tmp_path, entry))
    agencies = rules["us-zz-credit-agencies"]
    assert agencies is not None
    assert (agencies.min_affected, agencies.citation, agencies.verified) == (
        5001,
        "Test Act s 9",
        "secondary",
    )
    assert (agencies.part_of, agencies.us_state, agencies.label) == (
        "us-zz",
        "NY",
        "NY credit agencies",
    )


def test_replacing_or_disabling_an_entry_takes_its_credit_agency_duty_with_it(
    tmp_path: Path,
) -> None:
    replaced = write(tmp_path, ENTRY.format(id="us-ny-residents"), "org.toml")
    ids = {o.id for o in load_rules(org=replaced)}
    assert "us-ny-residents" in ids and "us-ny-residents-credit-agencies" not in ids
    disabled = write(
        tmp_path, '[[obligation]]\nid = "us-tx-individuals"\ndisabled = true\n', "off.toml"
    )
    ids = {o.id for o in load_rules(org=disabled)}
    assert not {"us-tx-individuals", "us-tx-individuals-credit-agencies"} & ids


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
        load_file(odd, organisation=True)


def test_the_organisation_file_comes_from_the_environment_or_the_config_folder(
    tmp_path: Path,
) -> None:
    assert org_rules_path({RULES_ENV: "~/rules.toml"}) == Path("~/rules.toml").expanduser()
    config = tmp_path / "no-config" / "email-crisis"
    assert org_rules_path({}) is None  # XDG_CONFIG_HOME points at an empty folder
    config.mkdir(parents=True)
    (config / "breach_rules.toml").write_text("", encoding="utf-8")
    assert org_rules_path({}) == config / "breach_rules.toml"


def test_the_rules_in_force_follow_the_environment_and_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = write(tmp_path, ENTRY.format(id="acme-one"), "org.toml")
    monkeypatch.setenv(RULES_ENV, str(org))
    assert "acme-one" in {o.id for o in rules_in_force().rules}
    org.write_text(ENTRY.format(id="acme-two") + "\n# longer now\n", encoding="utf-8")
    os.utime(org, ns=(1, 1))  # a different stamp even on coarse-mtime file systems
    ids = {o.id for o in rules_in_force().rules}
    assert "acme-two" in ids and "acme-one" not in ids
    monkeypatch.setenv(RULES_ENV, str(tmp_path / "missing.toml"))
    missing = rules_in_force()
    assert re.search(r"missing\.toml does not exist", missing.problem)
    assert missing.rules == load_rules()  # the shipped table keeps the clocks running
