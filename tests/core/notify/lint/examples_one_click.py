"""Examples for one-click-unsubscribe (RFC 8058; the headers travel in the context).

Header values from RFC 8058 §8 ("<https://example.com/unsubscribe.html?opaque=
123456789>") and the export's own form (an ESP merge tag in the URL).
"""

from __future__ import annotations

from dataclasses import replace

from tests.core.notify.lint.examples import APOLOGY, EN_OK, FR_OK, Example

POST = "List-Unsubscribe=One-Click"
STATIC = ("<mailto:u@example.com?subject=unsubscribe>, <https://www.example.com/unsubscribe>", POST)
RFC_EXAMPLE = (
    "<mailto:listrequest@example.com?subject=unsubscribe>, "
    "<https://example.com/unsubscribe.html?opaque=123456789>",
    POST,
)
ESP_TAG = ("<https://www.example.com/unsubscribe/*|UNSUB_TOKEN|*>", POST)
EXTRA_POST = ("<https://www.example.com/u/%unsubscribe_url%>", POST + "; foo=bar")

ONE_CLICK_EXAMPLES: list[Example] = [
    Example(
        "one-click-unsubscribe",
        "en",
        {"from": "⟦Example Shop <care@example.com>⟧", "body": EN_OK},
        context=replace(APOLOGY, list_unsubscribe=STATIC),
        note="static-url",
    ),
    Example(
        "one-click-unsubscribe",
        "fr",
        {"from": "⟦Boutique <service@exemple.fr>⟧", "body": FR_OK},
        context=replace(APOLOGY, list_unsubscribe=EXTRA_POST),
        note="post-value",
    ),
    Example(
        "one-click-unsubscribe",
        "en",
        {"from": "Example Shop <care@example.com>", "body": EN_OK},
        context=replace(APOLOGY, list_unsubscribe=RFC_EXAMPLE),
        note="rfc-example",
    ),
    Example(
        "one-click-unsubscribe",
        "fr",
        {"from": "Boutique <service@exemple.fr>", "body": FR_OK},
        context=replace(APOLOGY, list_unsubscribe=ESP_TAG),
        note="esp-tag",
    ),
]
