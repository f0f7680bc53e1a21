"""Files that hold incident data: read only regular files, write privately and safely.

Reading: ``open_regular`` refuses anything that is not a regular file *before*
reading a byte, so a FIFO, a terminal or ``/dev/zero`` given as an input cannot block
or flood the program.

Writing: every file email-crisis writes (reports, exports, backups) goes through
``private_output``. It never writes through a symbolic link, never over the open
database or its ``-wal``/``-shm``/``-journal`` files, never replaces an existing file
unless asked to (``force``), and is mode 0600. The data goes to a partial file beside
the target first, named ``<target>.email-crisis-partial.<pid>.<random>``, which gets the
target's name only once complete: a crash or ``kill -9`` leaves at most that partial
file, and the next write to the same folder removes it (``sweep_partials``, which
says what it removed).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.regex import lazy_compile

PARTIAL = ".email-crisis-partial."
_PARTIAL_NAME = lazy_compile(rf".+{re.escape(PARTIAL)}(\d+)\.[0-9a-f]+$")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class NotRegularFile(CrisisError):
    """An input that is missing, unreadable, or not a regular file (refused unread).

    ``problem`` is the reason without the path, for callers that word it their way.
    """

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem


class OutputRefused(CrisisError):
    """An output path that must not be written: the database, a link, a folder..."""


class OutputExists(OutputRefused):
    """The output file exists and replacing it was not asked for (``force``)."""


# -- reading ------------------------------------------------------------------------------


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: Path | str) -> IO[bytes]:
    """Open ``path`` for reading in binary, refusing anything but a regular file.

    The file is opened without blocking (a FIFO with no writer would otherwise hang
    right here), checked with ``fstat`` on that same descriptor, then switched back
    to blocking reads. Raises ``NotRegularFile`` with a one-line reason.
    """
    where = Path(path)
    try:
        fd = os.open(where, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC)
    except FileNotFoundError:
        raise NotRegularFile(where, "there is no such file.") from None
    except PermissionError:
        raise NotRegularFile(where, "cannot be read (permission denied).") from None
    except OSError as error:
        raise NotRegularFile(where, f"cannot be read ({error.strerror or error}).") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            problem = f"this is {_kind(mode)}, not a regular file; nothing was read."
            raise NotRegularFile(where, problem)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path | str, *, limit: int) -> bytes:
    """The bytes of the regular file ``path``, refused past ``limit`` bytes."""
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotRegularFile(path, f"larger than {limit // 1024:,} KiB; nothing was read.")
    return data


# -- writing ------------------------------------------------------------------------------


def database_files(database: Path) -> tuple[Path, ...]:
    """The database file and the files SQLite keeps beside it."""
    return (database, *(Path(f"{database}{suffix}") for suffix in ("-wal", "-shm", "-journal")))


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output(path: Path | str, *, force: bool = False, protect: Iterable[Path] = ()) -> Path:
    """The path to write, or ``OutputRefused`` saying why it must not be written.

    ``protect`` lists files that must never be replaced (``database_files(db)``).
    """
    target = Path(path).expanduser()
    if target.is_symlink():
        raise OutputRefused(
            f"{target} is a symbolic link; nothing was written (a link can point anywhere, "
            "even at the database). Give the path of a new file."
        )
    for kept in protect:
        if _same(target, kept):
            raise OutputRefused(
                f"{target} is the incident database or one of its working files; "
                "nothing was written. Choose another file name."
            )
    if target.is_dir():
        raise OutputRefused(f"{target} is a folder; give the name of a file.")
    if target.exists():
        if not target.is_file():
            mode = target.stat().st_mode
            raise OutputRefused(f"{target} is {_kind(mode)}; nothing was written.")
        if not force:
            raise OutputExists(
                f"{target} already exists; nothing was overwritten (use --force to replace it)."
            )
    if not target.parent.is_dir():
        raise OutputRefused(f"cannot write {target}: the folder {target.parent} does not exist.")
    return target


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def sweep_partials(folder: Path | str) -> list[Path]:
    """Remove partial files left in ``folder`` by runs that died; returns what was removed.

    A partial file whose process is still running (another export in progress) is kept.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _PARTIAL_NAME.fullmatch(entry.name)
        if not match or not entry.is_file(follow_symlinks=False) or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def describe_swept(removed: Iterable[Path]) -> list[str]:
    """One sentence per removed partial file, for the operator."""
    return [
        f"Removed {path}: an unfinished file left by an interrupted earlier run."
        for path in removed
    ]


def _failure(target: Path, error: OSError) -> CrisisError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return CrisisError(f"cannot write {target}: the disk is full; nothing was written.")
    return CrisisError(f"cannot write {target}: {error.strerror or error}; nothing was written.")


@contextlib.contextmanager
def private_output(
    path: Path | str,
    *,
    force: bool = False,
    protect: Iterable[Path] = (),
    make_folder: bool = False,
    binary: bool = False,
) -> Iterator[IO[Any]]:
    """A handle to write the new content of ``path``; it gets the name only if all went well.

    See the module docstring for what is refused. ``make_folder`` creates a missing
    folder (mode 0700). Write errors become ``CrisisError`` naming the file.
    """
    target = Path(path).expanduser()
    if make_folder:
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise _failure(target, error) from None
    target = check_output(target, force=force, protect=protect)
    partial = partial_for(target)
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    except OSError as error:
        raise _failure(target, error) from None
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=None if binary else "") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        publish(partial, target, force=force, protect=protect)
    except OSError as error:
        raise _failure(target, error) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)


def partial_for(target: Path) -> Path:
    """A new partial file's path beside ``target`` (recognisable, tied to this process)."""
    # os.urandom is what secrets.token_hex reads, without importing secrets (hmac, OpenSSL).
    return target.with_name(f"{target.name}{PARTIAL}{os.getpid()}.{os.urandom(4).hex()}")


def publish(partial: Path, target: Path, *, force: bool, protect: Iterable[Path] = ()) -> None:
    """Give the finished ``partial`` file the name ``target``; checked again first, as
    something may have appeared there meanwhile."""
    check_output(target, force=force, protect=protect)
    if force:
        os.replace(partial, target)  # replaces a link itself, never what it points to
        return
    try:
        os.link(partial, target)
    except FileExistsError:
        raise OutputExists(
            f"{target} already exists; nothing was overwritten (use --force to replace it)."
        ) from None
    except OSError:  # a file system without hard links: the check above is the guard
        os.replace(partial, target)


def write_private(
    path: Path,
    text: str | bytes,
    *,
    make_folder: bool = False,
    force: bool = False,
    protect: Iterable[Path] = (),
) -> Path:
    """Write ``text`` (or bytes) to ``path`` through ``private_output``; returns the path.

    An existing file is replaced only with ``force``.
    """
    target = Path(path).expanduser()
    with private_output(
        target,
        force=force,
        protect=protect,
        make_folder=make_folder,
        binary=isinstance(text, bytes),
    ) as handle:
        handle.write(text)
    return target
