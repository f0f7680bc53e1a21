"""Importing ESP events into hourly rates, beside the sqlite3 shell's ``.import``.

Reference (issue 6, item 5): importing 1,000,000 generated ESP events into hourly
rates takes at most 3x the time the ``sqlite3`` command-line shell takes to
``.import`` the same events as CSV rows, measured in the same run.

- The events are SendGrid Event Webhook events (the shape of the importer's fixture:
  email, timestamp, smtp-id, event, category, sg_event_id, sg_message_id, plus
  response/type/reason where the event type has them), spread over ``--hours``
  hours, with the mix of a bad campaign (processed, delivered, bounces, deferrals,
  opens, clicks, spam reports, unsubscribes). They are written once as a JSON array
  with one event per line (a saved webhook stream) and once as CSV with one row per
  event and the same fields.
- **email-crisis**: ``core.monitor.metrics.import_file`` on the JSON file, source detected,
  into a fresh database with one incident: stream, aggregate per hour, check, and
  write the points, the import row and the event in one transaction.
- **sqlite3 shell**: ``.mode csv`` then ``.import`` of the CSV file into a new table
  of a fresh database (the shell creates the table from the header row).

Both read the same events from files that were just written (warm page cache). Also
printed, for the Monitor panel (no target here): reading a 100,000-point timeline
with ``store_metrics.timeline`` and ``metrics.points``, and ``metrics.badge``.

    python benchmarks/metrics.py [--events 1000000] [--hours 72] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from _common import header, stats, table

TARGET = 3.0
FIELDS = ("email", "timestamp", "smtp-id", "event", "category", "sg_event_id", "sg_message_id",
          "response", "type", "reason")  # fmt: skip
MIX = (  # event, weight: a campaign with complaints and bounces well over the limits
    ("processed", 30), ("delivered", 27), ("bounce", 2), ("deferred", 1),
    ("open", 24), ("click", 14), ("spamreport", 1), ("unsubscribe", 1),
)  # fmt: skip


def generate(folder: Path, count: int, hours: int, seed: int) -> tuple[Path, Path]:
    """Write ``count`` events as a JSON array (one per line) and as CSV; both streamed."""
    rng = random.Random(seed)
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    start = int(datetime(2026, 11, 24, tzinfo=timezone.utc).timestamp())
    span = hours * 3600
    json_path, csv_path = folder / "sendgrid_events.json", folder / "sendgrid_events.csv"
    with json_path.open("w", encoding="utf-8") as js, csv_path.open("w", newline="") as cs:
        writer = csv.writer(cs)
        writer.writerow(FIELDS)
        js.write("[\n")
        for n in range(count):
            kind = kinds[rng.randrange(len(kinds))]
            event = {
                "email": f"subscriber{rng.randrange(400_000)}@example.org",
                "timestamp": start + rng.randrange(span),
                "smtp-id": f"<{n:x}.dfd.64b469@ismtpd-555>",
                "event": kind,
                "category": "black-friday",
                "sg_event_id": f"ev{n:09d}",
                "sg_message_id": f"14c5d75ce93.dfd.{n:x}.filter0001.16648.0",
            }
            if kind == "delivered":
                event["response"] = "250 OK"
            elif kind == "bounce":
                event["type"] = "blocked" if n % 3 == 0 else "bounce"
                event["reason"] = "550 5.1.1 unknown user"
            js.write(json.dumps(event, separators=(",", ":")))
            js.write(",\n" if n + 1 < count else "\n")
            writer.writerow([event.get(field, "") for field in FIELDS])
        js.write("]\n")
    return json_path, csv_path


def time_ours(folder: Path, events: Path, run: int) -> tuple[float, int, int]:
    """Seconds for import_file on a fresh database; points stored and records read."""
    from email_crisis.core.monitor.metrics import import_file
    from email_crisis.core.own import incidents as ops
    from email_crisis.core.steps.machine import install
    from email_crisis.core.store.database import Store

    install()  # the step rules run on every write, as in the app

    with Store.open(folder / f"ours-{run}.db") as store:
        incident = ops.declare(store, title="Benchmark", kind="wrong-segment", operator="bench")
        started = time.perf_counter()
        report = import_file(store, incident.id, events, operator="bench")
        elapsed = time.perf_counter() - started
    return elapsed, report.points, report.records


def time_shell(shell: str, folder: Path, rows: Path, run: int) -> tuple[float, int]:
    """Seconds for the sqlite3 shell to .import the CSV; rows it imported."""
    db = folder / f"shell-{run}.db"
    script = f".mode csv\n.import {rows} events\n"
    started = time.perf_counter()
    subprocess.run([shell, str(db)], input=script, text=True, check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    count = subprocess.run(
        [shell, str(db), "SELECT count(*) FROM events"], text=True, check=True, capture_output=True
    ).stdout.strip()
    return elapsed, int(count)


def timeline_figures(folder: Path) -> list[list[str]]:
    """Reading a 100,000-point timeline (one metric) and the badge."""
    from email_crisis.core.monitor.metrics import badge, points
    from email_crisis.core.monitor.store import NewPoint, save_points, timeline, timeline_buckets
    from email_crisis.core.own import incidents as ops
    from email_crisis.core.steps.machine import install
    from email_crisis.core.store.database import Store

    install()  # the step rules run on every write, as in the app

    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    step = timedelta(minutes=5)
    new = [NewPoint("complaint_rate", start + step * n, (n % 50) / 100) for n in range(100_000)]
    end = new[-1].at + step
    rows = []
    with Store.open(folder / "timeline.db") as store:
        incident = ops.declare(store, title="Timeline", kind="other", operator="bench")
        began = time.perf_counter()
        save_points(
            store,
            incident_id=incident.id,
            domain="",
            source="csv",
            points=new,
            operator="bench",
            event=("metrics_imported", {}),
            file_name="t.csv",
        )
        rows.append(
            ["store 100,000 points (one transaction)", f"{time.perf_counter() - began:.3f}"]
        )
        calls = {
            "timeline(): 100,000 (seconds, value)": lambda: timeline(
                store, incident.id, "complaint_rate"
            ),
            "timeline_buckets(): 100,000 -> 200 slices": lambda: timeline_buckets(
                store, incident.id, "complaint_rate", since=start, until=end, buckets=200
            ),
            "points(): 100,000 Point objects": lambda: points(store, incident.id),
            "points() for the last 7 days": lambda: points(
                store, incident.id, since=end - timedelta(days=7)
            ),
            "badge()": lambda: badge(store, incident.id),
        }
        for label, call in calls.items():
            samples = []
            for _ in range(5):
                began = time.perf_counter()
                call()
                samples.append(time.perf_counter() - began)
            rows.append([label, f"{stats(samples)[0]:.4f}"])
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events to generate")
    parser.add_argument("--hours", type=int, default=72, help="hours the events span")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each import")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    header("email-crisis metrics benchmark: ESP events -> hourly rates, beside sqlite3 .import")
    shell = shutil.which("sqlite3")
    if shell:
        version = subprocess.run([shell, "-version"], text=True, capture_output=True).stdout.split()
        print(f"  sqlite3 shell: {shell} (SQLite {version[0] if version else '?'})")
    else:
        print("  sqlite3 shell: not found (install it with: apt-get install -y sqlite3);")
        print("  the reference line is skipped.")
    with tempfile.TemporaryDirectory(prefix="ec-metrics-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        events, rows = generate(folder, args.events, args.hours, args.seed)
        print(
            f"  generated {args.events:,} events over {args.hours} h in "
            f"{time.perf_counter() - started:.1f} s: JSON {events.stat().st_size / 1e6:.0f} MB, "
            f"CSV {rows.stat().st_size / 1e6:.0f} MB"
        )
        print(f"  {args.repeats} runs each, alternating\n")
        sys.stdout.flush()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        ours, shells, points_stored, records, shell_rows = [], [], 0, 0, 0
        for run in range(args.repeats):
            elapsed, points_stored, records = time_ours(folder, events, run)
            ours.append(elapsed)
            if shell:
                elapsed, shell_rows = time_shell(shell, folder, rows, run)
                shells.append(elapsed)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        lines = [
            ["email-crisis import_file (stream, aggregate, store)", *_cells(ours, args.events)]
        ]
        if shell:
            lines.append(
                ["sqlite3 shell .import of the same rows (CSV)", *_cells(shells, args.events)]
            )
        print(table(["measurement", "median s", "min s", "max s", "events/s"], lines))
        print(
            f"email-crisis read {records:,} events and stored {points_stored:,} hourly points; "
            f"peak memory grew by {(rss_after - rss_before) / 1024:.0f} MB during the imports"
        )
        if shell:
            print(f"the sqlite3 shell imported {shell_rows:,} rows")
            ratio = stats(ours)[0] / stats(shells)[0]
            verdict = "within target" if ratio <= TARGET else "OVER target"
            print(f"reference: <= {TARGET:g}x the sqlite3 shell; median ratio {ratio:.2f}x", end="")
            print(f" ({verdict})")
        print(
            "\n100,000-point timeline (for the Monitor panel; its redraw target is measured there):"
        )
        print(table(["measurement", "median s"], timeline_figures(folder)))
    return 0


def _cells(samples: list[float], events: int) -> list[str]:
    median, low, high = stats(samples)
    return [f"{median:.2f}", f"{low:.2f}", f"{high:.2f}", f"{events / median:,.0f}"]


if __name__ == "__main__":
    sys.exit(main())
