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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from itertools import chain, islice, repeat
from operator import add, attrgetter, itemgetter
from pathlib import Path
from typing import Any

from email_crisis.core.assess.audience.plain import BLOCK_CHARACTERS, PlainLines
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
from email_crisis.core.base.addresses import (
    ADDRESS_PATTERN,
    ASCII_ADDRESS_LINES,
    MAX_ADDRESS,
)
from email_crisis.core.base.files import NotRegularFile, open_regular

CHUNK_ROWS = 500  # rows held at once, every cell: a wide export stays small in memory

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
        """Valid, normalised addresses in batches of ``size``; counts the rest in ``stats``.

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
        reader = self._csv(text)
        base = 0  # lines read before ``reader`` started (its line_num counts from there)
        numbered = _numbered(reader, base)
        rule = _RowRule(self.layout, self.stats, places)
        out = _Output(self.layout, places)
        # Once the header is behind, plain blocks are read without csv (core.assess.
        # audience.plain); not when the rows' own cells say where people live.
        plain = None if rule.places_from_cells else PlainLines(self.layout)
        previous = 0  # the line the last row taken ended on
        taken: list[tuple[list[str], int]] = []
        try:
            while True:
                if plain is not None and not rule.skip:
                    block = text.read(BLOCK_CHARACTERS)
                    if not block:
                        break
                    block += "" if block.endswith("\n") else text.readline()
                    if PlainLines.fits(block):
                        block += "" if block.endswith("\n") else "\n"  # the file's last line
                        rule.take_plain(block, previous, out, plain)
                        previous += block.count("\n")
                        block = ""  # not kept while the batch is staged
                    else:  # csv reads this block and the rest of the file
                        plain, base = None, previous
                        reader = self._csv(chain(io.StringIO(block, newline=""), text))
                        numbered = _numbered(reader, base)
                else:
                    taken.extend(islice(numbered, CHUNK_ROWS))
                    if not taken:
                        break
                    rule.take(*zip(*taken, strict=True), previous, out)
                    previous = taken[-1][1]
                    taken.clear()  # before the next chunk is read: one chunk in memory
                while len(out.addresses) >= size:
                    yield out.take(size, self.stats)
        except UnicodeDecodeError:
            line, byte = locate_decode_error(self.path, self.encoding, self._start)
            raise WrongEncoding(self.encoding, line, byte) from None
        except csv.Error as error:
            # list.extend keeps the rows it took before the error: the broken row
            # starts right after the last of them.
            previous = taken[-1][1] if taken else previous
            offset = self.layout.skip_lines
            raise self._csv_problem(
                error, previous + 1 + offset, base + reader.line_num + offset
            ) from None
        finally:
            text.detach()
        if out.addresses:
            yield out.take(len(out.addresses), self.stats)
        stats = self.stats
        if stats.rows == 0:
            raise EmptyFile(self.path, None, "the file has a header but no rows.")
        if stats.valid == 0:
            lines = ", ".join(f"{n:,}" for n in stats.invalid_lines)
            more = "..." if stats.invalid > len(stats.invalid_lines) else ""
            raise NoValidAddress(
                self.path,
                stats.invalid_lines[0],
                f"none of the {stats.rows:,} rows holds a valid address in "
                f"{self.layout.column_label} (lines {lines}{more}).",
            )

    def _csv(self, lines: Iterable[str]) -> Any:
        return csv.reader(
            lines, delimiter=self.layout.delimiter, strict=True, skipinitialspace=True
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


def _numbered(reader: Any, base: int) -> Iterator[tuple[list[str], int]]:
    """Each row with the line it ends on (read from the reader right after the row)."""
    ends = map(add, map(attrgetter("line_num"), repeat(reader)), repeat(base))
    return zip(reader, ends, strict=False)


class _Output:
    """The addresses found so far and, when asked, where each person lives."""

    def __init__(self, layout: Layout, places: bool) -> None:
        self.addresses: list[str] = []
        # From the rows' own country/state columns, one per address; else guessed
        # from the addresses when they are handed out.
        self.places: list[str | None] | None = [] if places and layout.has_places else None
        self._guess = _domain_guess() if places and not layout.has_places else None

    def take(self, size: int, stats: ReadStats) -> Any:
        """The first ``size`` addresses (with their places), removed from here."""
        addresses, self.addresses = self.addresses[:size], self.addresses[size:]
        stats.valid += len(addresses)
        if self.places is not None:
            places, self.places = self.places[:size], self.places[size:]
            return addresses, places
        if self._guess is not None:
            return addresses, self._guess(addresses)
        return addresses


class _RowRule:
    """Which rows hold which address: row by row, and in bulk for plain ASCII rows.

    Nearly every address of an export is plain ASCII, and for those the one address
    rule (``core.base.addresses``) is the lower-cased text once ``ADDRESS_PATTERN``
    matches it. A chunk's address cells are lower-cased as one string and checked by
    ``ASCII_ADDRESS_LINES``, one call per run of such rows, without a line of Python
    per row; every other row (blank, invalid, non-ASCII,
    with spaces around it, the header) goes through ``one``, the rule row by row, so
    both ways give the same addresses.
    """

    def __init__(self, layout: Layout, stats: ReadStats, places: bool) -> None:
        self.column = layout.column
        self.stats = stats
        self.skip = layout.header  # the header (the first non-blank row) is still to come
        self.offset = layout.skip_lines
        self._cell = itemgetter(layout.column)
        self._places = _column_places(layout) if places and layout.has_places else None
        self.places_from_cells = self._places is not None
        self._delimiter = layout.delimiter

    def take(
        self, rows: Sequence[list[str]], ends: Sequence[int], previous: int, out: _Output
    ) -> None:
        """Add the valid addresses of ``rows`` (which end on lines ``ends``) to ``out``."""
        count = len(rows)
        places = self._places(rows) if self._places is not None else None
        keys, runs = ([], []) if self.skip else self._runs(rows)
        at = 0
        for first, stop in [*runs, (count, count)]:
            for n in range(at, first):  # the rows between two runs, one by one
                start = (ends[n - 1] if n else previous) + 1
                self.one(rows[n], start, out, places[n] if places is not None else None)
            if stop > first:
                out.addresses += keys[first:stop]
                self.stats.rows += stop - first
                if out.places is not None and places is not None:
                    out.places += places[first:stop]
            at = stop

    def take_plain(self, block: str, previous: int, out: _Output, plain: PlainLines) -> None:
        """Add the valid addresses of the lines of ``block`` (each ended by a line break;
        the first is line ``previous + 1``; no quotes, see ``PlainLines``) to ``out``."""
        cells = plain.cells(block)
        keys = "\n".join(cells).lower().split("\n")
        lines: list[str] | None = None  # the block's lines, once one is needed
        count, at = len(cells), 0
        while at < count:
            try:
                stop = cells.index("", at)
            except ValueError:
                stop = count
            if stop > at and max(map(len, keys[at:stop])) <= MAX_ADDRESS:
                out.addresses += keys[at:stop]
                self.stats.rows += stop - at
                at = stop
            for n in range(at, stop + 1 if stop < count else stop):  # one by one
                lines = block.split("\n") if lines is None else lines
                self._one_line(lines[n] + "\n", previous + 1 + n, out)
            at = stop + 1

    def _one_line(self, line: str, number: int, out: _Output) -> None:
        reader = csv.reader([line], delimiter=self._delimiter, strict=True, skipinitialspace=True)
        self.one(next(reader, []), number, out, None)

    def _runs(self, rows: Sequence[list[str]]) -> tuple[list[str], list[tuple[int, int]]]:
        """The rows' lower-cased address cells, and the runs of rows (``first``, ``stop``)
        whose cell is a plain ASCII address: its key is that lower-cased cell."""
        try:
            cells = list(map(self._cell, rows))
        except IndexError:  # a short or blank row
            column = self.column
            cells = [row[column] if len(row) > column else "" for row in rows]
        lowered = "\n".join(cells).lower() + "\n"
        keys = lowered.split("\n")
        del keys[-1]
        runs: list[tuple[int, int]] = []
        count = len(cells)
        if len(keys) != count:  # a cell with a line break: every row one by one
            return keys, runs
        at = position = 0
        while at < count:
            end = ASCII_ADDRESS_LINES.match(lowered, position).end()  # type: ignore[union-attr]
            stop = at + lowered.count("\n", position, end)
            if stop > at and max(map(len, keys[at:stop])) <= MAX_ADDRESS:
                runs.append((at, stop))
            # else: an address longer than the rule allows in there; one by one.
            at, position = stop + 1, lowered.find("\n", end) + 1  # past the row it stopped at
        return keys, runs

    def one(self, row: list[str], start: int, out: _Output, place: str | None) -> None:
        """One row under the rule: blank, the header, invalid or one more address."""
        stats = self.stats
        value = row[self.column].strip() if len(row) > self.column else ""
        if not value and not any(cell.strip() for cell in row):
            stats.blank += 1
            return
        if self.skip:
            self.skip = False
            return
        stats.rows += 1
        address = value.lower()
        # The fast path of core.base.addresses.address_key (as _runs takes it in bulk).
        if address.isascii() and "<" not in address and len(address) <= MAX_ADDRESS:
            address = address if ADDRESS_PATTERN.fullmatch(address) else None
        else:
            address = normalise(value)
        if address is None:
            stats.invalid += 1
            if len(stats.invalid_lines) < INVALID_EXAMPLES:
                stats.invalid_lines.append(start + self.offset)
            return
        out.addresses.append(address)
        if out.places is not None:
            out.places.append(place)


def _column_places(layout: Layout) -> Callable[[Sequence[list[str]]], list[str | None]]:
    """Where each row's person lives, from its country and state cells."""

    def cells(rows: Sequence[list[str]], index: int | None) -> Iterable[str]:
        if index is None:
            return repeat("")
        try:
            return list(map(itemgetter(index), rows))
        except IndexError:
            return [row[index] if index < len(row) else "" for row in rows]

    country, state = layout.country_column, layout.state_column
    return lambda rows: list(map(place_of, cells(rows, country), cells(rows, state)))


def _domain_guess() -> Callable[[list[str]], list[str | None]]:
    """Where each address's person may live, from its domain's country code."""
    by_domain = domain_places().get  # place_of_domain for a whole batch, in C loops
    last_label = itemgetter(2)

    def guess(addresses: list[str]) -> list[str | None]:
        return list(map(by_domain, map(last_label, map(str.rpartition, addresses, repeat(".")))))

    return guess


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
