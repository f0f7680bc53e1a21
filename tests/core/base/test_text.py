"""Making text safe to show (visible) and checking it on the way in (clean_*)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from email_crisis.core.base.text import (
    clean_block,
    clean_line,
    csv_cell,
    is_formula_like,
    visible,
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("\x1b[2J", "\u241b[2J"),  # ESC -> ␛
        ("ding\x07", "ding\u2407"),  # BEL -> ␇
        ("over\rwrite", "over\u240dwrite"),  # CR -> ␍
        ("back\x08space", "back\u2408space"),
        ("nul\x00", "nul\u2400"),
        ("del\x7f", "del\u2421"),  # DEL -> ␡
        ("csi\x9b31m", "csi\\x9b31m"),  # C1 CSI shown as an escape, not a control
        ("nel\x85", "nel\\x85"),
        ("tab\tnewline\n", "tab\tnewline\n"),  # kept in multi-line mode
        ("café ☕ 日本", "café ☕ 日本"),
    ],
    ids=[
        "plain",
        "esc",
        "bel",
        "cr",
        "backspace",
        "nul",
        "del",
        "c1-csi",
        "c1-nel",
        "tab-newline",
        "unicode",
    ],
)
def test_visible_replaces_controls(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_visible_leaves_no_control_character_at_all() -> None:
    everything = "".join(chr(c) for c in range(0xA0))
    for single_line in (False, True):
        result = visible(everything, single_line=single_line)
        allowed = {"\t", "\n"} if not single_line else set()
        bad = [ch for ch in result if (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F)]
        assert set(bad) <= allowed


def test_visible_keeps_rich_markup_literally() -> None:
    raw = "[bold red]x[/] \x1b[31mred\x1b[0m"
    shown = visible(raw)
    assert shown == "[bold red]x[/] \u241b[31mred\u241b[0m"
    # Wrapped in Text (as the UI does), markup stays text and no escape reaches the terminal.
    text = Text(shown)
    assert text.plain == shown
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system=None, width=80).print(text)
    assert "[bold red]x[/]" in out.getvalue()
    assert "\x1b[31m" not in out.getvalue()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a b"),
        ("a\r\nb", "a b"),
        ("a\tb", "a b"),
        ("a\rb", "a\u240db"),  # a lone CR still becomes visible
        ("a\x1b[Kb\n", "a\u241b[Kb "),
    ],
)
def test_visible_single_line(raw: str, shown: str) -> None:
    assert visible(raw, single_line=True) == shown


# -- clean_line -----------------------------------------------------------------------


def test_clean_line_trims_and_normalises() -> None:
    assert clean_line("  Cafe\u0301 \t", field="Title", max_length=10) == "Café"
    assert clean_line("a\tb", field="Title", max_length=10) == "a\tb"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Name is required."),
        (" \t\n ", "Name is required."),
        ("a\nb", "Name must be a single line."),
        ("a\rb", "Name must be a single line."),
        ("a\x1bb", "Name contains control characters (such as terminal escape codes"),
        ("a\x9bb", "Name contains control characters"),
        ("a\u202eb", "Name contains control characters (such as terminal escape codes or bidi"),
        ("a\u2066b", "Name contains control characters"),
        ("a\x7f", "Name contains control characters"),
        ("abcdef", "Name is 6 characters long; the limit is 5."),
    ],
)
def test_clean_line_errors(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        clean_line(raw, field="Name", max_length=5)
    assert str(caught.value).startswith(message)


def test_clean_line_counts_length_after_normalising() -> None:
    decomposed = "e\u0301" * 5  # ten code points, five characters once composed
    assert clean_line(decomposed, field="Name", max_length=5) == "é" * 5


# -- clean_block ----------------------------------------------------------------------


def test_clean_block_keeps_lines_and_tabs() -> None:
    assert clean_block("\n one\r\n\ttwo \n", field="Body", max_length=50) == "one\n\ttwo"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Body is empty."),
        ("\r\n\n  ", "Body is empty."),
        ("a\x1b[2Jb", "Body contains control characters"),
        ("a\rb", "Body contains control characters"),  # a lone CR could overwrite a line
        ("exe.\u202etxt", "Body contains control characters"),
        ("x" * 11, "Body is 11 characters long; the limit is 10."),
    ],
)
def test_clean_block_errors(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        clean_block(raw, field="Body", max_length=10)
    assert str(caught.value).startswith(message)


# -- issue 14: bidi controls, OSC, CSV cells ----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("file\u202egnp.exe", "file<U+202E>gnp.exe"),  # right-to-left override
        ("a\u2066b\u2069", "a<U+2066>b<U+2069>"),  # isolates
        ("a\u202ab\u202c", "a<U+202A>b<U+202C>"),  # embedding and pop
        ("\x1b]52;c;SGk=\x07", "\u241b]52;c;SGk=\u2407"),  # OSC 52: set the clipboard
        ("\x9d0;title\x07", "\\x9d0;title\u2407"),  # 8-bit OSC
        ("\u200fRLM mark kept", "\u200fRLM mark kept"),  # marks do not reorder text
    ],
)
def test_visible_names_bidi_controls_and_osc(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert visible(raw, single_line=True) == shown


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1@evil.com", '"\'=1+1@evil.com"'),
        ("+33600@sms.example", '"\'+33600@sms.example"'),
        ("-2+3@example.com", '"\'-2+3@example.com"'),
        ("@SUM(A1)@x.example", '"\'@SUM(A1)@x.example"'),
        ("\tx@example.com", '"\'\tx@example.com"'),
        ("\rx@example.com", '"\'\rx@example.com"'),
        ('=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'),
        ("ana@example.com", "ana@example.com"),
        ('"quoted local"@example.com', '"""quoted local""@example.com"'),
        ("a,b@example.com", '"a,b@example.com"'),
    ],
)
def test_csv_cells_never_start_a_formula(value: str, cell: str) -> None:
    """OWASP, CSV Injection: https://owasp.org/www-community/attacks/CSV_Injection"""
    assert csv_cell(value) == cell
    assert is_formula_like(value) == cell.startswith("\"'")
