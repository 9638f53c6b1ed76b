"""Selling models: how a product is sourced, shipped and returned.

One interface (`base.SellingModel`), one file per model, one registry that
also loads plug-ins from the `storefront.selling_models` entry-point group.
"""

from __future__ import annotations

from .base import (
    AGENT,
    MAKER,
    SUPPLIER,
    WAREHOUSE,
    AgentInfo,
    Days,
    Destination,
    FulfilmentContext,
    Group,
    HoldRef,
    Line,
    LineQuote,
    MakerInfo,
    NotAvailable,
    Operator,
    ReturnRoute,
    SellingModel,
    SellingModelDefaults,
    SettingsError,
    ShipperRef,
    StockHold,
    SupplierInfo,
    WarehouseStock,
)
from .registry import ENTRY_POINT_GROUP, RegistrationError, Registry, UnknownSellingModel

__all__ = [
    "AGENT",
    "ENTRY_POINT_GROUP",
    "MAKER",
    "SUPPLIER",
    "WAREHOUSE",
    "AgentInfo",
    "Days",
    "Destination",
    "FulfilmentContext",
    "Group",
    "HoldRef",
    "Line",
    "LineQuote",
    "MakerInfo",
    "NotAvailable",
    "Operator",
    "RegistrationError",
    "Registry",
    "ReturnRoute",
    "SellingModel",
    "SellingModelDefaults",
    "SettingsError",
    "ShipperRef",
    "StockHold",
    "SupplierInfo",
    "UnknownSellingModel",
    "WarehouseStock",
]
