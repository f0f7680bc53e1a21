"""Reading recipient files: encodings, delimiters, headers, odd rows."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from email_crisis.core.assess.audience.sniff import (
    COLUMN_NAMES,
    SAMPLE_BYTES,
    AmbiguousColumn,
    AudienceFileError,
    BadEncoding,
    EmptyFile,
    MalformedCsv,
    NoEmailColumn,
    NotCsv,
    NoValidAddress,
    UnknownDelimiter,
    UnreadableFile,
)
from email_crisis.core.base.errors import CrisisError
from tests.core.assess.audience.conftest import WriteFile
from tests.core.assess.audience.support import csv_lines, read_all

ESP_EXPORT = csv_lines(
    "First Name,Email Address,Sent At",
    "Ana,ana@example.com,2026-11-27",
    "Bo,BO@Example.COM ,2026-11-27",
)


def test_esp_export_with_the_address_in_the_second_column(write: WriteFile) -> None:
    reader, addresses = read_all(write("export.csv", ESP_EXPORT))
    assert addresses == ["ana@example.com", "bo@example.com"]
    assert (reader.layout.header, reader.layout.column, reader.layout.column_label) == (
        True,
        1,
        '"Email Address"',
    )
    assert (reader.encoding, reader.layout.delimiter_name, reader.utf8_error) == (
        "utf-8",
        "comma",
        None,
    )
    assert (reader.stats.rows, reader.stats.valid, reader.stats.invalid) == (2, 2, 0)


@pytest.mark.parametrize(
    ("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")]
)
def test_each_delimiter_is_sniffed(write: WriteFile, delimiter: str, name: str) -> None:
    # Commas inside the names make the comma a tempting wrong answer for the others.
    rows = ["name", "email", "note"], ["Doe, Jo", "jo@example.com", "a, b"]
    text = csv_lines(*(delimiter.join(row) for row in rows))
    if delimiter == ",":
        text = csv_lines("name,email,note", '"Doe, Jo",jo@example.com,"a, b"')
    reader, addresses = read_all(write("list.txt", text))
    assert reader.layout.delimiter_name == name
    assert addresses == ["jo@example.com"]


def test_tsv_export(write: WriteFile) -> None:
    text = csv_lines("recipient\topened\tclicked", "a@example.com\t1\t0", "b@example.com\t0\t0")
    reader, addresses = read_all(write("events.tsv", text))
    assert (reader.layout.delimiter_name, reader.layout.column_name) == ("tab", "recipient")
    assert addresses == ["a@example.com", "b@example.com"]


@pytest.mark.parametrize(
    "header",
    [
        "email",
        "E-mail",
        " EMAIL ",
        "email_address",
        "Email Address",
        "EmailAddress",
        "recipient",
        "rcpt_to",
        "address",
        "to",
        "courriel",
        "Adresse e-mail",
        "Subscriber Email",  # not a known name, but the only column mentioning email
    ],
)
def test_the_email_column_is_found_by_name(write: WriteFile, header: str) -> None:
    text = csv_lines(f"id,{header},city", "1,jo@example.com,Lyon")
    reader, addresses = read_all(write("list.csv", text))
    assert (reader.layout.column, reader.layout.column_name) == (1, header.strip())
    assert addresses == ["jo@example.com"]


def test_known_column_names_are_normalised_keys() -> None:
    assert all(name == name.lower() and name.isalnum() for name in COLUMN_NAMES)


def test_an_email_column_wins_over_a_postal_address_column(write: WriteFile) -> None:
    text = csv_lines("address,mail", "1 rue de la Paix,jo@example.com")
    reader, addresses = read_all(write("list.csv", text))
    assert reader.layout.column_name == "mail"
    assert addresses == ["jo@example.com"]


def test_headerless_file_finds_the_column_by_its_values(write: WriteFile) -> None:
    text = csv_lines("Ana;ana@example.com;12", "Bo;bo@example.com;7", "Cy;not-an-address;3")
    reader, addresses = read_all(write("plain.csv", text))
    assert (reader.layout.header, reader.layout.column, reader.layout.column_label) == (
        False,
        1,
        "column 2",
    )
    assert addresses == ["ana@example.com", "bo@example.com"]
    assert (reader.stats.rows, reader.stats.invalid, reader.stats.invalid_lines) == (3, 1, [3])


def test_one_address_per_line(write: WriteFile) -> None:
    reader, addresses = read_all(write("plain.txt", "a@example.com\nB@example.com\n"))
    assert addresses == ["a@example.com", "b@example.com"]
    assert not reader.layout.header


def test_quoted_newlines_blank_lines_and_trailing_spaces(write: WriteFile) -> None:
    text = (
        "name,email,notes\r\n"
        "\r\n"
        '"Ana\r\nMaria",ana@example.com   ,"line one\nline two"\r\n'
        "   \r\n"
        ",,\r\n"
        'Bo,   bo@example.com,"x"\r\n'
        "Cy,bad@,\r\n"
    )
    reader, addresses = read_all(write("odd.csv", text))
    assert addresses == ["ana@example.com", "bo@example.com"]
    # The record of "Ana" spans lines 3-5, so "Cy" (the invalid one) is on line 9.
    assert (reader.stats.rows, reader.stats.blank, reader.stats.invalid_lines) == (3, 3, [9])


def test_excel_sep_line(write: WriteFile) -> None:
    reader, addresses = read_all(
        write("excel.csv", csv_lines("sep=;", "email;n", "a@example.com;1"))
    )
    assert (reader.layout.delimiter_name, addresses) == ("semicolon", ["a@example.com"])


def test_rows_without_an_address_are_invalid_not_blank(write: WriteFile) -> None:
    text = csv_lines("email,name", ",Ana", "a@example.com,Bo", "two@@example.com,Cy")
    reader, addresses = read_all(write("gaps.csv", text))
    assert addresses == ["a@example.com"]
    assert (reader.stats.invalid, reader.stats.invalid_lines) == (2, [2, 4])


def test_duplicates_are_left_to_the_store(write: WriteFile) -> None:
    _, addresses = read_all(write("d.csv", csv_lines("email", "A@x.example", "a@X.example")))
    assert addresses == ["a@x.example", "a@x.example"]


# -- encodings -----------------------------------------------------------------------------


def test_utf8_with_bom(write: WriteFile) -> None:
    reader, addresses = read_all(
        write("bom.csv", b"\xef\xbb\xbf" + "Email\nzoë@example.com\n".encode())
    )
    assert (reader.encoding, reader.encoding_label) == ("utf-8-sig", "UTF-8 (with BOM)")
    assert reader.layout.column_name == "Email"
    assert addresses == ["zoë@example.com"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(write: WriteFile, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + "name\temail\nRenée\trenee@example.com\n".encode(codec)
    reader, addresses = read_all(write("u16.tsv", data))
    assert (reader.encoding, reader.layout.delimiter_name) == ("utf-16", "tab")
    assert addresses == ["renee@example.com"]


def test_cp1252_fallback_says_where_utf8_failed(write: WriteFile) -> None:
    text = csv_lines("email;name", "a@example.com;Ana", "b@example.com;Ren\u00e9e \u2013 \u20ac")
    reader, addresses = read_all(write("win.csv", text, "cp1252"))
    assert (reader.encoding, reader.encoding_label) == ("cp1252", "Windows-1252 (cp1252)")
    assert reader.utf8_error == (3, len(b"email;name\na@example.com;Ana\nb@example.com;Ren"))
    assert addresses == ["a@example.com", "b@example.com"]


def test_latin1_when_cp1252_cannot_decode(write: WriteFile) -> None:
    # 0x81 is undefined in cp1252 but a (control) character in latin-1.
    data = b"email,name\na@example.com,Ana\xefs\nb@example.com,X\x81\n"
    reader, addresses = read_all(write("latin.csv", data))
    assert (reader.encoding, reader.encoding_label) == ("latin-1", "Latin-1 (ISO-8859-1)")
    assert reader.utf8_error == (2, data.index(b"\xef"))
    assert addresses == ["a@example.com", "b@example.com"]


def test_bad_utf8_far_into_the_file_restarts_the_read(write: WriteFile) -> None:
    rows = [f"user{n}@example.com,Ana" for n in range(30_000)]
    data = csv_lines("email,name", *rows).encode() + b"last@example.com,Ren\xe9e\n"
    assert len(data) > SAMPLE_BYTES
    reader, addresses = read_all(write("big.csv", data))
    assert reader.encoding == "cp1252"
    assert reader.utf8_error is not None and reader.utf8_error[0] == 30_002
    assert len(addresses) == 30_001 and addresses[-1] == "last@example.com"


# -- bad input: each error names the file and the line ------------------------------------


@pytest.mark.parametrize(
    ("content", "error", "expected"),
    [
        (b"", EmptyFile, "empty.csv: the file is empty (0 bytes)."),
        (b"\n\n  \n", EmptyFile, "empty.csv: the file holds only blank lines."),
        (b"email,name\n\n", EmptyFile, "empty.csv: the file has a header but no rows."),
        (
            b"name,city\nAna,Lyon\n",
            NoEmailColumn,
            'empty.csv, line 1: the header has no email column (found "name", "city").',
        ),
        (
            b"\nemail:name\na@example.com:Ana\nb@example.com:Bo\n",
            UnknownDelimiter,
            "empty.csv, line 1: the columns seem to be separated by ':', which is not supported",
        ),
        (
            b"email,name\na@example.com,Ana\x00\x01\x02\n",
            NotCsv,
            "empty.csv, line 2: binary data (NUL bytes), not a CSV file.",
        ),
        (b"PK\x03\x04\x14\x00", NotCsv, "empty.csv, line 1: this is a ZIP archive"),
        (
            b"\n<!DOCTYPE html><html><body>export</body></html>\n",
            NotCsv,
            "empty.csv, line 1: this looks like HTML or XML, not CSV",
        ),
        (
            b'[{"email": "a@example.com"}]\n',
            NotCsv,
            "empty.csv, line 1: this looks like JSON, not CSV.",
        ),
        (
            b'email,name\na@example.com,Ana\nb@example.com,"Bo\nc@example.com,Cy\n',
            MalformedCsv,
            "empty.csv, line 3: a quoted field starts here and is never closed.",
        ),
        (
            b'email,name\na@example.com,"Ana" Maria\n',
            MalformedCsv,
            "empty.csv, line 2: broken CSV quoting: ',' expected after '\"'.",
        ),
        (
            b"email,name\nnobody,Ana\nstill nobody,Bo\n",
            NoValidAddress,
            'empty.csv, line 2: the column "email" holds no valid address in the first 2 rows.',
        ),
        (
            b"a@example.com,b@example.com\nc@example.com,d@example.com\n",
            AmbiguousColumn,
            "empty.csv, line 1: columns 1, 2 all hold addresses and there is no header",
        ),
        (
            b"Email,email\na@example.com,b@example.com\n",
            AmbiguousColumn,
            "empty.csv, line 1: columns 1, 2 have the same name.",
        ),
    ],
)
def test_bad_input_names_file_and_line(
    write: WriteFile, content: bytes, error: type[AudienceFileError], expected: str
) -> None:
    path = write("empty.csv", content)
    with pytest.raises(error) as caught:
        read_all(path)
    assert type(caught.value) is error and isinstance(caught.value, CrisisError)
    assert str(caught.value).startswith(expected.replace("empty.csv", str(path)))


def test_no_valid_address_after_the_sample(write: WriteFile) -> None:
    # The sample (first 64 KiB) is all blank lines, so the full pass is what finds out.
    data = b"email\n" + b"\n" * SAMPLE_BYTES + b"nobody\nnobody\n"
    path = write("late.csv", data)
    expected = r'late\.csv, line 65,538: .* in "email" \(lines 65,538, 65,539\)\.$'
    with pytest.raises(NoValidAddress, match=expected):
        read_all(path)


def test_utf16_that_does_not_decode(write: WriteFile) -> None:
    path = write(
        "broken16.csv",
        codecs.BOM_UTF16_LE + "email\na@example.com\n".encode("utf-16-le") + b"\x00\xd8",
    )
    with pytest.raises(BadEncoding, match=r"broken16\.csv, line 3: cannot be decoded as UTF-16"):
        read_all(path)


def test_utf16_without_bom_gets_a_hint(write: WriteFile) -> None:
    path = write("nobom.csv", "email\nann@example.com\nbob@example.com\n".encode("utf-16-le"))
    with pytest.raises(NotCsv, match="UTF-16 without a byte-order mark"):
        read_all(path)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp / "missing.csv", "missing.csv: there is no such file."),
        (lambda tmp: tmp, ": this is a folder; give the path of a CSV file."),
    ],
)
def test_unreadable_paths(tmp_path: Path, make, expected: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnreadableFile, match=expected):
        read_all(make(tmp_path))


def test_messages_never_quote_an_address(write: WriteFile) -> None:
    path = write("x.csv", b'email,name\nsecret-person@example.com,"Ana" B\n')
    with pytest.raises(MalformedCsv) as caught:
        read_all(path)
    assert "secret-person" not in str(caught.value)
