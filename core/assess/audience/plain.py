"""Reading the plain part of a CSV export without the ``csv`` module, block by block.

Most exports quote nothing. In a block of text without a quote, a carriage return or a
NUL byte, every line is one row and its cells are the text between delimiters (with
``skipinitialspace``, less the spaces they start with): exactly what ``csv.reader``
gives, so the address cell of each line can be found by a regular expression over the
whole block. ``PlainLines.run`` finds how many lines from a position have a plain ASCII
address in the address column; the reader takes those lines in bulk and hands every
other line to ``csv.reader``, one line at a time. A block with a quote, a carriage
return or a NUL byte (and the rest of the file) is read by ``csv.reader`` only.
"""

from __future__ import annotations

import csv
import re

from email_crisis.core.assess.audience.sniff import Layout
from email_crisis.core.base.addresses import ascii_address_pattern

BLOCK_CHARACTERS = 1 << 16  # text read at a time: about 800 rows of an ESP export


class PlainLines:
    """The regular expressions for one layout (delimiter and address column)."""

    def __init__(self, layout: Layout) -> None:
        delimiter = re.escape(layout.delimiter)
        # csv refuses a longer field; such a line goes to csv, which says so.
        other = f"[^{delimiter}\\n]{{0,{csv.field_size_limit()}}}"
        before = f"(?:{other}{delimiter}){{{layout.column}}}"
        address = ascii_address_pattern(excluded=layout.delimiter)
        self._lines = re.compile(f"(?:{before} *{address}(?:{delimiter}{other})*\\n)*")
        self._cells = re.compile(f"^{before} *([^{delimiter}\\n]*)", re.MULTILINE)

    @staticmethod
    def fits(block: str) -> bool:
        """Whether every line of ``block`` is one row that csv splits at its delimiters."""
        return '"' not in block and "\r" not in block and "\0" not in block

    def run(self, block: str, position: int) -> tuple[int, list[str]]:
        """Where the lines from ``position`` stop having a plain address in the address
        column (the start of the first other line), and those addresses as written."""
        end = self._lines.match(block, position).end()  # type: ignore[union-attr]
        if end == position:
            return end, []
        # One cell a line; findall would also find an empty one right at ``end``.
        return end, self._cells.findall(block, position, end)[: block.count("\n", position, end)]
