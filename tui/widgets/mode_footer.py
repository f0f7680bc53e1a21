"""The footer: which mode is on, then the keys that act in it.

In command mode a command's letter is shown (its F-key twin is left for F1); in edit
mode only the keys that still act are shown (F-keys, ctrl keys, tab, escape): a letter
there types.
"""

from __future__ import annotations

import dataclasses

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from email_crisis.tui.keyboard import editing, printable_key


def key_display(app: object, binding: Binding, key: str) -> str:
    """How ``key`` of ``binding`` is shown (the binding's own display for its first key)."""
    get = app.get_key_display  # type: ignore[attr-defined]
    if key == binding.key.split(",")[0].strip():
        return str(get(binding))
    return str(get(dataclasses.replace(binding, key=key, key_display=None)))


class ModeFooter(Footer):
    """Textual's footer, led by the mode and showing only the keys that act in it."""

    DEFAULT_CSS = """
    ModeFooter FooterLabel.-mode { text-style: bold reverse; margin: 0 1 0 0; }
    """

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        screen = self.screen
        edit = editing(screen)
        yield FooterLabel(Text(" EDITING " if edit else " COMMAND "), classes="-mode")
        chosen: dict[str, tuple[str, Binding, bool, str]] = {}
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items():
            if not binding.show or (edit and printable_key(key)):
                continue
            held = chosen.get(binding.action)
            # Command mode prefers a command's letter to its F-key twin.
            if held is None or (not edit and printable_key(key) and not printable_key(held[0])):
                chosen[binding.action] = (key, binding, enabled, tooltip)
        for key, binding, enabled, tooltip in chosen.values():
            yield FooterKey(
                key,
                key_display(self.app, binding, key),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip or binding.tooltip,
            ).data_bind(compact=Footer.compact)
