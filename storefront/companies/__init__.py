"""Trade buyers as companies: legal name, addresses, VAT number and EORI checked for the
company's country, payment terms, buyers (users of role wholesale) and an own price list;
how VAT applies to their shipments (`treatment`). The back office and the admin API above
call `operations`; the cart asks `treatment` and `operations.price_list`."""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(app: ShopSetup) -> None:
    from .audited import track_history

    track_history()
