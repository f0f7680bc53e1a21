"""The plain-.eml reader gives exactly what the email package gives, or steps aside.

The header/body split and the header line syntax are RFC 5322 (section 2.1: "a message
consists of header fields ... optionally followed by a message body", separated by an
empty line; section 2.2: a field name is printable US-ASCII except colon); the
reference for every value is Python's own ``email`` package with ``policy.default``,
which ``eml.read_draft`` used for every file before.
"""

from __future__ import annotations

import email
import email.policy
import random
from email.utils import getaddresses
from pathlib import Path

import pytest

from email_crisis.core.notify.lint.eml import _parsed_message, read_draft
from email_crisis.core.notify.lint.rules.senders import _addresses
from email_crisis.core.notify.lint.simple_eml import simple_address, simple_message

PIECES = [
    *("a", "Shop", "Team", "x.y", "@", "<", ">", " ", "  ", "\t", ".", "'", '"', "(", ")"),
    *(",", ";", "=?", "?=", "é", "-", "_", "+", "#", "Z9", "o'brien", "..", "@@", "\\"),
    *(":", "[", "]", "{", "}", "~", "!", "%", "\x00", "\x0b"),
    *("déjà", "€", "😀", "漢字", "\u00a0", "\u2028", "\x85", "\u200f", "\ufeff"),
]
ADDRESSES = [
    "Shop Team <team@shop.example>",
    "team@shop.example",
    "A <b@c>",
    "Dr. X <a@b.c>",
    "a.b@c.d",
    "Ab Cd Ef <x.y.z@d-e.f>",
    '"Q" <a@b>',
    "<a@b>",
    "a@b, c@d",
    "x <a@b> (c)",
    "Shop  Team <team@shop.example>",
]
NAMES = ["From", "Reply-To", "Subject", "X-Preheader", "To", "subject", "FROM", "Date"]
NAMES += ["X-A", "Content-Type", "MIME-Version", "Content-Transfer-Encoding"]


def _text(rng: random.Random, most: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, most)))


def _message(rng: random.Random) -> bytes:
    lines = []
    for _ in range(rng.randint(0, 5)):
        name = rng.choice(NAMES[:6] if rng.random() < 0.8 else NAMES)
        value = (
            rng.choice(ADDRESSES)
            if name.lower() in ("from", "reply-to") and rng.random() < 0.7
            else _text(rng, 10)
        )
        separator = ": " if rng.random() < 0.6 else rng.choice([":", ":  ", ":\t", " :"])
        lines.append(name + separator + value + rng.choice(["", "  ", "\t"]))
        if rng.random() < 0.05:
            lines.append(rng.choice([" folded", "\tfolded", "From nobody"]))
    eol = rng.choice(["\n", "\r\n"])
    body = _text(rng, 30) + rng.choice(["\n", "\r\n", "\r", ""]) + _text(rng, 10)
    raw = (eol.join(lines) + eol + eol + body).encode("utf-8")
    if rng.random() < 0.1:
        raw = raw.replace(b"\n", b"\r\n", 1)
    if rng.random() < 0.05:
        raw = raw.replace(b"\n\n", b"\n \n", 1)
    if rng.random() < 0.05:
        raw = raw.replace(b"\xc3\xa9", b"\xe9", 1)  # Latin-1, not UTF-8
    return raw


def test_addresses_read_as_the_email_package_reads_them() -> None:
    rng = random.Random(7)
    simple = 0
    for _ in range(5000):
        text = rng.choice(ADDRESSES) if rng.random() < 0.5 else _text(rng, 8)
        found = simple_address(text)
        assert _addresses(text) == getaddresses([text])
        if found is None:
            continue
        simple += 1
        assert getaddresses([text]) == [found]
        header = str(email.policy.default.header_factory("From", text))
        assert header == (f"{found[0]} <{found[1]}>" if found[0] else found[1])
    assert simple > 500  # the comparison above was made often


def test_messages_read_as_the_email_package_reads_them(tmp_path: Path) -> None:
    rng = random.Random(11)
    path = tmp_path / "draft.eml"
    simple = other = 0
    for _ in range(1000):
        raw = _message(rng)
        path.write_bytes(raw)
        if simple_message(raw) is None:
            other += 1
        else:
            simple += 1
            message = email.message_from_bytes(raw, policy=email.policy.default)
            assert message.get_body(preferencelist=("plain",)) is message
        try:
            expected = _parsed_message(path, raw, None)
        except Exception as error:  # the same error, word for word
            with pytest.raises(type(error)) as raised:
                read_draft(path)
            assert str(raised.value) == str(error)
            continue
        assert read_draft(path) == expected, raw
    assert simple > 50 and other > 300


@pytest.mark.parametrize(
    "raw",
    [
        b"From: Shop <care@example.com>\nSubject: Sorry\n\nBody\n",
        b"Subject: Sorry\r\nFrom: care@example.com\r\n\r\nBody\r\nline\r\n",
        b"Subject: first\nSubject: second\n\nThe first Subject counts.\n",
        b"Subject:no space\t \n\nTrailing spaces stay in a subject.",
        "Subject: Nous sommes désolés 😀\nFrom: care@example.com\n\nCorps\n".encode(),
    ],
)
def test_plain_messages_are_read_without_the_email_package(raw: bytes) -> None:
    assert simple_message(raw) is not None


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: folded\n over two lines\n\nBody\n",  # RFC 5322 2.2.3 folding
        b"Subject: =?utf-8?q?caf=C3=A9?=\n\nBody\n",  # RFC 2047 encoded word
        b"Subject: caf\xe9\n\nBody\n",  # Latin-1: refused by the email package path
        "From: Café <care@example.com>\n\nBody\n".encode(),  # a non-ASCII address
        "Subject: a\u202eb\n\nBody\n".encode(),  # a bidi override
        b"Content-Type: text/html\n\n<p>Body</p>\n",  # MIME
        b'From: "Shop, Inc." <care@example.com>\n\nBody\n',  # quoted display name
        b"Subject: no blank line after the headers\n",
        b"Subject: a\rb\n\nlone carriage return\n",
        b"\nBody only\n",
    ],
)
def test_anything_else_goes_to_the_email_package(raw: bytes) -> None:
    assert simple_message(raw) is None


def test_a_plain_body_that_is_not_utf8_is_refused_the_same_way(tmp_path: Path) -> None:
    raw = b"Subject: Sorry\n\nCaf\xe9\n"
    path = tmp_path / "latin.eml"
    path.write_bytes(raw)
    with pytest.raises(Exception) as slow:
        _parsed_message(path, raw, None)
    with pytest.raises(type(slow.value)) as fast:
        read_draft(path)
    assert str(fast.value) == str(slow.value)
    assert "byte 0xe9 at offset 3" in str(fast.value)
