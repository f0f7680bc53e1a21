"""The per-ESP config file: where it is, what it may hold, and errors with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from email_crisis.core.base.errors import ValidationError
from email_crisis.core.contain.esp import config as esp_config
from email_crisis.core.contain.esp.config import ConfigError, check_base_url, config_path, load


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_path_from_env_or_user_config_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert config_path({"EMAIL_CRISIS_CONFIG": "~/x.toml"}) == Path("~/x.toml").expanduser()
    monkeypatch.setattr(esp_config.platformdirs, "user_config_path", lambda app: tmp_path / app)
    assert config_path({}) == tmp_path / "email-crisis" / "config.toml"


def test_no_file_means_defaults(tmp_path: Path) -> None:
    assert load(tmp_path / "missing.toml") == {}
    chosen = esp_config.settings_for("brevo", path=tmp_path / "missing.toml")
    assert (chosen.base_url, chosen.timeout, chosen.source) == (None, 10.0, "built-in defaults")


def test_a_full_file_is_read_and_other_sections_are_ignored(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[playbooks]\npath = "x"\n\n'
        '[esp.sparkpost]\nregion = "eu"\nsubaccount = "42"\n\n'
        '[esp.mailchimp]\nserver_prefix = "us21"\ntimeout = 2.5\n\n'
        '[esp.brevo]\nbase_url = "https://proxy.example.com/brevo/"\n',
    )
    found = load(path)
    assert found["sparkpost"].region == "eu" and found["sparkpost"].subaccount == "42"
    assert found["mailchimp"].timeout == 2.5
    assert found["brevo"].base_url == "https://proxy.example.com/brevo"
    assert found["brevo"].source == f"config file {path}"


def test_the_env_variable_points_at_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = _write(tmp_path, '[esp.mailgun]\nregion = "eu"\n')
    monkeypatch.setenv("EMAIL_CRISIS_CONFIG", str(path))
    assert esp_config.settings_for("mailgun").region == "eu"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[esp.sparkpost]\nregion = "eu"\n\n[esp.postmark]\nx = 1\n',
            r"line 4: unknown ESP 'postmark'",
        ),
        ('[esp.sendgrid]\nregion = "eu"\nbase = "x"\n', r"line 3: unknown setting 'base'"),
        ("[esp.brevo]\ntimeout = 0\n", r"line 2: timeout must be above 0"),
        ('[esp.brevo]\ntimeout = "10"\n', r"line 2: timeout must be a number"),
        ("[esp.brevo]\nregion = 3\n", r"line 2: region must be a non-empty string"),
        ('[esp.brevo]\n\nbase_url = "http://proxy.example.com"\n', r"line 3: plain http"),
        (
            '[esp.brevo]\nbase_url = "https://u:p@proxy.example.com"\n',
            r"line 2: .*user name or password",
        ),
        ("[esp.brevo\n", r"line 1, column \d+: not valid TOML"),
        ('esp = "sparkpost"\n', r"'esp' must be a table"),
    ],
)
def test_mistakes_name_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as caught:
        load(path)
    assert str(path) in str(caught.value)


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match=r"config\.toml, line 1: not UTF-8 text"):
        load(path)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://localhost",
        "http://[::1]:9",
        "https://api.eu.sparkpost.com/",
    ],
)
def test_acceptable_base_urls(url: str) -> None:
    assert check_base_url(url, origin="--base-url") == url.rstrip("/")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("api.sparkpost.com", "not a URL"),
        ("ftp://x.example.com", "not a URL"),
        ("http://10.0.0.5", "plain http"),
        ("https://x.example.com/?a=1", "query or fragment"),
        ("https://key@x.example.com", "user name or password"),
    ],
)
def test_refused_base_urls(url: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_base_url(url, origin="--base-url")
