"""Which lines of a group need an export licence (the country rules' `export_licence`
rules), and the shop's licence for each (the compliance profile's keyed lines). Issuing
refuses the documents, naming every line without one."""

from __future__ import annotations

from channels.export_control import licences_needed

from .. import clock
from ..compliance.licences import licence_for, parse
from ..errors import InputError
from ..markets.rules import current_rules
from ..orders.tables import OrderGroup


class ExportLicenceMissing(InputError):
    """A line needs an export licence the compliance profile does not hold; `missing`
    lists each as {sku, hs_code, destination, rule, reason}."""

    code = "export_licence_missing"
    status = 409

    def __init__(self, missing: list[dict]):
        named = "; ".join(
            f"{m['sku']} (HS {m['hs_code']}) to {m['destination']}: {m['reason']}" for m in missing
        )
        # back-office text (staff, agents and suppliers pack), in English
        super().__init__(
            f"No export licence for {named}. Add each to the compliance profile "
            "(like 7113 → RU: LIC-123) before the documents can be issued.",
            field="export_licences",
        )
        self.missing = missing


def add_licences(group: OrderGroup, lines: list[dict], profile) -> None:
    """Set `export_licence` (the number, or None) on each of the built `lines`; raise
    ExportLicenceMissing, changing nothing saved, when one needs a licence the shop lacks."""
    rules = current_rules().export_licences
    destination, day = group.order.country, clock.today()
    held = parse(profile.export_licences if profile is not None else "")
    missing = []
    for line in lines:
        line["export_licence"] = None
        needed = licences_needed(rules, line["hs_code"], destination, group.ship_from, day)
        if not needed:
            continue
        licence = licence_for(held, line["hs_code"], destination)
        if licence is not None:
            line["export_licence"] = licence.number
            continue
        missing.extend(
            {"sku": line["sku"], "hs_code": line["hs_code"], "destination": destination,
             "rule": rule.id, "reason": rule.reason}
            for rule in needed[:1]
        )  # fmt: skip
    if missing:
        raise ExportLicenceMissing(missing)
