"""Markets' records in the audit log: channels, and exchange rates entered by hand (the
ECB feed's rates are the worker's and are not logged)."""

from __future__ import annotations

from .. import audit
from .tables import Channel, ExchangeRate


def track_history() -> None:
    audit.track(
        Channel,
        kind="channel",
        key=lambda c: c.code,
        label=lambda c: c.name,
        fields={
            "code": "code",
            "name": "name",
            "currency": "currency",
            "countries_text": "countries",
            "locales_text": "languages",
            "tax_display": "tax display",
            "duty_policy": "duties",
            "rounding_rule": "rounding",
            "free_shipping_over": "free shipping from",
            "position": "position",
            "return_days": "return window (days)",
            "return_postage_cap": "return postage cap",
        },
        archived=("is_active", False),
    )
    audit.track(
        ExchangeRate,
        kind="fx_rate",
        key=lambda r: r.currency,
        label=lambda r: f"{r.currency} from {r.rate_date.isoformat()}",
        fields={"rate": "1 EUR =", "rate_date": "from"},
        only=lambda r: r.source == "manual",
    )
