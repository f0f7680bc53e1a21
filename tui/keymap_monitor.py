"""Keys of the Monitor panel (step 6) and its tab, as data (see ``keymap.py``).

Plain keys only, so they work in tmux, over SSH and in the Linux console. Up, down,
page up and page down keep scrolling the panel (the details below the chart).
"""

from __future__ import annotations

from textual.binding import Binding

WORKSPACE_TAB = [
    Binding(
        "6",
        "show_tab('monitor')",
        "Monitor",
        show=False,  # the tab's label shows its number
        priority=True,  # acts in command mode only (see keymap.WORKSPACE)
        tooltip="Show step 6: monitor deliverability",
        id="workspace.tab_monitor",
    ),
]

MONITOR_PANEL = [
    Binding(
        "w",
        "cycle_window",
        "Window",
        tooltip="Show the next time window: last 24 hours, 7 days, 30 days, everything",
        id="monitor.window",
    ),
    Binding(
        "m",
        "pick_metrics",
        "Metrics",
        tooltip="Choose which metrics the chart shows",
        id="monitor.metrics",
    ),
    Binding(
        "plus",
        "add_point",
        "Add value",
        key_display="+",
        tooltip="Record one value by hand (metric, time, value)",
        id="monitor.add",
    ),
    Binding(
        "left",
        "step(-1)",
        "Earlier",
        show=False,
        tooltip="Move the chart's cursor one column earlier",
        id="monitor.earlier",
    ),
    Binding(
        "right",
        "step(1)",
        "Later",
        show=False,
        tooltip="Move the chart's cursor one column later",
        id="monitor.later",
    ),
    Binding(
        "home",
        "step_to('first')",
        "First",
        show=False,
        tooltip="Move the chart's cursor to the start of the window",
        id="monitor.first",
    ),
    Binding(
        "end",
        "step_to('last')",
        "Last",
        show=False,
        tooltip="Move the chart's cursor to the newest column",
        id="monitor.last",
    ),
]
