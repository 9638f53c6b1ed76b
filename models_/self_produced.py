"""Self-produced: the shop is the brand and the maker; made to order in its workshop."""

from __future__ import annotations

from typing import Any, ClassVar

from .base import (
    MAKER,
    RELIST,
    RESTOCK,
    REWORK,
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
    check_day_range,
    check_declared_settings,
)
from .wholesale_retail import WholesaleRetail


class SelfProduced(SellingModelDefaults):
    code: ClassVar[str] = "self_produced"
    label: ClassVar[str] = "Self-produced (made by the shop)"
    # A piece that failed quality control is sold from the shop's stock.
    surplus_model: ClassVar[str | None] = WholesaleRetail.code
    # Quality control decides a returned piece's fate as it does a new one's.
    return_outcomes: ClassVar[tuple[str, ...]] = (RESTOCK, REWORK, RELIST)
    settings: ClassVar[dict[str, tuple[type, bool, str]]] = {
        "maker": (str, True, "the workshop that makes it"),
        "production_min": (int, True, "production days, at least"),
        "production_max": (int, True, "production days, at most"),
    }

    def operator(self, settings: dict[str, Any]) -> Operator:
        return Operator(MAKER, settings.get("maker") or None, "maker")

    def check_settings(self, raw: dict[str, Any], context: FulfilmentContext) -> dict[str, Any]:
        settings = check_declared_settings(self, raw)
        check_day_range(settings, "production_min", "production_max")
        if context.maker(settings["maker"]) is None:
            raise SettingsError(f"There is no workshop {settings['maker']!r}.", "maker")
        return settings

    def quote(self, line: Line, destination: Destination, context: FulfilmentContext) -> LineQuote:
        maker = context.maker(line.settings["maker"])
        days = Days(line.settings["production_min"], line.settings["production_max"])
        if maker is None:
            return LineQuote(
                ShipperRef(MAKER, line.settings["maker"]),
                line.origin_country,
                days,
                available=False,
                problem="maker_unavailable",
            )
        return LineQuote(ShipperRef(MAKER, maker.code), maker.country, days)

    def reserve(
        self,
        lines: list[Line],
        destination: Destination,
        reference: HoldRef,
        context: FulfilmentContext,
    ) -> None:
        """Made to order: nothing to hold."""

    def start_fulfilment(
        self, group: Group, reference: HoldRef, context: FulfilmentContext
    ) -> None:
        # Each product is made in its own time: the order is done when the slowest is.
        lines = group.lines or []
        settings = [line.settings for line in lines] or [group.settings]
        days = Days(
            max(s["production_min"] for s in settings), max(s["production_max"] for s in settings)
        )
        context.open_production_order(group, days)

    def cancel(self, group: Group, reference: HoldRef, context: FulfilmentContext) -> None:
        context.cancel_production_order(group)

    def route_return(self, group: Group, context: FulfilmentContext) -> ReturnRoute:
        return ReturnRoute(group.shipper, "Back to the workshop: reworked, or resold as surplus.")
