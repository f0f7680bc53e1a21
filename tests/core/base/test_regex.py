"""A pattern from ``lazy_compile`` behaves as ``re.compile``'s, and is compiled only when
first used."""

from __future__ import annotations

import re

import pytest

from email_crisis.core.base import regex
from email_crisis.core.base.regex import lazy_compile

TEXT = "Dear {{ first_name }}, Dear *|FNAME|*,\nline two"


def test_nothing_is_compiled_until_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = re.compile

    def counting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(regex.re, "compile", counting)
    pattern = lazy_compile(r"Dear (\S+),", re.M)
    assert compiled == []
    assert pattern.findall(TEXT) == ["*|FNAME|*"]
    assert pattern.search(TEXT) is not None
    assert compiled == [r"Dear (\S+),"]  # once, however often it is used


@pytest.mark.parametrize(
    ("source", "flags"),
    [(r"(?P<word>\w+)", 0), (r"^line", re.M), (r"dear", re.I), (r".+", re.S)],
)
def test_the_same_answers_as_a_compiled_pattern(source: str, flags: int) -> None:
    lazy, real = lazy_compile(source, flags), re.compile(source, flags)
    assert [m.span() for m in lazy.finditer(TEXT)] == [m.span() for m in real.finditer(TEXT)]
    assert lazy.sub("_", TEXT) == real.sub("_", TEXT)
    assert lazy.split(TEXT) == real.split(TEXT)
    assert lazy.subn("_", TEXT) == real.subn("_", TEXT)
    assert bool(lazy.match(TEXT)) == bool(real.match(TEXT))
    assert bool(lazy.fullmatch(TEXT)) == bool(real.fullmatch(TEXT))
    assert (lazy.pattern, lazy.flags, lazy.groups) == (real.pattern, real.flags, real.groups)
    assert lazy.groupindex == real.groupindex


def test_a_bad_pattern_fails_where_it_is_first_used() -> None:
    pattern = lazy_compile(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("text")


def test_what_a_pattern_lacks_is_an_attribute_error() -> None:
    pattern = lazy_compile(r"x")
    with pytest.raises(AttributeError):
        pattern.no_such_method  # type: ignore[attr-defined]  # noqa: B018
    assert repr(pattern) == "lazy_compile('x', 0)"


def test_a_checked_pattern_fails_at_once_and_pickles_as_its_source() -> None:
    import pickle

    with pytest.raises(re.error):
        lazy_compile("(unclosed", check=True)
    checked = lazy_compile("a+b", re.I, check=True)
    assert "search" in vars(checked)  # compiled already: no second compile on first use
    assert checked.search("xAAB") is not None
    copy = pickle.loads(pickle.dumps(checked))
    assert "search" not in vars(copy)  # read back as its source, compiled when used
    assert copy.search("ab") is not None
