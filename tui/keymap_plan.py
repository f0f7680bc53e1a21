"""Key bindings of the Plan panel (step 4), as data.

Same rules as ``keymap``: a stable id, a short footer description and a tooltip
for each binding; plain keys only, so they work in tmux, over SSH and in the
Linux console. Secondary operations live in the task menu (``enter``).
"""

from __future__ import annotations

from textual.binding import Binding

from email_crisis.tui.keymap import read_row

WORKSPACE_TAB = [
    Binding(
        "4",
        "show_tab('plan')",
        "Plan",
        show=False,  # the tab's label shows its number
        priority=True,  # acts in command mode only (see keymap.WORKSPACE)
        tooltip="Show step 4: plan",
        id="workspace.tab_plan",
    ),
]

PLAN_PANEL = [
    Binding(
        "o",
        "pick_owner",
        "Owner",
        tooltip="Name the highlighted task's owner: pick someone already on the incident (m: me)",
        id="plan.owner",
    ),
    Binding(
        "plus",
        "add_task",
        "Add",
        key_display="+",
        tooltip="Add a task to the plan (title, kind, owner, due time)",
        id="plan.add",
    ),
    Binding(
        "g",
        "add_suggested",
        "Suggested",
        tooltip="Add the playbook's suggested tasks for this kind that are not in the plan yet",
        id="plan.suggested",
    ),
    Binding(
        "f",
        "finish",
        "Finish",
        tooltip="Move on to step 5, notify, or list what keeps the plan open (it moves on by "
        "itself once every open task has an owner and a due time)",
        id="plan.finish",
    ),
    read_row("task", "title, owner, due time, status", id="plan.read"),
]

TASK_TABLE = [
    Binding(
        "enter",
        "select_cursor",
        "Task",
        key_display="enter",
        tooltip="What to do with the highlighted task: start, done, drop, owner, due time, "
        "kind, move…",
        id="plan.task_menu",
    ),
]
