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
