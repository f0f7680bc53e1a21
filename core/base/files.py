"""Writing files that hold incident data: readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path

from email_crisis.core.base.errors import CrisisError


def write_private(
    path: Path, text: str, *, exclusive: bool = False, make_folder: bool = False
) -> Path:
    """Write ``text`` to ``path`` with mode 0600.

    ``exclusive`` refuses an existing file instead of replacing it; ``make_folder``
    creates a missing folder (mode 0700) instead of reporting it.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        raise CrisisError(f"{path} already exists; nothing was overwritten.") from None
    except OSError as error:
        raise CrisisError(f"cannot write {path}: {error.strerror}.") from None
    return path
