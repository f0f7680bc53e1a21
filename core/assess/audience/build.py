"""The apology audience: the affected recipients, minus every suppression list.

Public API (the CLI and the Assess panel use only this module and the reader's errors):

``import_list(store, incident, path, *, role, operator, progress=None, cancel=None)``
    Read a CSV/TSV file and store its addresses as the incident's ``"affected"`` list
    (replacing the previous one) or as one more ``"suppressed"`` list; returns
    ``ImportStats``. The file is staged in a private temporary table, then written in
    one transaction: a bad file (``sniff.AudienceFileError`` subclasses), a
    cancel (``ImportCancelled``) or a killed process leaves the database as it was,
    and other processes can write while the file is being read.
    ``progress(bytes_read, total_bytes)`` is called at most ~20 times a second, from
    the calling thread; ``bytes_read`` starts again at 0 if the file turns out not to
    be UTF-8 and is read a second time. It reaches ``total_bytes`` once the file is
    read; indexing the addresses follows (about a fifth of the time). ``cancel`` is a
    ``threading.Event``, checked between batches of 10,000 rows and while indexing.
    An affected list also counts its people per place (``ImportStats.places``, kept in
    the list's details): from its country and state columns when the header has them
    (``sniff.COUNTRY_COLUMNS``, ``STATE_COLUMNS``), else a labelled guess from each
    address's country-code domain; each address counts once.
``remove_list(store, incident, list_id, *, operator) -> AudienceList``
``audience_lists(store, incident_id) -> list[AudienceList]``
``audience_counts(store, incident_id) -> AudienceCounts``
    affected = invalid + duplicates + suppressed + final, always.
``check_export(store, incident, out_path, *, override_reason=None, need_audience=True,
force=False)``
    Raise now whatever ``export_audience`` would refuse (nothing is recorded).
``export_audience(store, incident, out_path, *, operator, override_reason=None,
token_column=None, force=False)``
    Write the final audience (header ``email``, sorted) to a file, mode 0600, through
    ``base.files.private_output``: never over the database or through a link, an
    existing file only with ``force``. A cell a spreadsheet would run as a formula
    (``=1+1@example.com``) is written as text (``base.text.csv_cell``).
    ``token_column`` adds a column of that name holding a random, unguessable token per
    recipient (the one-click unsubscribe URL of RFC 8058 is made from it by the ESP).
    Refused for a ``suppression-list-send`` incident unless an override exists or
    ``override_reason`` is given (then recorded first). Returns ``ExportResult``.
``describe_import(stats) -> str`` / ``AudienceCounts.lines()`` / ``place_lines()``:
    the shared wording.

Threads: each call runs on ``store``'s connection and holds its lock, an import for
its whole length. A worker should open its own ``Store.open(store.path)`` so the UI's
reads are not blocked (WAL lets them read the previous state meanwhile).
The event log gets counts and file names (base names) only, never an address.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from email_crisis.core.assess.apology_lock import LOCKED_KINDS, REASON_MIN, gate, override_lock
from email_crisis.core.assess.audience import store as store_audience
from email_crisis.core.assess.audience.reader import AudienceReader, read_file
from email_crisis.core.assess.audience.store import AudienceList, ListStats, ListWriter
from email_crisis.core.assess.places import (
    UNKNOWN,
    Places,
    canonical,
    describe_places,
    key_label,
)
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError, ValidationError
from email_crisis.core.base.files import OutputExists as OutputExists
from email_crisis.core.base.files import OutputRefused, check_output, private_output
from email_crisis.core.base.files import database_files as _database_files
from email_crisis.core.base.text import csv_cell, is_formula_like
from email_crisis.core.store.database import Store

ROLES = ("affected", "suppressed")
PROGRESS_INTERVAL = 0.05  # seconds: at most ~20 calls a second
Progress = Callable[[int, int], None]


class ImportCancelled(CrisisError):
    """The operator cancelled an import; nothing was changed."""


class ExportRefused(CrisisError):
    """The apology lock forbids exporting this incident's audience."""


class NoAudience(CrisisError):
    """There is no affected list to export."""


@dataclass(frozen=True)
class ImportStats:
    """What one import read and kept (counts only)."""

    list_id: int
    role: str
    file_name: str
    encoding: str  # codec id: utf-8, utf-8-sig, utf-16, utf-32, cp1252, latin-1
    encoding_label: str
    utf8_error: tuple[int, int] | None  # (line, byte offset) where UTF-8 failed
    delimiter: str  # comma, semicolon, tab, pipe
    column: str  # '"Email"' or 'column 2'
    header: bool
    rows: int
    addresses: int
    invalid: int
    duplicates: int
    blank: int
    invalid_lines: tuple[int, ...]
    replaced: AudienceList | None
    seconds: float
    places: Places = ()  # affected lists: people per place (core.assess.places keys)
    places_source: str = ""  # "list" (a country/state column) or "domains" (a guess)
    places_label: str = ""  # '"Country" and "State"', or the domain guess


@dataclass(frozen=True)
class AudienceCounts:
    """The audience panel's figures; ``affected`` splits into the four others."""

    affected: int  # data rows of the affected file
    invalid: int
    duplicates: int
    suppressed: int  # distinct valid affected addresses found on a suppression list
    final: int
    affected_list: AudienceList | None
    suppression_lists: tuple[AudienceList, ...]

    def lines(self) -> list[str]:
        """Label and figure per line, aligned, for a terminal."""
        if self.affected_list is None:
            return ["No affected list imported yet."]
        figures = [
            ("affected rows", self.affected),
            ("invalid", self.invalid),
            ("duplicates", self.duplicates),
            (
                f"removed as suppressed ({plural(len(self.suppression_lists), 'list')})",
                self.suppressed,
            ),
            ("final audience", self.final),
        ]
        width = max(len(label) for label, _ in figures)
        return [f"{label.ljust(width)}  {value:>12,}" for label, value in figures]

    @property
    def places(self) -> Places:
        """People of the affected list per place (empty when it was not counted)."""
        details = self.affected_list.details if self.affected_list else {}
        return canonical(details.get("places", {}))

    def place_lines(self) -> list[str]:
        """Where the affected people live, one place a line, and from which column."""
        places = self.places
        if self.affected_list is None or all(place == UNKNOWN for place, _ in places):
            return []
        source = self.affected_list.details.get("places_from", "")
        head = f"affected people per place (from {source}):"
        width = max(len(key_label(key)) for key, _ in places)
        return [head] + [f"  {key_label(k).ljust(width)}  {n:>12,}" for k, n in places]


@dataclass(frozen=True)
class ExportResult:
    """The file written and how many addresses it holds."""

    path: Path
    addresses: int
    overridden: bool
    as_text: int = 0  # addresses a spreadsheet would run, written with a leading '


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1,000 addresses``."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


class _Throttle:
    """Calls ``progress`` at most every PROGRESS_INTERVAL seconds (and always at the end)."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._last = float("-inf")

    def __call__(self, done: int, total: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if self._progress is not None and (force or now - self._last >= PROGRESS_INTERVAL):
            self._last = now
            self._progress(done, total)


def import_list(
    store: Store,
    incident: Incident,
    path: Path | str,
    *,
    role: str,
    operator: str,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportStats:
    """Import one recipient file as the affected list or as a suppression list."""
    if role not in ROLES:
        raise ValidationError(f"unknown list role {role!r}; use one of: {', '.join(ROLES)}.")
    path = Path(path).expanduser()
    started = time.monotonic()
    report = _Throttle(progress)
    done: list[AudienceReader] = []

    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise ImportCancelled(
                f"import of {path.name} cancelled; nothing was changed "
                "(the previous audience is intact)."
            )

    placed = role == "affected"  # where the affected live sets the legal thresholds

    def fill(writer: ListWriter) -> ListStats:
        def handle(reader: AudienceReader) -> None:
            report(0, reader.size, force=True)
            add = writer.add_placed if placed else writer.add
            # closed before the file
            with contextlib.closing(reader.batches(places=placed)) as batches:
                for batch in batches:
                    check()
                    add(batch)
                    report(reader.bytes_read, reader.size)

        reader = read_file(path, handle, restart=writer.restart)
        done.append(reader)
        report(reader.size, reader.size, force=True)
        return ListStats(
            encoding=reader.encoding,
            delimiter=reader.layout.delimiter_name,
            rows=reader.stats.rows,
            valid=reader.stats.valid,
            invalid=reader.stats.invalid,
            details=_list_details(reader, placed),
            places_source=("list" if reader.layout.has_places else "domains") if placed else "",
        )

    stored, replaced = store_audience.store_list(
        store,
        incident.id,
        role=role,
        file_name=path.name,
        operator=operator,
        fill=fill,
        check=check,
    )
    reader = done[0]
    return ImportStats(
        list_id=stored.id,
        role=role,
        file_name=stored.file_name,
        encoding=reader.encoding,
        encoding_label=reader.encoding_label,
        utf8_error=reader.utf8_error,
        delimiter=reader.layout.delimiter_name,
        column=reader.layout.column_label,
        header=reader.layout.header,
        rows=stored.rows,
        addresses=stored.addresses,
        invalid=stored.invalid,
        duplicates=stored.duplicates,
        blank=reader.stats.blank,
        invalid_lines=tuple(reader.stats.invalid_lines),
        replaced=replaced,
        seconds=time.monotonic() - started,
        places=canonical(stored.details.get("places", {})),
        places_source=stored.details.get("places_source", ""),
        places_label=reader.layout.places_label,
    )


def _list_details(reader: AudienceReader, placed: bool) -> dict[str, object]:
    """What is kept about how the file was read: line numbers, never values."""
    details: dict[str, object] = {
        "column": reader.layout.column_label,
        "header": reader.layout.header,
        "blank_lines": reader.stats.blank,
        "invalid_lines": list(reader.stats.invalid_lines),
    }
    if placed:
        details["places_from"] = reader.layout.places_label
    if reader.utf8_error is not None:
        details["utf8_error"] = {"line": reader.utf8_error[0], "byte": reader.utf8_error[1]}
    return details


def describe_import(stats: ImportStats) -> str:
    """One paragraph on what an import found, for the CLI and the panel."""
    how = f"{stats.encoding_label}, {stats.delimiter}-separated, addresses in {stats.column}"
    if stats.utf8_error is not None:
        line, byte = stats.utf8_error
        how += f"; not valid UTF-8 (first at line {line:,}, byte {byte:,})"
    text = (
        f"{stats.file_name} ({stats.role}): {plural(stats.rows, 'row')}, "
        f"{plural(stats.addresses, 'distinct address', 'distinct addresses')}, "
        f"{stats.invalid:,} invalid, {plural(stats.duplicates, 'duplicate')} [{how}]"
    )
    if stats.invalid_lines:
        text += f"; invalid rows at lines {', '.join(f'{n:,}' for n in stats.invalid_lines)}"
        text += "..." if stats.invalid > len(stats.invalid_lines) else ""
    if stats.replaced is not None:
        text += f"; replaces the earlier affected list {stats.replaced.file_name}"
    if any(place != UNKNOWN for place, _ in stats.places):
        text += f"; where they live, from {stats.places_label}: {describe_places(stats.places)}"
    return text + "."


def remove_list(store: Store, incident: Incident, list_id: int, *, operator: str) -> AudienceList:
    """Remove an imported list (typically a wrong suppression list)."""
    return store_audience.remove_list(store, incident.id, list_id, operator=operator)


def audience_lists(store: Store, incident_id: int) -> list[AudienceList]:
    """The incident's imported lists, the affected one first."""
    return store_audience.lists(store, incident_id)


def audience_counts(store: Store, incident_id: int) -> AudienceCounts:
    """Affected, invalid, duplicates, removed as suppressed, final."""
    found, final = store_audience.final_size(store, incident_id)
    affected = next((x for x in found if x.role == "affected"), None)
    suppression = tuple(x for x in found if x.role == "suppressed")
    if affected is None:
        return AudienceCounts(0, 0, 0, 0, 0, None, suppression)
    return AudienceCounts(
        affected=affected.rows,
        invalid=affected.invalid,
        duplicates=affected.duplicates,
        suppressed=affected.addresses - final,
        final=final,
        affected_list=affected,
        suppression_lists=suppression,
    )


def check_export(
    store: Store,
    incident: Incident,
    out_path: Path | str,
    *,
    override_reason: str | None = None,
    need_audience: bool = True,
    force: bool = False,
) -> None:
    """Raise whatever ``export_audience`` would refuse, without writing anything.

    ``need_audience=False`` skips the check that an affected list exists (to refuse
    before importing one).
    """
    out = Path(out_path).expanduser()
    if out.is_dir() and not out.is_symlink():
        raise OutputRefused(f"{out} is a folder; give the name of a new CSV file.")
    check_output(out, force=force, protect=_database_files(store.path))
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise CrisisError(f"cannot write {out}: the folder {out.parent} is not writable.")
    if override_reason is not None:
        if incident.kind not in LOCKED_KINDS:
            raise ValidationError(
                f"Incident {incident.id} is not locked; there is nothing to override."
            )
        if len(override_reason.strip()) < REASON_MIN:
            raise ValidationError(
                f"Write the override reason in a full sentence (at least {REASON_MIN} "
                "characters): it goes on the record."
            )
    elif not (lock := gate(store, incident)).allowed:
        raise ExportRefused(
            f"incident {incident.id} is a send to a suppression list: {lock.reason} "
            "Nothing was exported. To export anyway, override the lock with a written "
            "reason (it is recorded)."
        )
    if need_audience and not any(x.role == "affected" for x in audience_lists(store, incident.id)):
        raise NoAudience(
            f"incident {incident.id} has no affected list yet; import the affected "
            "recipients first."
        )


def export_audience(
    store: Store,
    incident: Incident,
    out_path: Path | str,
    *,
    operator: str,
    override_reason: str | None = None,
    token_column: str | None = None,
    force: bool = False,
) -> ExportResult:
    """Write affected − suppressed (valid, deduplicated) to a CSV file, mode 0600."""
    out = Path(out_path).expanduser()
    check_export(store, incident, out, override_reason=override_reason, force=force)
    if override_reason is not None:
        override_lock(store, incident, override_reason, operator=operator)
    count, as_text = _write_file(store, incident, out, token_column, force=force)
    details = {"file": out.name, "addresses": count, "override": override_reason is not None}
    if token_column:
        details["token_column"] = token_column
    if as_text:
        details["written_as_text"] = as_text
    try:
        store.append_event(
            incident.id, operator=operator, type_="audience_exported", details=details
        )
    except BaseException:
        out.unlink(missing_ok=True)  # no export without its record
        raise
    return ExportResult(out, count, override_reason is not None, as_text)


def _token() -> str:
    """128 random bits per person: an unsubscribe URL nobody can guess (RFC 8058 §3.1).

    Never starting with "-", so the cell is never taken for a formula (or altered)."""
    while (token := secrets.token_urlsafe(16)).startswith("-"):
        continue
    return token


def _write_file(
    store: Store, incident: Incident, out: Path, token_column: str | None, *, force: bool
) -> tuple[int, int]:
    """Write the audience (partial file first); returns how many, and how many as text."""
    as_text = 0

    def write(handle: IO[str], batch: list[str]) -> None:
        nonlocal as_text
        as_text += sum(1 for address in batch if is_formula_like(address))
        end = (lambda: f",{_token()}\n") if token_column else (lambda: "\n")
        handle.write("".join(csv_cell(address) + end() for address in batch))

    with private_output(out, force=force, protect=_database_files(store.path)) as handle:
        handle.write(f"email,{csv_cell(token_column)}\n" if token_column else "email\n")
        count = store_audience.write_final(store, incident.id, lambda b: write(handle, b))
        if count is None:
            raise NoAudience(f"incident {incident.id} has no affected list any more.")
    return count, as_text
