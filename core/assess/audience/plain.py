"""Reading the plain part of a CSV export without the ``csv`` module, block by block.

Most exports quote nothing. In a block of text without a quote, a carriage return or a
NUL byte, every line is one row and its cells are the text between delimiters (with
``skipinitialspace``, less the spaces they start with): exactly what ``csv.reader``
gives, so the address cell of each line can be found by a regular expression over the
whole block. ``PlainLines.cells`` gives, for each line, its address cell when that is
a plain ASCII address; the reader takes those in bulk and hands every other line to
``csv.reader``, one line at a time. A block with a quote, a carriage return or a NUL
byte, or longer than csv's field limit, is read by ``csv.reader`` with the rest of
the file.
"""

from __future__ import annotations

import csv
import re

from email_crisis.core.assess.audience.sniff import Layout
from email_crisis.core.base.addresses import ascii_address_pattern

BLOCK_CHARACTERS = 1 << 16  # text read at a time: about 800 rows of an ESP export


class PlainLines:
    """The regular expression for one layout (delimiter and address column)."""

    def __init__(self, layout: Layout) -> None:
        delimiter = re.escape(layout.delimiter)
        before = f"[^{delimiter}\\n]*{delimiter}" * layout.column
        address = ascii_address_pattern(excluded=layout.delimiter)
        # Every line gives one match: its address cell when that is a plain address
        # (then the delimiter or the line's end follows), else an empty string.
        self._cells = re.compile(
            f"^(?:{before} *({address})(?=[{delimiter}\\n])|)[^\\n]*\\n", re.MULTILINE
        )

    @staticmethod
    def fits(block: str) -> bool:
        """Whether every line of ``block`` is one row that csv splits at its delimiters:
        no quote, carriage return or NUL, and no field longer than csv allows."""
        return (
            '"' not in block
            and "\r" not in block
            and "\0" not in block
            and len(block) <= csv.field_size_limit()
        )

    def cells(self, block: str) -> list[str]:
        """Each line's address cell as written, or ``""`` when it is not a plain address
        (blank, short, invalid, not ASCII...): that line is for csv and the rule."""
        return self._cells.findall(block)
