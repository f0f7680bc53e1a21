"""``email-crisis lint --jobs N``: many files checked by forked workers print exactly
what one process prints, in the order of the files, errors included."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from email_crisis.tui.cli import lint_parallel
from tests.tui.cli.helpers import script

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

DRAFT = (
    "From: Shop <{sender}@example.com>\nSubject: {subject}\n\n"
    "Dear customer,\n\nWe may have sent you the wrong code, lol. {n}\n\n"
    "Reply to this email if you have any question.\n"
)


def _square(i: int) -> int:
    return i * i


@needs_fork
def test_results_come_back_in_order() -> None:
    assert lint_parallel.run(_square, 50, 3) == [i * i for i in range(50)]
    assert lint_parallel.run(_square, 1, 4) == [0]
    assert lint_parallel.run(_square, 0, 2) == []


@needs_fork
def test_items_a_worker_could_not_do_are_done_again_by_the_parent() -> None:
    parent = os.getpid()

    def only_here(i: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("a worker failed")
        return i + 1

    assert lint_parallel.run(only_here, 20, 2) == list(range(1, 21))


@needs_fork
def test_the_first_item_that_fails_everywhere_raises_as_in_one_process() -> None:
    def fails(i: int) -> int:
        if i in (7, 12):
            raise ValueError(f"item {i}")
        return i

    with pytest.raises(ValueError, match="item 7"):
        lint_parallel.run(fails, 20, 2)


@needs_fork
def test_cli_output_is_the_same_with_one_process_or_several(tmp_path: Path) -> None:
    paths = []
    for n in range(12):
        path = tmp_path / f"d{n:02}.eml"
        sender = "noreply" if n % 3 == 0 else "care"
        path.write_text(DRAFT.format(sender=sender, subject=f"Oops {n}", n=n), encoding="utf-8")
        paths.append(str(path))
    paths.insert(4, str(tmp_path / "missing.eml"))
    paths.insert(9, str(tmp_path))  # a folder
    (tmp_path / "latin.txt").write_bytes(b"Caf\xe9\n")
    paths.append(str(tmp_path / "latin.txt"))
    runs = {}
    for jobs in ("1", "2", "4"):
        for fmt in ("text", "json"):
            done = subprocess.run(
                [script(), "lint", "--jobs", jobs, "--format", fmt, *paths],
                capture_output=True,
                text=True,
                check=False,
            )
            runs[jobs, fmt] = (done.returncode, done.stdout, done.stderr)
    for fmt in ("text", "json"):
        assert runs["2", fmt] == runs["1", fmt]
        assert runs["4", fmt] == runs["1", fmt]
    code, stdout, stderr = runs["1", "text"]
    assert code == 2  # unreadable input wins over error findings
    assert "missing.eml: " in stderr.splitlines()[0] and "no such file" in stderr
    assert len(stderr.splitlines()) == 3
    assert stdout.index("d00.eml") < stdout.index("d05.eml") < stdout.index("d11.eml")
    assert stdout.endswith("in 12 files.\n")


def test_jobs_must_be_a_positive_number(tmp_path: Path) -> None:
    done = subprocess.run(
        [script(), "lint", "--jobs", "0", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "--jobs" in done.stderr
