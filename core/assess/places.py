"""Where the affected people live: the places the breach rules know, and counts per place.

A *place* is a region of the rules (``eu-eea``, ``uk``, ``us``…, ``other`` for elsewhere),
a US state (``US-CA``), a Canadian province with rules of its own (``CA-QC``), or
``unknown``. Counts per place are kept as ``Places``: a tuple of ``(place, count)`` pairs
in a fixed order, so an assessment stays a frozen, comparable value. A region's own entry
counts the people of that region outside the subdivisions listed (``us 5`` beside
``CA 60`` means 65 people in the United States).

The operator types counts as ``CA 60, TX 10, EU 200, UK 80`` (``parse_places``). Two
letters are a US state when one has that code (``CA`` California, ``DE`` Delaware,
``IN`` Indiana), ``QC`` is Québec, ``EU``, ``UK`` and ``US`` are those regions, and any
other two letters are an ISO country code (``FR`` France, counted in EU/EEA). Countries
can also be written by name (``Canada``, ``India``, ``Germany``).

An imported list's country and state columns (``place_of``), or failing those the
country code of an address's domain (``place_of_domain``, a guess), give each address
its place; the tables behind both are in ``core/assess/data/places.toml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from email_crisis.core.base.text import visible

REGIONS: dict[str, str] = {
    "eu-eea": "EU/EEA",
    "uk": "United Kingdom",
    "us": "United States",
    "canada": "Canada",
    "australia": "Australia",
    "brazil": "Brazil",
    "singapore": "Singapore",
    "japan": "Japan",
    "south-korea": "South Korea",
    "switzerland": "Switzerland",
    "south-africa": "South Africa",
    "india": "India",
    "other": "Elsewhere",
}
"""Where the affected people live: the regions the breach rules know."""

_US_STATE_LIST = (
    "AL=Alabama AK=Alaska AZ=Arizona AR=Arkansas CA=California CO=Colorado "
    "CT=Connecticut DE=Delaware DC=District of Columbia FL=Florida GA=Georgia "
    "HI=Hawaii ID=Idaho IL=Illinois IN=Indiana IA=Iowa KS=Kansas KY=Kentucky "
    "LA=Louisiana ME=Maine MD=Maryland MA=Massachusetts MI=Michigan MN=Minnesota "
    "MS=Mississippi MO=Missouri MT=Montana NE=Nebraska NV=Nevada NH=New Hampshire "
    "NJ=New Jersey NM=New Mexico NY=New York NC=North Carolina ND=North Dakota "
    "OH=Ohio OK=Oklahoma OR=Oregon PA=Pennsylvania RI=Rhode Island "
    "SC=South Carolina SD=South Dakota TN=Tennessee TX=Texas UT=Utah VT=Vermont "
    "VA=Virginia WA=Washington WV=West Virginia WI=Wisconsin WY=Wyoming "
    "PR=Puerto Rico GU=Guam VI=US Virgin Islands"
)
US_STATES: dict[str, str] = dict(re.findall(r"([A-Z]{2})=(.+?)(?= [A-Z]{2}=|$)", _US_STATE_LIST))
"""US states (plus DC and the territories with breach laws), code to name."""

PROVINCES: dict[str, str] = {"QC": "Québec"}
"""Canadian provinces with breach rules of their own, code to name."""

UNKNOWN = "unknown"
PLACES_MAX = 200  # more distinct places than any breach has: a paste gone wrong
COUNT_MAX = 10_000_000_000  # more than every mailbox on Earth: a typo, not a count

Places = tuple[tuple[str, int], ...]


class PlaceError(ValueError):
    """Text typed as counts per place that cannot be read; the message says why."""


def word_pairs(text: str) -> dict[str, str]:
    """``"a=b c=d"`` as ``{"a": "b", "c": "d"}``: alias tables kept readable."""
    return dict(pair.split("=") for pair in text.split())


REGION_ALIASES = word_pairs(
    "eu=eu-eea eea=eu-eea eu/eea=eu-eea gb=uk united-kingdom=uk usa=us united-states=us "
    "au=australia br=brazil sg=singapore jp=japan kr=south-korea korea=south-korea "
    "ch=switzerland za=south-africa in=india elsewhere=other"
)
"""What operators type instead of region ids (region labels are accepted too)."""


# -- keys --------------------------------------------------------------------------------


def state_key(code: str) -> str:
    """``US-CA`` for California."""
    return f"US-{code}"


def province_key(code: str) -> str:
    """``CA-QC`` for Québec."""
    return f"CA-{code}"


def key_region(key: str) -> str | None:
    """The region a place belongs to (``US-CA`` -> ``us``); ``None`` for ``unknown``."""
    if key.startswith("US-"):
        return "us"
    if key.startswith("CA-"):
        return "canada"
    return None if key == UNKNOWN else key


def key_short(key: str) -> str:
    """How a place is written back in the form: ``CA``, ``QC``, ``eu-eea``, ``unknown``."""
    return key[3:] if key.startswith(("US-", "CA-")) else key


def key_label(key: str) -> str:
    """``California``, ``Québec``, ``EU/EEA``, ``unknown place``."""
    if key.startswith("US-"):
        return US_STATES[key[3:]]
    if key.startswith("CA-"):
        return PROVINCES[key[3:]]
    return "unknown place" if key == UNKNOWN else REGIONS[key]


def _order(key: str) -> tuple[int, int, str]:
    region = key_region(key)
    if region is None:
        return (len(REGIONS), 0, "")
    return (list(REGIONS).index(region), 0 if key == region else 1, key)


def canonical(counts: Mapping[str, int] | Iterable[tuple[str, int]]) -> Places:
    """Counts per place in the fixed order: regions as listed, each followed by its parts."""
    items = dict(counts.items() if isinstance(counts, Mapping) else counts)
    return tuple(sorted(items.items(), key=lambda item: _order(item[0])))


def count_in(places: Places, region: str, us_state: str | None, province: str | None) -> int:
    """People of ``places`` living in a jurisdiction (a region counts all of its parts)."""
    if us_state is not None:
        return dict(places).get(state_key(us_state), 0)
    if province is not None:
        return dict(places).get(province_key(province), 0)
    return sum(count for key, count in places if key_region(key) == region)


def format_places(places: Places) -> str:
    """``eu-eea 180, uk 80, CA 60, QC 5``: what ``parse_places`` reads back."""
    return ", ".join(f"{key_short(key)} {count}" for key, count in places)


def describe_places(places: Places) -> str:
    """``EU/EEA 180, United Kingdom 80, California 60``: the places in words."""
    return ", ".join(f"{key_label(key)} {count:,}" for key, count in places)


# -- the tables of data/places.toml ----------------------------------------------------------

DATA_FILE = Path(__file__).resolve().parent / "data" / "places.toml"
_US_TERRITORIES = frozenset({"PR", "GU", "VI"})  # ISO country codes that are also in US_STATES


def _fold(text: str) -> str:
    """Lower case, NFC, single spaces: how names are compared."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).strip().lower())


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """(country code -> place, name or alias -> country code, province word -> code,
    top-level domain -> place), read once from the data file."""
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    region_of = {code: region for region, codes in data["regions"].items() for code in codes}
    country: dict[str, str] = {}
    for code in data["iso_codes"].split():
        if code in _US_TERRITORIES:  # they have US breach laws of their own
            country[code] = state_key(code)
        else:
            country[code] = region_of.get(code, "other")
    names = {_fold(alias): code for alias, code in data["aliases"].items()}
    names |= {_fold(name): code for name, code in data["names"].items()}
    provinces: dict[str, str] = {}
    for code, words in data["provinces"].items():
        provinces[code.lower()] = code
        provinces |= {_fold(word): code for word in words}
    domains = {code.lower(): place for code, place in country.items()}
    domains |= dict(data["domains"]["regions"])
    for generic in data["domains"]["generic"]:
        domains.pop(generic, None)
    return country, names, provinces, domains


def _country(text: str) -> str | None:
    """The place of a country written as a code, an alias or a name."""
    country, names, _, _ = _tables()
    folded = _fold(text)
    code = names.get(folded) or (folded.upper() if len(folded) == 2 else "")
    return country.get(code)


def _province(text: str) -> str | None:
    """``CA-QC`` for Québec, ``canada`` for another province, else ``None``."""
    code = _tables()[2].get(_fold(text))
    if code is None:
        return None
    return province_key(code) if code in PROVINCES else "canada"


_STATE_NAMES = {_fold(name): code for code, name in US_STATES.items()}


def _us_state(text: str) -> str | None:
    folded = _fold(text)
    code = folded.upper() if folded.upper() in US_STATES else _STATE_NAMES.get(folded)
    return state_key(code) if code else None


# -- typed counts ----------------------------------------------------------------------------

_REGION_WORDS = {
    **{_fold(key): key for key in REGIONS},
    **{_fold(label): key for key, label in REGIONS.items()},
    **{_fold(word): key for word, key in REGION_ALIASES.items()},
}
_ITEM = re.compile(r"(?P<place>.*?)\s*[:=]?\s*(?P<count>-?[0-9][0-9_ \u202f\u00a0']*)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_UNKNOWN_WORDS = frozenset({"unknown", "?", "unknown place", "not known"})


def resolve_place(text: str) -> str | None:
    """The place a typed name or code stands for, or ``None`` if none fits."""
    word = _fold(text)
    if word in _UNKNOWN_WORDS:
        return UNKNOWN
    subdivision = re.fullmatch(r"(us|ca)-([a-z]{2})", word)
    if subdivision:
        country, code = subdivision.groups()
        if country == "us":
            return _us_state(code)
        return _province(code) or None
    if len(word) == 2:
        upper = word.upper()
        if upper in US_STATES:
            return state_key(upper)
        if upper in PROVINCES:
            return province_key(upper)
    if word in _REGION_WORDS:
        return _REGION_WORDS[word]
    return _us_state(word) or _province(word) or _country(word)


def _quote(text: str) -> str:
    """Typed text quoted in an error: one line, control characters made visible, short."""
    cut = text if len(text) <= 40 else text[:39] + "…"
    return f"'{visible(cut, single_line=True)}'"


def parse_places(raw: str) -> Places:
    """``CA 60, TX 10, EU 200, UK 80`` as counts per place; raises ``PlaceError``.

    Items are separated by commas, semicolons or new lines; a count may be written
    ``1 200`` but not ``1,200`` (the comma separates items). Empty text means not known.
    """
    counts: dict[str, int] = {}
    written: dict[str, str] = {}
    for item in (part.strip() for part in re.split(r"[,;\n]", raw)):
        if not item:
            continue
        shown = _quote(item)
        if _CONTROL.search(item):
            raise PlaceError(f"{shown} contains control characters; type it as plain text.")
        match = _ITEM.fullmatch(item)
        if match is None or not match.group("place"):
            raise PlaceError(
                f"{shown}: write a place then a whole number of people, like CA 60 or EU 200."
            )
        name = match.group("place").strip()
        number = re.sub(r"[_ \u202f\u00a0']", "", match.group("count"))
        if number.startswith("-"):
            raise PlaceError(f"{shown}: a count of people cannot be negative.")
        place = resolve_place(name)
        if place is None and re.search(r"[0-9]", name):
            raise PlaceError(f"{shown}: separate the places with commas, like CA 60, TX 10.")
        if place is None:
            raise PlaceError(
                f"{_quote(name)} is not a place the rules know: use a US state code (CA), "
                "QC, a region (EU, UK, canada, japan, other) or a country (France, India)."
            )
        if place in counts:
            raise PlaceError(
                f"{_quote(name)} and {_quote(written[place])} are the same place "
                f"({key_label(place)}); give it once."
            )
        count = int(number)
        if count > COUNT_MAX:
            raise PlaceError(f"{shown}: {count:,} people is implausibly many.")
        counts[place], written[place] = count, name
        if len(counts) > PLACES_MAX:
            raise PlaceError(f"at most {PLACES_MAX} places.")
    return canonical(counts)


# -- imported lists ------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def place_of(country: str, state: str) -> str | None:
    """The place of one row of a list from its country and state cells (``None``: unknown).

    With a country: the US and Canada look at the state (``US-CA``, ``CA-QC``), any other
    country gives its region (or ``other``). Without one, a US state or a Canadian
    province in the state cell still places the row, and so does a country written there.
    """
    place = _country(country) if country.strip() else None
    if place == "us":
        return _us_state(state) or "us"
    if place == "canada":
        return _province(state) or "canada"
    if place is not None or not state.strip():
        return place
    return _us_state(state) or _province(state) or _country(state)


def place_of_domain(address: str) -> str | None:
    """A guess at the place of an address from its domain's country code (``.fr``: EU/EEA).

    ``None`` for generic domains (``.com``, ``.org``) and for country codes sites use
    freely (``.io``, ``.co``, ``.tv``). A guess only: many people in France use ``.com``.
    """
    return _tables()[3].get(address.rpartition(".")[2])


def domain_places() -> dict[str, str]:
    """Top-level domain -> place, for callers that guess a million addresses in a row."""
    return _tables()[3]
