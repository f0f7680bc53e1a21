"""The keyboard model, one mechanism for every screen: command mode and edit mode.

- **Command mode** (no text field has the focus): letters and digits are commands.
- **Edit mode** (a text field has the focus): every printable key types; only F-keys,
  ctrl keys, tab and escape act. ``escape`` goes back to command mode.

The mode is nothing but where the focus is, so it can never disagree with what a key
does. Keys that change the mode or the focus (``enter``/``i``, ``escape``, ``tab``,
the tab digits) are *priority* bindings: Textual runs those as it reads the key, before
the next key is handed to a widget, so a burst of keys (a paste typed by tmux, or
text-tab-text) lands in the field that had the focus when each key was typed.

``KeysInOrder`` keeps a burst in order inside a text field: Textual runs a focused
widget's own (non-priority) bindings, backspace and ctrl+u among them, only once the
key has bubbled up to the app, so a printable key right behind one in a burst was typed
first ("abc", backspace, "X" gave "abc" instead of "abX"). Upstream: Textualize/textual
#6605, open; the fix proposed in PR #6631 is the same (run the field's own bindings in
its key handler); drop the mixin once Textual ships it.

``TypingGuard`` protects command mode from a sentence typed by mistake: a printable key
that is no command arms it, and until a pause (or escape) every printable key is
swallowed, so "quite so" never quits and "look into it" opens nothing but the log.
"""

from __future__ import annotations

from typing import cast

from textual import events
from textual.keys import _character_to_key
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, TextArea

GUARD_SECONDS = 1.0
"""How long after the last stray key the guard keeps swallowing printable keys."""

PRINTABLE_KEYS = frozenset(_character_to_key(chr(code)) for code in range(32, 127))
"""Textual's names of the keys that type a character (``a``, ``plus``, ``space``…)."""


def printable_key(key: str) -> bool:
    """Whether a key name (of a binding or an event) types a character."""
    return key in PRINTABLE_KEYS or (len(key) == 1 and key.isprintable())


def is_text_field(widget: object) -> bool:
    """Whether ``widget`` takes typing (an input line or a text area)."""
    return isinstance(widget, (Input, TextArea)) and not getattr(widget, "read_only", False)


def editing(screen: Screen | None) -> bool:
    """Edit mode: a text field of ``screen`` has the focus."""
    return screen is not None and is_text_field(screen.focused)


def mode_name(screen: Screen | None) -> str:
    """``EDITING`` or ``COMMAND``, as the header and the footer say it."""
    return "EDITING" if editing(screen) else "COMMAND"


def enter_field(field: Widget) -> None:
    """Start editing ``field``, now (not after the keys already waiting).

    The one rule for every field of the app: the cursor goes to the end of the text and
    nothing is selected, so a stray key never replaces what is there.
    """
    if isinstance(field, Input):
        field.cursor_position = len(field.value)
    elif isinstance(field, TextArea):
        field.move_cursor(field.document.end)
    field.screen.set_focus(field)


def focus_now(widget: Widget) -> None:
    """Give ``widget`` the focus at once (``Widget.focus`` waits for queued messages)."""
    widget.screen.set_focus(widget)


class KeysInOrder:
    """Mixin for a text field (before ``Input``/``TextArea`` in the bases): its own key
    bindings act as the key arrives, in order with the keys typed around it."""

    async def _on_key(self, event: events.Key) -> None:
        field = cast(Widget, self)
        for binding in field._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue  # priority bindings already ran, before the key got here
            if await field.app.run_action(binding.action, field):
                event.stop()
                event.prevent_default()  # the field's own key handler must not run too
                return


class TypingGuard:
    """Swallows a sentence typed in command mode, for a screen that owns one.

    The screen calls ``on_key`` from its key handler (keys bubble to the screen before
    any non-priority binding runs) and asks ``armed`` in ``check_action`` for its
    printable priority bindings.
    """

    def __init__(self, screen: Screen, hint: str) -> None:
        self._screen = screen
        self._timer: Timer | None = None
        self.hint = hint
        self.armed = False
        self.swallowed = 0

    def on_key(self, event: events.Key) -> None:
        """Arm on a stray printable key; swallow printable keys while armed."""
        screen = self._screen
        if editing(screen):
            return
        if not event.is_printable:
            if self.armed:
                self.disarm()
                if event.key == "escape":  # "stop": nothing more happens
                    event.stop()
                    event.prevent_default()
            return
        if not self.armed:
            active = screen.active_bindings.get(event.key)
            if active is not None and active.enabled:
                return  # a command: it acts
            self.armed = True
            self.swallowed = 0
            screen.notify(self.hint, title="Command mode: not typed", severity="warning")
        self.swallowed += 1
        event.stop()
        event.prevent_default()
        self._restart()

    def _restart(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._screen.set_timer(GUARD_SECONDS, self.disarm)

    def disarm(self) -> None:
        """Back to normal: letters are commands again."""
        self.armed = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._screen.refresh_bindings()
