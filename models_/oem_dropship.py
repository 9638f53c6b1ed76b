"""OEM / dropshipping: a supplier makes or holds the goods and ships straight to the buyer."""

from __future__ import annotations

from typing import Any, ClassVar

from .base import (
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
    check_declared_settings,
)


class OemDropship(SellingModelDefaults):
    code: ClassVar[str] = "oem_dropship"
    label: ClassVar[str] = "OEM / dropshipping"
    settings: ClassVar[dict[str, tuple[type, bool, str]]] = {
        "supplier": (str, True, "the supplier that ships it"),
    }

    def operator(self, settings: dict[str, Any]) -> Operator:
        return Operator(SUPPLIER, settings.get("supplier") or None, "supplier")

    def check_settings(self, raw: dict[str, Any], context: FulfilmentContext) -> dict[str, Any]:
        settings = check_declared_settings(self, raw)
        if context.supplier(settings["supplier"]) is None:
            raise SettingsError(
                f"There is no active supplier {settings['supplier']!r}.", "supplier"
            )
        return settings

    def quote(self, line: Line, destination: Destination, context: FulfilmentContext) -> LineQuote:
        supplier = context.supplier(line.settings["supplier"])
        if supplier is None:
            return LineQuote(
                ShipperRef(SUPPLIER, line.settings["supplier"]),
                line.origin_country,
                Days(0, 0),
                available=False,
                problem="supplier_unavailable",
            )
        # The supplier's country is where the parcel starts, and so what duties it meets.
        return LineQuote(ShipperRef(SUPPLIER, supplier.code), supplier.country, supplier.lead)

    def reserve(
        self,
        lines: list[Line],
        destination: Destination,
        reference: HoldRef,
        context: FulfilmentContext,
    ) -> None:
        """The supplier accepts or rejects the order once it is paid."""

    def start_fulfilment(
        self, group: Group, reference: HoldRef, context: FulfilmentContext
    ) -> None:
        context.record_event("order_group.created", group, group.shipper)

    def cancel(self, group: Group, reference: HoldRef, context: FulfilmentContext) -> None:
        if group.started:  # an unpaid group was never sent: nothing to call back
            context.record_event("order_group.cancelled", group, group.shipper)

    def route_return(self, group: Group, context: FulfilmentContext) -> ReturnRoute:
        return ReturnRoute(group.shipper, "Back to the supplier, or refunded without a return.")
