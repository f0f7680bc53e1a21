"""The audience's use of the one address rule (core/base/addresses.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from email_crisis.core.assess.audience import build as audience
from email_crisis.core.assess.audience.sniff import normalise
from email_crisis.core.base.domain import Incident
from email_crisis.core.store.database import Store
from tests.core.assess.audience.conftest import WriteFile
from tests.core.assess.audience.support import csv_lines


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
        ("Zoë@Exämple.fr", "zoë@xn--exmple-cua.fr"),  # IDNA: the domain's ASCII form
        ("zoë@XN--EXMPLE-CUA.FR", "zoë@xn--exmple-cua.fr"),
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


def test_unicode_and_punycode_forms_of_one_address_are_subtracted_as_one(
    store: Store, incident: Incident, write: WriteFile, tmp_path: Path
) -> None:
    """Issue 14's suppression bypass: a suppressed person must not be mailed because the
    affected list spells the domain in punycode, or the accent in NFD."""
    affected = csv_lines(
        "email",
        "Zoë@xn--exmple-cua.fr",  # suppressed below as Zoë@Exämple.fr
        "jose\u0301@xn--exmple-cua.com",  # NFD josé, punycode domain
        "jose@exämple.com",  # jose, not josé: another person, still mailed
        "ana@example.com",
    )
    suppressed = csv_lines("email", "Zoë@Exämple.fr", "josé@EXÄMPLE.com")
    audience.import_list(store, incident, write("a.csv", affected), role="affected", operator="x")
    audience.import_list(
        store, incident, write("s.csv", suppressed), role="suppressed", operator="x"
    )
    counts = audience.audience_counts(store, incident.id)
    assert (counts.affected, counts.suppressed, counts.final) == (4, 2, 2)
    out = audience.export_audience(store, incident, tmp_path / "out.csv", operator="x")
    assert out.path.read_text(encoding="utf-8").splitlines() == [
        "email",
        "ana@example.com",
        "jose@xn--exmple-cua.com",  # the ASCII form every mail server accepts
    ]
