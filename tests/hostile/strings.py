"""The hostile strings of the attack run (issue 14), and how to tell one acted.

Each string is harmless as text and harmful if a program obeys it: Rich markup (a crash
on ``[/]``, a link on ``[@click=app.quit]``), terminal controls (clear the screen, set
the window title or the clipboard with OSC 0 / OSC 52, 8-bit CSI and OSC), a bidi
override that reverses what follows, HTML that runs in a Markdown viewer, Jinja that
would run if data were taken for a template. ``LONG`` is a 10 MB line.
"""

from __future__ import annotations

import re

MARKUP = "[bold red]Boom[/] [/] [@click=app.quit]quit[/]"
HTML = "<script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>"
JINJA = "{{ 7*7 }}{% if true %}jinja-ran{% endif %}"
BIDI = "\u202egnp.exe"
TYPED = f"{MARKUP} {HTML} {JINJA}"
"""What an operator can type in any text field (control characters and bidi overrides
are refused on the way in)."""

ESC_CLEAR = "\x1b[2J"
OSC_TITLE = "\x1b]0;pane-owned\x07"
OSC_52 = "\x1b]52;c;SGFja2VkIQ==\x07"
C1 = "\x9b31m\x9d0;c1-owned\x07"
CONTROLS = f"{ESC_CLEAR}{OSC_TITLE}{OSC_52}{C1}"
"""Controls reach the app through file names, ESP answers and files it imports."""

EVERYTHING = f"{TYPED} {CONTROLS}"
LONG = "x" * (10 * 1024 * 1024)

RAW = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e")
"""Characters that must never reach a terminal from data."""

_TAG = re.compile(r"<\s*(script|img|svg)\b", re.IGNORECASE)


def raw_controls(text: str) -> list[str]:
    """The raw control characters (of ``RAW``) present in ``text``."""
    return [char for char in RAW if char in text]


def live_html(text: str) -> list[str]:
    """Tags in ``text`` a browser or Markdown viewer would run."""
    return _TAG.findall(text)
