"""Self-produced: the shop is the brand and the maker; made to order in its workshop."""

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
    check_day_range,
    check_declared_settings,
)


class SelfProduced:
    code: ClassVar[str] = "self_produced"
    label: ClassVar[str] = "Self-produced (made by the shop)"
    settings: ClassVar[dict[str, tuple[type, bool, str]]] = {
        "maker": (str, True, "the workshop that makes it"),
        "production_min": (int, True, "production days, at least"),
        "production_max": (int, True, "production days, at most"),
    }

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
                f"maker:{line.settings['maker']}",
                line.origin_country,
                days,
                available=False,
                problem="maker_unavailable",
            )
        return LineQuote(f"maker:{maker['code']}", maker["country"], days)

    def reserve(
        self,
        lines: list[Line],
        destination: Destination,
        reference: str,
        context: FulfilmentContext,
    ) -> None:
        """Made to order: nothing to hold."""

    def start_fulfilment(self, group: Group, context: FulfilmentContext) -> None:
        days = Days(group.settings["production_min"], group.settings["production_max"])
        context.open_production_order(group, days)

    def cancel(self, group: Group, reference: str, context: FulfilmentContext) -> None:
        context.cancel_production_order(group)

    def route_return(self, group: Group, context: FulfilmentContext) -> ReturnRoute:
        return ReturnRoute(group.shipper, "Back to the workshop: reworked, or resold as surplus.")
