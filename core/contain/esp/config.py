"""Per-ESP settings (region, base URL, account prefix, timeout) from a TOML file.

The file is ``$EMAIL_CRISIS_CONFIG`` if set, else ``config.toml`` in the user config
folder (``~/.config/email-crisis/config.toml`` on Linux). It is optional; only its
``[esp.<name>]`` tables are read here, so it can hold other sections too. Example::

    [esp.sparkpost]
    region = "eu"                      # us (default) or eu -> https://api.eu.sparkpost.com
    subaccount = "42"                  # sent as X-MSYS-SUBACCOUNT

    [esp.sendgrid]
    region = "eu"                      # global (default) or eu (EU regional subusers)
    on_behalf_of = "brand-eu"          # a subuser, reached with the parent account's key

    [esp.mailgun]
    region = "eu"                      # us (default) or eu: where the domain lives
    storage_host = "storage-us-west1.api.mailgun.net"   # the domain's storage host

    [esp.ses]
    region = "eu-west-1"               # required for SES (or AWS_REGION)

    [esp.mailchimp]
    server_prefix = "us21"             # default: the end of the API key (…-us21)

    [esp.brevo]
    base_url = "https://mail-proxy.example.com"   # a proxy; wins over region
    timeout = 20                       # seconds per request (default 10)

Keys: ``base_url`` (https, or http to this machine only; no user or password in it),
``region``, ``server_prefix`` (Mailchimp), ``subaccount`` (SparkPost), ``on_behalf_of``
(SendGrid), ``storage_host`` (Mailgun), ``timeout``.
``--base-url`` on the command line wins over the file. Mistakes are reported with the
file and line.
"""

from __future__ import annotations

import ipaddress
import os
import re
import urllib.parse
from dataclasses import replace
from pathlib import Path
from typing import Any

import platformdirs

from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.toml_file import ConfigProblem, read_toml
from email_crisis.core.contain.esp.base import DEFAULT_TIMEOUT, EspSettings
from email_crisis.core.contain.esp.registry import names

CONFIG_ENV = "EMAIL_CRISIS_CONFIG"
KEYS = frozenset(
    {"base_url", "region", "server_prefix", "subaccount", "on_behalf_of", "storage_host", "timeout"}
)
MAX_TIMEOUT = 300.0


class ConfigError(ValidationError, ConfigProblem):
    """The config file cannot be used; the message names the file and line."""


def config_path(env: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    """Where the config file is looked for."""
    chosen = env.get(CONFIG_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return platformdirs.user_config_path("email-crisis") / "config.toml"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str, *, origin: str) -> str:
    """A usable base URL, or ``ValidationError`` saying why (``origin`` names where from)."""
    text = url.strip().rstrip("/")
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        shown = "the base URL" if "@" in url else repr(url)  # never echo what may be a key
        raise ValidationError(f"{origin}: {shown} is not a URL like https://api.example.com.")
    if parts.username or parts.password:
        raise ValidationError(
            f"{origin}: the base URL must not contain a user name or password "
            "(it is shown and recorded); store the key with 'email-crisis credentials set'."
        )
    if parts.query or parts.fragment:
        raise ValidationError(f"{origin}: the base URL cannot have a query or fragment.")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValidationError(
            f"{origin}: plain http would send the key unencrypted; use https "
            "(http is accepted only for this machine, 127.0.0.1 or localhost)."
        )
    return text


def _line_of(text: str, esp: str, key: str | None) -> int | None:
    """The line of ``[esp.<esp>]`` (or of ``key`` inside it), for error messages."""
    lines = text.splitlines()
    header = re.compile(rf"^\s*\[\s*esp\s*\.\s*\"?{re.escape(esp)}\"?\s*\]")
    for number, line in enumerate(lines, start=1):
        if header.match(line):
            if key is None:
                return number
            for offset, inner in enumerate(lines[number:], start=number + 1):
                if inner.lstrip().startswith("["):
                    break
                if re.match(rf"^\s*\"?{re.escape(key)}\"?\s*=", inner):
                    return offset
            return number
    return None


def _where(path: Path, text: str, esp: str, key: str | None = None) -> str:
    line = _line_of(text, esp, key)
    return f"{path}, line {line}" if line else str(path)


def _entry(path: Path, text: str, esp: str, values: Any) -> EspSettings:
    if not isinstance(values, dict):
        raise ConfigError(f"{_where(path, text, esp)}: [esp.{esp}] must be a table of settings.")
    unknown = sorted(set(values) - KEYS)
    if unknown:
        raise ConfigError(
            f"{_where(path, text, esp, unknown[0])}: unknown setting {unknown[0]!r} for "
            f"{esp}; known settings: {', '.join(sorted(KEYS))}."
        )
    found: dict[str, Any] = {}
    for key, value in values.items():
        where = _where(path, text, esp, key)
        if key == "timeout":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"{where}: timeout must be a number of seconds.")
            if not 0 < value <= MAX_TIMEOUT:
                raise ConfigError(f"{where}: timeout must be above 0 and at most {MAX_TIMEOUT:g}.")
            found[key] = float(value)
        elif not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: {key} must be a non-empty string.")
        elif key == "base_url":
            try:
                found[key] = check_base_url(value, origin=where)
            except ValidationError as error:
                raise ConfigError(str(error)) from None
        else:
            found[key] = value.strip()
    return EspSettings(esp=esp, source=f"config file {path}", **found)


def load(
    path: Path | None = None, *, known: frozenset[str] | None = None
) -> dict[str, EspSettings]:
    """The ``[esp.*]`` settings of the config file (empty when there is no file)."""
    target = path or config_path()
    if not target.exists():
        return {}
    data, text = read_toml(target, error=ConfigError)
    section = data.get("esp", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{target}: 'esp' must be a table, like [esp.sparkpost].")
    valid = known or frozenset(names())
    settings: dict[str, EspSettings] = {}
    for esp, values in section.items():
        if esp not in valid:
            raise ConfigError(
                f"{_where(target, text, esp)}: unknown ESP {esp!r}; known: "
                f"{', '.join(sorted(valid))}."
            )
        settings[esp] = _entry(target, text, esp, values)
    return settings


def settings_for(esp: str, *, base_url: str | None = None, path: Path | None = None) -> EspSettings:
    """The settings of one ESP: the config file, then ``--base-url`` on top."""
    chosen = load(path).get(esp) or EspSettings(esp=esp, timeout=DEFAULT_TIMEOUT)
    if base_url:
        url = check_base_url(base_url, origin="--base-url")
        chosen = replace(chosen, base_url=url, source=f"{chosen.source}, --base-url")
    return chosen
