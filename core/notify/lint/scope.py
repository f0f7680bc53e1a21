"""Clauses and negation: which words a "no", "not" or "ne ... pas" governs.

"No personal data was compromised" is not a breach signal, and "there is no need to
change your password" is not a protective step. A clause runs between sentence
punctuation (``. ; : ! ? …``), line breaks and contrast or relative words ("but",
"while", "which", "mais", "qui"...); commas do not end one, so "your card details,
passwords and email address were not compromised" is negated as a whole. A negation
cue anywhere in a clause negates every phrase of that clause, except a phrase that
holds the cue itself ("never share your password", "ne transmettez jamais").

A cue governs the rest of its clause; it also governs the words before it when the
word before the cue is in ``negation_back`` ("data *was not* accessed", "vos données
*n'ont pas* été compromises"), so "report any payment you did not make" does not
negate "report any payment". ``*`` in that list (French) means always.

Cues are data (``negation`` in each language's word list); "n't" and French "n'" are
recognised from their apostrophe. Clauses are only worked out around the cues a
paragraph has; the phrase matcher marks where those words are as it passes (tag
``~negation_watch``), so a paragraph without any costs nothing more.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import compress, count

from email_crisis.core.base.regex import lazy_compile
from email_crisis.core.notify.lint.tokens import Tokens, gap_kind

_BREAK = lazy_compile("[.;:!?…\n\r•]")


class Scope:
    """Where a paragraph's negation cues are, and the clause each one governs."""

    __slots__ = ("_back", "_breaks", "_spans", "cues", "tokens")

    def __init__(
        self,
        tokens: Tokens,
        cues: Collection[str],
        breaks: Collection[str],
        back: Collection[str] = ("*",),
        watched_at: Iterable[int] | None = None,
    ) -> None:
        """``watched_at``: where the words of ``watched(cues)`` are, when the caller knows
        (the phrase matcher marks them); else they are looked for here."""
        self.tokens = tokens
        self._breaks = breaks
        self._back = back
        words = tokens.words
        if watched_at is None:
            watch = watched(cues)
            # The few watched words are picked out in C; only they are looked at here.
            watched_at = compress(count(), map(watch.__contains__, words))
        self.cues: list[int] = [
            i
            for i in watched_at
            if words[i] in cues
            or ((words[i] == "t" or words[i] == "n") and _contracted(tokens, i, words[i]))
        ]
        self._spans: dict[int, tuple[int, int]] = {}

    def _backward(self, cue: int) -> bool:
        """Whether the cue at ``cue`` also negates the words before it in its clause."""
        if "*" in self._back:
            return True
        return cue > 0 and self.tokens.words[cue - 1] in self._back

    def _break_before(self, i: int) -> bool:
        """Whether a new clause starts at word ``i``."""
        gap = self.tokens.parts[2 * i]
        return (gap != " " and _BREAK.search(gap) is not None) or self.tokens.words[
            i
        ] in self._breaks

    def span(self, i: int) -> tuple[int, int]:
        """First and last word of the clause of word ``i``."""
        found = self._spans.get(i)
        if found is None:
            # _break_before, inlined: this walk is the clause work's inner loop.
            parts = self.tokens.parts
            words = self.tokens.words
            breaks = self._breaks
            search = _BREAK.search
            first = i
            while first > 0:
                gap = parts[2 * first]
                if (gap != " " and search(gap) is not None) or words[first] in breaks:
                    break
                first -= 1
            last = i
            count = len(words)
            while last + 1 < count:
                gap = parts[2 * last + 2]
                if (gap != " " and search(gap) is not None) or words[last + 1] in breaks:
                    break
                last += 1
            found = self._spans[i] = (first, last)
        return found

    def negated(self, first: int, last: int) -> bool:
        """Whether words ``first``..``last`` sit in a negated clause (cue outside them)."""
        for cue in self.cues:
            if first <= cue <= last:
                continue
            low, high = self.span(cue)
            if cue < first <= high or (low <= first < cue and self._backward(cue)):
                return True
        return False

    def same_clause(self, one: int, other: int) -> bool:
        """Whether no clause boundary lies between two words."""
        low, high = min(one, other), max(one, other)
        return not any(self._break_before(k) for k in range(low + 1, high + 1))


def watched(cues: Collection[str]) -> frozenset[str]:
    """The cues plus the two halves of "n't" and "n'": a paragraph without any of these
    has no negation at all."""
    return frozenset(cues) | {"t", "n"}


def _contracted(tokens: Tokens, i: int, word: str) -> bool:
    """English "n't" (don + ' + t) and French "n'" (n + ' + ont)."""
    if word == "t":
        return (
            bool(i) and tokens.words[i - 1].endswith("n") and gap_kind(tokens.parts[2 * i]) == "'"
        )
    return i + 1 < len(tokens.words) and gap_kind(tokens.parts[2 * i + 2]) == "'"
