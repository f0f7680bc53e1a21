"""Inline suppression: ``{# lint: disable=humor, vague-language #}``.

A Jinja comment, so it never reaches readers. Where it applies:

- on the **first line of the body**: to the whole draft (every field);
- anywhere else: to the paragraph it is in (text between blank lines; for the
  subject, preheader, From and Reply-To, the whole field).

``disable=all`` silences every rule. Unknown rule ids and directives that are not
``disable=...`` are themselves reported (rule ``lint-directive``), so a typo does
not silently switch nothing off.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import NamedTuple

from email_crisis.core.base.regex import lazy_compile
from email_crisis.core.notify.lint.jinja import DIRECTIVE

ALL = "all"
_DISABLE = lazy_compile(r"^\s*disable\s*=\s*(?P<ids>.*?)\s*$", re.S | re.I)


class Directive(NamedTuple):
    """One ``{# lint: ... #}`` comment (a NamedTuple: built faster than a dataclass)."""

    field: str
    start: int
    end: int
    rules: frozenset[str]
    whole_draft: bool
    unknown: tuple[str, ...] = ()
    malformed: bool = False


def find_directives(field: str, text: str, known: Iterable[str]) -> list[Directive]:
    """Every lint directive in one field's source text."""
    if "{#" not in text:
        return []
    known_ids = set(known) | {ALL}
    found: list[Directive] = []
    for match in DIRECTIVE.finditer(text):
        whole = field == "body" and not any(c in text[: match.start()] for c in "\r\n")
        parsed = _DISABLE.match(match.group("body"))
        if parsed is None:
            found.append(Directive(field, match.start(), match.end(), frozenset(), whole, (), True))
            continue
        ids = [i.strip().lower() for i in parsed.group("ids").split(",") if i.strip()]
        unknown = tuple(i for i in ids if i not in known_ids)
        rules = frozenset(i for i in ids if i in known_ids)
        found.append(Directive(field, match.start(), match.end(), rules, whole, unknown, not ids))
    return found


class Suppressions:
    """Answers "is this finding silenced?" for one draft."""

    def __init__(
        self, directives: list[Directive], spans: dict[str, list[tuple[int, int]]]
    ) -> None:
        self.everywhere: set[str] = set()
        self.local: dict[tuple[str, int], set[str]] = {}
        self.starts = {name: [start for start, _ in found] for name, found in spans.items()}
        for directive in directives:
            if directive.whole_draft:
                self.everywhere |= directive.rules
                continue
            # A directive on a line of its own sits between paragraphs (a comment
            # renders as nothing): it belongs to the paragraph that follows.
            ends = [end for _, end in spans.get(directive.field, [])]
            number = bisect_right(ends, directive.start)
            self.local.setdefault((directive.field, number), set()).update(directive.rules)
        self.active = bool(self.everywhere or self.local)

    def _paragraph(self, field: str, offset: int) -> int:
        return bisect_right(self.starts.get(field, [0]), offset) - 1

    def silenced(self, rule: str, field: str, start: int) -> bool:
        """Whether a finding of ``rule`` at ``start`` in ``field`` is switched off."""
        if rule in self.everywhere or ALL in self.everywhere:
            return True
        local = self.local.get((field, self._paragraph(field, start)))
        return bool(local) and (rule in local or ALL in local)
