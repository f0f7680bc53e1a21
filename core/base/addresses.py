"""One rule for email addresses, used by every step (audience, suppression, sender, brand).

``parse_address`` is the rule. It takes what someone typed or a file held (``Name
<a@b.c>`` is accepted for the address inside the brackets) and gives an ``Address``, or
raises ``AddressError`` saying why not. Two spellings of one mailbox give one ``key``:

- the domain is converted to its ASCII (IDNA 2008, UTS #46) form, so ``exämple.fr``,
  ``EXÄMPLE.FR``, a fullwidth ``ｅｘäｍｐｌｅ.fr`` and ``xn--exmple-cua.fr`` are one domain;
- the whole address is in Unicode NFC, so ``é`` typed as one character or as ``e`` and a
  combining accent is one address;
- the key lower-cases the local part too. RFC 5321 lets a server tell ``Bob@`` from
  ``bob@``, but no real mailbox provider does, and for deciding who must not be mailed
  (suppression lists) one person must never count as two.

``jose@`` and ``josé@`` stay different people: accents in the local part are kept.

Plain ASCII addresses, the overwhelming majority, never reach the IDNA library: their
key is the lower-cased text, checked by one regular expression (``ADDRESS_PATTERN``);
``address_key`` is that fast path for bulk use (an audience of a million rows). The key
of an ASCII address is therefore exactly what it was before this rule existed.

``strict=True`` is for addresses we send from or print in a header (From, Reply-To, the
brand's addresses): on top of the rule, the address must be valid for sending in the
sense of RFC 5322/6531, checked by ``email-validator`` with its DNS checks off (nothing
ever goes to the network), which also refuses special-use domains such as ``.test``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_ADDRESS = 254
MAX_LOCAL = 64
_NOT_IN_ADDRESS = r"\s\x00-\x1f\x7f<>()\[\]\\,;:\"@"


def _shape(local: str, label: str) -> str:
    """An address made of these character classes (local part, domain label)."""
    return rf"{local}{{1,64}}@(?:{label}+\.)+{label}{{2,63}}"


ADDRESS_PATTERN = re.compile(_shape(f"[^{_NOT_IN_ADDRESS}]", f"[^{_NOT_IN_ADDRESS}.]"))
"""The pragmatic shape every address must have once its domain is in ASCII: one ``@``, a
local part of 1-64 characters without spaces or separators, a dotted domain."""


def _ascii_class(*, dot: bool, excluded: str) -> str:
    """The ASCII characters ``ADDRESS_PATTERN`` accepts in a local part (``dot``) or in
    a domain label, less ``excluded``, as a class listing them (much faster than a
    negated class reaching U+10FFFF)."""
    accepted = re.compile(f"[^{_NOT_IN_ADDRESS}]" if dot else f"[^{_NOT_IN_ADDRESS}.]")
    listed = (c for c in map(chr, range(128)) if accepted.match(c) and c not in excluded)
    return "[" + "".join(map(re.escape, listed)) + "]"


def ascii_address_pattern(excluded: str = "") -> str:
    """The text of a regular expression for a plain ASCII address under
    ``ADDRESS_PATTERN`` made of none of the characters ``excluded`` (a CSV delimiter)."""
    return _shape(
        _ascii_class(dot=True, excluded=excluded), _ascii_class(dot=False, excluded=excluded)
    )


ASCII_ADDRESS_LINES = re.compile(f"(?:{ascii_address_pattern()}\n)*")
"""Consecutive lines that are each a plain ASCII address under ``ADDRESS_PATTERN``, each
ended by a line break: ``match(text, pos).end()`` is where the first other line starts.
For bulk checks (``core.assess.audience.reader``), one call for hundreds of addresses."""


class AddressError(ValueError):
    """Not an email address; the message says why (and never quotes a long value)."""


@dataclass(frozen=True)
class Address:
    """One mailbox: the local part as written (NFC) and the domain in ASCII, lower case."""

    local: str
    domain: str
    display_name: str = ""

    @property
    def key(self) -> str:
        """What identifies the person: local part lower-cased, ASCII domain."""
        return f"{self.local.lower()}@{self.domain}"

    @property
    def unicode_domain(self) -> str:
        """The domain as people read it (``exämple.fr`` for ``xn--exmple-cua.fr``)."""
        return _decode_domain(self.domain)

    @property
    def ascii_only(self) -> bool:
        """True when the whole address is ASCII (no SMTPUTF8 needed to send to it)."""
        return self.local.isascii()

    def __str__(self) -> str:
        return f"{self.local}@{self.domain}"


def _inside_brackets(text: str) -> tuple[str, str]:
    """(display name, address) for ``Name <a@b.c>``; ('', text) otherwise."""
    if text.endswith(">") and "<" in text:
        cut = text.rindex("<")
        return text[:cut].strip().strip('"').strip(), text[cut + 1 : -1].strip()
    return "", text


def _ascii_domain(domain: str) -> str:
    """The IDNA (UTS #46, non-transitional) form of a Unicode domain."""
    import idna  # loaded only for the rare non-ASCII address

    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        raise AddressError("the domain is not a valid internationalised domain name") from None


def _decode_domain(domain: str) -> str:
    if "xn--" not in domain:
        return domain
    import idna

    try:
        return str(idna.decode(domain))
    except (idna.IDNAError, UnicodeError, ValueError):
        return domain


def parse_address(text: str, *, strict: bool = False) -> Address:
    """The address in ``text``, normalised, or ``AddressError`` (see the module docstring)."""
    if not isinstance(text, str):
        raise AddressError("not text")
    name, spec = _inside_brackets(text.strip())
    if not spec.isascii():
        spec = unicodedata.normalize("NFC", spec)
    local, at, domain = spec.rpartition("@")
    if not at or not local or not domain:
        raise AddressError("no local part and domain around one @")
    if not domain.isascii():
        domain = _ascii_domain(domain)
    found = Address(local, domain.lower(), name)
    checked = found.key
    if len(checked) > MAX_ADDRESS or not ADDRESS_PATTERN.fullmatch(checked):
        raise AddressError("not an email address like name@example.com")
    if strict:
        _strict(found)
    return found


def _strict(address: Address) -> None:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(
            str(address), check_deliverability=False, allow_smtputf8=True, allow_quoted_local=False
        )
    except EmailNotValidError as error:
        raise AddressError(str(error).rstrip(".")) from None


def address_key(text: str) -> str | None:
    """``parse_address(text).key``, or ``None`` when ``text`` is not an address.

    The bulk form of the rule: an ASCII address costs one ``lower`` and one regular
    expression match, without building an ``Address``.
    """
    value = text.strip()
    low = value.lower()
    if low.isascii() and "<" not in low:
        return low if len(low) <= MAX_ADDRESS and ADDRESS_PATTERN.fullmatch(low) else None
    try:
        return parse_address(value).key
    except AddressError:
        return None


def domain_of(key: str) -> str:
    """The domain part of a key (ASCII form): what a breach rule reads for the country."""
    return key.rpartition("@")[2]
