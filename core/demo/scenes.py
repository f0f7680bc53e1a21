"""A realistic set of incidents for trying the app, screenshots and load tests.

Each scene lists the work its team has done so far (``work``, chapters of
``core.demo.story``); replaying that work through the real step functions is what moves
each incident along its steps, by the same rules as any other incident. No scene says
which step it should reach: the board shows where the work got it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_crisis.core.base.clock import Clock
from email_crisis.core.base.domain import KINDS, SEVERITIES, Incident
from email_crisis.core.close import lifecycle
from email_crisis.core.demo import story
from email_crisis.core.own import incidents as ops
from email_crisis.core.steps import machine
from email_crisis.core.store.database import NewIncident, Store


@dataclass
class _Moving:
    """A clock the demo moves forward while it replays each incident's history."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


@dataclass(frozen=True)
class _Scene:
    title: str
    kind: str
    severity: str
    detected_ago: timedelta
    declared_by: str
    ack_after: timedelta | None = None
    commander: str | None = None
    statement_en: bool = False
    work: tuple[str, ...] = ()  # chapters of core.demo.story.CHAPTERS, in order
    severity_change: str | None = None
    resolved_after: timedelta | None = None


_H = timedelta(hours=1)
_M = timedelta(minutes=1)

SCENES: tuple[_Scene, ...] = (
    _Scene(
        "Subscriber export link shared publicly in campaign footer",
        "data-breach",
        "SEV2",
        3 * _H,
        "sam",
        ack_after=6 * _M,
        commander="priya",
        statement_en=True,
        work=("containing", "assessed"),
        severity_change="SEV1",
    ),
    _Scene(
        "Black Friday VIP preview sent to all 480k subscribers",
        "wrong-segment",
        "SEV2",
        26 * _H,
        "marc",
        ack_after=11 * _M,
        commander="marc",
        statement_en=True,
        work=("contained", "assessing"),
    ),
    _Scene(
        'Welcome series opens with "Dear <FirstName>,"',
        "broken-personalization",
        "SEV3",
        50 * _H,
        "lea",
        ack_after=35 * _M,
        commander="lea",
        work=("contained", "assessed", "planning"),
    ),
    _Scene(
        "Win-back campaign mailed the 2019 unsubscribe list",
        "suppression-list-send",
        "SEV2",
        4 * 24 * _H,
        "sam",
        ack_after=22 * _M,
        commander="priya",
        statement_en=True,
        work=("contained", "assessing"),
    ),
    _Scene(
        'Test email "asdf final FINAL" reached 1,200 subscribers',
        "wrong-content",
        "SEV4",
        5 * 24 * _H,
        "jo",
        ack_after=4 * _M,
        commander="jo",
        work=("contained", "assessed", "planned", "apology-sent", "watching"),
    ),
    _Scene(
        "Holiday newsletter renders as raw HTML in Outlook", "malformed", "SEV3", 40 * _M, "lea"
    ),
    _Scene(
        "ESP outage: queued sends released twice after recovery", "other", "SEV2", 12 * _M, "marc"
    ),
    _Scene(
        "Cyber Monday offer sent with an expired discount code",
        "wrong-content",
        "SEV3",
        90 * _M,
        "jo",
        ack_after=9 * _M,
    ),
    _Scene(
        "Wrong promo code in the October newsletter",
        "wrong-content",
        "SEV4",
        20 * 24 * _H,
        "jo",
        ack_after=15 * _M,
        commander="jo",
        work=("contained", "assessed", "planned", "apology-sent", "tasks-done"),
        resolved_after=3 * 24 * _H,
    ),
)


def _replay(store: Store, clock: _Moving, scene: _Scene, now: datetime) -> None:
    detected = now - scene.detected_ago
    clock.moment = detected + 2 * _M
    incident = ops.declare(
        store,
        title=scene.title,
        kind=scene.kind,
        severity=scene.severity,
        operator=scene.declared_by,
        detected_at=detected,
    )
    if scene.ack_after is None:
        return
    clock.moment = detected + scene.ack_after
    incident = ops.acknowledge(store, incident, operator=scene.declared_by)
    if scene.commander:
        clock.moment += 3 * _M
        incident = ops.set_commander(store, incident, scene.commander, operator=scene.declared_by)
    if scene.severity_change:
        clock.moment += 5 * _M
        incident = ops.set_severity(
            store, incident, scene.severity_change, operator=scene.commander or scene.declared_by
        )
    if scene.statement_en:
        clock.moment += 8 * _M
        from email_crisis.core.own.statement import draft_statement

        body = draft_statement(incident, operator=incident.commander or "", now=clock.moment)
        incident = ops.write_statement(store, incident, body, operator=incident.commander or "")
    _later_steps(store, clock, scene, incident, detected, now)


def _later_steps(
    store: Store,
    clock: _Moving,
    scene: _Scene,
    incident: Incident,
    detected: datetime,
    now: datetime,
) -> None:
    """Replay the scene's work after step 1, chapter by chapter, as its team did it."""
    who = incident.commander or scene.declared_by
    span = min(scene.detected_ago - (clock.moment - detected), 20 * _H) / 8

    def tick() -> None:
        clock.moment += 2 * _M

    for chapter in scene.work:
        clock.moment += span
        if chapter == "watching":
            clock.moment = now  # the import is the latest thing that happened
        story.CHAPTERS[chapter](store, incident.id, who, tick, clock.moment)
    if scene.resolved_after:
        clock.moment = detected + scene.resolved_after
        lifecycle.resolve(store, store.get_incident(incident.id), who, summary="Fixed and quiet.")


_TITLE_PARTS = (
    (
        "Spring sale",
        "Weekly digest",
        "Loyalty points",
        "Order follow-up",
        "Webinar invite",
        "Product launch",
        "Renewal reminder",
        "Survey",
        "Back in stock",
        "Newsletter",
    ),
    (
        "sent to the wrong list",
        "with a broken link",
        "with raw merge tags",
        "sent twice",
        "with the wrong price",
        "to unsubscribed contacts",
        "with test copy",
        "rendering blank on mobile",
    ),
)


def generated(count: int, now: datetime, seed: int = 7) -> list[NewIncident]:
    """``count`` plausible incidents spread over the last 30 days (for load tests)."""
    rng = random.Random(seed)
    people = ("sam", "marc", "lea", "jo", "priya", "noor")
    kinds, severities = list(KINDS), list(SEVERITIES)
    return [
        NewIncident(
            title=f"{rng.choice(_TITLE_PARTS[0])} {rng.choice(_TITLE_PARTS[1])} (#{n + 1})",
            kind=rng.choice(kinds),
            severity=rng.choices(severities, weights=(1, 3, 6, 4))[0],
            detected_at=now - timedelta(minutes=rng.randint(5, 30 * 24 * 60)),
            operator=rng.choice(people),
        )
        for n in range(count)
    ]


def populate(store: Store, *, now: datetime, extra: int = 0) -> int:
    """Fill ``store`` with the demo scenes plus ``extra`` generated incidents.

    History is replayed with a clock that moves from each detection to ``now``,
    so the event log reads as it would have been written. Returns how many
    incidents were added.
    """
    machine.install()
    original: Clock = store.clock
    clock = _Moving(now)
    store.clock = clock
    try:
        for scene in SCENES:
            _replay(store, clock, scene, now)
        clock.moment = now
        if extra:
            store.create_incidents(generated(extra, now))
    finally:
        store.clock = original
    return len(SCENES) + extra
