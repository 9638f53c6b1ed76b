"""The demo's paperwork, one click from the back office: a paid trade order to Zürich
packed in the Rotterdam warehouse (its commercial invoice, packing list and CN22/CN23
issued), a quote under FOB Shenzhen with a 30% deposit accepted by the demo trade buyer
(its order placed), and a quote sent and waiting for the buyer. Seeding twice adds none."""

from __future__ import annotations

import datetime

from sqlalchemy import select

from .. import clock
from ..accounts.tables import User
from ..db import db
from ..delivery import operations as delivery
from ..orders.tables import OrderGroup
from ..quotes import acceptance
from ..quotes import operations as quotes
from ..quotes.tables import Quote
from .demo_orders import DemoBuyer, _first_sku, place_paid

ZURICH = DemoBuyer(
    "demo-order-zurich",
    "ch",
    "CH",
    "de",
    {"name": "Nina Keller", "company_name": "Bijoux Zürich AG",
     "street_address": "Bahnhofstrasse 10", "city": "Zürich", "postal_code": "8001"},
    "einkauf@bijoux-zurich.example",
    "044 123 45 67",
    ("wholesale_retail",),
)  # fmt: skip
PACKER = delivery.Actor("staff:demo-seed")
TRADE_BUYER = "trade@demo.shop"


def seed_paperwork(supplier: str) -> dict:
    """{"packed": the packed group or None, "accepted": quote number or None, "sent": ...}."""
    return {"packed": _packed_group(supplier), **_quotes(supplier)}


def _packed_group(supplier: str) -> OrderGroup | None:
    """The Zürich order, paid, picked and packed: its group's documents are issued."""
    order = place_paid(ZURICH, supplier)
    if order is None:
        return None
    for group in order.groups:
        if group.status == "picking":
            delivery.picked(group, PACKER)
        if group.status == "packing":
            delivery.packed(group, PACKER)
    db.session.flush()
    return order.groups[0]


def _quotes(supplier: str) -> dict:
    buyer = db.session.scalar(select(User).where(User.email == TRADE_BUYER))
    if buyer is None:
        return {"accepted": None, "sent": None}
    have = list(db.session.scalars(select(Quote).where(Quote.buyer_id == buyer.id)))
    if have:  # seeded before
        by_status = {q.status: q.number for q in have}
        return {"accepted": by_status.get("accepted"), "sent": by_status.get("sent")}
    sku = _first_sku("wholesale_retail", supplier)
    if sku is None:
        return {"accepted": None, "sent": None}
    until = (clock.today() + datetime.timedelta(days=30)).isoformat()
    accepted = quotes.create_quote(
        buyer,
        {
            "lines": [{"sku": sku, "quantity": 24, "unit_price": "18.50",
                       "reason": "24 pieces for the autumn window"}],
            "incoterm": "FOB",
            "place": "Shenzhen",
            "payment_terms": "deposit:30",
            "valid_until": until,
        },
        "staff:demo-seed",
    )  # fmt: skip
    quotes.send_quote(accepted)
    acceptance.accept_quote(accepted.id, buyer, version=1, ip="127.0.0.1", via="demo seed")
    waiting = quotes.create_quote(
        buyer,
        {
            "lines": [{"sku": sku, "quantity": 60}],
            "incoterm": "DAP",
            "place": "Berlin",
            "freight": "85.00",
            "payment_terms": "net30",
            "valid_until": until,
        },
        "staff:demo-seed",
    )
    quotes.send_quote(waiting)
    db.session.flush()
    return {"accepted": accepted.number, "sent": waiting.number}
