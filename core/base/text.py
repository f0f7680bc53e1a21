"""Making user and imported text safe to show, and checking it on the way in."""

from __future__ import annotations

import re
import unicodedata

from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.regex import lazy_compile

# Bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069):
# they reorder the text around them on screen, so "txt.exe" can read as "exe.txt".
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 controls except tab and newline, DEL, the C1 range and the bidi controls. ESC
# (0x1b) is the one that matters most: it starts terminal escape sequences.
_UNSAFE = lazy_compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_UNSAFE_LINE = lazy_compile(rf"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in (0x09, 0x0A):  # single-line mode: a tab or line break is a space
        return " "
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 "control pictures": ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"  # a bidi control, named instead of obeyed


def visible(text: str, *, single_line: bool = False) -> str:
    """Return ``text`` with control characters replaced by visible stand-ins.

    C0 and C1 controls, DEL and the bidi embeddings, overrides and isolates are
    shown, never obeyed: the result can go to a terminal without moving the cursor,
    changing colours, setting the window title or the clipboard (OSC), or reversing
    the text around it. Rich markup is *not* escaped here: wrap the result in
    ``rich.text.Text`` (or escape it) before handing it to anything that parses
    markup.
    """
    if single_line:
        return _UNSAFE_LINE.sub(_picture, text.replace("\r\n", " "))
    return _UNSAFE.sub(_picture, text)


def has_unsafe(text: str) -> bool:
    """Whether ``text`` holds a character ``visible`` would replace (tab and newline aside)."""
    return _UNSAFE.search(text) is not None


def clean_line(text: str, *, field: str, max_length: int) -> str:
    """Normalise a one-line field (title, name) and check it.

    Raises ``ValueError`` with a message naming ``field`` when the text is empty,
    too long, or holds control characters.
    """
    value = unicodedata.normalize("NFC", text).strip()
    if not value:
        raise ValueError(f"{field} is required.")
    if "\n" in value or "\r" in value:
        raise ValueError(f"{field} must be a single line.")
    if _UNSAFE.search(value):
        raise ValueError(
            f"{field} contains control characters (such as terminal escape codes or "
            "bidi overrides); type it as plain text."
        )
    if len(value) > max_length:
        raise ValueError(f"{field} is {len(value)} characters long; the limit is {max_length}.")
    return value


def clean_block(text: str, *, field: str, max_length: int) -> str:
    """Normalise a multi-line field (a statement) and check it, like ``clean_line``."""
    value = unicodedata.normalize("NFC", text).replace("\r\n", "\n").strip()
    if not value:
        raise ValueError(f"{field} is empty.")
    if _UNSAFE.search(value):
        raise ValueError(
            f"{field} contains control characters (such as terminal escape codes or "
            "bidi overrides); paste it as plain text."
        )
    if len(value) > max_length:
        raise ValueError(f"{field} is {len(value)} characters long; the limit is {max_length}.")
    return value


# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection":
# https://owasp.org/www-community/attacks/CSV_Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """One CSV cell that a spreadsheet shows as text, never runs as a formula.

    As OWASP recommends, a cell starting with ``=``, ``+``, ``-``, ``@``, tab or
    carriage return gets a leading apostrophe and is quoted (``"'=1+1@evil.com"``);
    any cell holding a comma, a quote or a line break is quoted, quotes doubled.
    """
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
        return '"' + value.replace('"', '""') + '"'
    if any(char in value for char in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def is_formula_like(value: str) -> bool:
    """Whether ``csv_cell`` prefixes ``value`` (a spreadsheet would run it)."""
    return value.startswith(FORMULA_STARTS)


def written_reason(
    text: str, *, ask: str, minimum: int, field: str = "Reason", maximum: int = 2000
) -> str:
    """A reason an operator writes for the record, cleaned like ``clean_block``.

    Raises ``ValidationError`` when the text is empty, too long or holds control
    characters, or when it is shorter than ``minimum``: "{ask} (at least N characters):
    it goes on the record."
    """
    try:
        value = clean_block(text, field=field, max_length=maximum)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if len(value) < minimum:
        raise ValidationError(f"{ask} (at least {minimum} characters): it goes on the record.")
    return value
