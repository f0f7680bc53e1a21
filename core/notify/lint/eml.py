"""Reading drafts from files: RFC 5322 messages (``.eml``) and bare body files.

- ``.eml`` (also ``.eml.j2``): parsed with Python's ``email`` package (default
  policy). From, Reply-To and Subject come from their headers; the preheader from
  an ``X-Preheader`` header when there is one. A missing Subject counts as an empty
  subject; a missing From, Reply-To or X-Preheader is simply not checked. The body is
  the ``text/plain`` part when there is one, else the ``text/html`` part.
  Header values may hold raw UTF-8 (RFC 6532, what most editors save) or RFC 2047
  encoded words (``=?utf-8?q?...?=``); bytes in any other charset are refused.
- any other file is a body on its own, UTF-8 (``.html``/``.htm`` read as HTML). A plain
  text file whose first lines are ``From:``, ``Subject:``, ``Reply-To:`` (or
  ``X-Preheader:``) headers followed by a blank line has those read as headers, and
  ``Draft.headers_in_text`` says so; the body is what follows the blank line.
- ``.j2``/``.jinja``/``.jinja2`` files are Jinja2 templates; otherwise a body is
  treated as a template when it holds ``{% %}`` or ``{# #}`` tags.

An HTML body is checked as text (tags dropped, entities decoded, ``<script>`` and
``<style>`` skipped, block elements ending paragraphs), and each finding is mapped
back to the HTML source, so its line and column point into the HTML part.
Line and column always count within the field (the header value, the decoded
body), not within the ``.eml`` file: an encoded body (base64, quoted-printable)
has no one-to-one mapping to the file's lines.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.files import NotRegularFile, read_regular
from email_crisis.core.base.regex import lazy_compile
from email_crisis.core.notify.lint.model import Finding
from email_crisis.core.notify.lint.positions import LineIndex
from email_crisis.core.notify.lint.simple_eml import simple_message

# The email package (.eml) and the HTML parser (.html bodies) are imported when a draft
# needs them: ``email-crisis lint draft.txt`` should not pay for them, nor a plain .eml
# that ``simple_eml`` reads exactly.

HEADERS = (("From", "from"), ("Reply-To", "reply-to"), ("Subject", "subject"))
PREHEADER_HEADER = "X-Preheader"
TEXT_HEADERS = {
    "from": "from",
    "reply-to": "reply-to",
    "subject": "subject",
    "x-preheader": "preheader",
    "preheader": "preheader",
}
"""Headers a plain text draft may start with (case-insensitive), and their fields."""
TEXT_HEADERS_IGNORED = frozenset({"to", "cc", "date"})
_HEADER_LINE = lazy_compile(r"(?P<name>[A-Za-z][A-Za-z-]*):[ \t]*(?P<value>.*)")
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")
HTML_SUFFIXES = (".html", ".htm")


class UnreadableDraft(CrisisError):
    """A draft file that cannot be read or decoded; the message names the file."""


class Draft(NamedTuple):
    """A draft read from a file, ready for ``Linter.check``.

    ``fields`` holds what is checked; for an HTML body that is the extracted text,
    and ``html``/``offsets`` map findings back to the HTML source (see ``to_source``).
    A NamedTuple rather than a frozen dataclass: built four times faster at import.
    """

    path: Path
    fields: dict[str, str | None]
    is_template: bool | None = None
    html: str | None = None
    offsets: tuple[tuple[int, int], ...] = ()
    headers_in_text: tuple[str, ...] = ()
    """Fields read from ``Header: value`` lines at the top of a plain text file."""

    def to_source(self, findings: list[Finding]) -> list[Finding]:
        """Findings with body spans, lines and columns moved into the HTML source."""
        if self.html is None:
            return findings
        index = LineIndex(self.html)
        moved = []
        for finding in findings:
            if finding.field != "body":
                moved.append(finding)
                continue
            start, end = self._source_span(finding.start, finding.end)
            line, column = index.position(start)
            end_line, end_column = index.position(end)
            moved.append(
                finding._replace(
                    start=start,
                    end=end,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column,
                )
            )
        moved.sort(key=Finding.sort_key)
        return moved

    def _source_span(self, start: int, end: int) -> tuple[int, int]:
        offsets = self.offsets
        if not offsets:
            return 0, 0
        if start >= len(offsets):
            last = offsets[-1][1]
            return last, last
        first = offsets[start][0]
        if end <= start:
            return first, first
        return first, max(first, offsets[min(end, len(offsets)) - 1][1])


MAX_DRAFT_BYTES = 16 << 20


def read_draft(path: Path) -> Draft:
    """Read ``path`` as an ``.eml`` message or a bare body file."""
    try:
        raw = read_regular(path, limit=MAX_DRAFT_BYTES)  # a FIFO or a device: refused, no hang
    except NotRegularFile as error:
        raise UnreadableDraft(str(error)) from None
    name = path.name.lower()
    template = True if name.endswith(TEMPLATE_SUFFIXES) else None
    base = name
    for suffix in TEMPLATE_SUFFIXES:
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    if base.endswith(".eml"):
        return _from_message(path, raw, template)
    text = _decode(path, raw, "utf-8-sig", "file")
    if base.endswith(HTML_SUFFIXES):
        return _html_draft(path, {}, text, template)
    found = text_headers(text)
    if found is None:
        return Draft(path, {"body": text}, template)
    fields, body = found
    return Draft(path, {**fields, "body": body}, template, headers_in_text=tuple(fields))


def text_headers(text: str) -> tuple[dict[str, str | None], str] | None:
    """The headers at the top of a plain text draft and the body after them, or ``None``.

    Every line before the first blank line must be a header line (``Name: value``, or a
    continuation starting with a space) of a known name, with at least one of From,
    Subject or Reply-To; otherwise the whole text is the body.
    """
    head, blank, body = text.replace("\r\n", "\n").partition("\n\n")
    if not blank or not head.strip():
        return None
    fields: dict[str, str | None] = {}
    last: str | None = None
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and last is not None:
            if last in fields:
                fields[last] = f"{fields[last]} {line.strip()}"
            continue
        found = _HEADER_LINE.fullmatch(line)
        if found is None:
            return None
        name = found.group("name").lower()
        if name in TEXT_HEADERS:
            last = TEXT_HEADERS[name]
            fields[last] = found.group("value").strip()
        elif name in TEXT_HEADERS_IGNORED:
            last = name
        else:
            return None
    if not {"from", "subject", "reply-to"} & set(fields):
        return None
    return fields, body


def _decode(path: Path, raw: bytes, charset: str, what: str) -> str:
    try:
        return raw.decode(charset)
    except LookupError:
        raise UnreadableDraft(
            f"{path}: the {what} declares an unknown charset {charset!r}."
        ) from None
    except UnicodeDecodeError as error:
        raise UnreadableDraft(
            f"{path}: the {what} is not valid {charset.removesuffix('-sig')} text "
            f"(byte 0x{raw[error.start]:02x} at offset {error.start})."
        ) from None


def _from_message(path: Path, raw: bytes, template: bool | None) -> Draft:
    simple = simple_message(raw)
    if simple is not None:  # one plain part, plain headers: read as the email package would
        headers, data = simple
        fields: dict[str, str | None] = {}
        for header, name in (*HEADERS, (PREHEADER_HEADER, "preheader")):
            value = headers.get(header.lower())
            if value is None:
                fields[name] = "" if name == "subject" else None
            else:
                fields[name] = " ".join(value.split()) if name != "subject" else value
        fields["body"] = _decode(path, data, "utf-8", "text/plain body")
        return Draft(path, fields, template)
    return _parsed_message(path, raw, template)


def _parsed_message(path: Path, raw: bytes, template: bool | None) -> Draft:
    import email
    import email.policy
    from email.message import EmailMessage

    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    fields: dict[str, str | None] = {}
    # The first of each header, as ``message.get`` finds it.
    raw_headers = {key.lower(): raw for key, raw in reversed(list(message.raw_items()))}
    for header, name in (*HEADERS, (PREHEADER_HEADER, "preheader")):
        raw_value = raw_headers.get(header.lower())
        if raw_value is None:
            fields[name] = "" if name == "subject" else None
            continue
        if not _utf8_header(raw_value):
            raise UnreadableDraft(f"{path}: the {header} header holds bytes that are not UTF-8.")
        text = _header_text(header, raw_value)
        fields[name] = " ".join(text.split()) if name != "subject" else text
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        fields["body"] = ""
        return Draft(path, fields, template)
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset()
    subtype = part.get_content_subtype()
    what = f"text/{subtype} body"
    if charset is None or charset in ("us-ascii", "ascii"):
        charset = "utf-8"  # a superset, for the many drafts that never declare it
    text = _decode(path, data, charset, what)
    if subtype == "html":
        return _html_draft(path, fields, text, template)
    fields["body"] = text
    return Draft(path, fields, template)


@lru_cache(maxsize=256)
def _header_text(header: str, raw: str) -> str:
    """The text of a header from its raw value (what ``message.get`` parses), remembered:
    the drafts of one campaign share their From, Reply-To and often their Subject, and
    parsing an address header is the slowest part of reading a short ``.eml``."""
    import email.policy
    from email.errors import UndecodableBytesDefect

    value = email.policy.default.header_fetch_parse(header, raw)
    text = str(value)
    if not _clean(text) or (
        isinstance(raw, str)
        and raw.isascii()
        and any(isinstance(d, UndecodableBytesDefect) for d in getattr(value, "defects", ()))
    ):
        text = _decode_header(raw)
    return text


def _clean(text: str) -> bool:
    """No lone surrogates or replacement characters: the header decoded as written."""
    return not any("\udc80" <= c <= "\udcff" or c == "\ufffd" for c in text)


_ENCODED_WORD = lazy_compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _decode_header(raw: object) -> str:
    """A header value from its raw text: UTF-8 bytes, then RFC 2047 encoded words."""
    from email.header import decode_header, make_header

    text = str(raw)
    if not text.isascii():
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")

    def word(found: re.Match[str]) -> str:
        try:
            return str(make_header(decode_header(found.group())))
        except (LookupError, ValueError, UnicodeError):
            return found.group()

    return _ENCODED_WORD.sub(word, text)


def _utf8_header(raw: object) -> bool:
    """Raw 8-bit header bytes (kept as surrogates by the parser) must be UTF-8."""
    if not isinstance(raw, str) or raw.isascii():
        return True
    try:
        raw.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        return False
    return True


def _html_draft(
    path: Path, fields: dict[str, str | None], html: str, template: bool | None
) -> Draft:
    text, offsets = html_to_text(html)
    return Draft(path, {**fields, "body": text}, template, html, offsets)


def html_to_text(html: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The visible text of ``html`` and, per character, its (start, end) in the source."""
    from email_crisis.core.notify.lint.html_text import html_to_text as extract

    return extract(html)
