"""Reading a recipient list (a CSV/TSV export from an ESP) as a stream of addresses.

The file is never loaded whole: its first 64 KiB are sniffed for the encoding,
delimiter, header and email column, then the rest is streamed through ``csv`` and
handed out in batches of normalised, valid addresses (their keys under the one address
rule of ``core.base.addresses``: lower-cased, NFC, domain in ASCII; not yet
deduplicated across batches; the store does that).

Encodings: UTF-8 (with or without BOM), UTF-16/32 with a BOM; a file that is not
valid UTF-8 is read again as cp1252, or latin-1 when cp1252 cannot decode it, and
the result says so. Errors name the file and the line, and never quote an address.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from email_crisis.core.assess.audience.sniff import (
    BATCH_ROWS,
    ENCODING_LABELS,
    INVALID_EXAMPLES,
    SAMPLE_BYTES,
    BadEncoding,
    EmptyFile,
    Layout,
    MalformedCsv,
    NoValidAddress,
    ReadStats,
    UnreadableFile,
    WrongEncoding,
    candidate_encodings,
    check_not_csv,
    locate_decode_error,
    normalise,
    sniff,
)
from email_crisis.core.assess.places import domain_places, place_of
from email_crisis.core.base.addresses import ADDRESS_PATTERN, MAX_ADDRESS
from email_crisis.core.base.files import NotRegularFile, open_regular

# -- streaming ---------------------------------------------------------------------------


class AudienceReader:
    """One pass over the file in one encoding (``WrongEncoding`` when it is not)."""

    def __init__(self, path: Path, encoding: str, *, utf8_error: tuple[int, int] | None) -> None:
        self.path = path
        self.encoding = encoding
        self.utf8_error = utf8_error  # (line, byte) where UTF-8 failed, if it did
        self.stats = ReadStats()
        self._raw = open_regular(path)
        try:
            self.size = path.stat().st_size
            head = self._raw.read(SAMPLE_BYTES)
            if not head:
                raise EmptyFile(path, None, "the file is empty (0 bytes).")
            # A UTF-8 BOM read as cp1252 would glue "ï»¿" to the first header name.
            self._start = 3 if head.startswith(codecs.BOM_UTF8) and encoding != "utf-8-sig" else 0
            text = self._decode_sample(head[self._start :])
            check_not_csv(path, head, text, encoding)
            self.layout = sniff(path, text, truncated=len(head) == SAMPLE_BYTES)
        except BaseException:
            self._raw.close()
            raise

    def _decode_sample(self, head: bytes) -> str:
        decoder = codecs.getincrementaldecoder(self.encoding)()
        try:
            return decoder.decode(head, final=len(head) < SAMPLE_BYTES - self._start)
        except UnicodeDecodeError:
            line, byte = locate_decode_error(self.path, self.encoding, self._start)
            raise WrongEncoding(self.encoding, line, byte) from None

    @property
    def bytes_read(self) -> int:
        """How far the pass has got in the file (for progress)."""
        return self._raw.tell() if not self._raw.closed else self.size

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS[self.encoding]

    def close(self) -> None:
        self._raw.close()

    def batches(self, size: int = BATCH_ROWS, *, places: bool = False) -> Iterator[Any]:
        """Valid, normalised addresses in batches; counts everything else in ``stats``.

        With ``places``, each batch is a pair of lists instead, the addresses and where
        each person lives (``core.assess.places``; ``None``: not known): from the
        country and state columns, or a guess from the address's domain when the file
        has neither. Two flat lists, so a batch costs no more memory than it must.
        """
        self._raw.seek(self._start)
        text = io.TextIOWrapper(self._raw, encoding=self.encoding, newline="")
        text._CHUNK_SIZE = 1 << 16  # type: ignore[attr-defined]  # fewer, larger reads
        for _ in range(self.layout.skip_lines):
            text.readline()
        reader = csv.reader(
            text, delimiter=self.layout.delimiter, strict=True, skipinitialspace=True
        )
        column, stats, skip = self.layout.column, self.stats, self.layout.header
        offset = self.layout.skip_lines
        where = _place_finder(self.layout) if places else None
        batch: list[str] = []
        placed: list[str | None] = []
        invalid_lines = stats.invalid_lines
        previous = 0
        match = ADDRESS_PATTERN.fullmatch
        try:
            for row in reader:
                start, previous = previous + 1, reader.line_num
                value = row[column].strip() if len(row) > column else ""
                if not value and not any(cell.strip() for cell in row):
                    stats.blank += 1
                    continue
                if skip:
                    skip = False
                    continue
                stats.rows += 1
                address = value.lower()
                # The fast path of core.base.addresses.address_key, inlined for a million
                # rows: an ASCII address is its lower-cased self; others go through the rule.
                if address.isascii() and "<" not in address and len(address) <= MAX_ADDRESS:
                    address = address if match(address) else None
                else:
                    address = normalise(value)
                if address is None:
                    stats.invalid += 1
                    if len(invalid_lines) < INVALID_EXAMPLES:
                        invalid_lines.append(start + offset)
                    continue
                batch.append(address)
                if where is not None:
                    placed.append(where(row, address))
                if len(batch) >= size:
                    stats.valid += len(batch)
                    yield batch if where is None else (batch, placed)
                    batch, placed = [], []
        except UnicodeDecodeError:
            line, byte = locate_decode_error(self.path, self.encoding, self._start)
            raise WrongEncoding(self.encoding, line, byte) from None
        except csv.Error as error:
            raise self._csv_problem(
                error, previous + 1 + offset, reader.line_num + offset
            ) from None
        finally:
            text.detach()
        stats.valid += len(batch)
        if batch:
            yield batch if where is None else (batch, placed)
        if stats.rows == 0:
            raise EmptyFile(self.path, None, "the file has a header but no rows.")
        if stats.valid == 0:
            lines = ", ".join(f"{n:,}" for n in invalid_lines)
            more = "..." if stats.invalid > len(invalid_lines) else ""
            raise NoValidAddress(
                self.path,
                invalid_lines[0],
                f"none of the {stats.rows:,} rows holds a valid address in "
                f"{self.layout.column_label} (lines {lines}{more}).",
            )

    def _csv_problem(self, error: csv.Error, start: int, end: int) -> MalformedCsv:
        text = str(error)
        if "NUL" in text:
            text = "binary data (a NUL byte), not a CSV file"
        elif "unexpected end of data" in text:
            text = "a quoted field starts here and is never closed"
        elif "field larger than" in text:
            text = "a field runs on for too long (a closing quote is missing?)"
        elif end != start:
            text = f"broken CSV quoting: {text} (the row ends on line {end:,})"
        else:
            text = f"broken CSV quoting: {text}"
        return MalformedCsv(self.path, start, text + ".")


def _place_finder(layout: Layout) -> Callable[[list[str], str], str | None]:
    """How one row's place is found: its country/state cells, else its domain."""
    if not layout.has_places:
        by_domain = domain_places().get  # place_of_domain, without a call per row
        return lambda row, address: by_domain(address[address.rfind(".") + 1 :])
    country, state = layout.country_column, layout.state_column

    def cell(row: list[str], index: int | None) -> str:
        return row[index] if index is not None and index < len(row) else ""

    return lambda row, address: place_of(cell(row, country), cell(row, state))


def read_file(
    path: Path | str,
    handle: Callable[[AudienceReader], None],
    *,
    restart: Callable[[], None] = lambda: None,
) -> AudienceReader:
    """Open ``path`` and give a reader to ``handle``, which consumes ``reader.batches()``.

    When the file turns out not to be UTF-8 (or cp1252), ``restart`` is called to undo
    what ``handle`` did, and ``handle`` gets a fresh reader in the next encoding.
    Returns the reader that completed (its ``stats``, ``layout``, ``encoding``).
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise UnreadableFile(path, None, "this is a folder; give the path of a CSV file.")
    try:
        with open_regular(path) as raw:  # a FIFO or a device is refused, not waited on
            head = raw.read(8)
    except NotRegularFile as error:
        raise UnreadableFile(path, None, error.problem) from None
    except OSError as error:
        raise UnreadableFile(path, None, f"cannot read it ({error.strerror or error}).") from None
    utf8_error: tuple[int, int] | None = None
    encodings = candidate_encodings(head)
    for n, encoding in enumerate(encodings):
        try:
            with closing(AudienceReader(path, encoding, utf8_error=utf8_error)) as reader:
                handle(reader)
                return reader
        except OSError as error:  # a disk or network error in the middle of the file
            raise UnreadableFile(
                path, None, f"cannot read it ({error.strerror or error})."
            ) from None
        except WrongEncoding as wrong:
            if n == len(encodings) - 1:
                problem = f"cannot be decoded as {ENCODING_LABELS[encoding]}."
                raise BadEncoding(path, wrong.line, problem) from None
            if utf8_error is None:
                utf8_error = (wrong.line, wrong.byte)
            restart()
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover
