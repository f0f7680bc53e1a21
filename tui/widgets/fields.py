"""Text fields and the field cursor: how every panel's fields are reached and edited.

``TextField`` is the app's input line: entering it never selects its text (the one rule,
with ``keyboard.enter_field``: the cursor goes to the end). ``FieldCursor`` is what a
panel with text fields mixes in: in command mode the panel itself has the focus and a
cursor marks one field (``up``/``down`` move it); ``enter`` or ``i`` starts editing that
field, ``escape`` stops, ``tab`` goes on to the next field while editing. A panel may
have a *side* (the Assess decisions, the Notify findings) that ``tab`` reaches in
command mode. The workspace owns the mode keys; the panel says which fields it has.
"""

from __future__ import annotations

from textual.events import DescendantFocus
from textual.widget import Widget
from textual.widgets import Input

from email_crisis.tui.keyboard import KeysInOrder, enter_field, focus_now


class TextField(KeysInOrder, Input):
    """An input line that never selects its text when entered (the app's one rule)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class FieldCursor(Widget):
    """A panel whose text fields are reached from command mode with a cursor.

    Mix it in *after* the container class (``class Panel(Vertical, FieldCursor)``):
    Textual takes a widget's default CSS from its first base only.

    Subclasses list their fields (``edit_fields``) and may name a ``side_pane``.
    Their keymap includes ``keymap.FIELD_CURSOR`` (priority ``up``/``down`` that act
    only while the panel itself has the focus, so a burst of keys keeps its order).
    """

    can_focus = True
    DEFAULT_FIELD = 0
    """Index of the field the cursor starts on."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._cursor: int | None = None

    # -- what the panel says ------------------------------------------------------------

    def edit_fields(self) -> list[Widget]:
        """The fields the cursor moves over, in order (none while there is nothing to edit)."""
        raise NotImplementedError

    def side_pane(self) -> Widget | None:
        """The other pane ``tab`` reaches in command mode, if any."""
        return None

    # -- the cursor ----------------------------------------------------------------------

    def cursor_field(self) -> Widget | None:
        """The field under the cursor."""
        fields = self.edit_fields()
        if not fields:
            return None
        if self._cursor is None:
            self._cursor = min(self.DEFAULT_FIELD, len(fields) - 1)
        self._cursor = min(max(self._cursor, 0), len(fields) - 1)
        return fields[self._cursor]

    def show_cursor(self) -> None:
        """Mark the field under the cursor (a bar at its left: no colour needed)."""
        current = self.cursor_field()
        for field in self.edit_fields():
            field.set_class(field is current, "-cursor")
        if current is not None:
            current.scroll_visible(animate=False)

    def action_cursor_move(self, delta: int) -> None:
        fields = self.edit_fields()
        if not fields:
            return
        self.cursor_field()
        self._cursor = min(max((self._cursor or 0) + delta, 0), len(fields) - 1)
        self.show_cursor()

    def cursor_check(self, action: str) -> bool | None:
        """``check_action`` for the cursor keys: only while the panel itself is focused."""
        if action == "cursor_move":
            # The screen's focus, not ``has_focus``: that one follows only once the Focus
            # event is handled, so the keys of a burst right after a tab switch were lost.
            return self.screen.focused is self and bool(self.edit_fields())
        return None

    # -- the mode keys (called by the workspace) -------------------------------------------

    def start_editing(self) -> bool:
        """Edit the field under the cursor; False when there is none."""
        field = self.cursor_field()
        if field is None:
            return False
        self.show_cursor()
        enter_field(field)
        return True

    def stop_editing(self, field: Widget | None = None) -> None:
        """Back to command mode, the cursor on the field that was being edited."""
        fields = self.edit_fields()
        if field in fields:
            self._cursor = fields.index(field)
        self.show_cursor()
        focus_now(self)

    def next_field(self, field: Widget, delta: int) -> None:
        """While editing: go on to the next (or previous) field, still editing."""
        fields = self.edit_fields()
        if field not in fields:
            return
        self._cursor = (fields.index(field) + delta) % len(fields)
        self.show_cursor()
        enter_field(fields[self._cursor])

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # However a field got the focus (a jump to a finding, a click), the cursor follows.
        fields = self.edit_fields()
        if event.widget in fields:
            self._cursor = fields.index(event.widget)
            self.show_cursor()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # enter in a line of the panel goes on to the next field, as in a form.
        if event.input in self.edit_fields():
            event.stop()
            self.next_field(event.input, 1)
