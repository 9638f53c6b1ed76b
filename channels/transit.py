"""Days a parcel travels from the ship-from country to the buyer (estimate ranges).

A first, coarse table until shipping methods per zone carry their own times.
"""

from __future__ import annotations

EU = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    }
)
DOMESTIC = (1, 3)
WITHIN_EU = (2, 5)
INTERNATIONAL = (6, 12)


def transit_days(origin: str, destination: str) -> tuple[int, int]:
    if origin == destination:
        return DOMESTIC
    if origin in EU and destination in EU:
        return WITHIN_EU
    return INTERNATIONAL
