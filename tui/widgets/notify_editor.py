"""The apology body editor: a soft-wrapped ``TextArea`` that underlines the checker's findings.

How the underlines work: ``TextArea.get_line`` is the documented hook for styling a
line's ``Text`` before it is wrapped and drawn (selection, cursor and cursor-line
styles are layered on top afterwards), so the editor keeps its own map of spans per
document line and stylizes them there. The widget caches rendered lines, and its
cache key knows nothing of the spans, so replacing them clears that cache (its
``_line_cache``, falling back to ``notify_style_update``, the public hook that also
clears it, should a later Textual rename it) and refreshes.

Spans come from the findings' ``line``/``column`` pairs, which count lines the same
way the editor's document does (the text handed to the checker is ``self.text``).
Between an edit and the next check the old spans stay where they were; the panel
re-checks within a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual.widgets import TextArea

from email_crisis.core.lint import Finding

BODY_FIELD = "body"


class Underline(NamedTuple):
    """One underlined run on one document line (0-based row, columns end-exclusive)."""

    row: int
    start: int
    end: int
    severity: str
    rule: str


def underlines_for(findings: Iterable[Finding], lines: list[str]) -> tuple[Underline, ...]:
    """The per-line runs to underline for the body ``findings`` over ``lines``.

    A span over several lines becomes one run per line; an empty span (a finding
    about a place, not a word) underlines the character there, if any.
    """
    runs: list[Underline] = []
    last = len(lines) - 1
    for finding in findings:
        if finding.field != BODY_FIELD or last < 0:
            continue
        first_row = min(max(finding.line - 1, 0), last)
        end_row = min(max(finding.end_line - 1, first_row), last)
        severity = finding.severity.value
        for row in range(first_row, end_row + 1):
            width = len(lines[row])
            start = finding.column - 1 if row == first_row else 0
            end = finding.end_column - 1 if row == end_row else width
            start = min(max(start, 0), width)
            end = min(max(end, start), width)
            if start == end:
                if start >= width:
                    continue
                end = start + 1
            runs.append(Underline(row, start, end, severity, finding.rule))
    return tuple(runs)


class NotifyEditor(TextArea):
    """The body of the apology; problems are underlined in place, coloured by severity."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "notify-editor--error",
        "notify-editor--warning",
        "notify-editor--info",
    }
    DEFAULT_CSS = """
    NotifyEditor > .notify-editor--error { color: $text-error; text-style: bold underline; }
    NotifyEditor > .notify-editor--warning { color: $text-warning; text-style: underline; }
    NotifyEditor > .notify-editor--info { color: $text-accent; text-style: underline; }
    """

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(
            text,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            compact=True,
            highlight_cursor_line=False,
            **kwargs,  # type: ignore[arg-type]
        )
        self._underlines: tuple[Underline, ...] = ()
        self._by_row: dict[int, list[Underline]] = {}
        self.on_change: Callable[[], None] | None = None
        """Called on every change of the text, before the ``Changed`` message bubbles."""

    def _on_text_area_changed(self, event: TextArea.Changed) -> None:
        # Handled here rather than by the panel: no hops through the containers' queues
        # between a key and the check it schedules.
        if self.on_change is not None:
            self.on_change()

    @property
    def underlines(self) -> tuple[Underline, ...]:
        """What is underlined now (tests and the benchmark read this, not colours)."""
        return self._underlines

    def set_findings(self, findings: Iterable[Finding]) -> None:
        """Underline the body findings (others are ignored); redraws only on a change."""
        lines = [self.document.get_line(row) for row in range(self.document.line_count)]
        runs = underlines_for(findings, lines)
        if runs == self._underlines:
            return
        self._underlines = runs
        by_row: dict[int, list[Underline]] = {}
        for run in runs:
            by_row.setdefault(run.row, []).append(run)
        self._by_row = by_row
        self._drop_rendered_lines()
        self.refresh()

    def _drop_rendered_lines(self) -> None:
        """Forget the rendered lines, whose cache key cannot see the spans."""
        cache = getattr(self, "_line_cache", None)  # TextArea's own cache (Textual 8)
        if cache is not None and hasattr(cache, "clear"):
            cache.clear()  # cheaper than a style update, which also resets every style
        else:
            self.notify_style_update()  # the public hook, which clears it too

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for run in self._by_row.get(line_index, ()):
            line.stylize(self._style(run.severity), run.start, run.end)
        return line

    def _style(self, severity: str) -> Style:
        style = self.get_component_rich_style(f"notify-editor--{severity}", partial=True)
        # Without colour (NO_COLOR) the underline itself still marks the span.
        return style + Style(underline=True)
