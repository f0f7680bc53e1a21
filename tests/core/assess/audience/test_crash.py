"""Killing the process mid-import leaves the database consistent, the old audience intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from email_crisis.core.assess.audience import build as audience
from email_crisis.core.base.clock import frozen
from email_crisis.core.base.domain import Incident
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.assess.audience.conftest import WriteFile
from tests.core.assess.audience.support import csv_lines, stored_addresses

# The child prints each progress report and, for "reading", slows down past the
# half-way mark, so the parent's SIGKILL lands while the file is being read. Its
# "cancel" is never set, but once the file is read it stalls when checked: that
# happens only while the addresses are written, inside the write transaction.
CHILD = """\
import sys, time
from email_crisis.core.assess.audience import build as audience
from email_crisis.core.store.database import Store

class Stall:
    read = False
    def is_set(self):
        if self.read:
            print("writing", flush=True)
            time.sleep(0.5)
        return False

stall = Stall()

def progress(done, total):
    print(f"reading {done} {total}", flush=True)
    if done == total:
        stall.read = True
    elif done * 2 > total and sys.argv[4] == "reading":
        time.sleep(0.5)

store = Store.open(sys.argv[1])
incident = store.get_incident(int(sys.argv[2]))
audience.import_list(store, incident, sys.argv[3], role="affected", operator="doomed",
                     progress=progress, cancel=stall)
print("finished", flush=True)
"""


def _past(line: str, when: str) -> bool:
    """Whether the child has reached the moment to be killed."""
    if when == "writing":
        return line == "writing\n"
    _, done, total = line.split()
    return int(done) * 2 > int(total) and int(done) < int(total)


@pytest.mark.slow
@pytest.mark.parametrize("when", ["reading", "writing"])
def test_sigkill_mid_import(
    store: Store, db_path: Path, incident: Incident, write: WriteFile, when: str
) -> None:
    first = write("first.csv", csv_lines("email", "ana@example.com", "bo@example.com"))
    audience.import_list(store, incident, first, role="affected", operator="x")
    before = (stored_addresses(store), store.count_events())
    big = write("big.csv", csv_lines("email", *(f"u{n}@example.com" for n in range(300_000))))

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(incident.id), str(big), when],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    deadline = time.monotonic() + 60
    try:
        for line in child.stdout:
            assert line != "finished\n", "the import ended before it could be killed"
            if _past(line, when):
                os.kill(child.pid, signal.SIGKILL)
                break
            assert time.monotonic() < deadline
        else:
            raise AssertionError("the child stopped before the moment to kill it")
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL

    with Store.open(db_path, clock=frozen(FROZEN_NOW)) as reopened:
        assert reopened._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert reopened._conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert (stored_addresses(reopened), reopened.count_events()) == before
        counts = audience.audience_counts(reopened, incident.id)
        assert (counts.affected, counts.final) == (2, 2)
        # And the file still takes the import the killed process was doing.
        stats = audience.import_list(reopened, incident, big, role="affected", operator="x")
        assert stats.addresses == 300_000
