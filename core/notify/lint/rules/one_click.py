"""one-click-unsubscribe: the List-Unsubscribe headers can do what RFC 8058 promises.

Checked only when the context carries the headers (``LintContext.list_unsubscribe``:
the Notify panel passes the ones its export will write; ``email-crisis lint`` the ones
of an ``.eml``). RFC 8058 §3.1: "The List-Unsubscribe header field MUST contain one
HTTPS URI ... The List-Unsubscribe-Post header MUST contain the single key/value pair
"List-Unsubscribe=One-Click"", and the URI "MUST contain enough information to identify
the mail recipient and the list ... The URI SHOULD include an opaque identifier or
another hard-to-forge component". RFC 2369 §2: angle-bracketed URLs, comma-separated.

Self-contained on purpose (issue 15): one module, a pure ``problems`` function and a
``judge`` reading the context, so it stays put whatever the engine becomes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from email_crisis.core.base.regex import lazy_compile
from email_crisis.core.notify.lint.model import Severity
from email_crisis.core.notify.lint.rules.base import RuleInfo

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")
RULE = "one-click-unsubscribe"
RULES = (
    RuleInfo(
        RULE,
        Severity.ERROR,
        "The List-Unsubscribe headers cannot give a one-click unsubscribe (RFC 8058): one "
        "HTTPS URL that identifies each recipient, and List-Unsubscribe-Post: "
        "List-Unsubscribe=One-Click.",
    ),
)
POST_VALUE = "List-Unsubscribe=One-Click"
# An ESP merge tag or template placeholder: *|UNSUB|*, %unsubscribe_url%, {{ token }},
# [unsubscribe], <%asm_group_unsubscribe_raw_url%>, {token}.
_TAG = lazy_compile(
    r"\*\|[^|]+\|\*|%[A-Za-z_][\w.-]*%|\{\{.+?\}\}|\{[A-Za-z_]\w*\}|\[[A-Za-z_]\w*\]"
)


def _uris(header: str) -> list[str]:
    """The angle-bracketed URIs of a List-Unsubscribe value, in order (RFC 2369 §2)."""
    return [part.strip() for part in re.findall(r"<([^>]*)>", header)]


def _identifies_recipient(uri: str) -> bool:
    if _TAG.search(uri) or _TAG.search(unquote(uri)):
        return True
    parts = urlsplit(uri)
    # A query value of some length (?opaque=123456789), or a path segment that is not a
    # plain word: a token has digits, or is long.
    values = [v for pair in parts.query.split("&") for v in pair.split("=")[1:]]
    if any(len(v) >= 6 for v in values):
        return True
    return any((len(p) >= 8 and re.search(r"\d", p)) or len(p) >= 20 for p in parts.path.split("/"))


def problems(list_unsubscribe: str | None, post: str | None) -> list[str]:
    """What stops a one-click unsubscribe with these header values (empty when fine)."""
    found: list[str] = []
    if not list_unsubscribe or not list_unsubscribe.strip():
        return ["There is no List-Unsubscribe header: receivers offer no unsubscribe button."]
    # An URI that is only an ESP merge tag is the ESP's own one-click URL, filled per
    # recipient at send time (Mailchimp *|UNSUB|*, Mailgun %unsubscribe_url%...).
    https = [
        u for u in _uris(list_unsubscribe) if u.lower().startswith("https://") or _TAG.fullmatch(u)
    ]
    if not https:
        found.append(
            "List-Unsubscribe has no https:// URL (RFC 8058 needs one for one-click; "
            "http:// and mailto: alone do not count)."
        )
    elif len(https) > 1:
        found.append("List-Unsubscribe has several https:// URLs; RFC 8058 expects one.")
    elif not _identifies_recipient(https[0]):
        found.append(
            f"The one-click URL {https[0]} is the same for every recipient: RFC 8058 needs it "
            "to identify who unsubscribes (the POST carries nothing else). Use your ESP's "
            "unsubscribe merge tag or a per-recipient token ([unsubscribe] in brand.toml)."
        )
    if (post or "").strip() != POST_VALUE:
        shown = (post or "").strip() or "missing"
        found.append(
            f"List-Unsubscribe-Post is {shown!r}; it must be exactly {POST_VALUE!r} "
            "(RFC 8058 §3.1)."
        )
    return found


def judge(doc: Document) -> None:
    """One finding per problem, on the draft's first line (the headers are not a field)."""
    headers = getattr(doc.context, "list_unsubscribe", None)
    if headers is None:
        return
    name, start, end = doc.anchor("from")
    for message in problems(*headers):
        doc.hit(name, RULE, start, end, message)
