"""The registry of ESP connectors: which ESPs exist, by name."""

from __future__ import annotations

from email_crisis.core.contain.esp.base import EspError
from email_crisis.core.contain.esp.brevo import Brevo
from email_crisis.core.contain.esp.connector import Connector
from email_crisis.core.contain.esp.mailchimp import Mailchimp
from email_crisis.core.contain.esp.mailgun import Mailgun
from email_crisis.core.contain.esp.sendgrid import SendGrid
from email_crisis.core.contain.esp.ses import Ses
from email_crisis.core.contain.esp.sparkpost import SparkPost

CONNECTORS: dict[str, Connector] = {
    c.name: c for c in (SparkPost(), SendGrid(), Mailgun(), Ses(), Mailchimp(), Brevo())
}


def names() -> list[str]:
    """The ESPs with a connector, in display order."""
    return list(CONNECTORS)


def connector(esp: str) -> Connector:
    """The connector for ``esp``, or ``EspError`` listing the known ones."""
    try:
        return CONNECTORS[esp.strip().lower()]
    except KeyError:
        raise EspError(f"no connector for {esp!r}; known ESPs: {', '.join(CONNECTORS)}.") from None
