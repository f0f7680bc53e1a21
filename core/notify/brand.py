"""Brand settings for apology emails: name, colours, sender, footer, unsubscribe, ESP tags.

The shipped defaults (``core/notify/data/brand.toml``) are overridden key by key by the file
named in ``EMAIL_CRISIS_BRAND`` or, failing that, ``brand.toml`` in the user
configuration folder. Every value is checked on load, because colours go into inline
CSS and addresses into message headers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from email_crisis.core.base.addresses import AddressError, parse_address
from email_crisis.core.base.settings import APP_NAME
from email_crisis.core.base.toml_file import ConfigProblem, read_toml, table_line

BRAND_ENV = "EMAIL_CRISIS_BRAND"
DEFAULTS_PATH = Path(__file__).resolve().parent / "data" / "brand.toml"

_TOP = ("name", "logo_alt", "website", "postal_address")
_TABLES: dict[str, tuple[str, ...] | None] = {
    "sender": ("from", "reply_to"),
    "unsubscribe": ("url", "mailto", "one_click", "esp_tag", "token_field"),
    "colours": (
        "page_background",
        "body_background",
        "header_background",
        "header_text",
        "text",
        "muted",
        "link",
        "border",
    ),
    "sample_recipient": None,  # free keys: merge field names
    "esp": ("name", "merge_tags"),
}
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_MERGE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Characters that would break a header, an HTML attribute or the List-Unsubscribe list.
_UNSAFE_IN_URL = re.compile(r"[\s<>\"',\\]")
_UNSAFE_IN_TAG = re.compile(r"[<>&\"\r\n]")
ONE_CLICK_MODES = ("url-template", "esp-tag")
TOKEN = "{token}"
EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
"""RFC 2606 names: a brand whose addresses or links use them is the shipped example."""
EXAMPLE_STREET = "1 Example Street"


class BrandError(ConfigProblem):
    """The brand settings file is unreadable or holds an invalid value (file and key named)."""


@dataclass(frozen=True)
class Colours:
    """Inline-CSS colours of the branded template (``#rrggbb``)."""

    page_background: str
    body_background: str
    header_background: str
    header_text: str
    text: str
    muted: str
    link: str
    border: str


@dataclass(frozen=True)
class Brand:
    """What the branded templates and the export need to know about the sender."""

    name: str
    logo_alt: str
    website: str
    postal_address: str
    from_address: str
    reply_to: str
    unsubscribe_url: str
    unsubscribe_mailto: str
    colours: Colours
    sample_recipient: Mapping[str, str]
    esp_name: str
    merge_tags: Mapping[str, str]
    sources: tuple[str, ...] = field(default=())
    """The files read, defaults first (shown so an operator knows which settings apply)."""
    one_click: str = "url-template"
    """How each recipient's one-click URL is made (RFC 8058 §3.1: the URL itself must say
    who unsubscribes): ``url-template`` (``unsubscribe_url`` holds ``{token}``, filled by
    the ESP from a per-recipient column of the exported audience) or ``esp-tag`` (the
    ESP's own unsubscribe link merge tag, ``esp_tag``)."""
    esp_tag: str = ""
    token_field: str = "unsubscribe_token"

    def one_click_url(self) -> str:
        """The one-click URL as the exported ``.eml`` carries it, with the ESP's tags.

        ``BrandError`` when the token field has no ESP merge tag to carry it.
        """
        if self.one_click == "esp-tag":
            return self.esp_tag
        if TOKEN not in self.unsubscribe_url:
            return self.unsubscribe_url  # the same for everyone: the checker says so
        tag = self.merge_tags.get(self.token_field)
        if not tag:
            raise BrandError(
                f"The one-click unsubscribe URL needs each recipient's token: map "
                f"{self.token_field} to your ESP's merge tag in brand.toml [esp.merge_tags] "
                f'(for example {self.token_field} = "*|UNSUB_TOKEN|*"), or set '
                '[unsubscribe] one_click = "esp-tag" and esp_tag to the ESP\'s own '
                "unsubscribe link tag."
            )
        return self.unsubscribe_url.replace(TOKEN, tag)

    def example_parts(self) -> list[str]:
        """What still comes from the shipped example brand (empty for a real brand)."""
        found = []
        for label, value in (
            ("website", self.website),
            ("From", self.from_address),
            ("Reply-To", self.reply_to),
            ("unsubscribe URL", self.unsubscribe_url),
            ("unsubscribe mailbox", self.unsubscribe_mailto),
        ):
            host = (urlsplit(value).hostname or "") if "://" in value else value.rsplit("@", 1)[-1]
            host = host.strip(">").lower()
            if any(host == d or host.endswith("." + d) for d in EXAMPLE_DOMAINS):
                found.append(f"{label} ({host})")
        if EXAMPLE_STREET.lower() in self.postal_address.lower():
            found.append(f"postal address ({EXAMPLE_STREET!r})")
        return found

    @property
    def website_host(self) -> str:
        """The website without its scheme, for text people type rather than click."""
        return urlsplit(self.website).netloc or self.website

    @property
    def postal_lines(self) -> tuple[str, ...]:
        """The postal address split into lines."""
        return tuple(line.strip() for line in self.postal_address.splitlines() if line.strip())

    @property
    def is_default(self) -> bool:
        """True when no organisation file was read (the example brand is in use)."""
        return len(self.sources) <= 1


def user_brand_path() -> Path:
    """Where an organisation's own brand file is looked for when the variable is unset."""
    return platformdirs.user_config_path(APP_NAME) / "brand.toml"


def _read(path: Path) -> tuple[dict[str, Any], str]:
    return read_toml(path, where=f"brand settings {path}", error=BrandError)


def _at(path: Path, text: str, table: str | None, key: str) -> str:
    """``brand settings FILE, line N`` for ``key`` (in ``[table]``), as far as it is found."""
    line = table_line(text, table, key=key) if table else None
    if line is None:
        line = table_line(text, key) if table is None else None
    if line is None:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        line = next((n for n, t in enumerate(text.splitlines(), 1) if pattern.match(t)), None)
    return f"brand settings {path}" + (f", line {line}" if line else "")


def _merge(base: dict[str, Any], extra: Mapping[str, Any], path: Path, text: str = "") -> None:
    """Overlay ``extra`` on ``base`` key by key, refusing unknown keys (typos)."""
    for key, value in extra.items():
        if key in _TOP:
            base[key] = value
        elif key in _TABLES:
            if not isinstance(value, Mapping):
                raise BrandError(f"{_at(path, text, None, key)}: [{key}] must be a table.")
            allowed = _TABLES[key]
            table = base.setdefault(key, {})
            for sub, sub_value in value.items():
                if allowed is not None and sub not in allowed:
                    raise BrandError(
                        f"{_at(path, text, key, sub)}: unknown key {sub!r} in [{key}] "
                        f"(known: {', '.join(allowed)})."
                    )
                if key == "esp" and sub == "merge_tags":
                    if not isinstance(sub_value, Mapping):
                        raise BrandError(
                            f"brand settings {path}: [esp.merge_tags] must be a table."
                        )
                    table.setdefault("merge_tags", {}).update(sub_value)
                else:
                    table[sub] = sub_value
        else:
            known = ", ".join((*_TOP, *(f"[{t}]" for t in _TABLES)))
            raise BrandError(f"{_at(path, text, None, key)}: unknown key {key!r} (known: {known}).")


def _text(data: Mapping[str, Any], key: str, where: str, *, multiline: bool = False) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BrandError(f"brand settings: {where}{key} must be a non-empty string.")
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value) or (not multiline and "\n" in value):
        raise BrandError(f"brand settings: {where}{key} must be plain text on one line.")
    return value.strip()


def _mailbox(value: str, key: str) -> str:
    try:
        parse_address(value, strict=True)  # the one address rule (core.base.addresses)
    except AddressError as error:
        raise BrandError(
            f"brand settings: {key} = {value!r} is not an email address ({error})."
        ) from None
    return value


def _https(value: str, key: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or _UNSAFE_IN_URL.search(value):
        raise BrandError(
            f"brand settings: {key} = {value!r} must be an https:// address "
            "without spaces, quotes, commas or angle brackets."
        )
    return value


def _build(data: Mapping[str, Any], sources: tuple[str, ...]) -> Brand:
    sender, unsub = data.get("sender", {}), data.get("unsubscribe", {})
    colours_data = data.get("colours", {})
    colours: dict[str, str] = {}
    for key in _TABLES["colours"] or ():
        value = colours_data.get(key)
        if not isinstance(value, str) or not _HEX.fullmatch(value):
            raise BrandError(f"brand settings: colours.{key} = {value!r} is not a #rrggbb colour.")
        colours[key] = value
    sample = data.get("sample_recipient", {})
    for key, value in sample.items():
        if not _MERGE_NAME.fullmatch(key) or not isinstance(value, str):
            raise BrandError(
                f"brand settings: sample_recipient.{key} must be a name such as first_name "
                "with a text value."
            )
    esp = data.get("esp", {})
    tags = esp.get("merge_tags", {})
    for key, value in tags.items():
        if not _MERGE_NAME.fullmatch(key) or not isinstance(value, str) or not value.strip():
            raise BrandError(f"brand settings: esp.merge_tags.{key} must be a non-empty string.")
        if _UNSAFE_IN_TAG.search(value):
            raise BrandError(
                f'brand settings: esp.merge_tags.{key} = {value!r} may not contain < > & " '
                "or line breaks."
            )
    esp_name = esp.get("name", "")
    if not isinstance(esp_name, str):
        raise BrandError("brand settings: esp.name must be a string.")
    mailto = _text(unsub, "mailto", "unsubscribe.")
    one_click = unsub.get("one_click", "url-template")
    if one_click not in ONE_CLICK_MODES:
        raise BrandError(
            f"brand settings: unsubscribe.one_click = {one_click!r}; use "
            f"{' or '.join(ONE_CLICK_MODES)}."
        )
    url = _text(unsub, "url", "unsubscribe.")
    esp_tag = ""
    token_field = unsub.get("token_field", "unsubscribe_token")
    if not isinstance(token_field, str) or not _MERGE_NAME.fullmatch(token_field):
        raise BrandError("brand settings: unsubscribe.token_field must be a name like unsub_token.")
    if one_click == "esp-tag":
        esp_tag = _text(unsub, "esp_tag", "unsubscribe.")
        if _UNSAFE_IN_TAG.search(esp_tag) or _UNSAFE_IN_URL.search(esp_tag):
            raise BrandError(
                f"brand settings: unsubscribe.esp_tag = {esp_tag!r} may not contain spaces, "
                "quotes, commas or angle brackets (it goes inside List-Unsubscribe's <...>)."
            )
    elif url.count(TOKEN) > 1:
        raise BrandError(f"brand settings: unsubscribe.url = {url!r} holds {TOKEN} twice.")
    return Brand(
        name=_text(data, "name", ""),
        logo_alt=_text(data, "logo_alt", ""),
        website=_https(_text(data, "website", ""), "website"),
        postal_address=_text(data, "postal_address", "", multiline=True),
        from_address=_mailbox(_text(sender, "from", "sender."), "sender.from"),
        reply_to=_mailbox(_text(sender, "reply_to", "sender."), "sender.reply_to"),
        unsubscribe_url=_https(url.replace(TOKEN, "TOKEN"), "unsubscribe.url").replace(
            "TOKEN", TOKEN
        )
        if TOKEN in url
        else _https(url, "unsubscribe.url"),
        unsubscribe_mailto=_mailbox(mailto.removeprefix("mailto:"), "unsubscribe.mailto"),
        colours=Colours(**colours),
        sample_recipient=MappingProxyType(dict(sample)),
        esp_name=esp_name.strip(),
        merge_tags=MappingProxyType({k: v.strip() for k, v in tags.items()}),
        sources=sources,
        one_click=one_click,
        esp_tag=esp_tag,
        token_field=token_field,
    )


def load_brand(path: Path | None = None, *, env: Mapping[str, str] = os.environ) -> Brand:
    """The brand settings: defaults overridden by ``path``, ``EMAIL_CRISIS_BRAND`` or the user file.

    A file named explicitly (argument or variable) must exist; the user file is optional.
    Raises ``BrandError`` naming the file and the key at fault.
    """
    data: dict[str, Any] = {}
    _merge(data, _read(DEFAULTS_PATH)[0], DEFAULTS_PATH)
    sources = [str(DEFAULTS_PATH)]
    chosen = path or (Path(env[BRAND_ENV]).expanduser() if env.get(BRAND_ENV) else None)
    if chosen is None and user_brand_path().is_file():
        chosen = user_brand_path()
    if chosen is not None:
        found, text = _read(chosen)
        _merge(data, found, chosen, text)
        sources.append(str(chosen))
    try:
        return _build(data, tuple(sources))
    except BrandError as error:
        where = f" (from {chosen})" if chosen is not None else ""
        raise BrandError(f"{error}{where}") from None
