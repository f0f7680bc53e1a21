"""The pragmatic address check and normalisation."""

from __future__ import annotations

import pytest

from email_crisis.core.assess.audience.sniff import normalise


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ana@example.com", "ana@example.com"),
        ("  Ana.Lee+promo@Example.COM\t", "ana.lee+promo@example.com"),
        ("ANA@EXAMPLE.CO.UK", "ana@example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("Ana Lee <Ana@Example.com>", "ana@example.com"),
        ("ZOË@exemple.fr", "zoë@exemple.fr"),
        ("zoe\u0308@exemple.fr", "zoë@exemple.fr"),  # NFC: e + combining diaeresis
        ("a" * 64 + "@example.com", "a" * 64 + "@example.com"),
        ("a" * 65 + "@example.com", None),  # local part over 64
        ("", None),
        ("ana", None),
        ("ana@", None),
        ("@example.com", None),
        ("ana@example", None),  # no dot in the domain
        ("ana@example.c", None),  # one-letter top-level domain
        ("ana@@example.com", None),
        ("ana@bo@example.com", None),
        ("ana lee@example.com", None),
        ("ana@exa mple.com", None),
        ("ana@example..com", None),
        ("ana@.example.com", None),
        ("ana@example.com.", None),
        ("ana,bo@example.com", None),
        ("ana;bo@example.com", None),
        ('"ana"@example.com', None),
        ("ana@example.com\x1b[31m", None),
        ("ana\x00@example.com", None),
        ("<ana@example.com", None),
    ],
)
def test_normalise(value: str, expected: str | None) -> None:
    assert normalise(value) == expected


def test_the_length_limit_is_254() -> None:
    domain = ".".join(["d" * 60] * 4) + ".com"
    local = "a" * (254 - 1 - len(domain))
    assert normalise(f"{local}@{domain}") == f"{local}@{domain}"
    assert normalise(f"{local}a@{domain}") is None
