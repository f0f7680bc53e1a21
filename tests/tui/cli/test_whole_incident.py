"""A whole incident, from ``new`` to ``report``, through the command line only.

Every stage is a command an operator types; the test checks the step after each one (in
``list --format json`` and ``step``), the event log (``show``), the clocks and the
postmortem. Steps the command line has no work for (containment actions, the
assessment and the plan live in the console) are passed by hand with a reason, as an
operator without the console would.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from email_crisis.tui.cli import common
from tests.core.support import MovingClock
from tests.tui.cli.helpers import Invoke

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
M = timedelta(minutes=1)


def test_a_whole_incident_through_the_cli(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovingClock(T0)
    monkeypatch.setattr(common, "utc_now", clock)
    db = str(tmp_path / "incidents.db")

    def run(*args: str, who: str = "priya") -> str:
        result = invoke("--db", db, "--operator", who, *args)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    def record() -> dict[str, object]:
        (only,) = json.loads(run("list", "--all", "--format", "json"))
        return only

    def step_json() -> dict[str, object]:
        return json.loads(run("step", "1", "--format", "json"))

    # Declared at 09:00, detected at 08:50.
    new = ("new", "--title", "Spring sale with the wrong price", "--kind", "wrong-content")
    assert run(*new, "--severity", "2", "--detected", "2026-11-27T08:50Z", who="sam") == "1\n"
    assert record()["step"] == "own"

    # 1 Own it.
    clock.advance(4 * M)
    assert run("ack", "1", who="sam") == "Incident 1 acknowledged.\n"
    clock.advance(M)
    assert run("commander", "1", "priya", who="sam") == (
        "Incident 1: commander set to priya; now at step 2 Contain.\n"
    )
    assert record()["step"] == "contain"

    # 2 Contain: stopped in the ESP's console; passed by hand, which sets the contained time.
    clock.advance(15 * M)
    assert "harm is not marked stopped" in run("step", "1")
    out = run("advance", "1", "--reason", "Cancelled the rest of the send in the ESP console.")
    assert out == (
        "Incident 1 moved on by hand (reason recorded) from step 2 Contain; now at step 3 Assess.\n"
    )
    assert (record()["step"], record()["contained_at"]) == ("assess", "2026-11-27T09:20:00+00:00")

    # 3 Assess and 4 Plan, with their reasons.
    clock.advance(20 * M)
    run("advance", "1", "--reason", "Assessed in the war room: 1,200 people, no personal data.")
    assert record()["step"] == "plan"
    clock.advance(10 * M)
    run("advance", "1", "--reason", "A single follow-up, tracked in the team's board.")
    assert record()["step"] == "notify"
    assert step_json()["missing"] == [
        "the apology is not marked sent (nor a decision not to send one)"
    ]

    # 5 Notify: the ESP sent the apology at 10:50.
    clock.moment = T0 + 2 * timedelta(hours=1)
    assert run("apology", "sent", "1", "--at", "2026-11-27T10:50Z") == (
        "Incident 1: apology sent at 2026-11-27 10:50; now at step 6 Monitor.\n"
    )
    assert (record()["step"], record()["notified_at"]) == ("monitor", "2026-11-27T10:50:00+00:00")

    # 6 Monitor: complaints well under the limits; the commander ends the watch early.
    run("metrics", "add", "1", "--metric", "complaint_rate", "--value", "0.02",
        "--time", "2026-11-27T11:00Z")  # fmt: skip
    assert step_json()["complete"] is False
    clock.advance(timedelta(days=2))
    run("advance", "1", "--reason", "Two quiet days; the audience was small.")
    assert step_json()["complete"] is True

    # Closing, and the postmortem.
    clock.advance(M)
    out = run("resolve", "1", "--summary", "Price fixed; apology sent.")
    assert out.startswith("Incident 1 resolved at 2026-11-29 11:01 UTC.")
    final = record()
    assert (final["step"], final["resolved_at"]) == ("monitor", "2026-11-29T11:01:00+00:00")

    shown = run("show", "1")
    for line in (
        "step 1 Own it complete; now at 2 Contain",
        "declared the incident contained 30m after detection (moving on by hand)",
        "moved on from step 2 Contain to 3 Assess by hand: Cancelled the rest of the send",
        "moved on from step 3 Assess to 4 Plan by hand",
        "moved on from step 4 Plan to 5 Notify by hand",
        "marked the apology as sent, sent at 2026-11-27 10:50",
        "step 5 Notify complete; now at 6 Monitor",
        "ended the deliverability watch early: Two quiet days; the audience was small.",
        "resolved the incident: Price fixed; apology sent.",
    ):
        assert line in shown, line
    assert "step          Monitor  [resolved]" in shown

    postmortem = run("report", "1")
    for line in (
        "- **Step reached:** Monitor",
        "- **Time to acknowledge:** 14m",
        "- **Time to contain:** 30m",
        "- **Time to notify:** 2h 00m",
        "- **Time to resolve:** 2d 02h",
        "- **2 Contain:** passed by hand 2026-11-27 09:20 UTC (priya): Cancelled the rest",
        "- **6 Monitor:** passed by hand 2026-11-29 11:00 UTC (priya): Two quiet days",
        "- **Watch ended early:** Two quiet days; the audience was small.",
    ):
        assert line in postmortem, line
