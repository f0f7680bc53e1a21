"""Keys of the Notify panel (step 5), its findings list and its preview, as data.

Same rules as ``keymap``: a stable id, a short footer description and a tooltip for
each binding. Every action has a letter (command mode) and an F-key (which also acts
while editing: the F-keys are priority bindings because the editor itself binds F6 and
F7, select line / all). Only the main ones show in the footer at 80 columns; F1 lists
them all.
"""

from __future__ import annotations

from textual.binding import Binding

from email_crisis.tui.keymap import twin

WORKSPACE_TAB = [
    Binding(
        "5",
        "show_tab('notify')",
        "Notify",
        show=False,  # the tab's label shows its number
        priority=True,  # acts in command mode only (see keymap.WORKSPACE)
        tooltip="Show step 5: notify and apologise",
        id="workspace.tab_notify",
    ),
]

NOTIFY_PANEL = [
    *twin(
        "f2,ctrl+s",
        "s",
        "save",
        "Save",
        tooltip="Save the draft as a new version (every version is kept)",
        id="notify.save",
    ),
    *twin(
        "f3",
        "p",
        "preview",
        "Preview",
        tooltip="Preview the email through its brand template for a sample recipient",
        id="notify.preview",
    ),
    *twin(
        "f4",
        "f",
        "fix",
        "Fix",
        tooltip="Apply the suggested fix of the finding at the cursor (or the highlighted one)",
        id="notify.fix",
    ),
    *twin(
        "f5",
        "e",
        "export",
        "Export",
        tooltip="Export the saved draft as an .eml file, with the audience CSV beside it",
        id="notify.export",
    ),
    *twin(
        "f6",
        "v",
        "versions",
        "Versions",
        show=False,
        tooltip="List the saved versions; enter loads one into the editor as unsaved changes",
        id="notify.versions",
    ),
    *twin(
        "f7",
        "t",
        "cycle_template",
        "Template",
        show=False,
        tooltip="Use the next brand template of this language",
        id="notify.template",
    ),
    *twin(
        "f8",
        "g",
        "toggle_language",
        "Language",
        show=False,
        tooltip="Switch the draft's language between English and French",
        id="notify.language",
    ),
    *twin(
        "f9",
        "m",
        "mark_sent",
        "Mark sent",
        tooltip="Record that the apology was sent (asks first; sets the notified time)",
        id="notify.mark_sent",
    ),
    *twin(
        "f10",
        "n",
        "next_finding",
        "Next problem",
        show=False,
        tooltip="Jump to the next finding after the cursor (and edit there)",
        id="notify.next_finding",
    ),
    Binding(
        "d",
        "decline",
        "No apology",
        tooltip="Record the decision not to send an apology, with its reason (completes step 5)",
        id="notify.decline",
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
    Binding(
        "space",
        "read",
        "Read",
        key_display="space",
        tooltip="Read the highlighted finding in full, however long it is",
        id="notify.read_finding",
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
