"""The hostile incident in a real terminal (tmux): nothing in the data acts on it.

The attack run changed the pane title with an OSC 0 in a file name. Here the console
runs in tmux on the hostile database, with tmux set to accept OSC 52 (clipboard) and
OSC 0 (title) from the program; every screen is captured with its escape sequences
(``capture-pane -e``) and checked: the pane title and the paste buffers are untouched,
no control sequence from the data reaches the screen, markup shows as typed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux, tmux_env
from tests.hostile.strings import raw_controls

pytestmark = pytest.mark.e2e


def _with_escapes(tmux: Tmux) -> str:
    return tmux._tmux("capture-pane", "-e", "-p", "-t", tmux.name).stdout


def _title(tmux: Tmux) -> str:
    return tmux._tmux("display-message", "-p", "-t", tmux.name, "#{pane_title}").stdout.strip()


def _buffers(tmux: Tmux) -> str:
    return tmux._tmux("list-buffers", check=False).stdout


def _wait_for_words(tmux: Tmux, words: str, timeout: float = 20.0) -> str:
    """Like ``wait_for``, with the text allowed to wrap across lines (a toast)."""
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = tmux.screen()
        if words in " ".join(shown.replace("\u258c", " ").split()):  # toasts have a ▌ edge
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{words!r} never appeared; the screen shows:\n{shown}")


def _foreign_sequences(captured: str) -> list[str]:
    """Escape sequences in a ``capture-pane -e`` dump other than colours and styles."""
    found = []
    position = captured.find("\x1b")
    while position >= 0:
        rest = captured[position : position + 40]
        if not rest.startswith("\x1b[") or "m" not in rest:
            found.append(rest)
        position = captured.find("\x1b", position + 1)
    return found


def test_the_console_shows_hostile_data_without_obeying_it(
    tmux: Tmux, hostile: tuple[Path, int]
) -> None:
    db, _ = hostile
    script = str(Path(sys.executable).with_name("email-crisis"))
    env = tmux_env("xterm-256color", EMAIL_CRISIS_TEMPLATES="/nonexistent", TZ="UTC")
    env.update(COLUMNS="160", LINES="48")  # the test process sets COLUMNS for the CLI
    tmux.start([script, "--db", str(db), "--operator", "e2e"], env=env, width=160, height=48)
    tmux._tmux("set-option", "-s", "set-clipboard", "on")  # obey OSC 52 if it ever came
    tmux._tmux("set-option", "-g", "allow-rename", "on")
    tmux.wait_for("Boom")
    title = _title(tmux)
    assert "owned" not in title
    screens = [_with_escapes(tmux)]
    tmux.keys("Enter")
    tmux.wait_for("Own it")
    for key, marker in (("2", "bad token [/] here"), ("3", "affected rows"), ("l", "WHEN")):
        tmux.keys(key)
        tmux.wait_for(marker)
        screens.append(_with_escapes(tmux))
    plain = tmux.screen()
    assert "[@click=app.quit]" in plain and "[bold red]Boom[/]" in plain
    for captured in screens:
        assert _foreign_sequences(captured) == [], captured
        assert raw_controls(captured.replace("\x1b[", "")) == []
    everything = "".join(screens)
    assert "\u241b]0;pane-owned\u2407" in everything  # the OSC 0, shown as symbols
    assert "\u241b]52;c;SGFja2VkIQ==\u2407" in everything  # the OSC 52, shown as symbols
    assert _title(tmux) == title  # nothing set the pane title
    assert _buffers(tmux) == ""  # nothing reached the clipboard
    tmux.keys("q")
    tmux.wait_for("EXITED:0")


def test_an_esp_answer_with_terminal_sequences_sets_no_title_and_no_clipboard(
    tmux: Tmux, tmp_path: Path
) -> None:
    """The ESP's error body travels into a toast: an OSC 0 there used to retitle the
    pane, an OSC 52 to fill the clipboard."""
    from email_crisis.core.base.clock import frozen
    from email_crisis.core.contain import actions as contain
    from email_crisis.core.own import incidents as ops
    from email_crisis.core.store.database import Store
    from email_crisis.tui.screens.esp_run import esp_choices
    from tests.conftest import FROZEN_NOW
    from tests.core.contain.esp.fake_server import APIS, FakeEsp

    db = tmp_path / "esp.db"
    with Store.open(db, clock=frozen(FROZEN_NOW)) as store:
        incident = ops.declare(store, title="Wrong segment", kind="wrong-segment", operator="x")
        incident = ops.acknowledge(store, incident, operator="x")
        ops.set_commander(store, incident, "lea", operator="x")
    secret = "SG.terminal-test-key-0123456789"
    body = '{"message": "Not Found [/v3/user/scheduled_sends] \\u001b]0;pane-owned\\u0007'
    body += '\\u001b]52;c;SGFja2VkIQ==\\u0007 [@click=app.quit]x[/]"}'
    with FakeEsp(APIS["sendgrid"], secret) as server:
        server.reply = (404, body.encode(), {"Content-Type": "application/json"})
        config = tmp_path / "config.toml"
        config.write_text(f'[esp.sendgrid]\nbase_url = "{server.base_url}"\n')
        env = tmux_env(
            "xterm-256color",
            TZ="UTC",
            EMAIL_CRISIS_TEMPLATES="/nonexistent",
            EMAIL_CRISIS_CONFIG=str(config),
            EMAIL_CRISIS_SENDGRID_API_KEY=secret,
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
            COLUMNS="80",
            LINES="24",
        )
        script = str(Path(sys.executable).with_name("email-crisis"))
        tmux.start([script, "--db", str(db), "--operator", "e2e"], env=env)
        tmux._tmux("set-option", "-s", "set-clipboard", "on")
        tmux._tmux("set-option", "-g", "allow-rename", "on")
        tmux.wait_for("Wrong segment")
        title = _title(tmux)
        tmux.keys("Enter")
        tmux.wait_for("Own it")
        tmux.keys("2")
        tmux.wait_for("STATUS")
        with Store.open(db, clock=frozen(FROZEN_NOW)) as store:
            actions = contain.list_actions(store, incident.id)
        row = next(n for n, a in enumerate(actions) if a.esp_operation)
        tmux.keys(*["Down"] * row)
        tmux.keys("Enter")  # the action's menu: running it through the ESP comes first
        tmux.wait_for("Run it through the ESP")
        tmux.keys("Enter")
        tmux.wait_for("Run it through which ESP?")
        ids = [choice for choice, _ in esp_choices(actions[row].esp_operation)]
        tmux.keys(*["Down"] * ids.index("sendgrid:cancel-batch"))
        tmux.keys("Enter")
        tmux.keys("B-1", literal=True)
        tmux.keys("Enter")
        tmux.wait_for("/v3/user/scheduled_sends")  # the request, before it is sent
        tmux.keys("Enter")
        shown = _wait_for_words(tmux, "SendGrid refused the request")  # the toast
        captured = _with_escapes(tmux)
        assert len(server.requests) == 1
        assert "[@click=app.quit]x[/]" in " ".join(shown.split())
        assert _foreign_sequences(captured) == [], captured
        assert _title(tmux) == title and "owned" not in _title(tmux)
        assert _buffers(tmux) == ""
        tmux.keys("q")
        tmux.wait_for("EXITED:0")
