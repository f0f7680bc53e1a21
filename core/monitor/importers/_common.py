"""What every importer shares: the result it returns, its error, times, CSV and JSON reading.

Importers only *read*: they turn a file into ``RawPoint``s and skip counts. Checking
the values against the metric registry, the clock and the database is done once, for
every source, by ``core.monitor.metrics.import_file``.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TextIO

from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import visible

CHUNK = 1 << 20  # characters read at a time: the file is never loaded whole
MAX_RECORD = 64 << 20  # one JSON value larger than this is refused, not buffered forever
UTC = timezone.utc


class ImportProblem(ValidationError):
    """A file that cannot be imported; the message names the file and the line or record.

    Raised before anything is written, so a failed import leaves the database as it was.
    """


@dataclass(frozen=True)
class RawPoint:
    """One value read from a file, not yet checked against the registry."""

    metric: str
    at: datetime | None  # timezone-aware, UTC; None: a status "as of now" (the import)
    value: float
    where: str  # "line 12" or "record 3": quoted in messages
    subject: str = ""
    qualifier: str = ""  # "<": the true value is below ``value`` (SNDS "< 0.1%")
    note: str = ""


@dataclass
class Parsed:
    """What an importer read: points, how many records, what it skipped and why."""

    source: str
    points: list[RawPoint] = field(default_factory=list)
    records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    domain: str = ""
    notes: list[str] = field(default_factory=list)
    storage_hosts: dict[str, set[str]] = field(default_factory=dict)
    """Mailgun: sending domain -> storage hosts seen in the events' ``storage.url``."""


def shown(value: object, limit: int = 40) -> str:
    """A value from a file, made safe and short enough to quote in a message."""
    text = visible(str(value), single_line=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problem(name: str, where: str, message: str) -> ImportProblem:
    """``ImportProblem`` worded as ``<file>, <where>: <message>``."""
    return ImportProblem(f"{name}, {where}: {message}")


# -- times ------------------------------------------------------------------------------

NAIVE_REJECT = "reject"
NAIVE_UTC = "utc"


def from_epoch(seconds: float) -> datetime:
    """A Unix time (seconds, UTC by definition) as an aware datetime."""
    return datetime.fromtimestamp(seconds, tz=UTC)


def instant(raw: object, *, name: str, where: str, naive: str = NAIVE_REJECT) -> datetime:
    """Parse a time from a file into UTC.

    Accepts Unix seconds (number or digits) and ISO 8601 (``Z`` or an offset).
    A time without a zone is refused unless ``naive`` is ``NAIVE_UTC``: only formats
    that never carry a zone (SNDS, Postmaster days) are read as UTC.
    """
    if isinstance(raw, bool):
        raise problem(name, where, f"{raw!r} is not a time.")
    if isinstance(raw, (int, float)):
        return _epoch(raw, name, where)
    text = str(raw).strip()
    if re.fullmatch(r"\d{9,11}(\.\d+)?", text):
        return _epoch(float(text), name, where)
    if not text:
        raise problem(name, where, "the time is empty.")
    iso = text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        raise problem(
            name,
            where,
            f"{shown(text)!r} is not a time (expected ISO 8601, e.g. 2026-11-20T10:00Z).",
        ) from None
    if moment.tzinfo is None:
        if naive != NAIVE_UTC:
            raise problem(
                name,
                where,
                f"the time {shown(text)!r} has no time zone; add Z for UTC or an offset "
                "such as +01:00 (times are stored in UTC).",
            )
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 at +14:00, year 9999 at -14:00: no UTC equivalent
        raise problem(name, where, f"the time {shown(text)!r} is out of range.") from None


def _epoch(seconds: float, name: str, where: str) -> datetime:
    # Reject milliseconds and nonsense early: a 13-digit "time" would land in year 50000.
    if not 0 <= seconds < 10_000_000_000:
        raise problem(name, where, f"{shown(seconds)} is not a Unix time in seconds.")
    return from_epoch(seconds)


# -- CSV --------------------------------------------------------------------------------


def csv_rows(stream: TextIO, name: str) -> Iterator[tuple[int, list[str]]]:
    """Rows of a CSV file with the line each one starts on; blank lines are left out.

    A row that spans several lines is refused: no export these importers read has a
    value with a line break in it, so it means a quote was opened and never closed,
    and the rows after it would be swallowed into one value (and lost from the
    timeline) without a word.
    """
    reader = csv.reader(stream)
    line = 1
    try:
        for row in reader:
            if reader.line_num != line:
                raise problem(
                    name,
                    f"line {line}",
                    f"a quoted value runs on to line {reader.line_num}: is a closing quote "
                    "missing? Nothing was imported.",
                )
            if any(cell.strip() for cell in row):
                yield line, [cell.strip() for cell in row]
            line = reader.line_num + 1
    except csv.Error as error:
        raise problem(name, f"line {reader.line_num}", f"not valid CSV ({error}).") from None


def header_key(cell: str) -> str:
    """A column title reduced to letters and digits, for forgiving header matching."""
    return re.sub(r"[^a-z0-9]", "", cell.casefold())


# -- JSON -------------------------------------------------------------------------------

_SPACE = re.compile(r"[ \t\r\n]*")
_BETWEEN = re.compile(r"[ \t\r\n,]*")


def json_records(stream: TextIO, name: str) -> Iterator[tuple[int, int, Any]]:
    """Stream the JSON values of a file as ``(number, line, value)``.

    Reads JSON Lines, concatenated JSON values, and top-level arrays; the elements of
    a top-level array are yielded one by one as they are read, so a file of a million
    events is never held in memory. A wrapper object (an API page such as
    ``{"items": [...]}``) is yielded whole, for the importer to open.
    """
    decode = json.JSONDecoder().raw_decode
    buf = stream.read(CHUNK)
    eof = not buf
    pos = counted = 0  # ``line`` is the line number at offset ``counted`` of ``buf``
    line = 1
    depth = 0  # 1 while inside a top-level array
    number = 0
    while True:
        pos = (_BETWEEN if depth else _SPACE).match(buf, pos).end()
        if pos >= len(buf) and not eof:
            more = stream.read(CHUNK)
            line += buf.count("\n", counted, pos)
            buf, pos, counted, eof = buf[pos:] + more, 0, 0, not more
            continue
        if pos >= len(buf):
            break
        char = buf[pos]
        if depth == 0 and char == "[":
            depth, pos = 1, pos + 1
            continue
        if depth == 1 and char == "]":
            depth, pos = 0, pos + 1
            continue
        try:
            value, end = decode(buf, pos)
        except RecursionError:
            at_line = line + buf.count("\n", counted, pos)
            raise problem(
                name, f"line {at_line}", "arrays or objects are nested too deeply to read."
            ) from None
        except json.JSONDecodeError as error:
            if not eof and len(buf) - pos < MAX_RECORD:
                more = stream.read(CHUNK)  # the value may simply continue in the next chunk
                line += buf.count("\n", counted, pos)
                buf, pos, counted, eof = buf[pos:] + more, 0, 0, not more
                continue
            at_line = line + buf.count("\n", counted, error.pos)
            raise problem(name, f"line {at_line}", f"not valid JSON ({error.msg}).") from None
        except ValueError as error:  # a number of thousands of digits
            at_line = line + buf.count("\n", counted, pos)
            reason = "a number too long to read" if "digits" in str(error) else "not valid JSON"
            raise problem(name, f"line {at_line}", f"{reason}.") from None
        line += buf.count("\n", counted, pos)
        counted = pos
        number += 1
        yield number, line, value
        pos = end
        if pos > CHUNK:  # drop what has been read, keep the buffer small
            line += buf.count("\n", counted, pos)
            buf, pos, counted = buf[pos:], 0, 0
    if depth:
        raise ImportProblem(f"{name}: the JSON array is not closed (is the file cut short?).")


def record_where(number: int, line: int) -> str:
    """How a message points at one JSON record."""
    return f"record {number} (line {line})"
