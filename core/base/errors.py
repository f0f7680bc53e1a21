"""Expected failures, each with a message an operator can act on.

The CLI and the TUI show ``str(error)``; none of these should ever surface as a
traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from email_crisis.core.base.domain import Incident


class CrisisError(Exception):
    """Base class for every expected failure."""


class StoreError(CrisisError):
    """The database cannot be opened or used."""


class NotADatabase(StoreError):
    """The file exists but is not an SQLite database (left untouched)."""


class ForeignDatabase(StoreError):
    """An SQLite database that belongs to some other program (left untouched)."""


class DatabaseTooNew(StoreError):
    """The schema was written by a newer email-crisis (left untouched)."""


class DatabaseCorrupt(StoreError):
    """SQLite reports the file as damaged."""


class DatabaseLocked(StoreError):
    """Another process held the write lock for longer than the busy timeout."""


class DiskFull(StoreError):
    """The database's disk, or the temporary folder SQLite works in, is full."""


class DatabaseReadOnly(StoreError):
    """The file or its folder cannot be written."""


class NotFound(CrisisError):
    """No incident with that id."""


class ValidationError(CrisisError):
    """Input that breaks a rule; the message says which and why."""


class StaleIncident(CrisisError):
    """Someone else changed the incident first; nothing was written.

    ``fresh`` holds the incident as it is now, so the caller can show it.
    """

    def __init__(self, message: str, fresh: Incident) -> None:
        super().__init__(message)
        self.fresh = fresh
