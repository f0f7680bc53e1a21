"""The database schema: forward-only migrations, one SQL file each, kept by their step.

Each package keeps the migrations of its own tables in ``<package>/migrations/NNN_*.sql``
(``store/`` the incidents, events and statements; ``assess/``, ``contain/``...
theirs). ``MIGRATIONS[n]`` takes a database from ``PRAGMA user_version`` n to n + 1;
the numbers must run 1, 2, 3... with no gap or repeat across packages. The runner
reads the files as data, so the store never imports a step package.

A file opens with a header of ``--`` comment lines (what it is for), which is not part
of the migration; the rest is executed and checksummed. Never edit a migration that
has shipped: append a new one.
"""

from __future__ import annotations

import re
from importlib import resources

APPLICATION_ID = 0x45434953  # "ECIS": marks the file as an email-crisis database

_NAME = re.compile(r"(\d{3})_[a-z0-9_]+\.sql")


def migration_files() -> dict[int, str]:
    """Every migration file of the package, by number (``"contain/migrations/005_..."``)."""
    root = resources.files("email_crisis.core")
    found: dict[int, str] = {}
    for package in root.iterdir():
        folder = package.joinpath("migrations")
        if not package.is_dir() or not folder.is_dir():
            continue
        for entry in folder.iterdir():
            match = _NAME.fullmatch(entry.name)
            if match is None:
                continue
            number = int(match.group(1))
            where = f"{package.name}/migrations/{entry.name}"
            if number in found:
                raise RuntimeError(f"two migrations numbered {number}: {found[number]}, {where}")
            found[number] = where
    if sorted(found) != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers must run 1, 2, 3... without a gap: {sorted(found)}")
    return found


def _body(text: str) -> str:
    """The migration without its header of ``--`` comment lines."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and lines[start].startswith("--"):
        start += 1
    return "\n".join(lines[start:])


def _load() -> tuple[str, ...]:
    root = resources.files("email_crisis.core")
    files = migration_files()
    return tuple(_body(root.joinpath(files[n]).read_text("utf-8")) for n in sorted(files))


MIGRATIONS: tuple[str, ...] = _load()

SCHEMA_VERSION = len(MIGRATIONS)
