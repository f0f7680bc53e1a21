"""The JSON reader streams: chunk boundaries anywhere, line numbers right, memory bounded."""

from __future__ import annotations

import io
import json

import pytest

import email_crisis.core.monitor.importers._common as common
from email_crisis.core.monitor.importers import ImportProblem, sendgrid
from email_crisis.core.monitor.importers._common import json_records
from tests.core.monitor.conftest import fixture


def records(text: str) -> list[tuple[int, int, object]]:
    return list(json_records(io.StringIO(text), "f.json"))


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
def test_any_chunk_size_reads_the_same_events(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(common, "CHUNK", chunk)
    with fixture("sendgrid_events.json").open(encoding="utf-8") as stream:
        parsed = sendgrid.parse(stream, "sendgrid_events.json")
    assert parsed.records == 15
    assert {p.metric: round(p.value, 3) for p in parsed.points}["complaint_rate"] == 33.333


def test_shapes_and_line_numbers() -> None:
    array = '[\n {"a": 1},\n {"a": 2}\n]\n'
    assert records(array) == [(1, 2, {"a": 1}), (2, 3, {"a": 2})]
    lines = '{"a": 1}\n\n{"a": 2}\n'
    assert records(lines) == [(1, 1, {"a": 1}), (2, 3, {"a": 2})]
    posts = '[{"a": 1}, {"a": 2}]\n[{"a": 3}]\n'  # one webhook POST per line
    assert [value for _, _, value in records(posts)] == [{"a": 1}, {"a": 2}, {"a": 3}]
    assert records("") == []


def test_errors_name_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "CHUNK", 5)
    with pytest.raises(ImportProblem, match=r"^f\.json, line 3: not valid JSON"):
        records('[\n {"a": 1},\n {"a": }\n]')
    with pytest.raises(ImportProblem, match="not closed"):
        records('[\n {"a": 1},\n')


def test_a_large_array_is_read_a_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "CHUNK", 4096)
    event = json.dumps({"event": "delivered", "timestamp": 1795615200, "sg_event_id": "x" * 20})
    stream = io.StringIO("[\n" + ",\n".join([event] * 20_000) + "\n]\n")
    reader = json_records(stream, "big.json")
    next(reader)
    assert stream.tell() <= 2 * 4096  # not the ~1.4 MB of the whole file
    for _ in range(9_999):
        next(reader)
    assert stream.tell() < len(stream.getvalue()) // 2 + 2 * 4096
