"""Where the affected live, from an imported list: a country/state column, else the
country code of each address's domain (a guess); counted once per address."""

from __future__ import annotations

import pytest

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.audience import build as audience
from email_crisis.core.assess.places import place_of, place_of_domain
from email_crisis.core.base.domain import Incident
from email_crisis.core.store.database import Store
from tests.core.assess.audience.conftest import WriteFile
from tests.core.assess.audience.support import csv_lines, event_log_text

# A Mailchimp-style export: "Country" holds ISO codes, "State/Province" the US state.
WITH_COUNTRY = csv_lines(
    "Email Address,First Name,Country,State/Province",
    "ana@example.com,Ana,US,CA",
    "bo@example.com,Bo,us,California",
    "BO@example.com,Bo again,US,TX",  # the same person twice: counted once
    "cy@example.com,Cy,FR,",
    "dee@example.com,Dee,Canada,Québec",
    "eve@example.com,Eve,CA,ON",  # CA in the country column is Canada
    "fay@example.com,Fay,MX,",
    "gus@example.com,Gus,,",
    "hal@example.com,Hal,Atlantis,",
)


@pytest.mark.parametrize(
    ("country", "state", "place"),
    [
        ("US", "CA", "US-CA"),
        ("United States", "new york", "US-NY"),
        ("USA", "", "us"),
        ("us", "Ontario", "us"),  # not a US state: the US, state unknown
        ("CA", "QC", "CA-QC"),
        ("Canada", "British Columbia", "canada"),
        ("DE", "Bayern", "eu-eea"),  # Germany, whatever the state column says
        ("Deutschland", "", "eu-eea"),
        ("UK", "", "uk"),
        ("GB", "Scotland", "uk"),
        ("PR", "", "US-PR"),  # Puerto Rico has its own US breach law
        ("JP", "", "japan"),
        ("Brésil", "", "brazil"),
        ("NZ", "", "other"),
        ("", "TX", "US-TX"),  # a state column alone
        ("", "Quebec", "CA-QC"),
        ("", "India", "india"),  # a country written in the region column
        ("", "", None),
        ("Atlantis", "", None),
        ("ZZ", "", None),  # not an ISO code
    ],
)
def test_place_of_a_row(country: str, state: str, place: str | None) -> None:
    assert place_of(country, state) == place


@pytest.mark.parametrize(
    ("address", "place"),
    [
        ("a@example.fr", "eu-eea"),
        ("a@shop.co.uk", "uk"),
        ("a@example.de", "eu-eea"),  # .de is Germany here: a domain is never a US state
        ("a@example.eu", "eu-eea"),
        ("a@example.ca", "canada"),
        ("a@example.jp", "japan"),
        ("a@example.com", None),
        ("a@gmail.com", None),
        ("a@startup.io", None),  # a ccTLD used by anyone
        ("a@example.co", None),
        ("a@example.nz", "other"),
    ],
)
def test_place_of_a_domain(address: str, place: str | None) -> None:
    assert place_of_domain(address) == place


def test_a_country_column_counts_each_address_once(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    stats = audience.import_list(
        store, incident, write("sent.csv", WITH_COUNTRY), role="affected", operator="ana"
    )
    assert stats.addresses == 8 and stats.duplicates == 1
    assert stats.places_source == "list"
    assert stats.places_label == '"Country" and "State/Province"'
    # bo@ appears twice (California, then Texas): one of the two, never both.
    placed = dict(stats.places)
    assert sum(placed.values()) == 8
    assert placed.get("US-CA", 0) + placed.get("US-TX", 0) == 2
    assert {k: v for k, v in placed.items() if k not in ("US-CA", "US-TX")} == {
        "eu-eea": 1,
        "canada": 1,
        "CA-QC": 1,
        "other": 1,
        "unknown": 2,
    }
    assert 'where they live, from "Country" and "State/Province"' in audience.describe_import(stats)
    lines = audience.audience_counts(store, incident.id).place_lines()
    assert lines[0] == 'affected people per place (from "Country" and "State/Province"):'
    assert any(line.split() == ["Québec", "1"] for line in lines)
    # The event log has counts per place, never an address.
    text = event_log_text(store)
    assert "CA-QC" in text and "ana@" not in text


def test_without_a_place_column_the_domains_give_a_labelled_guess(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    rows = csv_lines("email", "a@x.fr", "b@y.de", "c@z.co.uk", "d@gmail.com", "e@x.io")
    stats = audience.import_list(
        store, incident, write("plain.csv", rows), role="affected", operator="ana"
    )
    assert stats.places_source == "domains"
    assert stats.places == (("eu-eea", 2), ("uk", 1), ("unknown", 2))
    assert "country codes (a guess)" in audience.describe_import(stats)


def test_suppression_lists_are_not_placed(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    stats = audience.import_list(
        store, incident, write("unsub.csv", WITH_COUNTRY), role="suppressed", operator="ana"
    )
    assert (stats.places, stats.places_source) == ((), "")


def test_the_imported_places_go_into_the_assessment(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    stats = audience.import_list(
        store, incident, write("sent.csv", WITH_COUNTRY), role="affected", operator="ana"
    )
    assert assess.record_affected_list(store, incident, stats, operator="ana") == ""
    saved = assess.load_assessment(store, incident)
    assert saved.affected_count == 8 and saved.places_source == "list"
    assert saved.affected_by_place == stats.places
    # Counts typed by the operator that no longer fit: the import stands, the
    # assessment keeps what it had and says why.
    assess.update_assessment(store, incident, {"affected_by_place": "EU 8"}, operator="ana")
    small = audience.import_list(
        store,
        incident,
        write("fewer.csv", csv_lines("email", "a@x.fr")),
        role="affected",
        operator="ana",
    )
    kept = assess.record_affected_list(store, incident, small, operator="ana")
    assert kept.startswith("The assessment was not updated with the list's count:")
    assert "add up to 8, more than the 1 people affected" in kept


def test_an_address_given_several_times_counts_once_in_one_place(
    store: Store, incident: Incident, write: WriteFile
) -> None:
    # Each address counts once, in the greatest of the places it was given (as SQL's
    # max() picks it); "unknown" only when no row of it says where the person lives.
    rows = [
        "ana@example.com,FR,",  # eu-eea, unknown, US-TX: eu-eea (lower case sorts last)
        "ANA@example.com,,",
        "Ana@Example.com,US,TX",
        "bo@example.com,,",  # never placed: unknown, once
        "bo@example.com,,",
        "cy@example.com,JP,",  # japan then uk: uk
        "cy@example.com,GB,",
        "cy@example.com,JP,",
        "dee@example.com,JP,",  # once
    ]
    stats = audience.import_list(
        store,
        incident,
        write("sent.csv", csv_lines("Email,Country,State", *rows)),
        role="affected",
        operator="ana",
    )
    assert (stats.addresses, stats.duplicates) == (4, 5)
    assert dict(stats.places) == {"eu-eea": 1, "unknown": 1, "uk": 1, "japan": 1}
