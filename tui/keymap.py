"""Every key binding of the app, as data.

Each binding has a stable id (so an organisation keymap can rebind it), a short
description for the footer, and a tooltip that says in full what it does (shown
by the F1 help screen and used as the command palette's title).
Plain keys and F-keys only: they survive tmux, SSH and the Linux console.
"""

from __future__ import annotations

from textual.binding import Binding


def read_row(row: str, what: str, *, id: str) -> Binding:
    """``space``: the highlighted ``row`` whole in a dialog (``what`` it shows). Not in
    the footer: a details pane that had to cut says "space: read it all"."""
    return Binding(
        "space",
        "read_row",
        "Read",
        key_display="space",
        show=False,
        tooltip=f"Read the highlighted {row} in full: {what}",
        id=id,
    )


def twin(
    fkeys: str,
    letter: str,
    action: str,
    description: str,
    *,
    tooltip: str,
    id: str,
    show: bool = True,
) -> list[Binding]:
    """An action with an F-key (acts in edit mode too) and a letter (command mode).

    The F-key is a priority binding, so it acts while a text field has the focus; the
    letter is an ordinary one, which a text field takes as typing. Laptops and Macs
    reach every action without an F-key.
    """
    return [
        Binding(fkeys, action, description, priority=True, show=show, tooltip=tooltip, id=id),
        Binding(letter, action, description, show=show, tooltip=tooltip, id=f"{id}.letter"),
    ]


APP = [
    Binding(
        "q",
        "quit",
        "Quit",
        tooltip="Quit email-crisis (asks first when something typed is unsaved)",
        id="app.quit",
    ),
    Binding(
        "ctrl+c,ctrl+q",
        "quit",
        "Quit",
        show=False,
        priority=True,  # also while editing, and it asks first when something is unsaved
        tooltip="Quit email-crisis (asks first when something typed is unsaved)",
        id="app.quit_ctrl",
    ),
    Binding(
        "question_mark,f1",
        "help",
        "Help",
        key_display="?",
        tooltip="Show the keys of this screen",
        id="app.help",
    ),
]

BOARD = [
    # The same enter as the table's. It catches an enter read before the table has the
    # focus (typed at start-up): the table's is a priority binding, and those are looked
    # up only along the focus chain of the moment. Priority too, so it runs as the key
    # is read and the next key of a burst reaches the workspace, not the board; the
    # board refuses it (check_action) while the filter field has the focus.
    Binding(
        "enter",
        "open_row",  # the table's action name: the help lists the two as one
        "Open",
        key_display="enter",
        show=False,
        priority=True,
        tooltip="Open the highlighted incident's workspace",
        id="board.open_typed_ahead",
    ),
    Binding("n", "new_incident", "New", tooltip="Declare a new incident", id="board.new"),
    Binding(
        "a",
        "acknowledge",
        "Ack",
        tooltip="Acknowledge the highlighted incident",
        id="board.acknowledge",
    ),
    Binding(
        "slash",
        "filter",
        "Filter",
        key_display="/",
        tooltip="Filter the board by text, kind:, sev:, step:, ack:, cmdr:",
        id="board.filter",
    ),
    Binding(
        "x",
        "close_incident",
        "Close",
        tooltip="Close (resolve) the highlighted incident, or reopen a closed one",
        id="board.close",
    ),
    Binding(
        "r",
        "report",
        "Report",
        tooltip="Write the postmortem of the highlighted incident (Markdown and HTML)",
        id="board.report",
    ),
    Binding(
        "m",
        "toggle_stats",
        "Stats",
        tooltip="Show or hide time-to-acknowledge / contain / notify / resolve (30 and 90 days)",
        id="board.stats",
    ),
    Binding(
        "o",
        "toggle_closed",
        "All",
        tooltip="Show closed incidents too, or only open ones",
        id="board.toggle_closed",
    ),
    Binding(
        "escape",
        "clear_filter",
        "Clear filter",
        tooltip="Show every open incident again",
        id="board.clear_filter",
    ),
]

INCIDENT_TABLE = [
    Binding(
        "enter",
        "open_row",
        "Open",
        key_display="enter",
        # Run as the key is read (priority), so the workspace is on screen before the next
        # key of a burst is: "enter l" opens the incident on its log.
        priority=True,
        tooltip="Open the highlighted incident's workspace",
        id="board.open",
    ),
]

WORKSPACE = [
    Binding("escape", "back", "Back", tooltip="Back to the incident board", id="workspace.back"),
    # Tabs are priority bindings (they act only in command mode, see the workspace's
    # check_action) so that a burst like "5i" switches tab before "i" is read.
    Binding(
        "1",
        "show_tab('own')",
        "Own it",
        show=False,  # the tab's label shows its number
        priority=True,
        tooltip="Show step 1: own it",
        id="workspace.tab_own",
    ),
    Binding(
        "2",
        "show_tab('contain')",
        "Contain",
        show=False,
        priority=True,
        tooltip="Show step 2: contain",
        id="workspace.tab_contain",
    ),
    Binding(
        "3",
        "show_tab('assess')",
        "Assess",
        show=False,
        priority=True,
        tooltip="Show step 3: assess",
        id="workspace.tab_assess",
    ),
    Binding(
        "l",
        "show_tab('log')",
        "Log",
        priority=True,
        tooltip="Show the incident's event log",
        id="workspace.tab_log",
    ),
    Binding(
        "greater_than_sign",
        "advance",
        "Move on",
        key_display=">",
        tooltip="Move on from the current step by hand, with a written reason (at Monitor: "
        "end the watch early)",
        id="workspace.advance",
    ),
    Binding(
        "x",
        "close_incident",
        "Close",
        tooltip="Close (resolve) this incident, or reopen it once closed",
        id="workspace.close",
    ),
]

EDITING = [
    Binding(
        "enter,i",
        "edit_field",
        "Edit",
        priority=True,
        tooltip="Start editing the field under the cursor (letters then type)",
        id="edit.start",
    ),
    Binding(
        "escape",
        "stop_editing",
        "Stop editing",
        key_display="esc",
        priority=True,
        tooltip="Stop editing: letters are commands again (nothing is lost)",
        id="edit.stop",
    ),
    Binding(
        "tab",
        "tab_key(1)",
        "Next",
        priority=True,
        tooltip="Editing: the next field. Otherwise: the panel's other side (decisions, findings)",
        id="edit.next",
    ),
    Binding(
        "shift+tab",
        "tab_key(-1)",
        "Previous",
        show=False,
        priority=True,
        tooltip="Editing: the previous field. Otherwise: the panel's other side",
        id="edit.previous",
    ),
]

FIELD_CURSOR = [
    Binding(
        "up",
        "cursor_move(-1)",
        "Field above",
        show=False,
        priority=True,
        tooltip="Move the cursor to the field above",
        id="fields.up",
    ),
    Binding(
        "down",
        "cursor_move(1)",
        "Field below",
        show=False,
        priority=True,
        tooltip="Move the cursor to the field below",
        id="fields.down",
    ),
]

# Step panels: active while the panel (its tab) has the focus.
OWN_PANEL = [
    Binding(
        "a",
        "screen.acknowledge",
        "Ack",
        tooltip="Acknowledge this incident (you take it)",
        id="own.acknowledge",
    ),
    Binding(
        "c",
        "screen.commander",
        "Commander",
        tooltip="Name or change the incident commander",
        id="own.commander",
    ),
    Binding(
        "s", "screen.severity", "Severity", tooltip="Set or change the severity", id="own.severity"
    ),
    Binding(
        "w",
        "screen.statement",
        "Statement",
        tooltip="Write or revise the internal statement",
        id="own.statement",
    ),
]

CONTAIN_PANEL = [
    Binding(
        "o",
        "pick_owner",
        "Owner",
        tooltip="Name the highlighted row's owner: pick someone already on the incident (m: me)",
        id="contain.owner",
    ),
    Binding(
        "plus",
        "add_action",
        "Add",
        key_display="+",
        tooltip="Add a containment action of your own",
        id="contain.add",
    ),
    Binding(
        "e",
        "escalate",
        "Escalate",
        tooltip="Record an escalation (security, IT, legal, leadership, the ESP's support)",
        id="contain.escalate",
    ),
    read_row("action", "every note, the error, the advice", id="contain.read"),
]

ASSESS_PANEL = [
    *twin(
        "f2,ctrl+s",
        "s",
        "save",
        "Save",
        tooltip="Save the assessment (one event in the log)",
        id="assess.save",
    ),
    *twin(
        "f3",
        "t",
        "accept_severity",
        "Take severity",
        tooltip="Set the incident's severity to the suggested one",
        id="assess.accept_severity",
    ),
    *twin(
        "f4",
        "o",
        "override_lock",
        "Override",
        tooltip="Allow an apology despite the suppression-list lock (a written reason is recorded)",
        id="assess.override_lock",
    ),
]

AUDIENCE = [
    *twin(
        "f5",
        "u",
        "import_list",
        "Import",
        tooltip="Import the affected list or a suppression list (CSV/TSV)",
        id="assess.import",
    ),
    *twin(
        "f6",
        "e",
        "export_audience",
        "Export",
        tooltip="Write the apology audience (affected minus suppressed) as CSV",
        id="assess.export",
    ),
    *twin(
        "f8",
        "c",
        "cancel_import",
        "Cancel import",
        tooltip="Stop the running import; nothing is changed",
        id="assess.cancel_import",
    ),
]

ACTION_TABLE = [
    Binding(
        "enter",
        "select_cursor",
        "Act",
        key_display="enter",
        tooltip="What to do with the highlighted action: start, done, skip, assign, note…",
        id="contain.act",
    ),
]

ESP_CONFIRM = [
    Binding("enter", "send", "Send", tooltip="Make this one call now", id="esp.send"),
    Binding("escape", "cancel", "Cancel", tooltip="Send nothing", id="esp.cancel"),
]

FILTER_INPUT = [
    Binding(
        "escape",
        "cancel",
        "Cancel filter",
        tooltip="Clear the filter and go back to the table",
        id="filter.cancel",
    ),
]

FORM = [
    Binding("f2", "submit", "Save", priority=True, tooltip="Save this form", id="form.submit"),
    Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="form.cancel"),
]

STATEMENT_EDITOR = [
    Binding(
        "f2,ctrl+s",
        "save",
        "Save",
        key_display="F2",
        priority=True,
        tooltip="Save this version of the statement",
        id="statement.save",
    ),
    Binding(
        "escape",
        "cancel",
        "Cancel",
        tooltip="Close (asks again if there are unsaved changes)",
        id="statement.cancel",
    ),
]

HELP = [
    Binding(
        "escape,question_mark,f1,q",
        "dismiss",
        "Close",
        key_display="esc",
        tooltip="Close the help",
        id="help.close",
    ),
]
