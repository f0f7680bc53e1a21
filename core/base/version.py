"""The installed version of email-crisis."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def app_version() -> str:
    """Return the version of the installed distribution."""
    try:
        return version("email-crisis")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"
