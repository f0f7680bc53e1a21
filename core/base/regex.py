"""Regular expressions compiled when first used rather than when their module is imported.

A module-level ``re.compile`` costs 0.1 to 2 ms at import, paid by every command that
imports the module, whether or not it ever matches: ``email-crisis lint draft.txt``
imports a hundred patterns and needs a third of them for a plain text draft. A pattern
made with ``lazy_compile`` is compiled by its first search; from then on its methods
are the compiled pattern's own bound methods, so a match costs what it would have.
"""

from __future__ import annotations

import re
from typing import Any, cast

_ATTRIBUTES = (
    "search",
    "match",
    "fullmatch",
    "finditer",
    "findall",
    "sub",
    "subn",
    "split",
    "scanner",
    "pattern",
    "flags",
    "groups",
    "groupindex",
)
"""What ``re.Pattern`` offers; copied onto the stand-in once the pattern is compiled."""


class _Deferred:
    """Stands for ``re.compile(pattern, flags)`` until an attribute is first asked for."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set yet: the first use compiles (a bad pattern
        # raises re.error there) and stores the compiled pattern's attributes, which
        # then shadow this method for good.
        if name.startswith("__") or name not in _ATTRIBUTES:
            raise AttributeError(name)
        return getattr(self._adopt(re.compile(self._source, self._flags)), name)

    def _adopt(self, compiled: re.Pattern[str]) -> re.Pattern[str]:
        """Answer from now on with ``compiled``'s own methods and attributes."""
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return compiled

    def __repr__(self) -> str:
        return f"lazy_compile({self._source!r}, {self._flags!r})"

    def __reduce__(self) -> tuple[object, tuple[str, int]]:
        # Pickled as its source, compiled or not: unpickling compiles nothing (the
        # rule checker's word lists are kept pickled between runs).
        return (_Deferred, (self._source, self._flags))


def lazy_compile(
    pattern: str, flags: int | re.RegexFlag = 0, *, check: bool = False
) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done on first use (see the module docstring).

    ``check``: compile now (a bad pattern raises ``re.error`` here) and keep the result;
    it is still pickled as its source, so what reads it back compiles on first use.

    It offers the methods and attributes of ``re.Pattern`` but is not one: pass it to
    no ``re`` function (``re.sub(p, ...)``), and test no ``isinstance(p, re.Pattern)``.
    """
    deferred = _Deferred(pattern, int(flags))
    if check:
        deferred._adopt(re.compile(pattern, flags))
    return cast("re.Pattern[str]", deferred)
