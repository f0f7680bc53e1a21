"""The rule checker's findings as a table: rows keyed and updated in place as the draft changes."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import DescendantBlur, DescendantFocus, Resize
from textual.widgets import DataTable, Static

from email_crisis.core.notify import lint
from email_crisis.core.notify.lint import Finding, Severity
from email_crisis.tui import keymap_notify
from email_crisis.tui.render import CUT, MORE, ellipsize, fit_rows, plain

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
FIELD_WORDS = {
    "from": "From",
    "reply-to": "Reply-To",
    "subject": "Subject",
    "preheader": "Preheader",
    "body": "body",
}
NARROW_WIDTHS = {"number": 2, "severity": 8, "rule": 20, "where": 10, "fix": 3}
"""One line per finding below the editor; the message column takes what is left."""
WIDE_WIDTHS = {"number": 2}
"""Beside the editor: a numbered three-line entry per finding (one column, ``finding``)."""
LABELS = {
    "number": "#",
    "severity": "SEVERITY",
    "rule": "RULE",
    "where": "WHERE",
    "fix": "FIX",
    "message": "MESSAGE",
    "finding": "FINDING",
}
WIDE_ROW_HEIGHT = 3

DETAIL_ROWS = 2
"""The details line's height below the editor while the list does not have the focus."""
DETAIL_MAX_ROWS = 8
"""The tallest the details pane gets; longer text ends with a pointer to the full view."""
TABLE_MIN_ROWS = 4
"""What the details pane leaves the list: its header and three findings."""
NO_FINDING = "No finding: the checker is happy."


MARKS = {"error": "!", "warning": "?", "info": "i"}
"""The mark by a header field with a finding: meaning without colour."""


def tally_text(findings: Sequence[Finding]) -> str:
    """``1 error, 2 warnings, 0 info``."""
    tally = lint.counts(list(findings))
    errors, warnings = tally[Severity.ERROR], tally[Severity.WARNING]
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}, "
        f"{tally[Severity.INFO]} info"
    )


def field_marks(findings: Sequence[Finding], field: str, label: str) -> tuple[Text, list[Text]]:
    """A header field's label (marked by its worst finding) and one line per finding."""
    found = [f for f in findings if f.field == field]
    worst = min((f.severity for f in found), key=lambda s: s.rank, default=None)
    if worst is None:
        return Text(label), []
    marked = Text(f"{MARKS[worst.value]} {label}", style=SEVERITY_STYLE[worst.value])
    lines = [
        Text(f"{MARKS[f.severity.value]} {label}: ", style="bold").append_text(plain(f.message))
        for f in found
    ]
    return marked, lines


def fix_target(
    findings: Sequence[Finding],
    *,
    cursor: tuple[int, int] | None = None,
    field: str | None = None,
    highlighted: Finding | None = None,
) -> Finding | None:
    """The finding the fix key acts on: the one under the body ``cursor`` (row, column,
    0-based) or in the focused header ``field``, preferring one with a fix; otherwise
    the one highlighted in the list."""
    if cursor is not None:
        here = [
            f
            for f in findings
            if f.field == "body"
            and (f.line - 1, f.column - 1) <= cursor <= (f.end_line - 1, f.end_column - 1)
        ]
    elif field is not None:
        here = [f for f in findings if f.field == field]
    else:
        here = []
    if here:
        return next((f for f in here if f.suggestion is not None), here[0])
    return highlighted


def severity_word(finding: Finding) -> Text:
    """``error`` / ``warning`` / ``info``: the word carries the meaning, colour only helps."""
    word = finding.severity.value
    return Text(word, style=SEVERITY_STYLE.get(word, ""))


def where(finding: Finding) -> str:
    """``body 3:5`` for the body, the field's name for a header field."""
    if finding.field == "body":
        return f"body {finding.line}:{finding.column}"
    return FIELD_WORDS.get(finding.field, finding.field)


def suggestion_text(finding: Finding) -> Text | None:
    """What the fix key would do, or ``None`` when the finding has no automatic fix."""
    if finding.suggestion is None:
        return None
    if finding.suggestion == "":
        return Text("F4 deletes it")
    return Text("F4 replaces it with: ").append_text(plain(finding.suggestion))


def detail(finding: Finding) -> Text:
    """The full message and suggested fix of one finding (under or beside the table)."""
    out = severity_word(finding)
    out.append(f" {finding.rule} ", style="bold").append(f"({where(finding)}): ")
    out.append_text(plain(finding.message))
    fix = suggestion_text(finding)
    if fix is not None:
        out.append("\n").append_text(fix)
    return out


def row_keys(findings: Sequence[Finding]) -> list[str]:
    """Stable keys: the same finding keeps its key while text around it changes."""
    seen: dict[tuple[str, str], int] = {}
    keys = []
    for finding in findings:
        n = seen.get((finding.field, finding.rule), 0)
        seen[(finding.field, finding.rule)] = n + 1
        keys.append(f"{finding.field}:{finding.rule}:{n}")
    return keys


class FindingsTable(DataTable[Text]):
    """One row per finding: number, severity word, rule id, where, fix, message (cut to fit).

    Beside a wide editor the same facts are stacked in one column, three lines a row.
    """

    BINDINGS = keymap_notify.FINDINGS_LIST

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self._shown: dict[str, tuple[Text, ...]] = {}
        self._findings: dict[str, Finding] = {}
        self.wide = False
        self.want_wide = False
        """Set by the panel: lay rows out for beside the editor (applied on resize)."""
        self._last_width = 30
        self._columns: tuple[str, ...] = ()

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        fixed = WIDE_WIDTHS if self.wide else NARROW_WIDTHS
        last = "finding" if self.wide else "message"
        for key, width in fixed.items():
            self.add_column(LABELS[key], key=key, width=width)
        self.add_column(LABELS[last], key=last, width=self._last_width)
        self._columns = (*fixed, last)

    def on_resize(self, event: Resize) -> None:
        self.fit(event.size.width, wide=self.want_wide)

    def fit(self, width: int, *, wide: bool) -> None:
        """Lay the rows out for ``width`` cells, one line each or (``wide``) three."""
        fixed = WIDE_WIDTHS if wide else NARROW_WIDTHS
        # 2 cells of padding per column, and the vertical scrollbar.
        scrollbar = self.styles.scrollbar_size_vertical
        last = max(12, width - sum(fixed.values()) - 2 * (len(fixed) + 1) - scrollbar)
        if (last, wide) == (self._last_width, self.wide):
            return
        self._last_width, self.wide = last, wide
        findings = [self._findings[k] for k in self._order()]
        self._shown.clear()  # a resize rebuilds the rows; edits only update them
        self.clear(columns=True)
        self._add_columns()
        self.sync(findings)

    def action_read(self) -> None:
        """Show the highlighted finding whole in a dialog; ``enter`` there jumps to it."""
        from email_crisis.tui.screens.read_dialog import ReadDialog

        finding = self.highlighted()
        if finding is None:
            self.notify(NO_FINDING)
            return
        title = f"Finding {self.cursor_row + 1} of {self.row_count}"

        def answered(jump: bool | None) -> None:
            if jump and self.highlighted() is finding:
                self.action_select_cursor()

        dialog = ReadDialog(title, detail(finding), "Jump to it in the draft")
        self.app.push_screen(dialog, answered)

    def _order(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows if row.key.value is not None]

    def highlighted(self) -> Finding | None:
        """The finding under the cursor."""
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return self._findings.get(str(key.value))

    def sync(self, findings: Sequence[Finding]) -> None:
        """Make the rows match ``findings`` (in order), in place; the cursor stays on its row."""
        current = self.highlighted()
        current_key = next((k for k, f in self._findings.items() if f is current), None)
        keys = row_keys(findings)
        wanted = set(keys)
        for gone in [key for key in self._shown if key not in wanted]:
            self.remove_row(gone)
            del self._shown[gone]
        self._findings = dict(zip(keys, findings, strict=True))
        for number, (key, finding) in enumerate(zip(keys, findings, strict=True), start=1):
            cells = self._cells(number, finding)
            old = self._shown.get(key)
            if old is None:
                self.add_row(*cells, key=key, height=WIDE_ROW_HEIGHT if self.wide else 1)
            else:
                for column, before, after in zip(self._columns, old, cells, strict=True):
                    if before != after:
                        self.update_cell(key, column, after)
            self._shown[key] = cells
        if self._order() != keys:
            self.sort("number", key=lambda cell: int(cell.plain))
        if current_key in self._findings and self.cursor_row != keys.index(current_key):
            self.move_cursor(row=keys.index(current_key), animate=False)

    def _cells(self, number: int, finding: Finding) -> tuple[Text, ...]:
        fix = Text("" if finding.suggestion is None else "F4", style="bold")
        if self.wide:
            head = severity_word(finding).append(f"  {finding.rule}  {where(finding)}")
            if finding.suggestion is not None:
                head.append("  ").append_text(fix.append(" fix"))
            lines = textwrap.wrap(finding.message, self._last_width) or [""]
            if len(lines) > WIDE_ROW_HEIGHT - 1:
                lines = [
                    *lines[: WIDE_ROW_HEIGHT - 2],
                    ellipsize(" ".join(lines[1:]), self._last_width),
                ]
            body = plain("\n".join(lines), single_line=False)
            return (Text(str(number), justify="right"), head.append("\n").append_text(body))
        return (
            Text(str(number), justify="right"),
            severity_word(finding),
            Text(finding.rule),
            Text(where(finding)),
            fix,
            plain(ellipsize(finding.message, self._last_width)),
        )


class QuietStatic(Static):
    """A ``Static`` that repaints only when its text changes.

    The panel re-renders its lines on every check; an update that may change a
    widget's size costs a layout of the whole screen (tens of milliseconds).
    """

    def __init__(self, content: str = "", **kwargs: object) -> None:
        super().__init__(content, **kwargs)  # type: ignore[arg-type]
        self._text: Text | None = None

    def show(self, text: Text, *, layout: bool) -> None:
        """Show ``text``; ``layout=False`` when the widget's size is fixed."""
        if text != self._text:
            self._text = text
            self.update(text, layout=layout)


class FindingsSide(Vertical):
    """The findings table, titled with the counts, and the highlighted one in full.

    Below the editor (narrow screens) the list opens over the editor while it has the
    focus, so the details pane has room for a whole message; longer text ends with a
    pointer to ``space``, which shows the finding in a dialog (``ReadDialog``).
    """

    _drawn: tuple[object, ...] | None = None
    """What the details pane was last drawn for (finding, size, focus, layout)."""

    def compose(self) -> ComposeResult:
        yield FindingsTable(id="notify-findings")
        yield QuietStatic(id="notify-detail")

    @property
    def table(self) -> FindingsTable:
        return self.query_one(FindingsTable)

    def show(self, findings: Sequence[Finding]) -> None:
        """Sync the rows, the title and the detail with ``findings``."""
        self.table.sync(findings)
        title = "Findings: " + tally_text(findings)
        if self.border_title != title:
            self.border_title = title
        self.show_detail()

    @property
    def browsing(self) -> bool:
        """The list has the focus below the editor: it takes the editor's place."""
        return self.table.has_focus and not self.table.wide

    def show_detail(self) -> None:
        table = self.table
        finding = table.highlighted()
        # Every check of the draft calls this; most leave the pane as it was.
        drawn = (finding, self.content_size, table.has_focus, table.wide)
        if drawn == self._drawn:
            return
        text = detail(finding) if finding is not None else Text(NO_FINDING)
        box = self.query_one(QuietStatic)
        width = self.content_size.width
        if not width:  # not laid out yet: the resize that follows shows it
            box.show(text, layout=False)
            return
        self._drawn = drawn
        room = max(1, self.content_size.height - TABLE_MIN_ROWS)
        if self.browsing:
            rows = min(DETAIL_MAX_ROWS, room)
        elif table.wide:
            rows = min(DETAIL_MAX_ROWS, room, len(text.wrap(self.app.console, width)))
        else:
            rows = DETAIL_ROWS
        if box.styles.height is None or box.styles.height.value != rows:
            box.styles.height = rows
        more = MORE if table.has_focus else CUT
        box.show(fit_rows(text, width, rows, self.app.console, more), layout=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self._browse()

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        self._browse()

    def _browse(self) -> None:
        if self.parent is not None:
            self.parent.set_class(self.browsing, "-browsing")
        self.show_detail()

    def on_resize(self, event: Resize) -> None:
        self.show_detail()

    def fit(self, *, wide: bool) -> None:
        """Lay the rows out beside (``wide``) or below the editor; the table re-fits
        itself when the layout gives it its new width."""
        table = self.table
        table.want_wide = wide
        if table.size.width:
            table.fit(table.size.width, wide=wide)
