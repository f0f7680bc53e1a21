"""Each command loads what it needs: ``--version`` and ``lint`` load neither Textual nor
the store, ``list`` loads the store but not Textual.

Measured in a fresh interpreter (``sys.modules`` after the command ran), so nothing a
previous test imported can hide an import.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from email_crisis.core.store.database import Store

PROBE = """
import json, sys
from email_crisis.tui.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""
TEXTUAL = ("textual",)
STORE = ("email_crisis.core.store", "sqlite_utils", "sqlite3")


def loaded(args: list[str], tmp_path: Path) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    report = json.loads(done.stdout.splitlines()[-1])
    return report["code"], report["modules"]


def matching(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


def test_version_loads_neither_textual_nor_the_store(tmp_path: Path) -> None:
    code, modules = loaded(["--version"], tmp_path)
    assert code == 0
    assert matching(modules, TEXTUAL) == []
    assert matching(modules, STORE) == []


@pytest.mark.parametrize("kind", [None, "data-breach"])
def test_lint_loads_neither_textual_nor_the_store(tmp_path: Path, kind: str | None) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Subject: We made a mistake\n\nWe are sorry.\n", encoding="utf-8")
    code, modules = loaded(["lint", str(draft), *(["--kind", kind] if kind else [])], tmp_path)
    assert code in (0, 1)
    assert "email_crisis.core.notify.lint.engine" in modules  # the checker did run
    assert matching(modules, TEXTUAL) == []
    assert matching(modules, STORE) == []
    assert matching(modules, ("email_crisis.core.contain", "email_crisis.core.demo")) == []


def test_list_loads_the_store_but_not_textual(tmp_path: Path) -> None:
    db = tmp_path / "incidents.db"
    Store.open(db).close()
    code, modules = loaded(["--db", str(db), "list"], tmp_path)
    assert code == 0
    assert "email_crisis.core.store.database" in modules
    assert matching(modules, TEXTUAL) == []


def test_the_console_script_freezes_what_a_command_imported(tmp_path: Path) -> None:
    # main() without arguments runs the process (the console script, python -m): the
    # modules a command loaded are frozen out of the garbage collector's sight.
    draft = tmp_path / "draft.txt"
    draft.write_text("We are sorry.\n", encoding="utf-8")
    code = (
        "import gc, sys\nfrom email_crisis.tui.cli import main\n"
        f"sys.argv = ['email-crisis', 'lint', {str(draft)!r}]\n"
        "before = gc.get_freeze_count()\nmain()\n"
        "print(before, gc.get_freeze_count(), gc.isenabled())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    before, after, enabled = done.stdout.split()[-3:]
    assert (int(before), enabled) == (0, "True")
    assert int(after) > 1000


def test_in_process_calls_leave_the_collector_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A test (or any caller) running commands in its own process keeps its objects
    # collectable: main(argv) and the click group never freeze anything.
    from click.testing import CliRunner

    from email_crisis.tui import cli

    monkeypatch.setenv("EMAIL_CRISIS_LINT_CACHE", "off")
    draft = tmp_path / "draft.txt"
    draft.write_text("We are sorry.\n", encoding="utf-8")
    frozen = gc.get_freeze_count()
    assert cli.main(["lint", str(draft)]) in (0, 1)
    assert CliRunner().invoke(cli.cli, ["lint", str(draft)]).exit_code in (0, 1)
    # No freeze (it would add every live object); the count may drop, as frozen objects
    # of an earlier test in this worker are freed (CI saw 1094825 -> 1094823).
    assert gc.get_freeze_count() <= frozen
    assert gc.isenabled()


def _drafts(folder: Path, count: int) -> list[str]:
    paths = []
    for n in range(count):
        draft = folder / f"draft{n}.txt"
        draft.write_text(f"We are sorry ({n}).\n", encoding="utf-8")
        paths.append(str(draft))
    return paths


def test_a_lint_batch_runs_with_the_collector_paused_in_a_process_of_its_own(
    tmp_path: Path,
) -> None:
    # The console script checks its files with the collector paused (they make no
    # reference cycle: nothing is left for it), and turns it back on after.
    drafts = _drafts(tmp_path, 3)
    code = (
        "import gc, sys\nfrom email_crisis.tui.cli import main\n"
        "import email_crisis.tui.cli.lint as lint\n"
        "seen = []\ncheck = lint._check\n"
        "def spy(*args, **kwargs):\n"
        "    seen.append(gc.isenabled())\n    return check(*args, **kwargs)\n"
        "lint._check = spy\n"
        f"sys.argv = ['email-crisis', 'lint', '--jobs', '1', *{drafts!r}]\n"
        "main()\nprint(seen, gc.isenabled(), gc.collect())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.splitlines()[-1] == "[False, False, False] True 0"


def test_an_in_process_lint_batch_keeps_the_collector_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from email_crisis.tui import cli
    from email_crisis.tui.cli import lint

    drafts = _drafts(tmp_path, 2)
    seen: list[bool] = []
    check = lint._check

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lint, "_check", spy)
    assert cli.main(["lint", "--jobs", "1", *drafts]) in (0, 1)
    assert seen == [True, True]
