"""Wholesale/retail from own stock: goods bought in bulk, held in the shop's warehouses."""

from __future__ import annotations

from typing import Any, ClassVar

from .base import (
    RESTOCK,
    WAREHOUSE,
    WRITE_OFF,
    Days,
    Destination,
    FulfilmentContext,
    Group,
    HoldRef,
    Line,
    LineQuote,
    NotAvailable,
    Operator,
    ReturnRoute,
    SellingModelDefaults,
    ShipperRef,
    StockHold,
    WarehouseStock,
    check_day_range,
    check_declared_settings,
)


class WholesaleRetail(SellingModelDefaults):
    code: ClassVar[str] = "wholesale_retail"
    label: ClassVar[str] = "Wholesale / retail from own stock"
    # A returned piece goes back on the shelf, or is written off when it cannot be sold.
    return_outcomes: ClassVar[tuple[str, ...]] = (RESTOCK, WRITE_OFF)
    settings: ClassVar[dict[str, tuple[type, bool, str]]] = {
        "handling_min": (int, False, "days to pick and pack, at least (default 1)"),
        "handling_max": (int, False, "days to pick and pack, at most (default 2)"),
    }

    def operator(self, settings: dict[str, Any]) -> Operator:
        """The shop's own warehouses; which one is chosen per order, by stock."""
        return Operator(WAREHOUSE)

    def check_settings(self, raw: dict[str, Any], context: FulfilmentContext) -> dict[str, Any]:
        settings = check_declared_settings(self, raw)
        check_day_range(settings, "handling_min", "handling_max")
        return settings

    def _handling(self, line: Line) -> Days:
        return Days(line.settings.get("handling_min", 1), line.settings.get("handling_max", 2))

    def _warehouse(
        self, line: Line, destination: Destination, context: FulfilmentContext
    ) -> tuple[WarehouseStock | None, list[WarehouseStock]]:
        """The warehouse to ship from: one with enough units, in the buyer's country first."""
        serving = context.warehouses_for(line.variant_id, destination)
        enough = [w for w in serving if w.free >= line.quantity]
        enough.sort(key=lambda w: (w.country != destination.country, -w.free, w.warehouse))
        return (enough[0] if enough else None), serving

    def quote(self, line: Line, destination: Destination, context: FulfilmentContext) -> LineQuote:
        chosen, serving = self._warehouse(line, destination, context)
        if chosen is not None:
            return LineQuote(
                ShipperRef(WAREHOUSE, chosen.warehouse), chosen.country, self._handling(line)
            )
        fallback = serving[0] if serving else WarehouseStock("none", line.origin_country, 0)
        problem = "out_of_stock" if serving else "no_warehouse_serves_destination"
        return LineQuote(
            ShipperRef(WAREHOUSE, fallback.warehouse),
            fallback.country,
            self._handling(line),
            available=False,
            problem=problem,
        )

    def reserve(
        self,
        lines: list[Line],
        destination: Destination,
        reference: HoldRef,
        context: FulfilmentContext,
    ) -> None:
        holds = []
        for line in lines:
            chosen, _ = self._warehouse(line, destination, context)
            if chosen is None:
                raise NotAvailable(f"{line.sku} is out of stock.", line.sku)
            holds.append(StockHold(chosen.warehouse, line.variant_id, line.quantity))
        if not context.reserve_stock(holds, reference):
            # Someone took units first; the stock is read again to name the line that ran out.
            short = next(
                (ln for ln in lines if self._warehouse(ln, destination, context)[0] is None),
                lines[0],
            )
            raise NotAvailable(f"{short.sku} is out of stock.", short.sku)

    def start_fulfilment(
        self, group: Group, reference: HoldRef, context: FulfilmentContext
    ) -> None:
        context.commit_stock(reference)
        context.open_pick_task(group)

    def cancel(self, group: Group, reference: HoldRef, context: FulfilmentContext) -> None:
        context.release_stock(reference)

    def route_return(self, group: Group, context: FulfilmentContext) -> ReturnRoute:
        return ReturnRoute(group.shipper, "Back to the warehouse that shipped it, for restocking.")
