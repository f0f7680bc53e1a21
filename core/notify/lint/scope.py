"""Clauses and negation: which words a "no", "not" or "ne ... pas" governs.

"No personal data was compromised" is not a breach signal, and "there is no need to
change your password" is not a protective step. A clause runs between sentence
punctuation (``. ; : ! ? …``), line breaks and contrast words ("but", "while",
"mais"...); commas do not end one, so "your card details, passwords and email
address were not compromised" is negated as a whole. A negation cue anywhere in a
clause negates every phrase of that clause, except a phrase that holds the cue
itself ("never share your password", "ne transmettez jamais").

Cues are data (``negation`` in each language's word list); "n't" and French "n'" are
recognised from their apostrophe.
"""

from __future__ import annotations

from collections.abc import Collection

from email_crisis.core.notify.lint.tokens import Tokens, gap_kind

_BREAK_MARKS = frozenset(".;:!?…\n\r•")


class Scope:
    """The clause of each word of a paragraph, and where its negation cues are."""

    __slots__ = ("clause", "cues")

    def __init__(self, tokens: Tokens, cues: Collection[str], breaks: Collection[str]) -> None:
        words = tokens.words
        clause: list[int] = []
        cues_by_clause: dict[int, list[int]] = {}
        number = 0
        for i, word in enumerate(words):
            if i and (word in breaks or _breaks(tokens.parts[2 * i])):
                number += 1
            clause.append(number)
            if word in cues or _contracted(tokens, i, word):
                cues_by_clause.setdefault(number, []).append(i)
        self.clause = clause
        self.cues = cues_by_clause

    def negated(self, first: int, last: int) -> bool:
        """Whether words ``first``..``last`` sit in a negated clause (cue outside them)."""
        if not self.cues or first >= len(self.clause):
            return False
        found = self.cues.get(self.clause[first])
        return bool(found) and any(c < first or c > last for c in found)

    def same_clause(self, one: int, other: int) -> bool:
        """Whether two words are in one clause."""
        return self.clause[one] == self.clause[other]


def _breaks(gap: str) -> bool:
    return any(c in _BREAK_MARKS for c in gap)


def _contracted(tokens: Tokens, i: int, word: str) -> bool:
    """English "n't" (don + ' + t) and French "n'" (n + ' + ont)."""
    if word == "t" and i and tokens.words[i - 1].endswith("n"):
        return gap_kind(tokens.parts[2 * i]) == "'"
    if word == "n" and i + 1 < len(tokens.words):
        return gap_kind(tokens.parts[2 * i + 2]) == "'"
    return False
