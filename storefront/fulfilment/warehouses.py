"""Warehouses a merchant creates, edits and archives (never deletes: orders and movements
point at them). Services flush and never commit."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import pycountry
from sqlalchemy import func, select

from ..db import db
from ..errors import InputError
from .partners import PartnerError, return_address
from .tables import Warehouse

log = logging.getLogger(__name__)

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


class WarehouseError(InputError):
    code = "invalid_warehouse"
    status = 422


@dataclass(frozen=True)
class WarehouseInput:
    name: str
    country: str
    serves: str = "*"
    return_address: str = ""  # where buyers send returned goods, lines as on a parcel


def _country(value: str, field: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise WarehouseError(
            f"{value!r} is not an ISO country code (two letters, like DE).",
            code="invalid_country",
            field=field,
        )
    return code


def _serves(value: str) -> str:
    """`*` (everywhere) or ISO countries separated by spaces or commas."""
    text = (value or "").replace(",", " ").strip()
    if text in ("", "*"):
        return "*"
    codes = [c.upper() for c in text.split()]
    unknown = [c for c in codes if len(c) != 2 or pycountry.countries.get(alpha_2=c) is None]
    if unknown:
        raise WarehouseError(
            f"Not ISO country codes: {', '.join(unknown)}. Use codes like DE AT, or * for "
            "everywhere.",
            code="invalid_country",
            field="serves",
        )
    return " ".join(dict.fromkeys(codes))


def _checked(data: WarehouseInput) -> dict:
    name = (data.name or "").strip()
    if not name or len(name) > 120:
        raise WarehouseError(
            "Give the warehouse a name (at most 120 characters).", code="invalid_name",
            field="name",
        )  # fmt: skip
    try:
        address = return_address(data.return_address)
    except PartnerError as refused:
        raise WarehouseError(
            refused.message, code="invalid_return_address", field=refused.field
        ) from None
    return {
        "name": name,
        "country": _country(data.country, "country"),
        "serves_text": _serves(data.serves),
        "return_address": address,
    }


def warehouse_by_code(code: str) -> Warehouse | None:
    return db.session.scalar(select(Warehouse).where(Warehouse.code == code))


def create_warehouse(code: str, data: WarehouseInput) -> Warehouse:
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise WarehouseError(
            "A code is 2-40 lower-case letters, digits or dashes, like rotterdam-2.",
            code="invalid_code",
            field="code",
        )
    if warehouse_by_code(code) is not None:
        raise WarehouseError(
            f"There is a warehouse {code} already.", code="duplicate_code", field="code"
        )
    warehouse = Warehouse(code=code, is_active=True, **_checked(data))
    db.session.add(warehouse)
    db.session.flush()
    log.info("Warehouse %s created", code)
    return warehouse


def update_warehouse(warehouse: Warehouse, data: WarehouseInput) -> Warehouse:
    """Name, country, served countries and return address; the code stays (pick tasks
    name it)."""
    for key, value in _checked(data).items():
        setattr(warehouse, key, value)
    db.session.flush()
    return warehouse


def archive_warehouse(warehouse: Warehouse) -> Warehouse:
    """No new stock and no new orders from it; its levels and movements stay."""
    warehouse.is_active = False
    db.session.flush()
    log.info("Warehouse %s archived", warehouse.code)
    return warehouse


def search_warehouses(q: str = "", include_archived: bool = True):
    """A SELECT of warehouses whose code, name or country matches `q`, by code."""
    statement = select(Warehouse)
    if q:
        pattern = f"%{q.strip().lower()}%"
        statement = statement.where(
            func.lower(Warehouse.code).like(pattern)
            | func.lower(Warehouse.name).like(pattern)
            | func.lower(Warehouse.country).like(pattern)
        )
    if not include_archived:
        statement = statement.where(Warehouse.is_active.is_(True))
    return statement
