"""Whether a breach-notification obligation applies to what the assessment records.

Pure functions of one ``Obligation`` and one ``Assessment``: where the affected people
live (the regions and states typed, and the counts per place), the kinds of data
exposed, the cause, whether you hold the data for a client, and the thresholds.

A threshold compares the jurisdiction's own residents, as the laws are written ("more
than 500 California residents"), not the breach's total. When the counts per place
leave people unplaced (a list without a country for some rows, or counts that do not
add up to the total), those people could live anywhere: an obligation they could bring
over its threshold still shows, with a caveat saying so. Only an obligation that cannot
apply is hidden, with a note saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

from email_crisis.core.assess.assessment import Assessment
from email_crisis.core.assess.obligations import Obligation
from email_crisis.core.assess.places import (
    PROVINCES,
    REGIONS,
    UNKNOWN,
    US_STATES,
    count_in,
    key_region,
)

DATA_HIDDEN = "data"
CAUSE_HIDDEN = "cause"
BELOW_THRESHOLD = "threshold"


@dataclass(frozen=True)
class Verdict:
    """Whether ``obligation`` applies; if not, why (``hidden``, and a ``note`` in words);
    if it applies only possibly, the ``caveat`` that says so."""

    applies: bool
    hidden: str = ""
    note: str = ""
    caveat: str = ""


def present_regions(a: Assessment) -> frozenset[str]:
    """Regions typed, and those of the counts per place with anyone in them."""
    counted = {key_region(key) for key, count in a.affected_by_place if count > 0}
    return frozenset(a.regions | {region for region in counted if region is not None})


def present_states(a: Assessment) -> frozenset[str]:
    """US states typed, and those of the counts per place with anyone in them."""
    counted = {key[3:] for key, count in a.affected_by_place if key.startswith("US-") and count}
    return frozenset(a.us_states | counted)


def present_provinces(a: Assessment) -> frozenset[str]:
    """Canadian provinces with rules of their own that the counts per place name."""
    return frozenset(
        key[3:] for key, count in a.affected_by_place if key.startswith("CA-") and count
    )


def reaches(o: Obligation, a: Assessment) -> bool:
    """Whether someone affected lives where ``o`` applies (and you are in its role)."""
    if o.role == "processor" and not a.processor_for_client:
        return False
    if o.region not in present_regions(a):
        return False
    if o.us_state is not None:
        return o.us_state in present_states(a)
    if o.ca_province is not None:
        return o.ca_province in present_provinces(a)
    return True


def triggered_by_data(o: Obligation, a: Assessment) -> bool:
    """Whether the kinds of data exposed are the kinds ``o`` covers."""
    if o.data is None and o.data_with_name is None:
        return True
    exposed = a.data_exposed - {"none"}
    if o.data and exposed & o.data:
        return True
    return bool(o.data_with_name and "names" in exposed and exposed & o.data_with_name)


def fits_cause(o: Obligation, a: Assessment) -> bool:
    """``only_if_cause`` and ``unless_cause`` against the cause recorded (unknown: not in)."""
    if o.only_if_cause is not None and a.cause not in o.only_if_cause:
        return False
    return a.cause not in o.unless_cause


def place_name(o: Obligation) -> str:
    """``California``, ``Québec``, ``EU/EEA``: where the obligation's residents live."""
    if o.us_state:
        return US_STATES[o.us_state]
    if o.ca_province:
        return PROVINCES[o.ca_province]
    return REGIONS[o.region]


def residents(o: Obligation, a: Assessment) -> tuple[int | None, int | None]:
    """(known, possible): the people counted in ``o``'s jurisdiction, and at most how many
    could live there (the known ones plus everyone not placed). ``None``: not recorded."""
    total = a.affected_count if a.affected_count is not None else (a.people_placed or None)
    if o.threshold_scope == "total":
        return total, total
    if not a.affected_by_place:
        return None, total
    known = count_in(a.affected_by_place, o.region, o.us_state, o.ca_province)
    placed = sum(count for key, count in a.affected_by_place if key != UNKNOWN)
    unplaced = max(0, (total or 0) - placed)
    return known, known + unplaced


def threshold(o: Obligation, a: Assessment) -> Verdict:
    """Whether ``o``'s minimum number of people is reached (or could be)."""
    minimum = o.min_affected
    if minimum is None:
        return Verdict(True)
    exposed = a.data_exposed - {"none"}
    if a.cause in o.any_size_causes or exposed & o.any_size_data:
        return Verdict(True)
    known, possible = residents(o, a)
    where = "in all" if o.threshold_scope == "total" else f"in {place_name(o)}"
    if known is not None and known >= minimum:
        return Verdict(True)
    if possible is not None and possible < minimum:
        if known is None or o.threshold_scope == "total":
            why = f"only {possible:,} affected in all"
        else:
            why = f"{known:,} affected {where}"
        return Verdict(False, BELOW_THRESHOLD, f"{o.label} ({why}; from {minimum:,})")
    if known is None:
        caveat = (
            f"May apply: it does from {minimum:,} people {where}; record how many live "
            "there in Affected per place."
        )
    else:
        caveat = (
            f"May apply: {known:,} affected are known to live {where} and {possible - known:,} "
            f"more live in places not recorded; it applies from {minimum:,}."
        )
    return Verdict(True, caveat=caveat)


def verdict(o: Obligation, a: Assessment) -> Verdict | None:
    """``None`` when nobody affected lives where ``o`` applies; else whether it applies."""
    if not reaches(o, a):
        return None
    if not fits_cause(o, a):
        return Verdict(False, CAUSE_HIDDEN)
    if not triggered_by_data(o, a):
        return Verdict(False, DATA_HIDDEN, o.label)
    return threshold(o, a)
