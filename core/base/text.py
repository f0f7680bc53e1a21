"""Making user and imported text safe to show, and checking it on the way in."""

from __future__ import annotations

import re
import unicodedata

from email_crisis.core.base.errors import ValidationError

# C0 controls except tab and newline, DEL, and the C1 range. ESC (0x1b) is the one
# that matters most: it starts terminal escape sequences.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 "control pictures": ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}"


def visible(text: str, *, single_line: bool = False) -> str:
    """Return ``text`` with control characters replaced by visible stand-ins.

    The result can go to a terminal without moving the cursor, changing colours
    or clearing the screen. Rich markup is *not* escaped here: wrap the result in
    ``rich.text.Text`` (or escape it) before handing it to anything that parses
    markup.
    """
    if single_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub(_picture, text)


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
    if _CONTROL.search(value):
        raise ValueError(
            f"{field} contains control characters (such as terminal escape codes); "
            "type it as plain text."
        )
    if len(value) > max_length:
        raise ValueError(f"{field} is {len(value)} characters long; the limit is {max_length}.")
    return value


def clean_block(text: str, *, field: str, max_length: int) -> str:
    """Normalise a multi-line field (a statement) and check it, like ``clean_line``."""
    value = unicodedata.normalize("NFC", text).replace("\r\n", "\n").strip()
    if not value:
        raise ValueError(f"{field} is empty.")
    if _CONTROL.search(value.replace("\t", " ")):
        raise ValueError(
            f"{field} contains control characters (such as terminal escape codes); "
            "paste it as plain text."
        )
    if len(value) > max_length:
        raise ValueError(f"{field} is {len(value)} characters long; the limit is {max_length}.")
    return value


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
