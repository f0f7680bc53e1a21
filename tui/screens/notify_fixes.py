"""Findings of the Notify panel put to work: jump to one, apply its fix, go to the next.

A jump puts the operator in edit mode in the finding's field with its span selected (an
explicit jump is the one case where entering a field selects something). In command mode
the fix key acts on the finding in the field under the panel's cursor.
"""

from __future__ import annotations

from typing import Protocol

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input
from textual.widgets.input import Selection as InputSelection

from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.lint import Finding
from email_crisis.tui.keyboard import focus_now
from email_crisis.tui.widgets.findings_list import FindingsTable, fix_target
from email_crisis.tui.widgets.notify_editor import DraftHeader, NotifyEditor, span


class FixHost(Protocol):
    """What these use of the Notify panel."""

    findings: list[Finding]

    @property
    def screen(self) -> Screen: ...

    @property
    def editor(self) -> NotifyEditor: ...

    @property
    def header(self) -> DraftHeader: ...

    @property
    def table(self) -> FindingsTable: ...

    def cursor_field(self) -> Widget | None: ...

    def check_now(self, *, list_now: bool = False) -> None: ...

    def notify(self, message: str) -> None: ...


def match_case(old: str, new: str) -> str:
    """``new`` with a capital first letter when the text it replaces had one."""
    if old[:1].isupper() and new[:1].islower():
        return new[:1].upper() + new[1:]
    return new


def jump(panel: FixHost, finding: Finding) -> None:
    """Edit the finding's field with its span selected (the cursor at its start)."""
    if finding.field == "body":
        focus_now(panel.editor)
        panel.editor.show(finding)
        return
    field = panel.header.field(finding.field)
    focus_now(field)
    field.selection = InputSelection(finding.end, finding.start)


def _where(panel: FixHost) -> Widget | None:
    """The field the fix key looks at: the one being edited, or in command mode the one
    under the cursor; none from the findings list (its highlighted finding counts)."""
    focused = panel.screen.focused
    if isinstance(focused, (NotifyEditor, Input)):
        return focused
    if isinstance(focused, FindingsTable):
        return None
    return panel.cursor_field()


def fix(panel: FixHost) -> None:
    """Apply the suggested fix of the finding at the cursor (or the highlighted one)."""
    panel.check_now(list_now=True)  # the spans must match the text as it is now
    where = _where(panel)
    highlighted = panel.table.highlighted()
    if isinstance(where, NotifyEditor):
        finding = fix_target(panel.findings, cursor=where.cursor_location, highlighted=highlighted)
    elif isinstance(where, Input) and where.id:
        field = notify.LINT_FIELDS.get(where.id.removeprefix("field-"))
        finding = fix_target(panel.findings, field=field, highlighted=highlighted)
    else:
        finding = highlighted
    if finding is None:
        panel.notify("No finding to fix: the checker is happy.")
        return
    if finding.suggestion is None:
        panel.notify(f"{finding.rule} has no automatic fix: edit the text yourself.")
        return
    if finding.field == "body":
        start, end = span(finding)
        old = panel.editor.get_text_range(start, end)
        panel.editor.replace(match_case(old, finding.suggestion), start, end)
    else:
        line = panel.header.field(finding.field)
        value = line.value
        new = match_case(value[finding.start : finding.end], finding.suggestion)
        line.value = value[: finding.start] + new + value[finding.end :]
    panel.check_now()
    panel.notify(f"Fixed: {finding.rule}.")


def next_finding(panel: FixHost) -> None:
    """Jump to the next finding after the cursor (and edit there)."""
    panel.check_now(list_now=True)
    findings = panel.findings
    if not findings:
        panel.notify("No finding left.")
        return
    where = _where(panel)
    current = panel.table.highlighted()
    if isinstance(where, NotifyEditor) and not where.shows(current):
        # From the text: the first finding at or after the cursor.
        here = where.cursor_location
        body = (i for i, f in enumerate(findings) if f.field == "body")
        index = next((i for i in body if span(findings[i])[0] >= here), 0)
    elif current in findings:
        index = (findings.index(current) + 1) % len(findings)
    else:
        index = 0
    panel.table.move_cursor(row=index, animate=False)
    jump(panel, findings[index])
