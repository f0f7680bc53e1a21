"""The key never reaches the terminal, the event log, a report, an export or the database.

Each ESP is driven through the CLI twice (a success, then a failing call whose error
body quotes the key back), and every output and the raw bytes of the SQLite file and
its WAL are searched for the key, its parts and its Basic-auth encodings.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest

from email_crisis.core.close.report import write_reports
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.contain.esp.cases import SECRETS
from tests.core.contain.esp.fake_server import FakeEsp
from tests.tui.cli.helpers import Invoke

ARGS = {
    "sparkpost": ("--campaign", "spring"),
    "sendgrid": ("--batch", "B1"),
    "mailgun": ("--domain", "mg.example.com"),
    "ses": ("--config-set", "marketing"),
    "mailchimp": ("--campaign", "abc1"),
    "brevo": ("--campaign", "7"),
}


def _needles(secret: str) -> list[bytes]:
    forms = {secret, *[part for part in secret.split(":") if len(part) >= 8]}
    for user in ("api", "anystring"):
        forms.add(base64.b64encode(f"{user}:{secret}".encode()).decode())
    return [form.encode() for form in forms]


def _db_bytes(db_path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db_path}{suffix}")
        if path.exists():
            data += path.read_bytes()
    return data


@pytest.mark.parametrize("name", list(SECRETS))
def test_the_key_appears_nowhere(
    name: str,
    invoke: Invoke,
    db_path: Path,
    fake: Callable[..., FakeEsp],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    secret = SECRETS[name]
    if name == "ses":
        config = tmp_path / "config.toml"
        config.write_text('[esp.ses]\nregion = "eu-west-1"\n', encoding="utf-8")
        monkeypatch.setenv("EMAIL_CRISIS_CONFIG", str(config))
    assert invoke("credentials", "set", name, input=f"{secret}\n{secret}\n").exit_code == 0
    created = invoke("--db", str(db_path), "new", "--title", "Leak check", "--kind", "other")
    assert created.exit_code == 0
    outputs = []
    for mode in ("success", "echo-key", "401"):
        server = fake(name, secret, mode=mode)
        result = invoke(
            "--db",
            str(db_path),
            "esp",
            "stop",
            "1",
            "--esp",
            name,
            *ARGS[name],
            "--base-url",
            server.base_url,
            "--yes",
        )
        assert result.exit_code == (0 if mode == "success" else 1), result.stderr
        outputs.append(result.stdout + result.stderr)
    outputs.append(invoke("--db", str(db_path), "show", "1").stdout)
    outputs.append(invoke("--db", str(db_path), "show", "1", "--format", "json").stdout)
    outputs.append(invoke("credentials", "list").stdout)
    # The postmortem quotes the event log; both of its formats, to stdout and to files.
    for fmt in ("md", "html"):
        outputs.append(invoke("--db", str(db_path), "report", "1", "--format", fmt).stdout)
    with Store.open(db_path, create=False) as store:
        for written in write_reports(store, 1, FROZEN_NOW, tmp_path / "reports"):
            outputs.append(written.read_text())
    with Store.open(db_path, create=False) as store:
        calls = [e.details for e in store.events(1) if e.type == "esp_call"]
    assert [c["ok"] for c in calls] == [True, False, False]
    assert "********" in str(calls[1]["esp_message"])  # the echoed key was masked
    text = "\n".join(outputs).encode() + repr(calls).encode()
    data = _db_bytes(db_path)
    assert data  # the scan must look at a real file
    for needle in _needles(secret):
        assert needle not in text, needle
        assert needle not in data, needle
