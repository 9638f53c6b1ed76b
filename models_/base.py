"""The one interface every selling model implements, and the values it trades in.

The core calls a model at named moments and never branches on its code:

- `check_settings(raw)`: validate a product's model settings when a merchant sets them;
- `quote(line, destination, context)`: who ships a cart line, from where, how soon,
  and whether it can be had at all;
- `reserve(lines, destination, context)`: hold what checkout needs (stock, capacity);
- `start_fulfilment(group, context)`: the order is paid; set the shipper to work;
- `cancel(group, context)`: undo the reservation or the work;
- `route_return(group, context)`: who takes a returned item back.

A model reaches the shop only through `context` (a `FulfilmentContext`), so this
package depends on nothing in the storefront.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable


class SettingsError(ValueError):
    """A model's settings that do not validate; `field` names the setting."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAvailable(Exception):
    """A line cannot be reserved (out of stock, no shipper for the destination)."""

    def __init__(self, message: str, sku: str, code: str = "out_of_stock"):
        super().__init__(message)
        self.message = message
        self.sku = sku
        self.code = code


@dataclass(frozen=True)
class Destination:
    country: str
    region: str | None = None  # ISO 3166-2, where known


@dataclass(frozen=True)
class Line:
    """A cart or order line as a model sees it."""

    variant_id: int
    sku: str
    product_id: int
    brand_id: int
    quantity: int
    settings: dict[str, Any]
    origin_country: str


@dataclass(frozen=True)
class Days:
    min_days: int
    max_days: int

    def __add__(self, other: Days) -> Days:
        return Days(self.min_days + other.min_days, self.max_days + other.max_days)

    def as_json(self) -> dict:
        return {"min_days": self.min_days, "max_days": self.max_days}


@dataclass(frozen=True)
class LineQuote:
    """Who ships the line, from where, and after how long it can leave."""

    shipper: str  # "warehouse:sz", "maker:atelier", "agent:milano", "supplier:shenzhen-silver"
    ship_from: str  # ISO 3166-1 alpha-2: it decides the duties
    handling: Days  # until it leaves the shipper (stock pick, production, supplier lead)
    available: bool = True
    problem: str | None = None


@dataclass(frozen=True)
class Group:
    """A placed order group as a model sees it when fulfilment starts or stops."""

    id: int
    shipper: str
    order_id: int
    lines: list[Line] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReturnRoute:
    to: str  # a shipper reference, or "refund_only"
    instructions: str


class FulfilmentContext(Protocol):
    """What the shop offers models: stock, production, agents, suppliers, events."""

    def warehouses_for(
        self, variant_id: int, destination: Destination
    ) -> list[tuple[str, str, int]]:
        """(warehouse code, its country, units free) of warehouses serving the destination."""

    def reserve_stock(self, holds: list[tuple[str, int, int]], reference: str) -> bool:
        """Hold units for a checkout; False when they are no longer there."""

    def release_stock(self, reference: str) -> None: ...

    def commit_stock(self, reference: str) -> None: ...

    def supplier(self, code: str) -> dict | None:
        """{"code", "country", "lead_min", "lead_max"} of an active supplier, or None."""

    def agent(self, code: str) -> dict | None:
        """{"code", "country", "handling_min", "handling_max", "returns"} of an agent, or None."""

    def maker(self, code: str) -> dict | None:
        """{"code", "country"} of a production site (the shop's own workshop), or None."""

    def open_pick_task(self, group: Group) -> None: ...

    def open_production_order(self, group: Group, days: Days) -> None: ...

    def cancel_production_order(self, group: Group) -> None: ...

    def record_event(self, event_type: str, group: Group, target: str) -> None: ...

    def route_to_agent(self, group: Group, agent: str) -> None: ...


@runtime_checkable
class SellingModel(Protocol):
    code: ClassVar[str]
    label: ClassVar[str]
    # Setting name -> (type, required, help); checked by `check_settings`.
    settings: ClassVar[dict[str, tuple[type, bool, str]]]

    def check_settings(self, raw: dict[str, Any], context: FulfilmentContext) -> dict[str, Any]: ...

    def quote(
        self, line: Line, destination: Destination, context: FulfilmentContext
    ) -> LineQuote: ...

    def reserve(
        self,
        lines: list[Line],
        destination: Destination,
        reference: str,
        context: FulfilmentContext,
    ) -> None: ...

    def start_fulfilment(self, group: Group, context: FulfilmentContext) -> None: ...

    def cancel(self, group: Group, reference: str, context: FulfilmentContext) -> None: ...

    def route_return(self, group: Group, context: FulfilmentContext) -> ReturnRoute: ...


def check_declared_settings(model: SellingModel, raw: dict[str, Any]) -> dict[str, Any]:
    """Type and presence checks for a model's declared settings; unknown keys are refused."""
    if not isinstance(raw, dict):
        raise SettingsError("Settings must be an object of name: value pairs.")
    unknown = sorted(set(raw) - set(model.settings))
    if unknown:
        raise SettingsError(f"{model.code} has no setting {unknown[0]!r}.", unknown[0])
    cleaned: dict[str, Any] = {}
    for name, (kind, required, help_text) in model.settings.items():
        if name not in raw or raw[name] in (None, ""):
            if required:
                raise SettingsError(f"{model.code} needs {name}: {help_text}.", name)
            continue
        value = raw[name]
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise SettingsError(f"{name} must be a whole number.", name)
            try:
                value = int(value)
            except ValueError:
                raise SettingsError(f"{name} must be a whole number.", name) from None
            if value < 0:
                raise SettingsError(f"{name} cannot be negative.", name)
        elif kind is str:
            if not isinstance(value, str) or not value.strip():
                raise SettingsError(f"{name} must be text.", name)
            value = value.strip()
        cleaned[name] = value
    return cleaned


def check_day_range(settings: dict[str, Any], low: str, high: str) -> None:
    if low in settings and high in settings and settings[low] > settings[high]:
        raise SettingsError(f"{low} cannot be more than {high}.", low)
