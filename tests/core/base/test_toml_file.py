"""One safe reader for the organisation's TOML files (issue 14)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from email_crisis.core.base.toml_file import (
    ConfigProblem,
    nesting_line,
    parse_toml,
    read_toml,
    table_line,
)


def _problem(text: str) -> str:
    with pytest.raises(ConfigProblem) as caught:
        parse_toml(text, where="org.toml")
    return str(caught.value)


def test_deep_nesting_is_refused_with_its_line() -> None:
    text = 'a = 1\nb = "[[[[ in a string ]]]]"\n# [[[[ in a comment\nc = ' + "[" * 5000
    assert _problem(text + "]" * 5000).startswith("org.toml, line 4: arrays or tables are nested")
    assert _problem("x = " + "{y = " * 40 + "1" + "}" * 40).startswith("org.toml, line 1:")


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    text = "a = '''\n" + "[" * 100 + "\n'''\nb = \"" + "{" * 100 + '"\n# ' + "[" * 100
    assert nesting_line(text) is None
    assert parse_toml(text, where="x")["b"] == "{" * 100


@pytest.mark.parametrize("value", ["nan", "+nan", "-nan", "inf", "+inf", "-inf"])
def test_nan_and_inf_are_refused_with_their_line(value: str) -> None:
    message = _problem(f"a = 1\n[t]\nb = [1, {value}]\n")
    assert message == f"org.toml, line 3: {value} is not a usable number; write a finite value."


def test_a_syntax_error_names_line_and_column() -> None:
    assert _problem("a = 1\nb = = 2\n").startswith("org.toml, line 2, column 5: not valid TOML")


def test_files_not_utf8_fifos_and_missing(tmp_path: Path) -> None:
    latin = tmp_path / "latin.toml"
    latin.write_bytes("a = 1\n# équipe\n".encode("latin-1"))
    with pytest.raises(ConfigProblem, match=r"latin.toml, line 2: not UTF-8 text \(byte 0xe9\)"):
        read_toml(latin)
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigProblem, match=r"fifo.toml: this is a named pipe \(FIFO\)"):
        read_toml(fifo)
    with pytest.raises(ConfigProblem, match="there is no such file"):
        read_toml(tmp_path / "missing.toml")


def test_a_bom_is_accepted_and_the_text_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbfa = 1\n")
    assert read_toml(path) == ({"a": 1}, "a = 1\n")


def test_table_lines() -> None:
    text = "[a]\nx = 1\n\n[[a.bands]]\nk = 1\n\n[[a.bands]]\nk = 2\nlabel = 'x'\n"
    assert table_line(text, "a") == 1
    assert table_line(text, "a", key="x") == 2
    assert table_line(text, "a.bands", 1) == 7
    assert table_line(text, "a.bands", 1, key="label") == 9
    assert table_line(text, "b") is None
