"""no-reply-sender: From and Reply-To must be mailboxes that people read."""

from __future__ import annotations

from email_crisis.core.notify.lint.lexicon import address_key
from email_crisis.core.notify.lint.model import Severity
from email_crisis.core.notify.lint.rules.base import Para, RuleInfo
from email_crisis.core.notify.lint.simple_eml import simple_address

LANGUAGES = ("en", "fr")

RULES = (
    RuleInfo(
        "no-reply-sender",
        Severity.ERROR,
        "From or Reply-To is a no-reply address (noreply@, donotreply@, ne-pas-repondre@...).",
    ),
)

_LABEL = {"from": "From", "reply-to": "Reply-To"}


def scan(para: Para) -> None:
    """Check every address (and display name) of the From and Reply-To fields."""
    if para.field not in _LABEL:
        return
    text = para.text
    position = 0
    for name, address in _addresses(text):
        for part, what in ((address, "address"), (name, "name")):
            if not part:
                continue
            local = part.rsplit("@", 1)[0] if what == "address" else part
            key = address_key(local)
            if not key or not any(word in key for word in para.lex.noreply):
                continue
            start = text.find(part, position)
            if start < 0:
                start = text.find(part)
            if start < 0:  # getaddresses rewrote it (quoting, comments): point at all
                start, end = 0, len(text)
            else:
                end = start + len(part)
                position = end
            para.hit(
                "no-reply-sender",
                start,
                end,
                para.message(
                    "no-reply-sender", label=_LABEL[para.field], phrase=para.quote(start, end)
                ),
            )
            break


def _addresses(text: str) -> list[tuple[str, str]]:
    """``email.utils.getaddresses([text])``; the email package is imported only for an
    address that is not plain ``Name <local@domain>`` (it takes ~15 ms to import)."""
    simple = simple_address(text)
    if simple is not None:
        return [simple]
    from email.utils import getaddresses

    return getaddresses([text])
