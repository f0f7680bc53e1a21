"""The visible text of an HTML body, and where each of its characters came from.

Tags are dropped, entities decoded, ``<script>``, ``<style>`` and the like skipped, and
block elements end paragraphs; every character keeps its (start, end) in the source so
findings can be placed in the HTML (see ``eml.Draft.to_source``). Imported only for
HTML bodies.
"""

from __future__ import annotations

import html as html_entities
from html.parser import HTMLParser

_SKIP = frozenset({"script", "style", "head", "title", "template"})
_BLOCK = frozenset(
    (  # noqa: SIM905
        "p div section article header footer main aside nav table tr ul ol li h1 h2 h3 h4 "
        "h5 h6 blockquote pre hr dl dt dd center"
    ).split()
)


class _Extractor(HTMLParser):
    """Collects the visible text of an HTML document and where each character came from."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        # HTMLParser counts lines at "\n" only.
        self.starts = [0] + [n + 1 for n, c in enumerate(source) if c == "\n"]
        self.chars: list[str] = []
        self.offsets: list[tuple[int, int]] = []
        self.skipping = 0

    def _here(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def _add(self, text: str, start: int, end: int) -> None:
        for char in text:
            self.chars.append(char)
            self.offsets.append((start, end))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            here = self._here()
            self._add("\n", here, here)
        elif tag in _BLOCK:
            here = self._here()
            self._add("\n\n", here, here)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            here = self._here()
            self._add("\n\n", here, here)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        start = self._here()
        for n, char in enumerate(data):
            self.chars.append(char)
            self.offsets.append((start + n, start + n + 1))

    def _reference(self, text: str) -> None:
        if self.skipping:
            return
        start = self._here()
        end = start + 1
        while end < len(self.source) and end - start < 40:
            if self.source[end] == ";":
                end += 1
                break
            if not (self.source[end].isalnum() or self.source[end] == "#"):
                break
            end += 1
        self._add(html_entities.unescape(self.source[start:end]) or text, start, end)

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name};")


def html_to_text(html: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The visible text of ``html`` and, per character, its (start, end) in the source."""
    parser = _Extractor(html)
    parser.feed(html)
    parser.close()
    return "".join(parser.chars), tuple(parser.offsets)
