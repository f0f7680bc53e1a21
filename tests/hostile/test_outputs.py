"""Every output of a hostile incident: shown literally, nothing acts, nothing is lost.

CLI text and JSON, the Markdown and HTML postmortem, the exported CSV and ``.eml``.
(The console: ``test_console.py``.)
"""

from __future__ import annotations

import email
import json
import re
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from click.testing import Result

from email_crisis.core.base.clock import frozen
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.brand import load_brand
from email_crisis.core.store.database import Store
from email_crisis.tui.cli import common
from tests.conftest import FROZEN_NOW
from tests.core.notify.conftest import SHOP_BRAND
from tests.hostile.strings import HTML, JINJA, MARKUP, live_html, raw_controls
from tests.hostile.world import ESP_ANSWER, FORMULA, OPERATOR
from tests.tui.cli.helpers import run_cli


@pytest.fixture(autouse=True)
def frozen_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "utc_now", lambda: FROZEN_NOW)


def run(db: Path, *args: str) -> Result:
    result = run_cli("--db", str(db), *args)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


TEXT_COMMANDS = [
    ("show", "{id}"),
    ("list", "--all"),
    ("metrics", "show", "{id}"),
    ("metrics", "review", "{id}"),
    ("stats",),
]
JSON_COMMANDS = [
    ("show", "{id}", "--format", "json"),
    ("list", "--all", "--format", "json"),
    ("metrics", "show", "{id}", "--format", "json"),
    ("stats", "--format", "json"),
]


@pytest.mark.parametrize("args", TEXT_COMMANDS, ids=lambda a: " ".join(a))
def test_cli_text_shows_everything_literally(hostile: tuple[Path, int], args: tuple) -> None:
    db, number = hostile
    result = run(db, *(a.format(id=number) for a in args))
    assert raw_controls(result.stdout) == [], result.stdout[:2000]


def test_show_keeps_every_hostile_text_visible(hostile: tuple[Path, int]) -> None:
    db, number = hostile
    shown = run(db, "show", str(number)).stdout
    assert MARKUP in shown and HTML in shown and JINJA in shown  # never interpreted
    assert "<U+202E>gnp.exe" in shown  # the override is named, not obeyed
    assert "\u241b]0;pane-owned\u2407" in shown  # the OSC in a file name, as symbols
    assert "bad token [/] here" in shown
    assert OPERATOR in shown


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=lambda a: " ".join(a))
def test_cli_json_is_valid_and_escapes_what_a_terminal_would_act_on(
    hostile: tuple[Path, int], args: tuple
) -> None:
    db, number = hostile
    out = run(db, *(a.format(id=number) for a in args)).stdout
    assert raw_controls(out) == [], out[:2000]
    json.loads(out)  # still JSON, same values


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def test_json_keeps_the_data_exactly(hostile: tuple[Path, int]) -> None:
    db, number = hostile
    record = json.loads(run(db, "show", str(number), "--format", "json").stdout)
    # Decoded, the JSON gives back the file name exactly as it was (controls and all).
    assert any("\x1b]0;pane-owned\x07" in text for text in _strings(record["events"]))
    assert record["commander"] == MARKUP
    assert any(ESP_ANSWER.split(";")[0] in e["text"] for e in record["events"])


def test_markdown_postmortem_has_no_live_html_and_runs_no_template(
    hostile: tuple[Path, int],
) -> None:
    db, number = hostile
    markdown = run(db, "report", str(number)).stdout
    assert raw_controls(markdown) == []
    outside_code = re.sub(r"(`{3,})text\n.*?\n\1", "", markdown, flags=re.S)
    assert live_html(outside_code) == [], outside_code
    assert "&lt;script&gt;" in markdown
    assert "{{ 7*7 }}" in markdown and "jinja-ran" not in markdown.replace(JINJA, "")
    assert "[@click=app.quit]" in markdown


def test_html_postmortem_has_no_live_html(hostile: tuple[Path, int]) -> None:
    db, number = hostile
    page = run(db, "report", str(number), "--format", "html").stdout
    assert live_html(page) == []
    assert raw_controls(page) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_exported_csv_runs_no_formula(hostile: tuple[Path, int], tmp_path: Path) -> None:
    db, number = hostile
    out = tmp_path / "audience.csv"
    affected = tmp_path / "files" / "again.csv"
    affected.write_text(f"email\n{FORMULA}\nana@example.com\n-2+3@example.com\n")
    result = run(db, "audience", str(number), "--affected", str(affected), "--out", str(out))
    assert raw_controls(result.stdout) == []
    cells = out.read_text().splitlines()
    assert f'"\'{FORMULA}"' in cells and '"\'-2+3@example.com"' in cells
    assert not any(cell[:1] in "=+-@\t\r" for cell in cells)


def test_the_eml_has_no_live_html_and_no_raw_controls(
    hostile: tuple[Path, int], tmp_path: Path
) -> None:
    db, number = hostile
    with Store.open(db, clock=frozen(FROZEN_NOW)) as store:
        incident = store.get_incident(number)
        result = notify.export_eml(
            store,
            incident,
            1,
            tmp_path / "exports",
            operator="sam",
            findings=[],
            brand=load_brand(SHOP_BRAND),  # an organisation's brand, not the shipped example
        )
    message = email.message_from_bytes(result.path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and text is not None
    assert live_html(html.get_content()) == []
    assert "&lt;script&gt;" in html.get_content()
    assert raw_controls(str(message["Subject"])) == []
    assert MARKUP in str(message["Subject"])
    assert "\u202e" not in html.get_content() and "\u202e" not in text.get_content()
