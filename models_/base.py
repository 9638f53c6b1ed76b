"""The one interface every selling model implements, and the values it trades in.

The core calls a model at named moments and never branches on its code:

- `check_settings(raw)`: validate a product's model settings when a merchant sets them;
- `quote(line, destination, context)`: who ships a cart line, from where, how soon,
  and whether it can be had at all;
- `reserve(lines, destination, reference, context)`: hold what checkout needs (stock, capacity)
  under the hold reference the core gives it;
- `start_fulfilment(group, reference, context)`: the order is paid; set the shipper to work;
- `cancel(group, reference, context)`: undo the reservation or the work;
- `route_return(group, context)`: who takes a returned item back.

and who may act on a paid group (accept, reject, ship, deliver) besides the shop's
staff: `acting_party(group)`.

and asks it what it declares instead of comparing codes:

- `operator(settings)`: which party operates lines sold with these settings;
- `holding_supplier(settings)`: which supplier holds (and reports stock of) the SKUs;
- `surplus_model`: the model a failed made-to-order piece is relisted under;
- `return_outcomes`: what may become of a returned piece when its shipper inspects it.

A model reaches the shop only through `context` (a `FulfilmentContext`), so this
package depends on nothing in the storefront.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

# Kinds of party that ship or operate a line; a plug-in may bring its own kind.
WAREHOUSE = "warehouse"  # one of the shop's own warehouses
MAKER = "maker"  # the shop's own workshop
AGENT = "agent"  # an agent company a brand entrusted its store to
SUPPLIER = "supplier"  # a supplier that ships straight to the buyer

# What may become of a returned piece once its shipper inspects it; the core does each.
RESTOCK = "restock"  # back on hand in one of the shop's warehouses
WRITE_OFF = "write_off"  # kept out of stock (damaged, worn): recorded with a reason
REWORK = "rework"  # back to the workshop to be made good
RELIST = "relist"  # sold again as surplus (original-order grade) under `surplus_model`
ACCEPTED = "accepted"  # the agent or supplier took it back into its own stock
RETURN_OUTCOMES = (RESTOCK, WRITE_OFF, REWORK, RELIST, ACCEPTED)


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
class ShipperRef:
    """Who ships a group: a kind of party and its code, written "kind:code" when stored."""

    kind: str
    code: str

    def __post_init__(self):
        if not self.kind or ":" in self.kind or not self.code:
            raise ValueError(f"not a shipper reference: kind {self.kind!r}, code {self.code!r}")

    @classmethod
    def parse(cls, text: str) -> ShipperRef:
        kind, _, code = text.partition(":")
        return cls(kind, code)

    @staticmethod
    def prefix(kind: str) -> str:
        """What every stored reference of `kind` starts with (for SQL comparisons)."""
        return f"{kind}:"

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


@dataclass(frozen=True)
class HoldRef:
    """The reference stock (or capacity) is held under for one order group.

    The core makes it and hands it to the model; a model passes it on, never builds one.
    """

    group_id: int

    PREFIX: ClassVar[str] = "group:"

    @classmethod
    def parse(cls, text: str) -> HoldRef | None:
        """The hold of a stored reference, or None for a reference that is not a group's."""
        if not text.startswith(cls.PREFIX) or not text[len(cls.PREFIX) :].isdigit():
            return None
        return cls(int(text[len(cls.PREFIX) :]))

    def __str__(self) -> str:
        return f"{self.PREFIX}{self.group_id}"


@dataclass(frozen=True)
class Operator:
    """The party that operates lines sold under a model's settings.

    `code` is None when the settings do not fix the party (the shop's warehouses are
    chosen per order by stock, or a required setting is missing); `setting` names the
    setting that holds the code, so a refusal can point at it.
    """

    kind: str  # WAREHOUSE, MAKER, AGENT, SUPPLIER, or a plug-in's own kind
    code: str | None = None
    setting: str | None = None


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

    shipper: ShipperRef  # warehouse:sz, maker:atelier, agent:milano, supplier:shenzhen-silver
    ship_from: str  # ISO 3166-1 alpha-2: it decides the duties
    handling: Days  # until it leaves the shipper (stock pick, production, supplier lead)
    available: bool = True
    problem: str | None = None


@dataclass(frozen=True)
class Group:
    """A placed order group as a model sees it when fulfilment starts or stops."""

    id: int
    shipper: ShipperRef
    order_id: int
    lines: list[Line] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    # Fulfilment started (the order was paid): the shipper has heard of the group.
    started: bool = False


@dataclass(frozen=True)
class ReturnRoute:
    to: ShipperRef | None  # None: refunded without a return
    instructions: str


@dataclass(frozen=True)
class WarehouseStock:
    """Units of one variant free in one warehouse."""

    warehouse: str  # the warehouse's code
    country: str
    free: int


@dataclass(frozen=True)
class StockHold:
    """Units of a variant to hold in a warehouse for a checkout."""

    warehouse: str
    variant_id: int
    quantity: int


@dataclass(frozen=True)
class MakerInfo:
    """A production site: the shop's own workshop."""

    code: str
    country: str


@dataclass(frozen=True)
class AgentInfo:
    code: str
    country: str
    handling: Days
    returns: str  # the agent's returns policy, shown to the buyer


@dataclass(frozen=True)
class SupplierInfo:
    """An active supplier."""

    code: str
    country: str
    lead: Days  # until its parcel leaves


class FulfilmentContext(Protocol):
    """What the shop offers models: stock, production, agents, suppliers, events."""

    def warehouses_for(self, variant_id: int, destination: Destination) -> list[WarehouseStock]:
        """The stock of the variant in each warehouse serving the destination."""

    def reserve_stock(self, holds: list[StockHold], reference: HoldRef) -> bool:
        """Hold units for a checkout; False when they are no longer there."""

    def release_stock(self, reference: HoldRef) -> None: ...

    def commit_stock(self, reference: HoldRef) -> None: ...

    def supplier(self, code: str) -> SupplierInfo | None:
        """An active supplier, or None."""

    def agent(self, code: str) -> AgentInfo | None: ...

    def maker(self, code: str) -> MakerInfo | None: ...

    def open_pick_task(self, group: Group) -> None: ...

    def open_production_order(self, group: Group, days: Days) -> None: ...

    def cancel_production_order(self, group: Group) -> None: ...

    def record_event(self, event_type: str, group: Group, target: ShipperRef) -> None: ...

    def route_to_agent(self, group: Group, agent: str) -> None: ...


@runtime_checkable
class SellingModel(Protocol):
    code: ClassVar[str]
    label: ClassVar[str]
    # Setting name -> (type, required, help); checked by `check_settings`.
    settings: ClassVar[dict[str, tuple[type, bool, str]]]
    # The model a piece that failed quality control is relisted under; None: not relisted.
    surplus_model: ClassVar[str | None]
    # What may become of a returned piece at inspection (RETURN_OUTCOMES); the first is the
    # usual one. () : returns are not inspected (refunded once received).
    return_outcomes: ClassVar[tuple[str, ...]]

    def operator(self, settings: dict[str, Any]) -> Operator:
        """Who operates lines sold with `settings` (as given: they may not be checked yet)."""

    def holding_supplier(self, settings: dict[str, Any]) -> str | None:
        """The code of the supplier that holds the stock of lines sold with `settings`."""

    def acting_party(self, group: Group) -> ShipperRef | None:
        """Who, besides the shop's staff, works on a paid group: an agent company or a
        supplier whose users sign in (`AGENT` or `SUPPLIER` kind); None: staff only."""

    def check_settings(self, raw: dict[str, Any], context: FulfilmentContext) -> dict[str, Any]: ...

    def quote(
        self, line: Line, destination: Destination, context: FulfilmentContext
    ) -> LineQuote: ...

    def reserve(
        self,
        lines: list[Line],
        destination: Destination,
        reference: HoldRef,
        context: FulfilmentContext,
    ) -> None: ...

    def start_fulfilment(
        self, group: Group, reference: HoldRef, context: FulfilmentContext
    ) -> None: ...

    def cancel(self, group: Group, reference: HoldRef, context: FulfilmentContext) -> None: ...

    def route_return(self, group: Group, context: FulfilmentContext) -> ReturnRoute: ...


class SellingModelDefaults:
    """Defaults a model may inherit for the declarations most models answer alike."""

    surplus_model: ClassVar[str | None] = None
    # An agent or supplier takes its returned goods back into its own stock.
    return_outcomes: ClassVar[tuple[str, ...]] = (ACCEPTED,)

    def holding_supplier(self, settings: dict[str, Any]) -> str | None:
        """The supplier that operates the line, if a supplier does."""
        operator = self.operator(settings)  # type: ignore[attr-defined]
        return operator.code if operator.kind == SUPPLIER else None

    def acting_party(self, group: Group) -> ShipperRef | None:
        """The group's shipper when it is an agent or a supplier (their users sign in);
        the shop's own warehouses and workshops are worked by staff."""
        return group.shipper if group.shipper.kind in (AGENT, SUPPLIER) else None


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
