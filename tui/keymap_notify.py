"""Keys of the Notify panel (step 5), its findings list and its preview, as data.

Same rules as ``keymap``: a stable id, a short footer description and a tooltip for
each binding. Typing goes into the editor, so every action is an F-key; they are
priority bindings because the editor itself binds F6 and F7 (select line / all).
Only the main ones show in the footer at 80 columns; F1 lists them all.
"""

from __future__ import annotations

from textual.binding import Binding

WORKSPACE_TAB = [
    Binding(
        "5",
        "show_tab('notify')",
        "Notify",
        show=False,  # the tab's label shows its number
        tooltip="Show step 5: notify and apologise",
        id="workspace.tab_notify",
    ),
]

NOTIFY_PANEL = [
    Binding(
        "f2",
        "save",
        "Save",
        priority=True,
        tooltip="Save the draft as a new version (every version is kept)",
        id="notify.save",
    ),
    Binding(
        "f3",
        "preview",
        "Preview",
        priority=True,
        tooltip="Preview the email through its brand template for a sample recipient",
        id="notify.preview",
    ),
    Binding(
        "f4",
        "fix",
        "Fix",
        priority=True,
        tooltip="Apply the suggested fix of the highlighted finding (or the one at the cursor)",
        id="notify.fix",
    ),
    Binding(
        "f5",
        "export",
        "Export",
        priority=True,
        tooltip="Export the saved draft as an .eml file, with the audience CSV beside it",
        id="notify.export",
    ),
    Binding(
        "f6",
        "versions",
        "Versions",
        show=False,
        priority=True,
        tooltip="List the saved versions; enter loads one into the editor as unsaved changes",
        id="notify.versions",
    ),
    Binding(
        "f7",
        "cycle_template",
        "Template",
        show=False,
        priority=True,
        tooltip="Use the next brand template of this language",
        id="notify.template",
    ),
    Binding(
        "f8",
        "toggle_language",
        "Language",
        show=False,
        priority=True,
        tooltip="Switch the draft's language between English and French",
        id="notify.language",
    ),
    Binding(
        "f9",
        "mark_sent",
        "Mark sent",
        show=False,
        priority=True,
        tooltip="Record that the apology was sent (asks first; sets the notified time)",
        id="notify.mark_sent",
    ),
    Binding(
        "f10",
        "next_finding",
        "Next problem",
        show=False,
        priority=True,
        tooltip="Jump to the next finding after the cursor",
        id="notify.next_finding",
    ),
]

FINDINGS_LIST = [
    Binding(
        "enter",
        "select_cursor",
        "Jump",
        key_display="enter",
        tooltip="Jump to the highlighted finding (in the body or its header field)",
        id="notify.jump",
    ),
]

PREVIEW = [
    Binding(
        "escape,f3",
        "close",
        "Close",
        key_display="esc",
        tooltip="Close the preview and go back to the editor",
        id="notify.preview_close",
    ),
]
