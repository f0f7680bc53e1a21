"""The apology editor: header fields marked by their findings, and the body, whose
findings are underlined in place (a soft-wrapped ``TextArea``).

How the underlines work: ``TextArea.get_line`` is the documented hook for styling a
line's ``Text`` before it is wrapped and drawn (selection, cursor and cursor-line
styles are layered on top afterwards), so the editor keeps its own map of spans per
document line and stylizes them there. The widget caches rendered lines, and its
cache key knows nothing of the spans, so replacing them clears that cache (its
``_line_cache``, falling back to ``notify_style_update``, the public hook that also
clears it, should a later Textual rename it) and refreshes.

Spans come from the findings' ``line``/``column`` pairs, which count lines the same
way the editor's document does (the text handed to the checker is ``self.text``).
Between an edit and its check the old spans stay where they were; the check is
queued right behind the edit, so the new spans usually reach the screen in the same
frame as the letter typed (see ``benchmarks/notify_latency.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Selection

from email_crisis.core.base.clock import format_local
from email_crisis.core.notify.drafts import LINT_FIELDS, Draft
from email_crisis.core.notify.lint import Finding
from email_crisis.tui.keyboard import KeysInOrder
from email_crisis.tui.render import plain
from email_crisis.tui.widgets.fields import TextField
from email_crisis.tui.widgets.findings_list import QuietStatic, field_marks

BODY_FIELD = "body"
HEADER_ROWS: tuple[tuple[str, ...], ...] = (
    ("from_address", "reply_to"),
    ("subject",),
    ("preheader",),
)
LABELS = {
    "from_address": "From",
    "reply_to": "Reply-To",
    "subject": "Subject",
    "preheader": "Preheader",
}
"""The header fields (draft field names) and their labels."""
PROBLEM_LINES = 2
"""Lines of messages under a header row (one finding each, cut to fit)."""


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


def span(finding: Finding) -> tuple[tuple[int, int], tuple[int, int]]:
    """A body finding's start and end as editor locations (row, column, 0-based)."""
    return (finding.line - 1, finding.column - 1), (finding.end_line - 1, finding.end_column - 1)


class NotifyEditor(KeysInOrder, TextArea):
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

    def show(self, finding: Finding) -> None:
        """Select a body finding's span, the cursor at its start, and scroll to it."""
        start, end = span(finding)
        self.selection = Selection(end, start)
        self.scroll_cursor_visible(center=True)

    def shows(self, finding: Finding | None) -> bool:
        """Whether the editor shows ``finding`` as ``show`` left it (its span selected)."""
        if finding is None or finding.field != BODY_FIELD:
            return False
        start, end = span(finding)
        return self.selection == Selection(end, start)

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for run in self._by_row.get(line_index, ()):
            line.stylize(self._style(run.severity), run.start, run.end)
        return line

    def _style(self, severity: str) -> Style:
        style = self.get_component_rich_style(f"notify-editor--{severity}", partial=True)
        # Without colour (NO_COLOR) the underline itself still marks the span.
        return style + Style(underline=True)


LANGUAGE_NAMES = {"en": "English", "fr": "French"}


def status_text(
    base: Draft,
    *,
    unsaved: bool,
    template_known: bool,
    notified_at: datetime | None,
    last_export: str,
) -> Text:
    """The line under the header fields: version, unsaved, template, language, export."""
    parts: list[Text] = []
    if base.version == 0:
        parts.append(Text("new draft, not saved (s)", style="bold yellow"))
    else:
        when = format_local(base.saved_at, with_date=False) if base.saved_at else ""
        parts.append(plain(f"v{base.version} {when} {base.operator or ''}".strip()))
        if unsaved:
            parts.append(Text("UNSAVED (s)", style="bold yellow"))
    template = Text("template ").append_text(plain(base.template or "none"))
    parts.append(template.append("" if template_known else " (missing)").append(" (t)"))
    parts.append(Text(f"{LANGUAGE_NAMES.get(base.language, base.language)} (g)"))
    if notified_at is not None:
        parts.append(Text(f"SENT {format_local(notified_at, with_date=False)}", style="green"))
    elif last_export:
        parts.append(Text(last_export, style="green"))
    return Text(" · ").join(parts)


class DraftHeader(Vertical):
    """From, Reply-To, Subject and Preheader, each marked by its findings; a status line."""

    DEFAULT_CSS = """
    DraftHeader { height: auto; }
    DraftHeader .notify-row { height: 1; }
    DraftHeader .notify-label { width: 11; }
    DraftHeader #label-reply_to { width: 10; margin-left: 1; }
    DraftHeader .notify-row Input { width: 1fr; }
    DraftHeader .notify-problem {
        height: auto; display: none; text-wrap: nowrap; text-overflow: ellipsis;
    }
    DraftHeader #notify-status { height: 1; background: $panel; }
    """

    def compose(self) -> ComposeResult:
        for row in HEADER_ROWS:
            with Horizontal(classes="notify-row"):
                for name in row:
                    yield QuietStatic(LABELS[name], id=f"label-{name}", classes="notify-label")
                    yield TextField(id=f"field-{name}", compact=True)
            yield QuietStatic(id=f"problem-{row[0]}", classes="notify-problem")
        yield QuietStatic(id="notify-status")

    def field(self, name: str) -> Input:
        """The input of a draft field (``subject``) or of a checker field (``reply-to``)."""
        name = next((k for k, v in LINT_FIELDS.items() if v == name), name)
        return self.query_one(f"#field-{name}", Input)

    def values(self) -> dict[str, str]:
        """The header fields as typed."""
        return {name: self.field(name).value for name in LABELS}

    def fill(self, draft: Draft) -> None:
        """Show ``draft``'s header fields."""
        for name in LABELS:
            field = self.field(name)
            value = getattr(draft, name)
            if field.value != value:
                field.value = value

    def show_findings(self, findings: list[Finding]) -> None:
        """Mark each field by its worst finding and list the messages under its row."""
        for row in HEADER_ROWS:
            lines: list[Text] = []
            for name in row:
                label, found = field_marks(findings, LINT_FIELDS[name], LABELS[name])
                self.query_one(f"#label-{name}", QuietStatic).show(label, layout=False)
                lines += found
            if len(lines) > PROBLEM_LINES:  # the list below has them all
                more = len(lines) - PROBLEM_LINES + 1
                lines = [*lines[: PROBLEM_LINES - 1], Text(f"  and {more} more in the list")]
            problem = self.query_one(f"#problem-{row[0]}", QuietStatic)
            problem.show(Text("\n").join(lines), layout=True)  # one line each (CSS)
            problem.display = bool(lines)

    def show_status(self, text: Text) -> None:
        """The one-line status under the fields (version, unsaved, template, language)."""
        self.query_one("#notify-status", QuietStatic).show(text, layout=False)
