"""Reading only regular files, and writing outputs that never destroy anything (issue 14)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from email_crisis.core.base import files
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.files import (
    PARTIAL,
    NotRegularFile,
    OutputExists,
    OutputRefused,
    check_output,
    database_files,
    open_regular,
    private_output,
    read_regular,
    sweep_partials,
    write_private,
)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "list.csv"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFile, match=r"named pipe \(FIFO\), not a regular file"):
        open_regular(fifo)


@pytest.mark.parametrize(
    ("path", "expected"), [("/dev/zero", "a device"), ("/dev/null", "a device"), ("/", "a folder")]
)
def test_devices_and_folders_are_refused(path: str, expected: str) -> None:
    with pytest.raises(NotRegularFile, match=expected):
        open_regular(path)


def test_missing_and_too_large_files(tmp_path: Path) -> None:
    with pytest.raises(NotRegularFile, match="there is no such file"):
        open_regular(tmp_path / "nope")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2048)
    assert read_regular(big, limit=4096) == b"x" * 2048
    with pytest.raises(NotRegularFile, match="larger than 1 KiB"):
        read_regular(big, limit=1024)


def test_a_regular_file_reads_normally_and_blocks_as_usual(tmp_path: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_text("hello\n")
    with open_regular(path) as handle:
        assert os.get_blocking(handle.fileno())
        assert handle.read() == b"hello\n"


def test_outputs_refuse_the_database_its_files_links_and_folders(tmp_path: Path) -> None:
    db = tmp_path / "incidents.db"
    db.write_bytes(b"SQLite format 3\x00")
    kept = database_files(db)
    assert [p.name for p in kept] == [
        "incidents.db",
        "incidents.db-wal",
        "incidents.db-shm",
        "incidents.db-journal",
    ]
    for target in kept:
        with pytest.raises(OutputRefused, match="incident database"):
            check_output(target, force=True, protect=kept)
    hard = tmp_path / "hard-link.db"
    os.link(db, hard)  # the same file under another name
    with pytest.raises(OutputRefused, match="incident database"):
        check_output(hard, force=True, protect=kept)
    via_link = tmp_path / "via"
    via_link.symlink_to(tmp_path)
    with pytest.raises(OutputRefused, match="incident database"):
        check_output(via_link / "incidents.db", force=True, protect=kept)
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "victim")
    with pytest.raises(OutputRefused, match="symbolic link"):
        check_output(link, force=True)
    with pytest.raises(OutputRefused, match="is a folder"):
        check_output(tmp_path, force=True)
    with pytest.raises(OutputRefused, match="does not exist"):
        check_output(tmp_path / "no" / "x.md")


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("old\n")
    with pytest.raises(OutputExists, match=r"use --force to replace it"):
        write_private(out, "new\n")
    assert out.read_text() == "old\n"
    os.chmod(out, 0o644)
    write_private(out, "new\n", force=True)
    assert out.read_text() == "new\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_a_failure_while_writing_leaves_neither_the_file_nor_a_partial(tmp_path: Path) -> None:
    out = tmp_path / "audience.csv"
    with pytest.raises(RuntimeError), private_output(out) as handle:
        handle.write("email\n")
        raise RuntimeError("the export stopped half-way")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_appears_while_writing_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "audience.csv"
    with pytest.raises(OutputExists), private_output(out) as handle:
        handle.write("email\n")
        out.write_text("someone else's\n")
    assert out.read_text() == "someone else's\n"
    assert [p.name for p in tmp_path.iterdir()] == ["audience.csv"]


def test_the_partial_file_is_beside_the_target_and_named_for_it(tmp_path: Path) -> None:
    out = tmp_path / "audience.csv"
    seen: list[str] = []
    with private_output(out) as handle:
        seen = [p.name for p in tmp_path.iterdir()]
        handle.write("email\n")
    (partial,) = seen
    assert partial.startswith(f"audience.csv{PARTIAL}{os.getpid()}.")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_sweeping_removes_partials_of_dead_runs_only(tmp_path: Path) -> None:
    dead = tmp_path / f"audience.csv{PARTIAL}999999999.0badc0de"
    alive = tmp_path / f"audience.csv{PARTIAL}{os.getpid()}.0badc0de"
    parent = tmp_path / f"report.md{PARTIAL}{os.getppid()}.12345678"
    other = tmp_path / "notes.txt"
    for path in (dead, alive, parent, other):
        path.write_text("x")
    assert sweep_partials(tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (alive, parent, other)
    )
    assert files.describe_swept([dead]) == [
        f"Removed {dead}: an unfinished file left by an interrupted earlier run."
    ]


def test_a_full_disk_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(CrisisError, match=r"report\.md: the disk is full; nothing was written"):
        write_private(tmp_path / "report.md", "x")
    assert list(tmp_path.iterdir()) == []


def test_concurrent_writers_of_one_name_never_mix(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    errors: list[BaseException] = []

    def write(text: str) -> None:
        try:
            write_private(out, text * 10_000)
        except OutputExists as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(c,)) for c in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert out.read_text() in ("a" * 10_000, "b" * 10_000)
    assert len(errors) == 1
