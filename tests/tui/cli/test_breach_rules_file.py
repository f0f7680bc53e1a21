"""A broken organisation breach-rules file through the commands that read it (issue 14).

``report`` still writes the postmortem, its clocks from the shipped table, with the
problem (file, line, what is wrong) as the breach section's first note and as one
warning line on stderr; ``resolve`` lists the problem among the reasons not to close.
No traceback, whatever the file holds: bad types, unknown keys, bad dates, ``nan``,
deep nesting, Latin-1 bytes, or a named pipe.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from email_crisis.core.assess.breach_rules import RULES_ENV
from email_crisis.core.store.database import Store
from tests.core.assess.test_rules_config_errors import (
    CASES,
    GOOD,
    LINES,
    assessed_breach,
    changed,
)
from tests.tui.cli.helpers import Invoke


@pytest.fixture
def breach(store: Store) -> str:
    return str(assessed_breach(store).id)


def _broken_files(folder: Path) -> list[tuple[str, Path, str]]:
    """(case id, file, what the warning must say: the file and, where there is one, the line)."""
    made = []
    for name, text, line, _ in CASES:
        path = folder / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        made.append((name, path, f"line {line}"))
    latin = folder / "latin1.toml"
    latin.write_bytes(GOOD.replace('"Test"', '"Équipe"').encode("latin-1"))
    label_line = LINES.index('label = "Test"') + 1
    made.append(("latin1", latin, f"line {label_line}: not UTF-8"))
    if hasattr(os, "mkfifo"):
        fifo = folder / "fifo.toml"
        os.mkfifo(fifo)
        made.append(("fifo", fifo, "this is a named pipe"))
    return made


def test_every_broken_file_leaves_the_report_whole_with_one_warning_line(
    invoke: Invoke, store: Store, breach: str, tmp_path: Path
) -> None:
    for name, path, says in _broken_files(tmp_path):
        result = invoke("--db", str(store.path), "report", breach, env={RULES_ENV: str(path)})
        assert result.exit_code == 0, (name, result.stderr)
        assert "Traceback" not in result.stderr
        (warning,) = result.stderr.splitlines()
        assert warning.startswith("email-crisis: warning: "), name
        assert f"breach rules file {path}" in warning, name
        assert says in warning, (name, warning)
        assert warning.endswith("The report's clocks use the built-in table only.")
        report = result.stdout
        assert report.startswith(f"# Postmortem: incident {breach}"), name
        # The shipped GDPR clock is there, and the problem is the section's first note.
        section = report.split("## Breach-notification deadlines", 1)[1].split("\n## ", 1)[0]
        assert "- **EU/EEA" in section, name
        notes = [x for x in section.splitlines() if x.startswith("- ") and "**" not in x]
        assert f"breach rules file {path}" in notes[0], name
        assert notes[0].endswith("without your organisation's changes."), name


def test_a_good_file_gives_no_warning(
    invoke: Invoke, store: Store, breach: str, tmp_path: Path
) -> None:
    org = tmp_path / "org.toml"
    org.write_text(GOOD, encoding="utf-8")
    result = invoke("--db", str(store.path), "report", breach, env={RULES_ENV: str(org)})
    assert (result.exit_code, result.stderr) == (0, "")


def test_resolve_lists_the_broken_file_among_the_reasons_not_to_close(
    invoke: Invoke, store: Store, breach: str, tmp_path: Path
) -> None:
    text, line = changed("colour", '"red"')
    org = tmp_path / "org.toml"
    org.write_text(text, encoding="utf-8")
    result = invoke(
        "--db", str(store.path), "resolve", breach, "--summary", "Closed the export link.",
        env={RULES_ENV: str(org)},
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert (
        f"  - the breach-notification clocks: breach rules file {org}, entry 1 (id 'acme-dpo', "
        f"line 3): unknown field(s) colour (line {line})."
    ) in result.stderr.splitlines()
    # The shipped clocks still count: GDPR's authority notice is listed as running.
    assert any("breach-notification clock GDPR" in x for x in result.stderr.splitlines())
