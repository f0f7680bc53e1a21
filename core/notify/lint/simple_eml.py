"""The commonest ``.eml`` drafts, read without the ``email`` package.

A draft saved by hand or by a template tool is usually one plain text part: header
lines in ASCII or raw UTF-8 (RFC 6532), no folding, no MIME headers, addresses written
``Name <local@domain>``. For such a file the ``email`` package (about 20 ms to import,
the largest part of ``email-crisis lint draft.eml``) would return exactly what is read
here: each header's value as written, and the body bytes as they are. Anything else
(folded or encoded headers, header bytes that are not UTF-8, control or format
characters, MIME parts, a quoted or commented address, an unusual line ending) returns
``None``, and the caller parses the message with the ``email`` package.
``tests/core/notify/lint/test_simple_eml.py`` compares both on many variants.
"""

from __future__ import annotations

from email_crisis.core.base.regex import lazy_compile

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = rf"{_ATEXT}(?:\.{_ATEXT})*"
_ADDRESS = lazy_compile(
    rf"(?:(?P<name>{_ATEXT}(?: {_ATEXT})*) <(?P<addr>{_DOT_ATOM}@{_DOT_ATOM})>"
    rf"|(?P<bare>{_DOT_ATOM}@{_DOT_ATOM}))"
)
# A header line as the email package's parser recognises one, without folding.
_HEADER = lazy_compile(r"([\x21-\x39\x3b-\x7e]+):[ \t]*(.*)")
_MIME = ("content-", "mime-version")
ADDRESS_HEADERS = frozenset({"from", "reply-to"})


def simple_address(text: str) -> tuple[str, str] | None:
    """``(display name, address)`` of ``Name <local@domain>`` or ``local@domain``
    (atoms only, single spaces), else ``None``; as ``email.utils.getaddresses`` and the
    address header parser read it."""
    found = _ADDRESS.fullmatch(text)
    if found is None:
        return None
    if found.group("bare") is not None:
        return "", found.group("bare")
    return found.group("name"), found.group("addr")


def simple_message(raw: bytes) -> tuple[dict[str, str], bytes] | None:
    """``(first value of each header by lower-case name, body bytes)``, or ``None`` when
    the message is not of the simple kind this module reads exactly."""
    lf = raw.find(b"\n\n")
    crlf = raw.find(b"\r\n\r\n")
    if crlf >= 0 and (lf < 0 or crlf < lf):
        head, body = raw[:crlf], raw[crlf + 4 :]
        eol = "\r\n"
    elif lf >= 0:
        head, body = raw[:lf], raw[lf + 2 :]
        eol = "\n"
    else:
        return None
    if not head or b"=?" in head:
        return None
    try:
        text = head.decode("utf-8")  # RFC 6532: raw UTF-8 in header values
    except UnicodeDecodeError:
        return None  # the email package path names the header that is not UTF-8
    if eol == "\n" and "\r" in text:
        return None
    headers: dict[str, str] = {}
    for line in text.split(eol):
        found = _HEADER.fullmatch(line)
        if found is None:
            return None
        name = found.group(1).lower()
        if name.startswith(_MIME):
            return None
        value = found.group(2)
        if not value.replace("\t", " ").isprintable():  # controls, odd spaces, bidi marks
            return None
        if name in ADDRESS_HEADERS and simple_address(value) is None:
            return None
        headers.setdefault(name, value)
    return headers, body
