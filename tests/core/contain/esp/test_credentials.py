"""Keys: keyring first, environment fallback, and a plain message when there is no keyring."""

from __future__ import annotations

from typing import ClassVar

import keyring
import keyring.backends.chainer
import keyring.backends.fail
import keyring.errors
import pytest

from email_crisis.core.base.errors import CrisisError, ValidationError
from email_crisis.core.contain import credentials
from email_crisis.core.contain.credentials import (
    SERVICE,
    Configured,
    KeyringUnavailable,
    MissingCredentials,
    env_var,
)
from tests.core.contain.esp.cases import SECRETS
from tests.core.contain.esp.conftest import MemoryKeyring


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


class EmptyChainer(keyring.backends.chainer.ChainerBackend):
    backends: ClassVar[list[object]] = []  # what a chainer with nothing viable holds


def test_env_var_names() -> None:
    assert env_var("sparkpost") == "EMAIL_CRISIS_SPARKPOST_API_KEY"
    assert env_var("ses") == "EMAIL_CRISIS_SES_API_KEY"


def test_set_get_list_delete_round_trip(memory_keyring: MemoryKeyring) -> None:
    credentials.set("sparkpost", f"  {SECRETS['sparkpost']}\n")
    assert memory_keyring.items[(SERVICE, "sparkpost")] == SECRETS["sparkpost"]
    assert credentials.get("sparkpost") == (SECRETS["sparkpost"], "keyring")
    assert credentials.list() == [Configured("sparkpost", "keyring")]
    assert credentials.delete("sparkpost") is True
    assert credentials.delete("sparkpost") is False
    assert credentials.list() == []


def test_esp_names_are_checked() -> None:
    with pytest.raises(CrisisError, match="no connector for 'postmark'"):
        credentials.set("postmark", "x" * 20)


@pytest.mark.parametrize(
    ("esp", "secret", "message"),
    [
        ("sendgrid", "   ", "empty"),
        ("sendgrid", "SG.a b", "spaces"),
        ("ses", "AKIAONLYONEPART", "ACCESS_KEY_ID:SECRET_ACCESS_KEY"),
        ("ses", "AKIA::", "ACCESS_KEY_ID:SECRET_ACCESS_KEY"),
    ],
)
def test_malformed_keys_are_refused(esp: str, secret: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        credentials.set(esp, secret)


def test_environment_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_CRISIS_SES_API_KEY", SECRETS["ses"])
    assert credentials.get("ses") == (SECRETS["ses"], "environment (EMAIL_CRISIS_SES_API_KEY)")
    assert credentials.list() == [Configured("ses", "environment (EMAIL_CRISIS_SES_API_KEY)")]


def test_the_keyring_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_CRISIS_BREVO_API_KEY", "xkeysib-from-the-environment")
    credentials.set("brevo", SECRETS["brevo"])
    assert credentials.get("brevo") == (SECRETS["brevo"], "keyring")
    assert credentials.list() == [Configured("brevo", "keyring")]


def test_missing_key_says_how_to_provide_one() -> None:
    with pytest.raises(MissingCredentials) as caught:
        credentials.get("mailgun")
    assert "email-crisis credentials set mailgun" in str(caught.value)
    assert "EMAIL_CRISIS_MAILGUN_API_KEY" in str(caught.value)


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring(), EmptyChainer()])
def test_no_keyring_backend_names_the_fallbacks(
    backend: keyring.backend.KeyringBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(backend)
    assert credentials.keyring_problem() == "no keyring backend is available on this machine"
    with pytest.raises(KeyringUnavailable) as caught:
        credentials.set("sendgrid", SECRETS["sendgrid"])
    message = str(caught.value)
    assert "EMAIL_CRISIS_SENDGRID_API_KEY" in message and "pip install keyrings.alt" in message
    assert SECRETS["sendgrid"] not in message
    with pytest.raises(MissingCredentials, match=r"keyrings\.alt"):
        credentials.get("sendgrid")
    with pytest.raises(KeyringUnavailable):
        credentials.delete("sendgrid")
    # The environment still works without a keyring.
    monkeypatch.setenv("EMAIL_CRISIS_SENDGRID_API_KEY", SECRETS["sendgrid"])
    assert credentials.get("sendgrid")[1] == "environment (EMAIL_CRISIS_SENDGRID_API_KEY)"
    assert [c.esp for c in credentials.list()] == ["sendgrid"]


def test_a_locked_keyring_is_reported() -> None:
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(KeyringUnavailable, match="locked"):
        credentials.set("brevo", SECRETS["brevo"])
