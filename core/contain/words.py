"""How containment actions are named in words, and text made fit for the event log."""

from __future__ import annotations

import re
from collections.abc import Sequence

NAME_MAX = 60
LOG_MAX = 300
_ADDRESS = re.compile(r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[A-Za-z]{2,}")


def for_log(text: str, secrets: Sequence[str] = ()) -> str:
    """Text fit for the event log: secrets and email addresses masked, length capped."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[secret]")
    text = _ADDRESS.sub("[address]", text)
    return text if len(text) <= LOG_MAX else text[: LOG_MAX - 1] + "…"


def short_title(title: str) -> str:
    """An action's name for one line of text: its title up to the first colon.

    Playbook titles read "Stop the send: cancel whatever is still scheduled or queued";
    the event log and the step checks say "Stop the send".
    """
    name = title.split(": ", 1)[0].strip() or title.strip()
    return name if len(name) <= NAME_MAX else name[: NAME_MAX - 1] + "…"


def action_words(title: str | None, action_id: str, custom: bool | None = None) -> str:
    """How an action is named in sentences: "Stop the send (playbook)", "Call Ana (added)".

    ``title`` may be missing from events written before titles were recorded: the
    playbook's own title for ``action_id`` is not at hand here, so the id is shown.
    """
    if custom is None:
        custom = action_id.startswith("custom-")
    origin = "added" if custom else "playbook"
    if not title:
        return f"action {action_id} ({origin})"
    return f"{short_title(title)} ({origin})"
