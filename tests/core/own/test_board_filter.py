"""The board's order and its filter language (core/own/board.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from email_crisis.core.own.board import BoardFilter, FilterError, board_order, parse_filter
from tests.conftest import FROZEN_NOW
from tests.core.support import incident

HOUR = timedelta(hours=1)


def test_board_order_worst_severity_then_oldest_then_id() -> None:
    a = incident(1, severity="SEV3", detected_at=FROZEN_NOW - 5 * HOUR)
    b = incident(2, severity="SEV1", detected_at=FROZEN_NOW - 1 * HOUR)
    c = incident(3, severity="SEV1", detected_at=FROZEN_NOW - 2 * HOUR)
    d = incident(4, severity="SEV4", detected_at=FROZEN_NOW - 9 * HOUR)
    e = incident(5, severity="SEV3", detected_at=FROZEN_NOW - 5 * HOUR)  # ties with a
    f = incident(0, severity="SEV3", detected_at=FROZEN_NOW - 5 * HOUR)  # ties, lower id
    g = incident(6, severity="SEV2", detected_at=FROZEN_NOW)
    ordered = board_order([a, b, c, d, e, f, g])
    assert [i.id for i in ordered] == [3, 2, 6, 0, 1, 5, 4]
    assert board_order([]) == []


# -- parsing --------------------------------------------------------------------------

PARSED = [
    ("", BoardFilter()),
    ("   ", BoardFilter()),
    ("Breach", BoardFilter(words=("breach",))),
    ("black  FRIDAY", BoardFilter(words=("black", "friday"))),
    ("kind:breach", BoardFilter(kinds=frozenset({"data-breach"}))),
    ("kind:data-breach", BoardFilter(kinds=frozenset({"data-breach"}))),
    ("KIND:Malformed", BoardFilter(kinds=frozenset({"malformed"}))),
    (
        "kind:breach,suppression",
        BoardFilter(kinds=frozenset({"data-breach", "suppression-list-send"})),
    ),
    ("sev:1", BoardFilter(severities=frozenset({"SEV1"}))),
    ("sev:1,2", BoardFilter(severities=frozenset({"SEV1", "SEV2"}))),
    ("sev:SEV1", BoardFilter(severities=frozenset({"SEV1"}))),
    ("severity:sev4", BoardFilter(severities=frozenset({"SEV4"}))),
    ("step:own", BoardFilter(steps=frozenset({"own"}))),
    ("step:ass", BoardFilter(steps=frozenset({"assess"}))),
    ("step:mon", BoardFilter(steps=frozenset({"monitor"}))),
    ("step:pl,no", BoardFilter(steps=frozenset({"plan", "notify"}))),
    ("ack:no", BoardFilter(acknowledged=False)),
    ("ack:n", BoardFilter(acknowledged=False)),
    ("ack:yes", BoardFilter(acknowledged=True)),
    ("acknowledged:TRUE", BoardFilter(acknowledged=True)),
    ("cmdr:none", BoardFilter(commander="")),
    ("cmdr:None", BoardFilter(commander="")),
    ("cmdr:Alice", BoardFilter(commander="alice")),
    ("commander:ali", BoardFilter(commander="ali")),
    (
        "sev:1 kind:breach ack:no export",
        BoardFilter(
            words=("export",),
            kinds=frozenset({"data-breach"}),
            severities=frozenset({"SEV1"}),
            acknowledged=False,
        ),
    ),
]


@pytest.mark.parametrize(("text", "expected"), PARSED, ids=[t or "<empty>" for t, _ in PARSED])
def test_parse_filter(text: str, expected: BoardFilter) -> None:
    assert parse_filter(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kind:wrong", "'wrong' could be wrong-content or wrong-segment; type more of it"),
        ("kind:zzz", "no kind matches 'zzz'; kinds: wrong-content, broken-personalization"),
        ("sev:5", "no severity '5'; use 1-4 or SEV1-SEV4"),
        ("sev:1,x", "no severity 'x'"),
        ("step:launch", "no step matches 'launch'; steps: own, contain, assess"),
        ("ack:maybe", "ack: takes yes or no, not 'maybe'"),
        ("owner:alice", "unknown filter 'owner'; use kind:, sev:, step:, ack:, cmdr: or plain"),
        ("kind:", "'kind:' needs a value after the colon"),
        ("cmdr:", "'cmdr:' needs a value after the colon"),
        ("breach sev:", "'sev:' needs a value after the colon"),
    ],
)
def test_parse_filter_errors(text: str, message: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_filter(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_is_empty() -> None:
    assert parse_filter("").is_empty
    assert not parse_filter("x").is_empty
    assert not parse_filter("ack:no").is_empty


@pytest.mark.parametrize(
    ("text", "step"), [("step:a", "assess"), ("step:o", "own"), ("step:n", "notify")]
)
def test_step_accepts_any_unique_prefix(text: str, step: str) -> None:
    assert parse_filter(text).steps == {step}


# -- matching -------------------------------------------------------------------------

BREACH = incident(
    1,
    title="Subscriber export link shared",
    kind="data-breach",
    severity="SEV1",
    step="contain",
    commander="Alice Martin",
    acknowledged_at=FROZEN_NOW,
)
FRESH = incident(2, title="Black Friday preview to all", kind="wrong-segment", severity="SEV2")
OLD = incident(
    3,
    title="Test copy sent",
    kind="wrong-content",
    severity="SEV4",
    step="monitor",
    commander="jo",
    acknowledged_at=FROZEN_NOW,
)
ALL = (BREACH, FRESH, OLD)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("", [1, 2, 3]),
        ("export", [1]),
        ("EXPORT", [1]),
        ("friday", [2]),
        ("alice", [1]),  # free words also search the commander
        ("segment", [2]),  # ... and the kind
        ("black copy", []),  # words are ANDed
        ("black preview", [2]),
        ("kind:breach", [1]),
        ("kind:wrong", None),
        ("kind:content,segment", [2, 3]),
        ("sev:1", [1]),
        ("sev:1,2", [1, 2]),
        ("sev:SEV4", [3]),
        ("step:own", [2]),
        ("step:mon", [3]),
        ("ack:no", [2]),
        ("ack:yes", [1, 3]),
        ("cmdr:none", [2]),
        ("cmdr:alice", [1]),
        ("cmdr:MARTIN", [1]),
        ("cmdr:jo", [3]),
        ("cmdr:nobody", []),
        ("ack:yes sev:4", [3]),
        ("ack:yes sev:4 export", []),
    ],
)
def test_matches(text: str, ids: list[int] | None) -> None:
    if ids is None:
        with pytest.raises(FilterError):
            parse_filter(text)
        return
    board_filter = parse_filter(text)
    assert [i.id for i in ALL if board_filter.matches(i)] == ids


def test_cmdr_none_treats_an_empty_commander_as_none() -> None:
    blank = incident(9, commander="")
    assert parse_filter("cmdr:none").matches(blank)
    assert not parse_filter("cmdr:x").matches(blank)
