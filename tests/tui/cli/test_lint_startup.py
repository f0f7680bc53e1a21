"""What ``email-crisis lint FILE`` loads before its first rule runs: a plain ``.eml``
needs no email package, the word lists come from the cache after the first run, and the
cache makes no difference to what is printed. Checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from email_crisis.core.notify.lint.lexicon_cache import CACHE_ENV
from tests.tui.cli.helpers import script
from tests.tui.cli.test_startup import loaded, matching

DRAFT = (
    "From: Shop Team <noreply@shop.example>\nReply-To: care@shop.example\n"
    "Subject: Désolés, we sent you the wrong offer\n\n"
    "Dear Alex,\n\nWe are sorry: yesterday's email offered 50% off by mistake.\n"
)


def _lint(draft: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [script(), "lint", str(draft)], capture_output=True, text=True, timeout=60, check=False
    )
    return done.returncode, done.stdout, done.stderr


def test_a_plain_eml_is_checked_without_the_email_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = tmp_path / "draft.eml"
    draft.write_text(DRAFT, encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    first = _lint(draft)  # compiles the word lists and keeps them
    assert first[0] == 1  # the no-reply sender is an error
    assert "no-reply-sender" in first[1]
    entries = {p: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert sorted(p.name.split("-cpython")[0] for p in entries) == ["common", "lexicon-en"]
    code, modules = loaded(["lint", str(draft)], tmp_path)
    assert code == 1
    assert matching(modules, ("email",)) == []
    assert {p: p.stat().st_mtime_ns for p in cache.iterdir()} == entries  # read, not rebuilt
    assert _lint(draft) == first
    monkeypatch.setenv(CACHE_ENV, "off")
    assert _lint(draft) == first


NOT_FOR_A_PLAIN_DRAFT = (
    "jinja2",  # the preview renderer
    "email",  # .eml files the simple reader cannot read exactly
    "html",  # HTML bodies
    "tomllib",  # a lint config file, the word lists when not cached
    "pickle",  # the cache reads with _pickle
    "tempfile",
    "secrets",
    "sqlite3",
    "textual",
    "email_crisis.core.store",
    "email_crisis.core.base.domain",  # the incident records: --kind needs the kinds only
    "email_crisis.core.base.settings",
    "email_crisis.core.notify.lint.render",
)


@pytest.mark.parametrize("name", ["draft.eml", "draft.txt"])
def test_a_plain_draft_loads_only_what_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    draft = tmp_path / name
    draft.write_text(DRAFT, encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no lint.toml there
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.delenv("EMAIL_CRISIS_LINT_CONFIG", raising=False)
    assert _lint(draft)[0] == 1  # the first run fills the cache (and reads TOML)
    code, modules = loaded(["lint", "--kind", "wrong-content", str(draft)], tmp_path)
    assert code == 1
    assert "email_crisis.core.notify.lint.engine" in modules  # the checker did run
    assert matching(modules, NOT_FOR_A_PLAIN_DRAFT) == []
    if sys.platform == "linux":  # elsewhere the user folders come from platformdirs
        assert matching(modules, ("platformdirs",)) == []
