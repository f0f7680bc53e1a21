"""Sniffing a recipient list: encoding, delimiter, header, the email column, addresses.

Used by ``reader`` on the first 64 KiB of a file before it streams the rest;
the errors an import can raise live here too. Errors name the file and the line and
never quote an address.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from email_crisis.core.base.addresses import address_key
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.files import open_regular

SAMPLE_BYTES = 64 * 1024
SAMPLE_ROWS = 200
BATCH_ROWS = 10_000
INVALID_EXAMPLES = 5
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
ENCODING_LABELS: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with BOM)",
    "utf-16": "UTF-16 (with BOM)",
    "utf-32": "UTF-32 (with BOM)",
    "cp1252": "Windows-1252 (cp1252)",
    "latin-1": "Latin-1 (ISO-8859-1)",
}
# Header names of the address column, normalised by _header_key, best first.
# (Kept here rather than in a data file: the reader must work before any settings load.)
COLUMN_NAMES: tuple[str, ...] = (
    "email", "emailaddress", "mail", "mailaddress", "recipient", "recipientemail",
    "recipientaddress", "rcptto", "rcpt", "to", "toaddress", "courriel", "adresseemail",
    "adressecourriel", "adressemail", "adresseelectronique", "correo", "correoelectronico",
    "emailadresse", "mailadresse", "address",
)  # fmt: skip
_COLUMN_HINTS = ("email", "courriel")  # a unique header containing one of these also counts
# Header names of the columns that say where each person lives (normalised the same way).
COUNTRY_COLUMNS: tuple[str, ...] = (
    "country", "countrycode", "countryiso", "countryname", "iso2", "pays", "codepays",
    "land", "pais", "país", "nation",
)  # fmt: skip
STATE_COLUMNS: tuple[str, ...] = (
    "state", "statecode", "stateprovince", "state/province", "stateorprovince", "province",
    "provincecode", "provincestate", "region", "regioncode", "subdivision", "état",
    "etat", "région", "bundesland",
)  # fmt: skip
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx spreadsheet?)"),
    (b"\xd0\xcf\x11\xe0", "an Office document (an .xls spreadsheet?)"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
_HEADER_NOISE = re.compile(r"[\s_\-.\"'*]+")


# -- errors ------------------------------------------------------------------------------


class AudienceFileError(CrisisError):
    """A recipient file that cannot be used; the message names the file and the line."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path}, line {line:,}" if line else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line


class UnreadableFile(AudienceFileError):
    """Missing, a folder, or not readable."""


class EmptyFile(AudienceFileError):
    """No data rows at all."""


class NotCsv(AudienceFileError):
    """Binary, a spreadsheet, HTML, JSON: not delimited text."""


class UnknownDelimiter(AudienceFileError):
    """The columns are separated by something other than comma, semicolon, tab or pipe."""


class NoEmailColumn(AudienceFileError):
    """No column can be identified as the address column."""


class AmbiguousColumn(AudienceFileError):
    """Several columns could be the address column."""


class MalformedCsv(AudienceFileError):
    """Broken quoting or a runaway field."""


class NoValidAddress(AudienceFileError):
    """The address column holds no valid address at all."""


class BadEncoding(AudienceFileError):
    """A file with a UTF-16/32 byte-order mark that does not decode."""


class WrongEncoding(Exception):
    """Internal signal: the file is not in ``encoding``; try the next one."""

    def __init__(self, encoding: str, line: int, byte: int) -> None:
        super().__init__(f"not {encoding} at line {line}, byte {byte}")
        self.encoding, self.line, self.byte = encoding, line, byte


# -- addresses ---------------------------------------------------------------------------


def normalise(value: str) -> str | None:
    """The address's key (``core.base.addresses``: lower case, NFC, ASCII domain), or
    ``None`` when it is not an address. ``Name <a@b.c>`` gives the address inside."""
    return address_key(value)


def _header_key(cell: str) -> str:
    return _HEADER_NOISE.sub("", cell.replace("\ufeff", "").lower())


# -- what the sniffing found -------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How the file is laid out: delimiter, header, and which column holds addresses."""

    delimiter: str
    header: bool
    column: int  # 0-based
    column_name: str | None  # as written in the header
    skip_lines: int = 0  # an Excel "sep=;" line
    country_column: int | None = None  # where each person lives, when the header says
    state_column: int | None = None
    place_names: tuple[str, ...] = ()  # those columns' names, as written

    @property
    def delimiter_name(self) -> str:
        return DELIMITERS[self.delimiter]

    @property
    def column_label(self) -> str:
        """``"Email Address"`` (by name) or ``column 3`` (by content)."""
        return f'"{self.column_name}"' if self.column_name else f"column {self.column + 1}"

    @property
    def has_places(self) -> bool:
        """Whether a country or state column says where each person lives."""
        return self.country_column is not None or self.state_column is not None

    @property
    def places_label(self) -> str:
        """``"Country" and "State"``, or the domain guess when there is no such column."""
        if not self.place_names:
            return "email domains' country codes (a guess)"
        return " and ".join(f'"{name}"' for name in self.place_names)


@dataclass
class ReadStats:
    """What one pass over the file found."""

    rows: int = 0  # non-blank data rows
    valid: int = 0  # rows with a valid address (before deduplication)
    invalid: int = 0
    blank: int = 0
    invalid_lines: list[int] = field(default_factory=list)  # first few, never the values


def candidate_encodings(head: bytes) -> list[str]:
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return ["utf-32"]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ["utf-16"]
    if head.startswith(codecs.BOM_UTF8):
        return ["utf-8-sig", "cp1252", "latin-1"]
    return ["utf-8", "cp1252", "latin-1"]


def locate_decode_error(path: Path, encoding: str, start: int) -> tuple[int, int]:
    """(line, byte offset) of the first byte that ``encoding`` cannot decode."""
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines = 0
    offset = start
    with open_regular(path) as raw:
        raw.seek(start)
        while chunk := raw.read(1 << 20):
            pending = len(decoder.getstate()[0])
            try:
                newlines += decoder.decode(chunk).count("\n")
            except UnicodeDecodeError as error:
                good = error.object[: error.start]
                newlines += codecs.decode(good, encoding, "replace").count("\n")
                return newlines + 1, offset - pending + error.start
            offset += len(chunk)
    return newlines + 1, offset


def check_not_csv(path: Path, head: bytes, text: str, encoding: str) -> None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise NotCsv(path, 1, f"this is {what}, not CSV. Export the list as CSV or TSV.")
    if not encoding.startswith(("utf-16", "utf-32")) and b"\x00" in head:
        at = head.index(b"\x00")
        hint = ""
        if head[1:64:2].count(0) > 16:
            hint = " (UTF-16 without a byte-order mark? Save it as UTF-8)"
        line = head[:at].count(b"\n") + 1
        raise NotCsv(path, line, f"binary data (NUL bytes), not a CSV file{hint}.")
    first = text.lstrip()[:1]
    if first == "<":
        raise NotCsv(path, 1, "this looks like HTML or XML, not CSV (a saved web page?).")
    if first in ("{", "["):
        raise NotCsv(path, 1, "this looks like JSON, not CSV. Export the list as CSV or TSV.")


# -- sniffing ----------------------------------------------------------------------------


def _sample_rows(text: str, delimiter: str, truncated: bool) -> list[tuple[int, list[str]]]:
    """Non-blank rows of the sample with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            if len(rows) > SAMPLE_ROWS:
                break
    except csv.Error:
        pass  # judged on the rows read so far; the full pass reports the line
    if truncated and len(rows) > 1:
        rows.pop()  # the sample may end inside the last row
    return rows


def _width(rows: list[tuple[int, list[str]]]) -> tuple[int, float]:
    """The most common number of fields, and the share of rows that have it."""
    counts = Counter(len(row) for _, row in rows)
    width, seen = counts.most_common(1)[0]
    return width, seen / len(rows)


def _find_column(path: Path, rows: list[tuple[int, list[str]]], delimiter: str) -> Layout:
    line, first = rows[0]
    if any(normalise(cell) for cell in first):
        valid = Counter(i for _, row in rows for i, cell in enumerate(row) if normalise(cell))
        present = Counter(i for _, row in rows for i, cell in enumerate(row) if cell.strip())
        columns = [i for i in sorted(valid) if valid[i] * 2 >= present[i]]
        if len(columns) > 1:
            raise AmbiguousColumn(
                path,
                line,
                f"columns {', '.join(str(i + 1) for i in columns)} all hold addresses and there "
                "is no header to tell them apart; add a header row naming one column 'email'.",
            )
        if not columns:
            raise NoEmailColumn(path, line, "no column holds email addresses.")
        return Layout(delimiter, False, columns[0], None)
    keys = [_header_key(cell) for cell in first]
    ranked = sorted(
        (COLUMN_NAMES.index(key), i) for i, key in enumerate(keys) if key in COLUMN_NAMES
    )
    if not ranked:
        ranked = [(0, i) for i, key in enumerate(keys) if any(h in key for h in _COLUMN_HINTS)]
        if len(ranked) > 1:
            names = ", ".join(f'"{first[i].strip()}"' for _, i in ranked)
            raise AmbiguousColumn(
                path,
                line,
                f"several columns could hold the addresses ({names}); rename one 'email'.",
            )
    if not ranked:
        shown = ", ".join(f'"{cell.strip()[:40]}"' for cell in first[:12])
        raise NoEmailColumn(
            path,
            line,
            f"the header has no email column (found {shown}). Name the address column "
            "'email', or remove the header line.",
        )
    best = ranked[0][0]
    tied = [i for rank, i in ranked if rank == best]
    if len(tied) > 1:
        raise AmbiguousColumn(
            path, line, f"columns {', '.join(str(i + 1) for i in tied)} have the same name."
        )
    # A name whose values never validate loses to a later name that does (e.g.
    # "address" holding postal addresses beside "mail"); when none does, the
    # delimiter or the column is wrong.
    data = rows[1:]
    for _, i in ranked:
        if not data or any(len(row) > i and normalise(row[i]) for _, row in data):
            return _with_places(Layout(delimiter, True, i, first[i].strip()), keys, first)
    column = first[ranked[0][1]].strip()
    raise NoValidAddress(
        path,
        data[0][0],
        f'the column "{column}" holds no valid address in the first {len(data):,} rows.',
    )


def _with_places(layout: Layout, keys: list[str], header: list[str]) -> Layout:
    """The layout with the first country and state columns of the header, if any."""

    def first_of(names: tuple[str, ...]) -> int | None:
        found = [i for i, key in enumerate(keys) if key in names and i != layout.column]
        return found[0] if found else None

    country, state = first_of(COUNTRY_COLUMNS), first_of(STATE_COLUMNS)
    names = tuple(header[i].strip() for i in (country, state) if i is not None)
    return replace(layout, country_column=country, state_column=state, place_names=names)


def _other_separator(rows: list[tuple[int, list[str]]]) -> str | None:
    """A character that splits every row the same way, but is not a supported delimiter."""
    lines = [delimiterless[0] for _, delimiterless in rows if len(delimiterless) == 1]
    if len(lines) < len(rows) or not lines:
        return None
    for char in dict.fromkeys(lines[0]):
        if char.isalnum() or char in "@.-_+'\"":
            continue
        count = lines[0].count(char)
        if sum(1 for line in lines if line.count(char) == count) >= 0.9 * len(lines):
            return char
    return None


def sniff(path: Path, text: str, *, truncated: bool) -> Layout:
    """Work out the layout from the decoded start of the file."""
    skip = 0
    forced = None
    match = re.match(r"sep=(.)\r?\n", text)
    if match and match.group(1) in DELIMITERS:  # Excel's hint line
        forced, skip = match.group(1), 1
        text = text[match.end() :]
    found: list[tuple[tuple[float, int], Layout]] = []
    failures: list[tuple[int, AudienceFileError]] = []
    for delimiter in [forced] if forced else DELIMITERS:
        rows = _sample_rows(text, delimiter, truncated)
        if not rows:
            what = "the first 64 KiB hold" if truncated else "the file holds"
            raise EmptyFile(path, None, f"{what} only blank lines.")
        rows = [(line + skip, row) for line, row in rows]
        width, share = _width(rows)
        try:
            layout = _find_column(path, rows, delimiter)
        except AudienceFileError as error:
            failures.append((width, error))
            continue
        found.append(((share, width), replace(layout, skip_lines=skip)))
    if found:
        return max(found, key=lambda item: item[0])[1]
    width, error = max(failures, key=lambda item: item[0])
    if width == 1 and not forced:
        other = _other_separator(_sample_rows(text, ",", truncated))
        if other is not None:
            shown = "space" if other == " " else repr(other)
            raise UnknownDelimiter(
                path,
                1 + skip,
                f"the columns seem to be separated by {shown}, which is not supported; "
                "use comma, semicolon, tab or pipe.",
            )
    raise error
