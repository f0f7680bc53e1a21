"""ESP API keys: kept in the OS keyring, with an environment variable as fallback.

Keyring service ``email-crisis``, user name = the ESP (``sparkpost``, ``sendgrid``,
``mailgun``, ``ses``, ``mailchimp``, ``brevo``). When a key is in the keyring it wins;
otherwise ``EMAIL_CRISIS_<ESP>_API_KEY`` is used (``EMAIL_CRISIS_SPARKPOST_API_KEY``...).
Amazon SES takes ``ACCESS_KEY_ID:SECRET_ACCESS_KEY`` (with ``:SESSION_TOKEN`` appended
for temporary credentials) in the keyring and in ``EMAIL_CRISIS_SES_API_KEY``.

On a host with no usable keyring (a headless SSH box) storing fails with a message
that names the two ways out: the environment variable, or ``pip install keyrings.alt``
(a file-based keyring in the user's home). Nothing here ever prints or returns a key
except ``get``, whose caller hands it straight to the connector.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import keyring
import keyring.backends.chainer
import keyring.backends.fail
import keyring.errors

from email_crisis.core.base.errors import CrisisError, ValidationError
from email_crisis.core.contain.esp import connector, names

SERVICE = "email-crisis"
SOURCE_KEYRING = "keyring"


class KeyringUnavailable(CrisisError):
    """No usable keyring backend on this machine."""


class MissingCredentials(CrisisError):
    """No key for that ESP, neither in the keyring nor in the environment."""


@dataclass(frozen=True)
class Configured:
    """Where an ESP's key comes from (never the key itself)."""

    esp: str
    source: str  # "keyring" or "environment (EMAIL_CRISIS_..._API_KEY)"


def env_var(esp: str) -> str:
    """The fallback environment variable for ``esp``."""
    return f"EMAIL_CRISIS_{esp.upper()}_API_KEY"


def _name(esp: str) -> str:
    return connector(esp).name  # raises EspError (a CrisisError) for an unknown ESP


def _fallback(esp: str) -> str:
    return (
        f"set {env_var(esp)} in the environment of the shell that runs email-crisis, or "
        "install a file-based keyring with 'pip install keyrings.alt' (it keeps keys in a "
        "file in your home folder) and run this again"
    )


def keyring_problem() -> str | None:
    """Why the keyring cannot be used here, or ``None`` when it can."""
    try:
        backend = keyring.get_keyring()
    except Exception as error:  # a broken backend module must not crash the CLI
        return f"the keyring could not be loaded ({type(error).__name__})"
    if isinstance(backend, keyring.backends.fail.Keyring):
        return "no keyring backend is available on this machine"
    if isinstance(backend, keyring.backends.chainer.ChainerBackend) and not backend.backends:
        return "no keyring backend is available on this machine"
    if type(backend).__module__ == "keyring.backends.null":
        return "the keyring is switched off (null backend)"
    return None


def _unavailable(esp: str, reason: str) -> KeyringUnavailable:
    return KeyringUnavailable(f"cannot use the OS keyring: {reason}. Instead, {_fallback(esp)}.")


def require_keyring(esp: str) -> None:
    """Raise ``KeyringUnavailable`` (naming the fallback for ``esp``) when there is no keyring."""
    problem = keyring_problem()
    if problem:
        raise _unavailable(_name(esp), problem)


def store_secret(esp: str, secret: str) -> None:
    """Store the key for ``esp`` in the keyring (checked against the ESP's key format)."""
    name = _name(esp)
    try:
        key = connector(name).check_secret(secret)
    except CrisisError as error:
        raise ValidationError(str(error)) from None
    require_keyring(name)
    try:
        keyring.set_password(SERVICE, name, key)
    except keyring.errors.KeyringError as error:
        raise _unavailable(name, _reason(error)) from None


def _reason(error: Exception) -> str:
    # Backend messages can be long and mention other packages; keep the type only.
    if isinstance(error, keyring.errors.NoKeyringError):
        return "no keyring backend is available on this machine"
    if isinstance(error, keyring.errors.KeyringLocked):
        return "the keyring is locked (unlock it, then try again)"
    return f"the keyring refused ({type(error).__name__})"


def _from_keyring(name: str) -> str | None:
    if keyring_problem():
        return None
    try:
        return keyring.get_password(SERVICE, name)
    except keyring.errors.KeyringError:
        return None


def get_secret(esp: str, env: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """The key for ``esp`` and where it came from; the keyring wins over the environment."""
    name = _name(esp)
    stored = _from_keyring(name)
    if stored:
        return stored, SOURCE_KEYRING
    variable = env_var(name)
    value = (env.get(variable) or "").strip()
    if value:
        return value, f"environment ({variable})"
    problem = keyring_problem()
    if problem:
        raise MissingCredentials(
            f"no {connector(name).label} key: {problem}, and {variable} is not set. "
            f"To fix it, {_fallback(name)}."
        )
    raise MissingCredentials(
        f"no {connector(name).label} key: store one with 'email-crisis credentials set "
        f"{name}', or set {variable}."
    )


def configured(env: Mapping[str, str] = os.environ) -> list[Configured]:
    """Every ESP that has a key, with its source (the keyring first)."""
    found = []
    for name in names():
        if _from_keyring(name):
            found.append(Configured(name, SOURCE_KEYRING))
        elif (env.get(env_var(name)) or "").strip():
            found.append(Configured(name, f"environment ({env_var(name)})"))
    return found


def delete_secret(esp: str) -> bool:
    """Remove the key for ``esp`` from the keyring; ``False`` when none was stored."""
    name = _name(esp)
    problem = keyring_problem()
    if problem:
        raise _unavailable(name, problem)
    try:
        if keyring.get_password(SERVICE, name) is None:
            return False
        keyring.delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as error:
        raise _unavailable(name, _reason(error)) from None
    return True


# The names the rest of the app uses: credentials.set/get/list/delete.
set = store_secret
get = get_secret
list = configured
delete = delete_secret
