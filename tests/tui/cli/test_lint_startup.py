"""What ``email-crisis lint FILE`` loads before its first rule runs: a plain ``.eml``
needs no email package, the word lists come from the cache after the first run, and the
cache makes no difference to what is printed. Checked in fresh interpreters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from email_crisis.core.notify.lint.lexicon_cache import CACHE_ENV
from tests.tui.cli.test_startup import PROBE, matching

DRAFT = (
    "From: Shop Team <noreply@shop.example>\nReply-To: care@shop.example\n"
    "Subject: We sent you the wrong offer\n\n"
    "Dear Alex,\n\nWe are sorry: yesterday's email offered 50% off by mistake.\n"
)


def _run(args: list[str], cache: str, cwd: Path) -> tuple[int, list[str], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_CRISIS_")}
    env[CACHE_ENV] = cache
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
        env=env,
    )
    *printed, last = done.stdout.splitlines()
    report = json.loads(last)
    return report["code"], report["modules"], "\n".join(printed)


def test_a_plain_eml_is_checked_without_the_email_package(tmp_path: Path) -> None:
    draft = tmp_path / "draft.eml"
    draft.write_text(DRAFT, encoding="utf-8")
    cache = str(tmp_path / "cache")
    code, _, cold = _run(["lint", str(draft)], cache, tmp_path)
    assert code == 1  # the no-reply sender is an error
    entries = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}
    code, warm_modules, warm = _run(["lint", str(draft)], cache, tmp_path)
    assert code == 1
    assert warm == cold
    assert "no-reply-sender" in warm
    assert matching(warm_modules, ("email",)) == []
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()} == entries
    code, _, off = _run(["lint", str(draft)], "off", tmp_path)
    assert (code, off) == (1, cold)
    assert sorted(p.name.split("-cpython")[0] for p in (tmp_path / "cache").iterdir()) == [
        "common",
        "lexicon-en",
    ]
