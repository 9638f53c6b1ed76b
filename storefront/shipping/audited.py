"""Shipping's records in the audit log: zones, with their methods and weight bands."""

from __future__ import annotations

from .. import audit
from .tables import ShippingBand, ShippingMethod, ShippingZone


def track_history() -> None:
    audit.track(
        ShippingZone,
        kind="shipping_zone",
        key=lambda z: z.code,
        label=lambda z: z.name,
        fields={
            "code": "code",
            "name": "name",
            "countries_text": "countries",
            "position": "position",
        },
    )
    audit.track(
        ShippingMethod,
        parent=audit.parent_by(ShippingZone, "zone_id"),
        label=lambda m: f"method {m.code}",
        fields=("name", "names", "currency", "active", "position"),
    )
    audit.track(
        ShippingBand,
        parent=audit.parent_by(ShippingMethod, "method_id"),
        label=lambda b: f"band up to {b.up_to_grams} g",
        fields={"amount": "price"},
    )
