"""The audience's use of the one address rule (core/base/addresses.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from email_crisis.core.assess.audience import build as audience
from email_crisis.core.assess.audience.plain import BLOCK_CHARACTERS
from email_crisis.core.assess.audience.reader import AudienceReader
from email_crisis.core.assess.audience.sniff import MalformedCsv, normalise
from email_crisis.core.base.domain import Incident
from email_crisis.core.store.database import Store
from tests.core.assess.audience.conftest import WriteFile
from tests.core.assess.audience.support import csv_lines, read_all


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ana@example.com", "ana@example.com"),
        ("  Ana.Lee+promo@Example.COM\t", "ana.lee+promo@example.com"),
        ("ANA@EXAMPLE.CO.UK", "ana@example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("Ana Lee <Ana@Example.com>", "ana@example.com"),
        ("ZOË@exemple.fr", "zoë@exemple.fr"),
        ("zoe\u0308@exemple.fr", "zoë@exemple.fr"),  # NFC: e + combining diaeresis
        ("Zoë@Exämple.fr", "zoë@xn--exmple-cua.fr"),  # IDNA: the domain's ASCII form
        ("zoë@XN--EXMPLE-CUA.FR", "zoë@xn--exmple-cua.fr"),
        ("a" * 64 + "@example.com", "a" * 64 + "@example.com"),
        ("a" * 65 + "@example.com", None),  # local part over 64
        ("", None),
        ("ana", None),
        ("ana@", None),
        ("@example.com", None),
        ("ana@example", None),  # no dot in the domain
        ("ana@example.c", None),  # one-letter top-level domain
        ("ana@@example.com", None),
        ("ana@bo@example.com", None),
        ("ana lee@example.com", None),
        ("ana@exa mple.com", None),
        ("ana@example..com", None),
        ("ana@.example.com", None),
        ("ana@example.com.", None),
        ("ana,bo@example.com", None),
        ("ana;bo@example.com", None),
        ('"ana"@example.com', None),
        ("ana@example.com\x1b[31m", None),
        ("ana\x00@example.com", None),
        ("<ana@example.com", None),
    ],
)
def test_normalise(value: str, expected: str | None) -> None:
    assert normalise(value) == expected


def test_the_length_limit_is_254() -> None:
    domain = ".".join(["d" * 60] * 4) + ".com"
    local = "a" * (254 - 1 - len(domain))
    assert normalise(f"{local}@{domain}") == f"{local}@{domain}"
    assert normalise(f"{local}a@{domain}") is None


def test_unicode_and_punycode_forms_of_one_address_are_subtracted_as_one(
    store: Store, incident: Incident, write: WriteFile, tmp_path: Path
) -> None:
    """Issue 14's suppression bypass: a suppressed person must not be mailed because the
    affected list spells the domain in punycode, or the accent in NFD."""
    affected = csv_lines(
        "email",
        "Zoë@xn--exmple-cua.fr",  # suppressed below as Zoë@Exämple.fr
        "jose\u0301@xn--exmple-cua.com",  # NFD josé, punycode domain
        "jose@exämple.com",  # jose, not josé: another person, still mailed
        "ana@example.com",
    )
    suppressed = csv_lines("email", "Zoë@Exämple.fr", "josé@EXÄMPLE.com")
    audience.import_list(store, incident, write("a.csv", affected), role="affected", operator="x")
    audience.import_list(
        store, incident, write("s.csv", suppressed), role="suppressed", operator="x"
    )
    counts = audience.audience_counts(store, incident.id)
    assert (counts.affected, counts.suppressed, counts.final) == (4, 2, 2)
    out = audience.export_audience(store, incident, tmp_path / "out.csv", operator="x")
    assert out.path.read_text(encoding="utf-8").splitlines() == [
        "email",
        "ana@example.com",
        "jose@xn--exmple-cua.com",  # the ASCII form every mail server accepts
    ]


# Awkward cells for the reader's two ways (plain ASCII rows in bulk, the rest one by one).
AWKWARD = [
    "ANA@EXAMPLE.COM",
    "  ana@example.com",
    "ana@example.com\t",
    "Ana Lee <Ana@Example.com>",
    "<ana@example.com>",
    "ZOË@exemple.fr",
    "zoe\u0308@exemple.fr",
    "Zoë@Exämple.fr",
    "zoë@XN--EXMPLE-CUA.FR",
    "ΣΑΣ@example.gr",  # capital sigma: lower() depends on the letters around it
    "İ@example.com",  # lower() gives two code points
    "ﬀ@example.com",
    "me@Ｄｏｍａｉｎ.com",
    "ana\u00a0@example.com",  # a no-break space: not an address
    "ana@example.com\u2028",
    "ana\x85@example.com",
    "a" * 64 + "@example.com",
    "a" * 65 + "@example.com",
    "a@" + ".".join(["d" * 60] * 4) + ".com",  # the shape of an address, but 249+ long
    "a" * 9 + "@" + ".".join(["d" * 60] * 4) + ".com",  # 259 characters
    "ana@example.c",
    "ana@@example.com",
    "",
    " ",
    "not an address",
    "ana@example.com,bo@example.com",
    'say "hi"@example.com',
]


def test_the_bulk_way_and_the_rule_give_the_same_addresses(write: WriteFile) -> None:
    """Every cell read as ``normalise`` (the one rule) reads it, in file order, whether
    it sits among thousands of plain rows (read in bulk) or not; invalid rows are
    reported at the line they start on."""
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["name", "email", "note"])
    cells: list[str] = []
    for n in range(1_600):
        if n % 3 == 0:
            cell = AWKWARD[(n // 3) % len(AWKWARD)]
        elif n == 1_201:
            cell = "ana@exam\nple.com"  # a quoted cell over two lines: its chunk row by row
        else:
            cell = f"User.{n}@{['Example.com', 'mail.example.org', 'ex.fr'][n % 3]}"
        cells.append(cell)
        if n % 97 == 5:
            buffer.write("\n")  # a blank line
        if n % 89 == 7:
            out.writerow([f"short {n}"])  # a row without the email column
            cells.append("")
        out.writerow([f"Person {n}", cell, "a note,\nover two lines" if n % 50 == 1 else "x"])
    path = write("mixed.csv", buffer.getvalue())
    reader, addresses = read_all(path)
    assert len(addresses) > 1_000 and any(not key.isascii() for key in addresses)
    _as_the_rule_reads_it(path, reader, addresses, column=1, delimiter=",")


def _as_the_rule_reads_it(
    path: Path, reader: AudienceReader, addresses: list[str], *, column: int, delimiter: str
) -> None:
    """``addresses`` and ``reader.stats`` are what csv.reader and ``normalise`` give, row
    by row: the same keys in file order, invalid rows at the line they start on."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle, delimiter=delimiter, skipinitialspace=True)
        next(rows)
        expected: list[str] = []
        invalid: list[int] = []
        counted = 0
        previous = rows.line_num
        for row in rows:
            start, previous = previous + 1, rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            counted += 1
            key = normalise(row[column] if len(row) > column else "")
            if key is None:
                invalid.append(start)
            else:
                expected.append(key)
    assert addresses == expected
    assert reader.stats.invalid == len(invalid)
    assert reader.stats.invalid_lines == invalid[:5]
    assert reader.stats.rows == reader.stats.valid + reader.stats.invalid == counted


# Cells a file can hold without quotes (no delimiter, quote or line break in them).
UNQUOTED = [cell for cell in AWKWARD if not set(cell) & set(',;|\t"\n\r')]


@pytest.mark.parametrize(("delimiter", "column"), [(",", 1), (";", 0), ("\t", 2), ("|", 1)])
def test_a_file_without_quotes_is_read_as_csv_reads_it(
    write: WriteFile, delimiter: str, column: int
) -> None:
    """Unquoted files are read a block at a time without csv (core.assess.audience.plain):
    the same keys and line numbers as csv.reader row by row, over several blocks, with
    short rows, blank lines, spaces after the delimiter, a '|' in an address of a
    comma file; and from the first quote on, csv again (line numbers still right)."""
    lines = [delimiter.join([*["first", "last"][:column], "email", "note"])]
    for n in range(6_000):
        if n % 5 == 0:
            cell = UNQUOTED[(n // 5) % len(UNQUOTED)]
        elif n % 7 == 0 and delimiter != "|":
            cell = f"a|b.{n}@example.com"
        else:
            cell = f"User.{n}@{['Example.com', 'mail.example.org', 'ex.fr'][n % 3]}"
        cells = [f"Person {n}"] * column + [cell, "x" * (n % 40)]
        if n % 97 == 5:
            lines.append("")  # a blank line
        if n % 89 == 7:
            lines.append(f"short {n}")  # no email column (except in column 0)
        if n % 61 == 3:
            cells[column] = " " + cells[column]  # a space after the delimiter
        if n == 5_000:
            cells[-1] = '"a quoted note"'  # from here on, csv reads the file
        lines.append(delimiter.join(cells))
    path = write("plain.csv", "\n".join(lines) + "\n")
    assert path.stat().st_size > 4 * BLOCK_CHARACTERS
    reader, addresses = read_all(path)
    assert (reader.layout.delimiter, reader.layout.column) == (delimiter, column)
    _as_the_rule_reads_it(path, reader, addresses, column=column, delimiter=delimiter)


def test_invalid_rows_far_into_a_file_without_quotes_are_reported_at_their_line(
    write: WriteFile,
) -> None:
    lines = ["email,note"]
    for n in range(6_000):
        if n % 97 == 5:
            lines.append("")  # blank lines count as lines, not rows
        if n == 4_000:
            lines.append('"quoted@example.com","a note over\ntwo lines"')  # csv from here
        bad = n in (1_500, 3_000, 4_500, 5_500)
        lines.append(f"{'not an address' if bad else f'u.{n}@example.com'},x")
    path = write("late.csv", "\n".join(lines) + "\n")
    reader, addresses = read_all(path)
    assert reader.stats.invalid == 4
    _as_the_rule_reads_it(path, reader, addresses, column=0, delimiter=",")


@pytest.mark.parametrize("where", ["note", "email"])
def test_a_field_too_long_for_csv_is_refused_at_its_line_in_a_file_without_quotes(
    write: WriteFile, where: str
) -> None:
    """csv refuses a field over csv.field_size_limit(); far into an unquoted file (read
    without csv), the same error at the same line."""
    lines = ["email,note"] + [f"u.{n}@example.com,x" for n in range(2_000)]
    huge = "y" * (csv.field_size_limit() + 1)
    lines[1_500] = f"u.1500@example.com,{huge}" if where == "note" else f"{huge},x"
    lines += [f"v.{n}@example.com,x" for n in range(1_000)]
    path = write("long.csv", "\n".join(lines) + "\n")
    with pytest.raises(MalformedCsv, match=r"long\.csv, line 1,501: a field runs on for too long"):
        read_all(path)
