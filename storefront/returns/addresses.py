"""Where a buyer sends returned goods: the postal return address of the party the route
names (a warehouse, workshop, agent company or supplier), as the back office keeps it."""

from __future__ import annotations

from sqlalchemy import select

from models_ import AGENT, MAKER, SUPPLIER, WAREHOUSE, ShipperRef

from ..db import db
from ..fulfilment.tables import AgentCompany, Maker, Supplier, Warehouse

PARTIES = {WAREHOUSE: Warehouse, MAKER: Maker, AGENT: AgentCompany, SUPPLIER: Supplier}


def return_address_of(shipper: ShipperRef | None) -> str:
    """The shipper's return address; "" when nothing comes back, the party is of a
    plug-in's own kind, or the back office has not given one yet."""
    table = PARTIES.get(shipper.kind) if shipper is not None else None
    if table is None:
        return ""
    address = db.session.scalar(select(table.return_address).where(table.code == shipper.code))
    return (address or "").strip()
