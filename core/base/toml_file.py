"""Reading the organisation's TOML files safely: one reader for every configuration file.

Playbooks, plan suggestions, thresholds, brand, ESP settings and the rule checker's
settings are written by people, copied around and sometimes broken. ``read_toml``
turns every way such a file can be unusable into one error that names the file and,
where there is one, the line: not a regular file (a FIFO would block the reader
forever), too large, not UTF-8, not TOML, arrays or tables nested deeper than any
real setting needs (the parser would recurse until Python gives up), or ``nan`` and
``inf``, which pass every "greater than zero" check and then break arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.files import NotRegularFile, read_regular
from email_crisis.core.base.regex import lazy_compile

MAX_BYTES = 4 << 20  # far above any real configuration file
MAX_DEPTH = 32  # nested arrays and inline tables; real settings use two or three
ErrorType = Callable[[str], CrisisError]


class ConfigProblem(CrisisError):
    """A configuration file cannot be used; the message names the file and the line."""


class _NotFinite(ValueError):
    """Raised from inside the parser for ``nan`` and ``inf``."""


_TOML_AT = lazy_compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_NOT_FINITE = lazy_compile(r"(?<![\w\"'.-])[+-]?(?:nan|inf)(?![\w\"'])")


def _finite_float(text: str) -> float:
    if text.lstrip("+-") in ("nan", "inf"):
        raise _NotFinite(text)
    return float(text)


def read_text(path: Path, *, where: str | None = None, error: ErrorType = ConfigProblem) -> str:
    """The UTF-8 text of the regular file ``path`` (a BOM is dropped), or ``error``."""
    shown = where or str(path)
    try:
        data = read_regular(path, limit=MAX_BYTES)
    except NotRegularFile as problem:
        raise error(f"cannot read {shown}: {problem.problem}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise error(
            f"{shown}, line {line}: not UTF-8 text (byte 0x{data[problem.start]:02x}); "
            "save the file as UTF-8."
        ) from None


def nesting_line(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The line where arrays and inline tables nest deeper than ``limit``, or None.

    Strings (all four TOML kinds) and comments are skipped, so brackets inside them
    do not count.
    """
    depth = 0
    line = 1
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\n":
            line += 1
        elif char == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif char in "\"'":
            triple = text.startswith(char * 3, i)
            closing = char * 3 if triple else char
            j = i + len(closing)
            while j < n:
                if char == '"' and text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(closing, j) or (not triple and text[j] == "\n"):
                    break
                j += 1
            line += text.count("\n", i, j)
            i = j + len(closing)
            continue
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def _first_line(text: str, pattern: re.Pattern[str]) -> int | None:
    for number, content in enumerate(text.splitlines(), start=1):
        if pattern.search(content.split("#", 1)[0]):
            return number
    return None


def parse_toml(text: str, *, where: str, error: ErrorType = ConfigProblem) -> dict[str, Any]:
    """Parse TOML ``text`` read from ``where``; every problem is ``error`` with the line."""
    deep = nesting_line(text)
    if deep is not None:
        raise error(
            f"{where}, line {deep}: arrays or tables are nested more than {MAX_DEPTH} deep; "
            "no setting needs that."
        )
    try:  # here, not at import: a command that reads no TOML file never pays for it
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text, parse_float=_finite_float)
    except _NotFinite as bad:
        line = _first_line(text, _NOT_FINITE)
        at = f", line {line}" if line else ""
        raise error(f"{where}{at}: {bad} is not a usable number; write a finite value.") from None
    except tomllib.TOMLDecodeError as bad:
        message = str(bad)
        found = _TOML_AT.search(message)
        problem = _TOML_AT.sub("", message)
        if found and found.group(1):
            location = f"line {found.group(1)}, column {found.group(2)}"
        else:
            location = f"line {max(len(text.splitlines()), 1)}"
        raise error(f"{where}, {location}: not valid TOML: {problem}.") from None
    except RecursionError:  # a backstop: nesting_line should have caught it
        raise error(f"{where}: nested too deeply to read.") from None


def read_toml(
    path: Path, *, where: str | None = None, error: ErrorType = ConfigProblem
) -> tuple[dict[str, Any], str]:
    """Read and parse the TOML file ``path``: its data and its text (to find lines)."""
    text = read_text(path, where=where, error=error)
    return parse_toml(text, where=where or str(path), error=error), text


def table_line(text: str, table: str, index: int = 0, key: str | None = None) -> int | None:
    """The line of the ``index``-th ``[table]`` or ``[[table]]`` header, or of ``key`` in it.

    Best effort (tomllib keeps no positions): a header written with quotes or spaces
    in another way than ``[a.b]`` may not be found; then None.
    """
    header = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?")
    seen = 0
    lines = text.splitlines()
    for number, content in enumerate(lines, start=1):
        if not header.match(content):
            continue
        if seen < index:
            seen += 1
            continue
        if key is None:
            return number
        wanted = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for offset, inner in enumerate(lines[number:], start=number + 1):
            if inner.lstrip().startswith("["):
                break
            if wanted.match(inner):
                return offset
        return number
    return None
