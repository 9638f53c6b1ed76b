"""OEM / dropshipping: a supplier makes or holds the goods and ships straight to the buyer."""

from __future__ import annotations

from typing import Any, ClassVar

from .base import (
    Days,
    Destination,
    FulfilmentContext,
    Group,
    Line,
    LineQuote,
    ReturnRoute,
    SettingsError,
    check_declared_settings,
)


class OemDropship:
    code: ClassVar[str] = "oem_dropship"
    label: ClassVar[str] = "OEM / dropshipping"
    settings: ClassVar[dict[str, tuple[type, bool, str]]] = {
        "supplier": (str, True, "the supplier that ships it"),
    }

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
                f"supplier:{line.settings['supplier']}",
                line.origin_country,
                Days(0, 0),
                available=False,
                problem="supplier_unavailable",
            )
        # The supplier's country is where the parcel starts, and so what duties it meets.
        return LineQuote(
            f"supplier:{supplier['code']}",
            supplier["country"],
            Days(supplier["lead_min"], supplier["lead_max"]),
        )

    def reserve(
        self,
        lines: list[Line],
        destination: Destination,
        reference: str,
        context: FulfilmentContext,
    ) -> None:
        """The supplier accepts or rejects the order once it is paid."""

    def start_fulfilment(self, group: Group, context: FulfilmentContext) -> None:
        context.record_event("order_group.created", group, group.shipper)

    def cancel(self, group: Group, reference: str, context: FulfilmentContext) -> None:
        context.record_event("order_group.cancelled", group, group.shipper)

    def route_return(self, group: Group, context: FulfilmentContext) -> ReturnRoute:
        return ReturnRoute(group.shipper, "Back to the supplier, or refunded without a return.")
