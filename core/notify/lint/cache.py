"""A bounded cache for per-paragraph work, with hit and miss counters.

Keys hold the paragraph text itself (plus the config fingerprint, language and
field kind), so an edit simply misses for the paragraph it touched; nothing needs
invalidating. When full, the oldest entries go first.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ParagraphCache(Generic[V]):
    """A dict with a size bound; ``hits``/``misses`` show what a check re-did."""

    def __init__(self, max_entries: int = 4096) -> None:
        self.max_entries = max_entries
        self._entries: dict[Hashable, V] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value for ``key``, computing (and storing) it on a miss."""
        value = self.find(key)
        if value is None:
            value = self.keep(key, compute())
        return value

    def find(self, key: Hashable) -> V | None:
        """The cached value for ``key``, or ``None`` (a miss; ``keep`` the value then).
        The engine's hot path: no exception and no callable per paragraph."""
        value = self._entries.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def keep(self, key: Hashable, value: V) -> V:
        """Store ``value`` (never ``None``) for ``key`` and return it."""
        if len(self._entries) >= self.max_entries:
            # Drop the oldest quarter in one go rather than one entry per miss.
            for old in list(self._entries)[: max(1, self.max_entries // 4)]:
                del self._entries[old]
        self._entries[key] = value
        return value

    def clear(self) -> None:
        """Forget everything (counters included)."""
        self._entries.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)
