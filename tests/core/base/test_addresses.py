"""The one address rule (core/base/addresses.py): keys, IDNA, NFC, strict sender checks.

Test vectors for the IDNA and NFC forms are those of email-validator's README
(github.com/JoshData/python-email-validator: "Unicode NFC normalization", "conversion
from Punycode to Unicode", "replacement of fullwidth and halfwidth characters in the
domain part") and RFC 5890/UTS #46 (``xn--exmple-cua`` is the A-label of ``exämple``).
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from email_crisis.core.base.addresses import (
    ADDRESS_PATTERN,
    ASCII_ADDRESS_LINES,
    AddressError,
    address_key,
    domain_of,
    parse_address,
)


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("Zoë@Exämple.fr", "zoë@xn--exmple-cua.fr"),
        ("Zoë@xn--exmple-cua.fr", "zoë@xn--exmple-cua.fr"),  # its punycode form
        ("ZOE\u0308@EXA\u0308MPLE.FR", "zoë@xn--exmple-cua.fr"),  # NFD, upper case
        ("jose@exämple.com", "jose@xn--exmple-cua.com"),
        ("josé@exämple.com", "josé@xn--exmple-cua.com"),  # josé and jose: two people
        ("me@Ｄｏｍａｉｎ.com", "me@domain.com"),  # fullwidth domain (UTS #46 mapping)
        ("Zoë Martin <Zoë@Exämple.fr>", "zoë@xn--exmple-cua.fr"),
        ("Ana.Lee+promo@Example.COM", "ana.lee+promo@example.com"),
    ],
)
def test_one_person_one_key(value: str, key: str) -> None:
    assert address_key(value) == key
    assert parse_address(value).key == key


def test_unicode_and_ascii_views_of_the_domain() -> None:
    found = parse_address("Zoë@xn--exmple-cua.fr")
    assert (found.local, found.domain, found.unicode_domain) == (
        "Zoë",
        "xn--exmple-cua.fr",
        "exämple.fr",
    )
    assert not found.ascii_only and parse_address("a@b.fr").ascii_only
    assert domain_of(found.key) == "xn--exmple-cua.fr"


@pytest.mark.parametrize(
    "value",
    ["", "ana", "@x.fr", "ana@", "a b@x.fr", "ana@x", "ana@ex\u2603ample..fr", "ana@-x.fr\u00e9."],
)
def test_not_addresses(value: str) -> None:
    assert address_key(value) is None
    with pytest.raises(AddressError):
        parse_address(value)


def test_strict_is_for_addresses_we_send_from() -> None:
    assert parse_address("care@example.com", strict=True).key == "care@example.com"
    assert parse_address("Soin <soin@exämple.fr>", strict=True).display_name == "Soin"
    for bad in ("a..b@example.com", "care@mail.test", ".care@example.com"):
        assert address_key(bad) is not None  # fine for counting people in a list...
        with pytest.raises(AddressError):
            parse_address(bad, strict=True)  # ...not as a sender


def test_no_network_is_ever_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dns", None)  # importing dnspython would fail
    monkeypatch.setitem(sys.modules, "dns.resolver", None)
    assert parse_address("care@exämple.fr", strict=True).domain == "xn--exmple-cua.fr"


ASCII_ADDRESS = st.from_regex(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,20}@([A-Za-z0-9-]{1,10}\.){1,3}[A-Za-z]{2,6}",
    fullmatch=True,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(ASCII_ADDRESS)
def test_an_ascii_key_is_its_lower_cased_self(value: str) -> None:
    """ASCII input keeps exactly the key it had before the rule existed."""
    assert ADDRESS_PATTERN.fullmatch(value.lower())
    assert address_key(value) == value.lower() == parse_address(value).key


def _bulk_accepts(value: str) -> bool:
    return ASCII_ADDRESS_LINES.fullmatch(value + "\n") is not None


def _rule_accepts_as_ascii(value: str) -> bool:
    return value.isascii() and ADDRESS_PATTERN.fullmatch(value) is not None


SHAPES = (
    "a{c}b@example.com",
    "{c}@example.com",
    "ab@exa{c}mple.com",
    "ab@{c}.com",
    "ab@example.c{c}m",
    "ab@example.{c}{c}",
    "ab@ex{c}{c}ample.com",
)


def test_the_bulk_pattern_accepts_the_ascii_addresses_of_the_rule_and_no_other() -> None:
    """ASCII_ADDRESS_LINES (the audience import's bulk check) against ADDRESS_PATTERN:
    every character up to U+00FF and a few beyond, in every part of an address."""
    characters = [chr(n) for n in range(0x100)] + ["é", "ß", "ı", "İ", "Σ", "\u2028", "ｅ", "😀"]
    for shape in SHAPES:
        for c in characters:
            value = shape.format(c=c)
            if "\n" not in value:
                assert _bulk_accepts(value) == _rule_accepts_as_ascii(value), repr(value)
    for value in ("a" * 64 + "@example.com", "a@" + "b" * 63 + ".com", "a@b." + "c" * 63):
        assert _bulk_accepts(value) and _rule_accepts_as_ascii(value)
    for value in ("a" * 65 + "@example.com", "a@b." + "c" * 64, "a@b.c", "a@example"):
        assert not _bulk_accepts(value) and not _rule_accepts_as_ascii(value)


NEAR_ADDRESS = st.text(
    alphabet=st.sampled_from(list("aZ09.@-_+'\"<>()[]\\,;: \t\x00\x7f\x1féÉ!#~")) | st.characters(),
    max_size=30,
)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(NEAR_ADDRESS, NEAR_ADDRESS, NEAR_ADDRESS)
def test_the_bulk_pattern_agrees_with_the_rule_on_random_text(
    local: str, domain: str, tld: str
) -> None:
    for value in (f"{local}@{domain}.{tld}", f"{local}@{domain}", local):
        if "\n" not in value:
            assert _bulk_accepts(value) == _rule_accepts_as_ascii(value), repr(value)


def test_the_bulk_pattern_stops_at_the_first_line_that_is_not_an_address() -> None:
    lines = ["ana@example.com", "bo.lee+x@mail.example.co.uk", "Cy@Example.com", "zoë@ex.fr"]
    lines += ["dee@example.com"]
    text = "\n".join(lines) + "\n"
    end = ASCII_ADDRESS_LINES.match(text).end()  # type: ignore[union-attr]
    assert text[:end].splitlines() == lines[:3]
    assert ASCII_ADDRESS_LINES.match(text, end + len("zoë@ex.fr\n")).end() == len(text)  # type: ignore[union-attr]
