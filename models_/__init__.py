"""Selling models: how a product is sourced, shipped and returned.

One interface (`base.SellingModel`), one file per model, one registry that
also loads plug-ins from the `storefront.selling_models` entry-point group.
"""

from __future__ import annotations

from .base import (
    Days,
    Destination,
    FulfilmentContext,
    Group,
    Line,
    LineQuote,
    NotAvailable,
    ReturnRoute,
    SellingModel,
    SettingsError,
)
from .registry import ENTRY_POINT_GROUP, RegistrationError, Registry, UnknownSellingModel

__all__ = [
    "ENTRY_POINT_GROUP",
    "Days",
    "Destination",
    "FulfilmentContext",
    "Group",
    "Line",
    "LineQuote",
    "NotAvailable",
    "RegistrationError",
    "Registry",
    "ReturnRoute",
    "SellingModel",
    "SettingsError",
    "UnknownSellingModel",
]
