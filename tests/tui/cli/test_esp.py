"""``email-crisis esp stop`` and ``credentials``: confirmation, recording, one-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from email_crisis.core.base.errors import DatabaseLocked
from email_crisis.core.store.database import Store
from tests.core.contain.esp.cases import SECRETS
from tests.core.contain.esp.conftest import MemoryKeyring
from tests.core.contain.esp.fake_server import FakeEsp
from tests.tui.cli.helpers import Invoke

FakeFactory = Callable[..., FakeEsp]


@pytest.fixture
def incident(db_path: Path, invoke: Invoke) -> str:
    result = invoke(
        "--db", str(db_path), "new", "--title", "Sent to the wrong list", "--kind", "wrong-segment"
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def _events(db_path: Path, kind: str = "esp_call") -> list[dict[str, object]]:
    with Store.open(db_path, create=False) as store:
        return [e.details for e in store.events(1) if e.type == kind]


def _one_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("email-crisis: ") and "Traceback" not in stderr
    return lines[0]


def _stop(invoke: Invoke, db_path: Path, *args: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return invoke("--db", str(db_path), "--operator", "ana", "esp", "stop", *args, **kwargs)


def test_dry_run_prints_the_plan_and_sends_nothing(
    invoke: Invoke, db_path: Path, incident: str, fake: FakeFactory
) -> None:
    server = fake("sparkpost", SECRETS["sparkpost"])
    result = _stop(
        invoke,
        db_path,
        incident,
        "--esp",
        "sparkpost",
        "--campaign",
        "spring",
        "--base-url",
        server.base_url,
        "--dry-run",
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert f"DELETE {server.base_url}/api/v1/transmissions?campaign_id=spring" in out
    assert "Authorization: ********" in out
    assert "What it cannot stop: Only transmissions" in out
    assert "Key: none found" in out
    assert "nothing was sent and nothing was recorded" in out
    assert server.requests == []
    assert _events(db_path) == []


def test_yes_sends_once_and_records_the_outcome(
    invoke: Invoke, db_path: Path, incident: str, fake: FakeFactory, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.set_password("email-crisis", "sendgrid", SECRETS["sendgrid"])
    server = fake("sendgrid", SECRETS["sendgrid"])
    result = _stop(
        invoke,
        db_path,
        incident,
        "--esp",
        "sendgrid",
        "--batch",
        "B1",
        "--pause",
        "--base-url",
        server.base_url,
        "--yes",
    )
    assert result.exit_code == 0, result.stderr
    assert "Authorization: Bearer ********" in result.stdout
    assert "SendGrid accepted the request (HTTP 201)" in result.stdout
    assert "Key: from the keyring" in result.stdout
    [seen] = server.requests
    assert seen.json() == {"batch_id": "B1", "status": "pause"}
    [details] = _events(db_path)
    assert details["ok"] is True and details["status"] == 201
    assert details["method"] == "POST" and details["operation"] == "pause-batch"
    assert details["url"] == f"{server.base_url}/v3/user/scheduled_sends"
    assert details["target"] == {"batch": "B1"} and details["key_source"] == "keyring"
    with Store.open(db_path, create=False) as store:
        assert [e.operator for e in store.events(1) if e.type == "esp_call"] == ["ana"]


def test_without_a_terminal_and_without_yes_nothing_is_sent(
    invoke: Invoke, db_path: Path, incident: str, fake: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMAIL_CRISIS_BREVO_API_KEY", SECRETS["brevo"])
    server = fake("brevo", SECRETS["brevo"])
    result = _stop(
        invoke,
        db_path,
        incident,
        "--esp",
        "brevo",
        "--campaign",
        "7",
        "--base-url",
        server.base_url,
    )
    assert result.exit_code == 1
    assert "Nothing was sent" in _one_error(result.stderr)
    assert server.requests == [] and _events(db_path) == []


@pytest.mark.parametrize(("answer", "sent"), [("n\n", False), ("\n", False), ("y\n", True)])
def test_the_operator_confirms_at_the_terminal(
    answer: str,
    sent: bool,
    invoke: Invoke,
    db_path: Path,
    incident: str,
    fake: FakeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EMAIL_CRISIS_BREVO_API_KEY", SECRETS["brevo"])
    server = fake("brevo", SECRETS["brevo"])
    result = _stop(
        invoke,
        db_path,
        incident,
        "--esp",
        "brevo",
        "--campaign",
        "7",
        "--base-url",
        server.base_url,
        input=answer,
        tty=True,
    )
    assert "Send this request to Brevo now?" in result.stdout
    assert len(server.requests) == int(sent)
    assert len(_events(db_path)) == int(sent)
    if sent:
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 1
        assert "nothing was sent" in _one_error(result.stderr)


def test_a_failed_call_exits_1_with_the_esp_error_and_is_recorded(
    invoke: Invoke, db_path: Path, incident: str, fake: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMAIL_CRISIS_MAILCHIMP_API_KEY", SECRETS["mailchimp"])
    server = fake("mailchimp", SECRETS["mailchimp"], mode="404")
    result = _stop(
        invoke,
        db_path,
        incident,
        "--esp",
        "mailchimp",
        "--campaign",
        "abc1",
        "--operation",
        "cancel-send",
        "--base-url",
        server.base_url,
        "--yes",
    )
    assert result.exit_code == 1
    line = _one_error(result.stderr)
    assert "Mailchimp refused the request (HTTP 404): Resource Not Found" in line
    assert "recorded on incident 1" in line
    [details] = _events(db_path)
    assert (details["ok"], details["status"], details["outcome"]) == (False, 404, "refused")
    assert "could not be found" in str(details["esp_message"])


def test_a_timeout_from_the_config_file_is_recorded_as_unknown(
    invoke: Invoke,
    db_path: Path,
    incident: str,
    fake: FakeFactory,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[esp.ses]\nregion = "eu-west-1"\ntimeout = 0.25\n', encoding="utf-8")
    monkeypatch.setenv("EMAIL_CRISIS_CONFIG", str(config))
    monkeypatch.setenv("EMAIL_CRISIS_SES_API_KEY", SECRETS["ses"])
    server = fake("ses", SECRETS["ses"], mode="hang")
    result = _stop(
        invoke, db_path, incident, "--esp", "ses", "--account", "--base-url", server.base_url, "-y"
    )
    assert result.exit_code == 1
    assert "no answer from 127.0.0.1" in _one_error(result.stderr)
    [details] = _events(db_path)
    assert details["outcome"] == "unknown" and details["status"] is None


def test_connection_refused_is_one_line(
    invoke: Invoke, db_path: Path, incident: str, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMAIL_CRISIS_MAILGUN_API_KEY", SECRETS["mailgun"])
    result = _stop(
        invoke,
        db_path,
        incident,
        "--esp",
        "mailgun",
        "--domain",
        "mg.example.com",
        "--base-url",
        f"http://127.0.0.1:{closed_port}",
        "--yes",
    )
    assert result.exit_code == 1
    assert "refused the connection" in _one_error(result.stderr)
    assert _events(db_path)[0]["outcome"] == "not-sent"


def test_a_missing_key_stops_before_anything_is_sent(
    invoke: Invoke, db_path: Path, incident: str, fake: FakeFactory
) -> None:
    server = fake("sparkpost", SECRETS["sparkpost"])
    result = _stop(
        invoke,
        db_path,
        incident,
        "--esp",
        "sparkpost",
        "--campaign",
        "c",
        "--base-url",
        server.base_url,
        "-y",
    )
    assert result.exit_code == 1
    assert "EMAIL_CRISIS_SPARKPOST_API_KEY" in _one_error(result.stderr)
    assert server.requests == [] and _events(db_path) == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--esp", "sparkpost"), 2, "give exactly one of"),
        (("--esp", "sparkpost", "--campaign", "a", "--batch", "b"), 2, "give exactly one of"),
        (("--esp", "sparkpost", "--domain", "a.example.com"), 1, "SparkPost cannot stop by domain"),
        (("--esp", "brevo", "--campaign", "1", "--pause"), 1, "--pause applies only"),
        (("--esp", "brevo", "--campaign", "1", "--base-url", "http://10.1.2.3"), 1, "plain http"),
        (("--esp", "ses", "--account", "--dry-run"), 1, "needs a region"),
        (("--esp", "postmark", "--campaign", "1"), 2, "postmark"),
    ],
)
def test_bad_invocations_are_one_line(
    args: tuple[str, ...], code: int, message: str, invoke: Invoke, db_path: Path, incident: str
) -> None:
    result = _stop(invoke, db_path, incident, *args)
    assert result.exit_code == code
    assert message in _one_error(result.stderr)


def test_an_unknown_incident_is_refused_before_any_call(
    invoke: Invoke, db_path: Path, incident: str, fake: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMAIL_CRISIS_BREVO_API_KEY", SECRETS["brevo"])
    server = fake("brevo", SECRETS["brevo"])
    result = _stop(
        invoke,
        db_path,
        "99",
        "--esp",
        "brevo",
        "--campaign",
        "1",
        "--base-url",
        server.base_url,
        "-y",
    )
    assert result.exit_code == 1 and "no incident 99" in _one_error(result.stderr)
    assert server.requests == []


def test_esp_list_shows_every_operation(invoke: Invoke) -> None:
    result = invoke("esp", "list")
    assert result.exit_code == 0
    for operation in (
        "cancel-scheduled",
        "pause-batch",
        "cancel-single-send",
        "delete-queued",
        "disable-config-set",
        "disable-account",
        "unschedule",
        "cancel-send",
        "suspend",
    ):
        assert operation in result.stdout
    assert "EMAIL_CRISIS_SES_API_KEY" in result.stdout


# -- credentials ------------------------------------------------------------------------


def test_credentials_set_prompts_twice_and_never_echoes(
    invoke: Invoke, memory_keyring: MemoryKeyring
) -> None:
    secret = SECRETS["mailgun"]
    result = invoke("credentials", "set", "mailgun", input=f"{secret}\n{secret}\n")
    assert result.exit_code == 0, result.stderr
    assert secret not in result.stdout + result.stderr
    assert "Repeat for confirmation" in result.stdout
    assert memory_keyring.items[("email-crisis", "mailgun")] == secret


def test_credentials_set_with_a_mismatch_stores_nothing(
    invoke: Invoke, memory_keyring: MemoryKeyring
) -> None:
    result = invoke("credentials", "set", "brevo", input="xkeysib-one\nxkeysib-two\n")
    assert result.exit_code != 0
    assert memory_keyring.items == {}


def test_credentials_list_and_delete(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.get_keyring().set_password("email-crisis", "sparkpost", SECRETS["sparkpost"])
    monkeypatch.setenv("EMAIL_CRISIS_SES_API_KEY", SECRETS["ses"])
    listed = invoke("credentials", "list")
    assert listed.exit_code == 0
    assert "sparkpost  keyring" in listed.stdout
    assert "ses        environment (EMAIL_CRISIS_SES_API_KEY)" in listed.stdout
    assert "mailgun    -" in listed.stdout
    assert SECRETS["sparkpost"] not in listed.stdout and "AKIA" not in listed.stdout
    assert invoke("credentials", "delete", "sparkpost").exit_code == 0
    again = invoke("credentials", "delete", "sparkpost")
    assert again.exit_code == 1 and "no SparkPost key in the keyring" in _one_error(again.stderr)
    env_only = invoke("credentials", "delete", "ses")
    assert "comes from EMAIL_CRISIS_SES_API_KEY" in _one_error(env_only.stderr)


def test_credentials_without_a_keyring_say_so_plainly(invoke: Invoke) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    result = invoke("credentials", "set", "sendgrid", input="SG.x\nSG.x\n")
    assert result.exit_code == 1
    line = _one_error(result.stderr)
    assert "EMAIL_CRISIS_SENDGRID_API_KEY" in line and "pip install keyrings.alt" in line
    assert "API key" not in result.stdout  # refused before asking for the key
    listed = invoke("credentials", "list")
    assert listed.exit_code == 0 and "cannot be used here" in listed.stdout


def test_show_lists_the_recorded_call(
    invoke: Invoke, db_path: Path, incident: str, fake: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMAIL_CRISIS_BREVO_API_KEY", SECRETS["brevo"])
    server = fake("brevo", SECRETS["brevo"])
    _stop(
        invoke,
        db_path,
        incident,
        "--esp",
        "brevo",
        "--campaign",
        "7",
        "--base-url",
        server.base_url,
        "-y",
    )
    shown = invoke("--db", str(db_path), "show", incident, "--format", "json")
    events = json.loads(shown.stdout)["events"]
    assert [e["type"] for e in events][-1] == "esp_call"
    assert SECRETS["brevo"] not in shown.stdout


def test_when_recording_fails_the_esp_answer_is_still_shown(
    invoke: Invoke,
    db_path: Path,
    incident: str,
    fake: FakeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EMAIL_CRISIS_BREVO_API_KEY", SECRETS["brevo"])
    server = fake("brevo", SECRETS["brevo"])

    def locked(*args: object, **kwargs: object) -> None:
        raise DatabaseLocked("incidents.db is locked by another process; nothing was written.")

    monkeypatch.setattr(Store, "append_event", locked)
    result = _stop(
        invoke,
        db_path,
        incident,
        "--esp",
        "brevo",
        "--campaign",
        "7",
        "--base-url",
        server.base_url,
        "-y",
    )
    assert result.exit_code == 1
    line = _one_error(result.stderr)
    assert "Brevo accepted the request (HTTP 204)" in line and "could not be recorded" in line
    assert len(server.requests) == 1
