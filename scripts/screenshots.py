"""Regenerate screenshots/*.svg from demo data, headless, at a fixed size and a frozen clock.

python scripts/screenshots.py            # writes screenshots/*.svg
python scripts/screenshots.py --check    # fails if a committed SVG is out of date
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

os.environ["TZ"] = "UTC"  # shown times must not depend on where the script runs
time.tzset()

from textual.pilot import Pilot  # noqa: E402

from email_crisis.core.base.clock import frozen  # noqa: E402
from email_crisis.core.demo import scenes as demo  # noqa: E402
from email_crisis.core.store.database import Store  # noqa: E402
from email_crisis.tui.app import EmailCrisisApp  # noqa: E402

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)
SIZE = (100, 30)
OUT = Path(__file__).resolve().parent.parent / "screenshots"

Steps = Callable[[Pilot], Awaitable[None]]


async def _nothing(pilot: Pilot) -> None:
    await pilot.pause()


async def _workspace(pilot: Pilot) -> None:
    await pilot.press("enter")
    await pilot.pause()


async def _event_log(pilot: Pilot) -> None:
    await pilot.press("enter", "l")
    await pilot.pause()


def _tab(incident_id: int, key: str) -> Steps:
    """Open an incident of the demo and show one step's tab."""

    async def steps(pilot: Pilot) -> None:
        from email_crisis.tui.widgets.incident_table import IncidentTable

        pilot.app.screen.query_one(IncidentTable).select(incident_id)
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.action_show_tab(key)
        # Let debounced work (the rule checker runs shortly after the editor changes)
        # finish, so the picture does not depend on the machine's speed.
        await pilot.pause(0.5)
        await pilot.pause()

    return steps


async def _new_incident(pilot: Pilot) -> None:
    await pilot.press("n", *"Spring sale sent to the whole list")
    await pilot.pause()


async def _filtered(pilot: Pilot) -> None:
    await pilot.press("slash", *"sev:1,2 ack:yes", "enter")
    await pilot.pause()


SHOTS: dict[str, Steps] = {
    "board": _nothing,
    "workspace": _workspace,
    "event-log": _event_log,
    "assess": _tab(1, "assess"),
    "plan": _tab(3, "plan"),
    "notify": _tab(5, "notify"),
    "monitor": _tab(5, "monitor"),
    "new-incident": _new_incident,
    "board-filtered": _filtered,
}


async def _shoot(name: str, steps: Steps, folder: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "demo.db", clock=frozen(NOW))
        demo.populate(store, now=NOW)
        app = EmailCrisisApp(store, operator="sam", clock=frozen(NOW), poll_seconds=3600)
        async with app.run_test(size=SIZE) as pilot:
            await steps(pilot)
            await pilot.pause()
            svg = app.export_screenshot(title=f"email-crisis: {name}")
        store.close()
    return svg


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    stale = []
    for name, steps in SHOTS.items():
        svg = asyncio.run(_shoot(name, steps, OUT))
        path = OUT / f"{name}.svg"
        if args.check:
            if not path.exists() or path.read_text() != svg:
                stale.append(path.name)
        else:
            path.write_text(svg)
            print(f"wrote {path.relative_to(OUT.parent)}")
    if stale:
        print(f"out of date: {', '.join(stale)} (run python scripts/screenshots.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
