"""Back-office API of warehouses and stock movements: the shop's staff only (agents and
suppliers get 403). Staff read English, as on the back-office pages.

Stock changes only by movements with a reason (`fulfilment.stock`); a level is the sum
of its movements. Refusals of the services answer 422 naming the field; malformed
requests 400."""

from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import func, select

from ..accounts import STAFF_ROLES
from ..accounts.tables import User
from ..admin.warehouses import movements, stock_levels, variant_id_for
from ..db import db, iso_utc
from ..fulfilment.stock import REASONS, StockError, record_movement
from ..fulfilment.tables import StockLevel, StockMovement, Warehouse
from ..fulfilment.warehouses import (
    WarehouseError,
    WarehouseInput,
    archive_warehouse,
    create_warehouse,
    search_warehouses,
    update_warehouse,
    warehouse_by_code,
)
from .auth import api_user
from .errors import ApiError, json_object
from .spec import operation, query_param
from .views import _decode_cursor, _encode_cursor, bp

PAGE_SIZE = 50
_CURSOR = query_param("cursor", "The `next` value of the previous page")


def _staff() -> User:
    user = api_user()
    if user.role not in STAFF_ROLES:
        raise ApiError(403, "forbidden", "Only the shop's staff manage warehouses and stock.")
    return user


def _text(body: dict, name: str, default: str | None = None) -> str:
    value = body.get(name, default)
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{name}", f"{name} must be a string.", name)
    return value


def _serves(body: dict, default: str) -> str:
    value = body.get("serves", default)
    if isinstance(value, list) and all(isinstance(c, str) for c in value):
        return " ".join(value)
    if isinstance(value, str):
        return value
    raise ApiError(
        400, "invalid_serves", 'serves must be a list of ISO country codes, or "*".', "serves"
    )


def _warehouse(code: str) -> Warehouse:
    warehouse = warehouse_by_code(code)
    if warehouse is None:
        raise ApiError(404, "warehouse_not_found", f"There is no warehouse {code}.", "code")
    return warehouse


def warehouse_json(warehouse: Warehouse, units: tuple[int, int] | None = None) -> dict:
    if units is None:
        units = db.session.execute(
            select(
                func.coalesce(func.sum(StockLevel.on_hand), 0),
                func.coalesce(func.sum(StockLevel.reserved), 0),
            ).where(StockLevel.warehouse_id == warehouse.id)
        ).one()
    return {
        "code": warehouse.code,
        "name": warehouse.name,
        "country": warehouse.country,
        "serves": warehouse.serves_text.split(),
        "return_address": warehouse.return_address,
        "is_active": warehouse.is_active,
        "units_on_hand": int(units[0] or 0),
        "units_reserved": int(units[1] or 0),
    }


def movement_json(movement: StockMovement, sku: str, warehouse_code: str) -> dict:
    return {
        "id": movement.id,
        "warehouse": warehouse_code,
        "sku": sku,
        "quantity": movement.quantity,
        "reason": movement.reason,
        "note": movement.note,
        "actor": movement.actor,
        "reference": movement.reference,
        "created_at": iso_utc(movement.created_at),
    }


@bp.get("/admin/warehouses")
@operation(
    "Warehouses, archived ones too, in the order they were made",
    tags=["back office"],
    query=[query_param("q", "Part of a code, name or country"), _CURSOR],
    response="WarehousePage",
    errors=(400, 401, 403),
    security="bearer",
)
def admin_warehouses():
    _staff()
    statement = search_warehouses((request.args.get("q") or "").strip())
    after = _decode_cursor(request.args.get("cursor"))
    if after is not None:
        statement = statement.where(Warehouse.id > after)
    rows = db.session.scalars(statement.order_by(Warehouse.id).limit(PAGE_SIZE + 1)).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    units = {
        warehouse_id: (on_hand, reserved)
        for warehouse_id, on_hand, reserved in db.session.execute(
            select(
                StockLevel.warehouse_id, func.sum(StockLevel.on_hand), func.sum(StockLevel.reserved)
            )
            .where(StockLevel.warehouse_id.in_([w.id for w in rows]))
            .group_by(StockLevel.warehouse_id)
        )
    }
    return jsonify(
        items=[warehouse_json(w, units.get(w.id, (0, 0))) for w in rows],
        next=_encode_cursor(rows[-1].id) if more else None,
    )


@bp.get("/admin/warehouses/<code>")
@operation(
    "One warehouse, with its units on hand and reserved",
    tags=["back office"],
    response="Warehouse",
    errors=(401, 403, 404),
    security="bearer",
)
def admin_warehouse(code: str):
    _staff()
    return jsonify(warehouse_json(_warehouse(code)))


@bp.post("/admin/warehouses")
@operation(
    "Create a warehouse",
    tags=["back office"],
    body="WarehouseCreate",
    response="Warehouse",
    errors=(400, 401, 403, 422),
    security="bearer",
    status=201,
)
def admin_create_warehouse():
    _staff()
    body = json_object()
    data = WarehouseInput(
        _text(body, "name", ""),
        _text(body, "country", ""),
        _serves(body, "*"),
        _text(body, "return_address", ""),
    )
    warehouse = create_warehouse(_text(body, "code", ""), data)
    db.session.commit()
    return jsonify(warehouse_json(warehouse)), 201


@bp.patch("/admin/warehouses/<code>")
@operation(
    "Change a warehouse's name, country, the countries it ships to or its return address "
    "(the code stays)",
    tags=["back office"],
    body="WarehouseChange",
    response="Warehouse",
    errors=(400, 401, 403, 404, 422),
    security="bearer",
)
def admin_change_warehouse(code: str):
    _staff()
    warehouse = _warehouse(code)
    body = json_object()
    if "code" in body and body["code"] != warehouse.code:
        raise WarehouseError(
            "A warehouse's code cannot change: pick tasks name it.", code="invalid_code",
            field="code",
        )  # fmt: skip
    data = WarehouseInput(
        _text(body, "name", warehouse.name),
        _text(body, "country", warehouse.country),
        _serves(body, warehouse.serves_text),
        _text(body, "return_address", warehouse.return_address),
    )
    update_warehouse(warehouse, data)
    db.session.commit()
    return jsonify(warehouse_json(warehouse))


@bp.post("/admin/warehouses/<code>/archive")
@operation(
    "Archive a warehouse: it takes no new stock and no new orders; nothing is deleted",
    tags=["back office"],
    response="Warehouse",
    errors=(401, 403, 404),
    security="bearer",
)
def admin_archive_warehouse(code: str):
    _staff()
    warehouse = archive_warehouse(_warehouse(code))
    db.session.commit()
    return jsonify(warehouse_json(warehouse))


@bp.get("/admin/warehouses/<code>/stock")
@operation(
    "A warehouse's stock levels by SKU",
    tags=["back office"],
    query=[query_param("sku", "Part of a SKU"), _CURSOR],
    response="StockLevelPage",
    errors=(400, 401, 403, 404),
    security="bearer",
)
def admin_warehouse_stock(code: str):
    _staff()
    warehouse = _warehouse(code)
    statement = stock_levels(warehouse, request.args.get("sku") or "")
    after = _decode_cursor(request.args.get("cursor"))
    offset = after or 0  # levels go by SKU: the cursor is how many were shown
    rows = db.session.execute(statement.limit(PAGE_SIZE + 1).offset(offset)).all()
    more = len(rows) > PAGE_SIZE
    return jsonify(
        items=[
            {
                "sku": sku,
                "product": name,
                "on_hand": level.on_hand,
                "reserved": level.reserved,
                "free": level.on_hand - level.reserved,
            }
            for level, sku, name in rows[:PAGE_SIZE]
        ],
        next=_encode_cursor(offset + PAGE_SIZE) if more else None,
    )


@bp.get("/admin/stock-movements")
@operation(
    "Stock movements, newest first",
    tags=["back office"],
    query=[
        query_param("warehouse", "A warehouse code"),
        query_param("sku", "A variant's SKU"),
        _CURSOR,
    ],
    response="StockMovementPage",
    errors=(400, 401, 403),
    security="bearer",
)
def admin_stock_movements():
    _staff()
    warehouse_id = None
    if request.args.get("warehouse"):
        warehouse = warehouse_by_code(request.args["warehouse"])
        warehouse_id = warehouse.id if warehouse else -1
    statement = movements(warehouse_id, request.args.get("sku") or "")
    after = _decode_cursor(request.args.get("cursor"))
    if after is not None:
        statement = statement.where(StockMovement.id < after)
    rows = db.session.execute(statement.limit(PAGE_SIZE + 1)).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return jsonify(
        items=[movement_json(m, sku, code) for m, sku, code in rows],
        next=_encode_cursor(rows[-1][0].id) if more else None,
    )


@bp.post("/admin/stock-movements")
@operation(
    "Record a stock movement (received, adjusted, sold, returned); units on hand change with it",
    tags=["back office"],
    body="StockMovementCreate",
    response="StockMovementRecorded",
    errors=(400, 401, 403, 422),
    security="bearer",
    status=201,
)
def admin_record_stock_movement():
    user = _staff()
    body = json_object()
    code, sku = _text(body, "warehouse", ""), _text(body, "sku", "")
    quantity = body.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise ApiError(
            400, "invalid_quantity", "quantity must be a whole number of units.", "quantity"
        )
    reason = _text(body, "reason", "")
    if reason not in REASONS:
        raise StockError(
            f"reason must be one of {', '.join(REASONS)}.", code="unknown_reason", field="reason"
        )
    warehouse = warehouse_by_code(code)
    if warehouse is None:
        raise StockError(
            f"There is no warehouse {code!r}.", code="unknown_warehouse", field="warehouse"
        )
    movement = record_movement(
        warehouse,
        variant_id_for(sku),
        quantity,
        reason,
        note=_text(body, "note", ""),
        actor=user.email,
    )
    level = db.session.execute(
        select(StockLevel.on_hand, StockLevel.reserved).where(
            StockLevel.warehouse_id == warehouse.id,
            StockLevel.variant_id == movement.variant_id,
        )
    ).one()
    db.session.commit()
    sku = db.session.execute(movements(warehouse.id).where(StockMovement.id == movement.id)).one()[
        1
    ]
    body = movement_json(movement, sku, warehouse.code)
    return jsonify({**body, "level": {"on_hand": level[0], "reserved": level[1]}}), 201
