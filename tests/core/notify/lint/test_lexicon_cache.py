"""Compiled word lists kept between command-line runs: same findings, rebuilt whenever
anything they came from changes, and never a reason to fail."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from email_crisis.core.notify.lint import LintContext, Linter, lexicon, lexicon_cache
from email_crisis.core.notify.lint.config import LintConfig, PhraseRule
from tests.core.notify.lint.examples import EXAMPLES


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "cache"
    lexicon_cache.enable(where)
    yield where
    lexicon_cache.enable(None)


def _findings(checker: Linter) -> list[object]:
    found = []
    for example in EXAMPLES:
        context = LintContext(kind="data-breach", language="auto")
        found.append(checker.check(example.parsed()[0], context))
    return found


def test_off_by_default_nothing_is_written(tmp_path: Path) -> None:
    assert lexicon_cache.cached("x", (), lambda: 1) == 1
    assert not any(tmp_path.iterdir())


def test_a_cached_lexicon_finds_what_a_fresh_one_finds(folder: Path) -> None:
    written = Linter()
    written.prepare()  # builds both languages and writes them
    names = {p.name.split("-cpython")[0] for p in folder.iterdir()}
    assert {"lexicon-en", "lexicon-fr"} <= names  # and "common" unless already loaded
    read = Linter()
    read.prepare()
    assert read.lexicon("en") is not written.lexicon("en")  # read back, not shared
    lexicon_cache.enable(None)
    assert _findings(read) == _findings(Linter())


def test_a_corrupt_entry_is_rebuilt_and_replaced(folder: Path) -> None:
    calls = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"value": len(calls)}

    source = folder.parent / "source.txt"
    source.write_text("one", encoding="utf-8")
    assert lexicon_cache.cached("thing", (source,), build) == {"value": 1}
    assert lexicon_cache.cached("thing", (source,), build) == {"value": 1}  # from disk
    (entry,) = folder.glob("thing-*.pickle")
    entry.write_bytes(b"\x80\x05truncated")
    assert lexicon_cache.cached("thing", (source,), build) == {"value": 2}
    assert lexicon_cache.cached("thing", (source,), build) == {"value": 2}
    assert len(calls) == 2


def test_an_edited_source_misses_and_the_oldest_entries_go(folder: Path) -> None:
    source = folder.parent / "words.toml"
    stamped: set[Path] = set()

    def cached(version: int, build: object) -> object:
        source.write_text(f"a = {version}", encoding="utf-8")
        found = lexicon_cache.cached("words", (source,), lambda: build)
        # File times can be coarser than these quick writes: date each new entry apart.
        for entry in set(folder.glob("words-*.pickle")) - stamped:
            at = (1_000 + len(stamped)) * 10**9
            os.utime(entry, ns=(at, at))
            stamped.add(entry)
        return found

    assert cached(1, "first") == "first"
    assert cached(2, "second") == "second"
    assert cached(2, "third") == "second"
    # Back to the first version (another checkout, another installed copy): still kept.
    assert cached(1, "rebuilt") == "first"
    for n in range(3, 3 + lexicon_cache.KEEP - 1):
        assert cached(n, n) == n
    assert len(list(folder.glob("words-*.pickle"))) == lexicon_cache.KEEP
    assert cached(1, "rebuilt") == "rebuilt"  # the oldest went when the last one came
    assert cached(2, "rebuilt") == "rebuilt"


def test_a_folder_that_cannot_be_written_is_not_used(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    lexicon_cache.enable(blocker / "cache")
    try:
        assert lexicon_cache.cached("x", (), lambda: "built") == "built"
        assert lexicon_cache.cached("x", (), lambda: "again") == "again"
    finally:
        lexicon_cache.enable(None)


def test_config_additions_are_never_cached(folder: Path) -> None:
    config = LintConfig(banned=(PhraseRule("synergy", "no jargon"),))
    lexicon.compiled("en", config)
    # The shared lists (data/common.toml) may be kept, if this process had not read them
    # yet: they do not depend on the config. The language's lists must not.
    assert not folder.exists() or not list(folder.glob("lexicon-*"))


@pytest.mark.parametrize("value", ["off", "OFF", "0", "no", "false"])
def test_the_environment_turns_it_off(value: str) -> None:
    assert lexicon_cache.default_folder({lexicon_cache.CACHE_ENV: value}) is None


def test_the_environment_names_the_folder(tmp_path: Path) -> None:
    env = {lexicon_cache.CACHE_ENV: str(tmp_path / "here")}
    assert lexicon_cache.default_folder(env) == tmp_path / "here"
    assert lexicon_cache.default_folder({}).name == "lint"


def test_an_entry_others_may_write_is_never_loaded(folder: Path) -> None:
    source = folder.parent / "source.txt"
    source.write_text("x", encoding="utf-8")
    assert lexicon_cache.cached("shared", (source,), lambda: "mine") == "mine"
    (entry,) = folder.glob("shared-*.pickle")
    assert entry.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    entry.write_bytes(pickle.dumps("planted"))
    entry.chmod(0o666)  # anyone could have written it
    assert lexicon_cache.cached("shared", (source,), lambda: "rebuilt") == "rebuilt"
    assert lexicon_cache.cached("shared", (source,), lambda: "again") == "rebuilt"  # replaced
    entry.unlink()
    entry.symlink_to(folder.parent / "elsewhere.pickle")
    (folder.parent / "elsewhere.pickle").write_bytes(pickle.dumps("planted"))
    assert lexicon_cache.cached("shared", (source,), lambda: "not the link") == "not the link"


@dataclass(frozen=True, slots=True)
class _Plain:
    words: tuple[str, ...]
    tag: str = "t"


@dataclass(slots=True)
class _Derived:
    text: str
    length: int = field(init=False)

    def __post_init__(self) -> None:
        self.length = len(self.text)


def test_slotted_dataclasses_read_back_equal_whichever_way_they_are_pickled(
    folder: Path,
) -> None:
    # Plain ones are pickled as (class, fields) and rebuilt by __init__; one with a
    # field __init__ does not take is pickled the usual way.
    source = folder.parent / "source.txt"
    source.write_text("x", encoding="utf-8")
    value = [_Plain(("a", "b")), _Plain(("c",), "u"), _Derived("four")]
    assert lexicon_cache.cached("records", (source,), lambda: value) == value
    again = lexicon_cache.cached("records", (source,), lambda: [])  # from disk
    assert again == value and again is not value
    assert [type(v) for v in again] == [_Plain, _Plain, _Derived]
    assert again[2].length == 4
