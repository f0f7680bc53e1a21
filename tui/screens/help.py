"""F1 / ? : the keys of the screen the operator is looking at, its own keys first.

Only the app's own bindings (the ``keymap*`` modules) are listed, grouped by where they
act: the focused panel, the fields and edit mode, the screen, everywhere. Each action is
listed once with all its keys (``s · f2 · ctrl+s``); the generic editing keys of Textual's
widgets are left out.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from email_crisis.tui import keymap
from email_crisis.tui.widgets.mode_footer import key_display

MODEL = (
    "COMMAND mode: letters and digits are commands; no field has the focus. "
    "i or enter edits the field under the cursor (up/down moves it). "
    "EDITING: every letter types; F-keys and ctrl keys act; escape stops editing."
)
EDIT_GROUP = "Fields and editing"
MODE_IDS = ("edit.", "fields.")


def app_binding_ids() -> frozenset[str]:
    """The ids of every binding of the app's keymaps (``keymap.py``, ``keymap_*.py``)."""
    modules = [keymap] + [
        importlib.import_module(f"email_crisis.tui.{path.stem}")
        for path in sorted(Path(keymap.__file__).parent.glob("keymap_*.py"))
    ]
    return frozenset(
        binding.id
        for module in modules
        for name in dir(module)
        if name.isupper()
        for binding in getattr(module, name)
        if isinstance(binding, Binding) and binding.id
    )


def _group_of(node: DOMNode, binding: Binding) -> str:
    if (binding.id or "").startswith(MODE_IDS):
        return EDIT_GROUP
    current: DOMNode | None = node
    while current is not None:
        group = getattr(current, "HELP_GROUP", None)
        if group:
            return str(group)
        current = current.parent
    return "Everywhere"


def help_groups(screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(group, [(keys, what it does), ...]), ...]``: the focused panel's group first."""
    ours = app_binding_ids()
    app = screen.app
    groups: dict[str, dict[str, tuple[list[str], str]]] = {}
    for node, bindings in screen._binding_chain:
        seen: set[int] = set()
        for _key, binding in bindings:
            if id(binding) in seen or binding.id not in ours:
                continue
            seen.add(id(binding))
            mode_key = (binding.id or "").startswith(MODE_IDS)
            if not mode_key and app._check_action_state(binding.action, node) is False:
                continue  # not available here now (F4 without a lock, say)
            group = groups.setdefault(_group_of(node, binding), {})
            keys, _ = group.setdefault(binding.action, ([], binding.tooltip or binding.description))
            for key in binding.key.split(","):
                shown = key_display(app, binding, key.strip())
                if shown not in keys:
                    keys.append(shown)
    ordered = sorted(groups, key=lambda name: (name == "Everywhere", name == EDIT_GROUP))
    return [
        (name, [(" · ".join(keys), does) for keys, does in groups[name].values()])
        for name in ordered
    ]


class HelpScreen(ModalScreen[None]):
    """The keys of ``screen``, grouped, each action once with all its keys."""

    BINDINGS = keymap.HELP

    def __init__(self, screen: Screen) -> None:
        super().__init__(id="help")
        self._target = screen

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column("key", no_wrap=True)
        table.add_column("does")
        for position, (group, rows) in enumerate(help_groups(self._target)):
            if position:
                table.add_row("", "")
            table.add_row(Text(group, style="bold underline"), "")
            for keys, does in rows:
                table.add_row(Text(keys, style="bold"), Text(does))
        table.add_row("", "")
        table.add_row(Text("ctrl+p", style="bold"), Text("Command palette: every action by name"))
        name = getattr(self._target, "HELP_TITLE", self._target.__class__.__name__)
        with VerticalScroll(id="help-box") as box:
            box.border_title = f"Keys: {name}"
            box.border_subtitle = "escape to close · up/down scroll"
            yield Static(Text(MODEL, style="italic"), id="help-model")
            yield Static(table)
