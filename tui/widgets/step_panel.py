"""What the workspace expects of a step panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual.widget import Widget

from email_crisis.core.base.domain import Incident


class StepPanel(Protocol):
    """A widget shown in one step's tab of the workspace.

    ``load`` reads the panel's own data from ``self.app.store`` and renders it; it
    is called when the workspace opens, after every write, when another process
    changes the database, and when the tab is shown (``active`` is then true, so a
    panel may set things up on first look). Writes go through
    ``self.screen.write(change)``, which reports stale and refused changes; core moves
    the incident on when a step is complete, and the refresh shows it.
    """

    def __init__(self, *, id: str | None = None) -> None: ...

    def load(self, incident: Incident, *, active: bool) -> None: ...


class WorkspaceHost(Protocol):
    """What a step panel (and the flows it opens) uses of the workspace screen."""

    incident: Incident | None
    focused: Widget | None

    def write(self, change: Callable[[Incident], object]) -> str | None: ...

    def refresh_data(self) -> None: ...

    def action_show_tab(self, step: str) -> None: ...

    def people(self) -> list[str]:
        """The people already on the incident (the operator first), to pick an owner."""
        ...
