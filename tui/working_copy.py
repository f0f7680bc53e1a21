"""Nothing typed is lost: the "unsaved" protocol and the autosaved working copy.

Every place that holds typed text (the Assess and Notify panels, the statement editor,
a form) answers ``unsaved_work()``: the things it would lose, in words ("the apology").
Quitting, leaving the workspace and escape ask before losing any of them.

A ``Keeper`` autosaves one such thing as a working copy (``core.store.working``) a few
seconds after the last change, without saving a version of it, so a crash or a dropped
SSH connection loses at most those seconds; the next session offers it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from textual.timer import Timer
from textual.widget import Widget

from email_crisis.core.base.clock import format_local
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.store import working
from email_crisis.core.store.working import WorkingCopy

AUTOSAVE_SECONDS = 2.0
"""A working copy is written this long after the last change."""
FORM_SLOT = "form:"
"""How a form's working-copy slot starts: it is given back when that form opens again."""


class HoldsUnsaved(Protocol):
    """What quitting, leaving and escape ask of whatever holds typed text."""

    def unsaved_work(self) -> list[str]:
        """The things that would be lost, in words ("the apology"); empty when none."""
        ...

    def keep_working_copy(self) -> None:
        """Write the working copy now (before quitting or leaving)."""
        ...


def unsaved_in(nodes: Iterable[object]) -> list[str]:
    """Everything unsaved in ``nodes`` (those that hold typed text), in order."""
    found: list[str] = []
    for node in nodes:
        ask = getattr(node, "unsaved_work", None)
        if callable(ask):
            found += [item for item in ask() if item not in found]
    return found


def keep_all(nodes: Iterable[object]) -> None:
    """Write the working copy of everything unsaved in ``nodes`` now."""
    for node in nodes:
        keep = getattr(node, "keep_working_copy", None)
        if callable(keep):
            keep()


def offer_text(copy: WorkingCopy) -> str:
    """``Restore the unsaved apology from 22:41?``"""
    return f"Restore the unsaved {copy.label.removeprefix('the ')} from {when(copy)}?"


def form_copy_text(copy: WorkingCopy) -> str:
    """What opening the incident says of a form's copy (the form itself gives it back)."""
    return (
        f"{copy.label[:1].upper()}{copy.label[1:]} at {when(copy)} was never saved: "
        "open that form again and it comes back."
    )


def when(copy: WorkingCopy) -> str:
    """When the working copy was written, in local time (no date when it is today's)."""
    return format_local(copy.saved_at, with_date=False)


class Keeper:
    """Autosaves one slot of one incident as the operator's working copy.

    ``collect`` returns the fields to keep, or ``None`` when nothing is unsaved (the
    working copy is then deleted); ``base`` says what the text was edited from.
    """

    def __init__(
        self,
        owner: Widget,
        slot: str,
        label: str,
        collect: Callable[[], dict[str, str] | None],
        base: Callable[[], str] = lambda: "",
    ) -> None:
        self.owner = owner
        self.slot = slot
        self.label = label
        self.incident_id: int | None = None
        self._collect = collect
        self._base = base
        self._timer: Timer | None = None
        self._stored = False
        self._warned = False

    @property
    def pending(self) -> bool:
        """A change waits for its autosave."""
        return self._timer is not None

    def attach(self, incident_id: int) -> None:
        """Keep copies for this incident (the owner knows it once loaded)."""
        self.incident_id = incident_id

    def changed(self) -> None:
        """The text changed: write the working copy a few seconds after the last change."""
        if self.incident_id is None:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.owner.set_timer(AUTOSAVE_SECONDS, self.flush)

    def flush(self) -> None:
        """Write (or delete) the working copy now."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.incident_id is None:
            return
        fields = self._collect()
        store, who = self.owner.app.store, self.owner.app.operator  # type: ignore[attr-defined]
        try:
            if fields is None:
                if self._stored:
                    working.drop(store, self.incident_id, operator=who, slot=self.slot)
                    self._stored = False
                return
            working.keep(
                store,
                self.incident_id,
                operator=who,
                slot=self.slot,
                label=self.label,
                fields=fields,
                base=self._base(),
            )
            self._stored = True
        except CrisisError as error:  # a locked or read-only database: say so once
            if not self._warned:
                self._warned = True
                self.owner.notify(
                    f"Your unsaved text could not be kept as a working copy: {error}",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )

    def stored(self) -> WorkingCopy | None:
        """The working copy left by an earlier session (or this one), if any."""
        if self.incident_id is None:
            return None
        store, who = self.owner.app.store, self.owner.app.operator  # type: ignore[attr-defined]
        copy = working.find(store, self.incident_id, operator=who, slot=self.slot)
        self._stored = copy is not None
        return copy

    def forget(self) -> None:
        """Saved or discarded: no working copy any more."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.incident_id is None:
            return
        store, who = self.owner.app.store, self.owner.app.operator  # type: ignore[attr-defined]
        try:
            working.drop(store, self.incident_id, operator=who, slot=self.slot)
        except CrisisError:
            return  # it is offered back later, and can be discarded then
        self._stored = False
