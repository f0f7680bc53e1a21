"""A tiny driver for a real terminal: a private tmux server, keys in, screen text out."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from pathlib import Path


class Tmux:
    """One tmux server (own socket) running one command in an 80x24 window."""

    def __init__(self, socket_dir: Path, name: str = "e2e") -> None:
        self.socket = str(socket_dir / "tmux.sock")
        self.name = name

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-S", self.socket, "-f", "/dev/null", *args],
            check=check,
            capture_output=True,
            text=True,
            timeout=20,
        )

    def start(
        self, command: list[str], *, env: dict[str, str], width: int = 80, height: int = 24
    ) -> None:
        """Start ``command`` in a detached window of the given size."""
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        line = f"env {exports} {shlex.join(command)}; echo EXITED:$?; sleep 60"
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), line)
        # Deliver a lone Escape at once instead of waiting to see if it starts a sequence.
        self._tmux("set-option", "-s", "escape-time", "0")

    def keys(self, *keys: str, literal: bool = False, pause: float = 0.25) -> None:
        """Send keys (tmux key names, or literal text with ``literal=True``)."""
        args = ["send-keys", "-t", self.name]
        if literal:
            args.append("-l")
        self._tmux(*args, *keys)
        time.sleep(pause)

    def screen(self) -> str:
        """The visible screen as text."""
        return self._tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Wait until ``text`` is on screen; fail with the screen if it never shows."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{shown}")

    def program_pid(self) -> int:
        """The process id of the program in the window (the shell's child)."""
        shell = self._tmux("list-panes", "-t", self.name, "-F", "#{pane_pid}").stdout.split()[0]
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        return int(children[0])

    def stop(self) -> None:
        self._tmux("kill-server", check=False)


def tmux_env(term: str, **extra: str) -> dict[str, str]:
    """The environment for the program inside tmux."""
    env = {"TERM": term, "LANG": os.environ.get("LANG", "C.UTF-8"), "PATH": os.environ["PATH"]}
    env.update(extra)
    return env
