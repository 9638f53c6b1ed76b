"""Consignment: goods that belong to a consignor, held by a consignee who ships what sells.

A designer (the consignor) leaves pieces with a partner boutique (the consignee).
The shop lists them and sells them on the consignor's behalf; the boutique packs
and ships each sale and takes back what is returned. The boutique is set up in
the shop as a supplier, so it receives the signed order webhooks and answers
through the supplier API (accept or reject, then post the shipment).

The model only talks to the shop through `context`, the FulfilmentContext port.
"""

from __future__ import annotations

from typing import Any, ClassVar

from models_ import (
    SUPPLIER,
    Days,
    Destination,
    FulfilmentContext,
    Group,
    HoldRef,
    Line,
    LineQuote,
    Operator,
    ReturnRoute,
    SellingModelDefaults,
    SettingsError,
    ShipperRef,
)
from models_.base import check_day_range, check_declared_settings


class Consignment(SellingModelDefaults):
    code: ClassVar[str] = "consignment"
    label: ClassVar[str] = "Consignment (held and shipped by a partner boutique)"
    settings: ClassVar[dict[str, tuple[type, bool, str]]] = {
        "consignee": (str, True, "the supplier code of the boutique holding the goods"),
        "consignor": (str, True, "whose goods they are, as named on the settlement"),
        "handling_min": (int, False, "days the boutique needs to ship, at least (default 1)"),
        "handling_max": (int, False, "days the boutique needs to ship, at most (default 3)"),
    }

    # Who operates its lines: the boutique, a supplier of the shop. The shop scopes the
    # supplier API, the portal and stock reports by it (`holding_supplier` follows from it).
    def operator(self, settings: dict[str, Any]) -> Operator:
        return Operator(SUPPLIER, settings.get("consignee") or None, "consignee")

    # When a merchant chooses this model for a product (back office or API).
    def check_settings(self, raw: dict[str, Any], context: FulfilmentContext) -> dict[str, Any]:
        settings = check_declared_settings(self, raw)
        check_day_range(settings, "handling_min", "handling_max")
        if context.supplier(settings["consignee"]) is None:
            raise SettingsError(
                f"There is no active supplier {settings['consignee']!r} to hold the goods.",
                "consignee",
            )
        return settings

    def _handling(self, settings: dict[str, Any]) -> Days:
        return Days(settings.get("handling_min", 1), settings.get("handling_max", 3))

    # Each time a cart is priced: who ships the line, from where, and how soon.
    def quote(self, line: Line, destination: Destination, context: FulfilmentContext) -> LineQuote:
        consignee = context.supplier(line.settings["consignee"])
        shipper = ShipperRef(SUPPLIER, line.settings["consignee"])
        if consignee is None:
            return LineQuote(
                shipper,
                line.origin_country,
                self._handling(line.settings),
                available=False,
                problem="consignee_unavailable",
            )
        # The parcel leaves the boutique's country: that decides transit time and duties.
        return LineQuote(shipper, consignee.country, self._handling(line.settings))

    # At checkout, before payment.
    def reserve(
        self,
        lines: list[Line],
        destination: Destination,
        reference: HoldRef,
        context: FulfilmentContext,
    ) -> None:
        """The boutique holds the goods, not the shop: it confirms the sale by accepting it."""

    # Once the order is paid.
    def start_fulfilment(
        self, group: Group, reference: HoldRef, context: FulfilmentContext
    ) -> None:
        context.record_event("order_group.created", group, group.shipper)

    # When an order is cancelled, paid or not: the consignee only heard of a paid one.
    def cancel(self, group: Group, reference: HoldRef, context: FulfilmentContext) -> None:
        if group.started:
            context.record_event("order_group.cancelled", group, group.shipper)

    # When a buyer sends something back.
    def route_return(self, group: Group, context: FulfilmentContext) -> ReturnRoute:
        consignor = group.settings["consignor"]
        return ReturnRoute(group.shipper, f"Back to the boutique, which keeps it for {consignor}.")
