"""One keyboard model (issue 11, item 3): command mode and edit mode, said on screen.

A tab opens in command mode (no text field has the focus); ``i``/``enter`` edits the
field under the cursor; while editing every printable key types; ``escape`` stops. A
sentence typed in command mode is swallowed, never obeyed; keys sent in one burst (a
paste typed by tmux, text-tab-text) land where the focus was when each was typed.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.binding import Binding
from textual.widgets import Input, TabbedContent, TextArea

from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui import keymap, keymap_monitor, keymap_notify, keymap_plan
from email_crisis.tui.app import EmailCrisisApp
from email_crisis.tui.keyboard import editing, printable_key
from email_crisis.tui.screens.help import HelpScreen, help_groups
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.assess_panel import AssessPanel
from email_crisis.tui.widgets.notify_panel import NotifyPanel
from tests.tui.conftest import AppFactory, screen_text

ALL = [
    binding
    for module in (keymap, keymap_plan, keymap_notify, keymap_monitor)
    for name in dir(module)
    if name.isupper()
    for binding in getattr(module, name)
    if isinstance(binding, Binding)
]


IN_A_FORM = {"form.submit", "notify.preview_close"}
"""Keys of a form or a preview: every letter types there; enter saves a form (F2 too),
escape closes the preview (F3 too)."""


def _lines(app: EmailCrisisApp) -> list[str]:
    return screen_text(app).splitlines()


async def _workspace(pilot, app: EmailCrisisApp, store: Store) -> WorkspaceScreen:  # type: ignore[no-untyped-def]
    ops.declare(store, title="Spring sale to the wrong list", kind="wrong-segment", operator="x")
    await pilot.pause()
    app.refresh_screens()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    return app.screen


def _tab(screen: WorkspaceScreen) -> str:
    return str(screen.query_one(TabbedContent).active)


def _burst(app: EmailCrisisApp, *keys: str) -> None:
    """Keys as a terminal delivers a burst: all queued before the first is handled."""
    for key in keys:
        character = key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


@pytest.mark.parametrize("tab", ["1", "2", "3", "4", "5", "6", "l"])
async def test_every_tab_opens_in_command_mode_and_says_so(
    store: Store, make_app: AppFactory, tab: str
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _workspace(pilot, app, store)
        await pilot.press(tab)
        await pilot.pause()
        assert not editing(screen)
        header, footer = _lines(app)[1], _lines(app)[-1]
        assert header.rstrip().endswith("COMMAND")
        assert footer.lstrip().startswith("COMMAND")


async def test_i_edits_letters_type_and_escape_stops(store: Store, make_app: AppFactory) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _workspace(pilot, app, store)
        await pilot.press("5")
        await pilot.pause()
        panel = screen.query_one(NotifyPanel)
        before = panel.editor.text
        await pilot.press("i")
        await pilot.pause()
        assert editing(screen) and panel.editor.has_focus
        assert _lines(app)[-1].lstrip().startswith("EDITING")
        # The keys that are commands in command mode only type here.
        await pilot.press("6", "l", "question_mark", "q", "x")
        await pilot.pause()
        assert panel.editor.text == before + "6l?qx"
        assert isinstance(app.screen, WorkspaceScreen)
        assert _tab(screen) == "notify"
        await pilot.press("escape")
        await pilot.pause()
        assert not editing(screen)
        assert _lines(app)[-1].lstrip().startswith("COMMAND")
        await pilot.press("l")  # a command again
        await pilot.pause()
        assert _tab(screen) == "log"


async def test_a_sentence_typed_in_command_mode_is_swallowed(
    store: Store, make_app: AppFactory
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _workspace(pilot, app, store)
        await pilot.press("3")
        await pilot.pause()
        # "b" is no command: it arms the guard, so the "l", "6" and "q" after it are not
        # obeyed (no log, no tab 6, no quit).
        await pilot.press(*"but look 6 quite")
        await pilot.pause()
        assert app.screen is screen
        assert _tab(screen) == "assess"
        assert "Command mode: not typed" in " ".join(n.title for n in app._notifications)
        assert all(not field.value.endswith("quite") for field in screen.query(Input))
        screen.guard.disarm()  # the pause after the sentence
        await pilot.press("l")
        await pilot.pause()
        assert _tab(screen) == "log"


async def test_a_burst_right_after_a_tab_switch_lands_in_the_right_field(
    store: Store, make_app: AppFactory
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _workspace(pilot, app, store)
        await pilot.press("2")
        await pilot.pause()
        # "3", two downs, i, then text, tab, text: as tmux delivers them, in one read.
        _burst(app, "3", "down", "down", "i", "A", "B", "tab", "C", "escape", "down", "i", "D")
        await pilot.pause(0.5)
        fields = screen.query_one(AssessPanel).edit_fields()
        values = [field.value for field in fields]  # type: ignore[attr-defined]
        assert values[2:5] == ["AB", "C", "D"]
        assert fields[4].has_focus


async def test_editing_keys_in_a_burst_act_in_order_with_the_letters_around_them(
    store: Store, make_app: AppFactory
) -> None:
    """Over a slow SSH link a fast typist's keys arrive in one read. Textual runs a
    field's own bindings (backspace, ctrl+u, ctrl+w, the arrows) only once the key has
    bubbled up to the app, after the letters queued behind it were typed: "abc",
    backspace, "X" gave "abc". Every text field of the app applies them in order."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _workspace(pilot, app, store)
        await pilot.press("5")
        await pilot.pause()
        panel = screen.query_one(NotifyPanel)
        # An input line: the apology's subject.
        _burst(app, "up", "up", "enter", "ctrl+u", "a", "b", "c", "backspace", "X", "left", "Z")
        await pilot.pause(0.5)
        assert panel.query_one("#field-subject", Input).value == "abZX"
        # The body, a text area: ctrl+w takes the word just typed, not a later one.
        before = panel.editor.text  # "i" puts the cursor at its end
        _burst(app, "escape", "down", "down", "i", *"Best wrold", *["backspace"] * 4, *"orld")
        _burst(app, "ctrl+w", *"team")
        await pilot.pause(0.5)
        assert panel.editor.text == before + "Best team"
        # The internal statement's text area.
        _burst(app, "escape", "1", "w")
        await pilot.pause(0.5)
        text = app.screen.query_one("#statement-text", TextArea)
        before, row, column = text.text, *text.cursor_location
        _burst(app, *"ab", "backspace", "c")
        await pilot.pause(0.5)
        assert text.text.splitlines()[row][column : column + 2] == "ac"
        assert text.text.replace("ac", "", 1) == before


async def test_a_paste_lands_in_the_field_being_edited_and_nowhere_in_command_mode(
    store: Store, make_app: AppFactory
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _workspace(pilot, app, store)
        await pilot.press("3")
        await pilot.pause()
        screen.post_message(events.Paste("campaign-a, campaign-b"))
        await pilot.pause()
        assert "The paste went nowhere" in " ".join(n.message for n in app._notifications)
        assert all(field.value == "" for field in screen.query_one(AssessPanel).edit_fields()[1:3])  # type: ignore[attr-defined]
        await pilot.press("down", "i")
        await pilot.pause()
        app.screen.focused.post_message(events.Paste("campaign-a, campaign-b"))  # type: ignore[union-attr]
        await pilot.pause()
        assert screen.query_one("#field-campaigns", Input).value == "campaign-a, campaign-b"


def test_every_f_key_action_has_a_letter_and_a_palette_title() -> None:
    by_action: dict[str, list[Binding]] = {}
    for binding in ALL:
        by_action.setdefault(binding.action, []).append(binding)
    for action, bindings in by_action.items():
        keys = [key.strip() for b in bindings for key in b.key.split(",")]
        if any(key.startswith("f") and key[1:].isdigit() for key in keys):
            if {b.id for b in bindings} <= IN_A_FORM:
                continue
            assert any(printable_key(key) for key in keys), action  # a letter (or ?)
            assert all(b.tooltip for b in bindings), action  # the palette's title


def test_no_key_a_common_terminal_cannot_send() -> None:
    for binding in ALL:
        for key in binding.key.split(","):
            modifiers = key.strip().split("+")[:-1]
            assert "super" not in modifiers and "meta" not in modifiers, binding.id
            assert len(modifiers) <= 1, binding.id  # no shift+ctrl+k


async def test_help_lists_the_panels_keys_first_each_action_once(
    store: Store, make_app: AppFactory
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _workspace(pilot, app, store)
        await pilot.press("3")
        await pilot.pause()
        groups = help_groups(screen)
        names = [name for name, _ in groups]
        assert names[0] == "3 Assess" and names[-2:] == ["Fields and editing", "Everywhere"]
        does = [what for _, rows in groups for _, what in rows]
        assert len(does) == len(set(does))
        (save,) = [keys for keys, what in groups[0][1] if what.startswith("Save the assessment")]
        assert sorted(save.split(" · ")) == ["^s", "f2", "s"]
        assert not any(
            "ctrl+shift" in keys or "shift+ctrl" in keys for _, r in groups for keys, _ in r
        )
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Keys: Incident workspace" in text and "Save the assessment" in text


@pytest.mark.parametrize("table_focused", [True, False])
@pytest.mark.parametrize("key", ["l", "3"])
async def test_a_key_typed_as_the_workspace_opens_is_a_command(
    store: Store, make_app: AppFactory, key: str, table_focused: bool
) -> None:
    """Enter then a key, in one read (a loaded machine, or a quick operator): the key is
    obeyed as a command, never typed into whichever field Textual would focus first.
    Also when the burst is read before the board's table has the focus (a loaded
    machine at start-up: CI once opened the workspace on step 1 after "enter 3")."""
    ops.declare(store, title="Spring sale to the wrong list", kind="wrong-segment", operator="x")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.refresh_screens()
        await pilot.pause()
        if not table_focused:
            app.screen.set_focus(None)
            await pilot.pause()
            assert app.screen.focused is None
        _burst(app, "enter", key)
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        assert _tab(screen) == {"l": "log", "3": "assess"}[key]
        assert not editing(screen)
        assert screen.unsaved_work() == []  # nothing was typed into a field
