"""Shipping zones and their methods in the admin API, through the shipping feature's own
services (the rules of the back office's shipping page). Staff keys only."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext
from sqlalchemy import select

from channels.money import Money

from ..accounts import STAFF_ROLES
from ..db import db
from ..shipping.operations import (
    MethodInput,
    ShippingError,
    ZoneInput,
    all_zones,
    delete,
    save_method,
    save_zone,
)
from ..shipping.tables import ShippingMethod, ShippingZone
from .auth import api_user
from .errors import ApiError, json_object
from .spec import operation
from .views import bp


def _staff() -> None:
    if api_user().role not in STAFF_ROLES:
        raise ApiError(403, "forbidden", gettext("This key may not use the back-office API."))


def _zone_json(zone: ShippingZone) -> dict:
    return {
        "code": zone.code,
        "name": zone.name,
        "countries": zone.countries,
        "position": zone.position,
        "methods": [
            {
                "code": m.code,
                "name": m.name,
                "names": m.names or {},
                "currency": m.currency,
                "active": m.active,
                "position": m.position,
                "bands": [
                    {"up_to_grams": b.up_to_grams, "price": Money(b.amount, m.currency).as_json()}
                    for b in m.bands
                ],
            }
            for m in zone.methods
        ],
    }


def _zone_row(code: str) -> ShippingZone:
    zone = db.session.scalar(select(ShippingZone).where(ShippingZone.code == code))
    if zone is None:
        raise ApiError(404, "not_found", f"There is no shipping zone {code}.", "code")
    return zone


def _refused(error: ShippingError) -> ApiError:
    return ApiError(400, error.code, error.message, error.field)


def _whole(body: dict, name: str, default: int = 0) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError(400, f"invalid_{name}", f"{name} must be a whole number.", name)
    return value


@bp.get("/admin/shipping-zones")
@operation(
    "Shipping zones with their methods and weight bands",
    tags=["back office"],
    response="ShippingZoneList",
    errors=(401, 403),
    security="bearer",
)
def admin_shipping_zones():
    _staff()
    return jsonify(items=[_zone_json(z) for z in all_zones()])


@bp.put("/admin/shipping-zones/<code>")
@operation(
    "Create or change a zone: its name and countries (ISO codes, or ['*'] for every "
    "country no other zone names)",
    tags=["back office"],
    body="ShippingZoneSet",
    response="ShippingZone",
    errors=(400, 401, 403),
    security="bearer",
)
def admin_put_shipping_zone(code: str):
    _staff()
    body = json_object()
    countries = body.get("countries")
    if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
        raise ApiError(400, "invalid_countries", "countries is a list of ISO codes.", "countries")
    name = body.get("name")
    if not isinstance(name, str):
        raise ApiError(400, "invalid_name", "name must be text.", "name")
    try:
        save_zone(ZoneInput(code, name, " ".join(countries), _whole(body, "position")))
    except ShippingError as error:
        raise _refused(error) from None
    db.session.commit()
    return jsonify(_zone_json(_zone_row(code)))


@bp.put("/admin/shipping-zones/<code>/methods/<method>")
@operation(
    "Create or change a zone's method: its weight bands replace the old ones",
    tags=["back office"],
    body="ShippingMethodSet",
    response="ShippingZone",
    errors=(400, 401, 403, 404),
    security="bearer",
)
def admin_put_shipping_method(code: str, method: str):
    _staff()
    _zone_row(code)
    body = json_object()
    bands = body.get("bands")
    if not isinstance(bands, list) or not all(
        isinstance(b, dict) and isinstance(b.get("up_to_grams"), int) for b in bands
    ):
        raise ApiError(400, "invalid_bands", "bands is a list of {up_to_grams, price}.", "bands")
    lines = "\n".join(f"{b['up_to_grams']} {b.get('price')}" for b in bands)
    for name in ("name", "currency"):
        if not isinstance(body.get(name), str):
            raise ApiError(400, f"invalid_{name}", f"{name} must be text.", name)
    active = body.get("active", True)
    if not isinstance(active, bool):
        raise ApiError(400, "invalid_active", "active must be true or false.", "active")
    data = MethodInput(
        code,
        method,
        body["name"],
        body["currency"],
        lines,
        active,
        _whole(body, "position"),
        names=body.get("names"),
    )
    try:
        save_method(data)
    except ShippingError as error:
        raise _refused(error) from None
    db.session.commit()
    return jsonify(_zone_json(_zone_row(code)))


@bp.delete("/admin/shipping-zones/<code>")
@operation(
    "Delete a zone and its methods (orders keep the method and price they were sold with)",
    tags=["back office"],
    errors=(401, 403, 404),
    security="bearer",
    status=204,
)
def admin_delete_shipping_zone(code: str):
    _staff()
    delete(ShippingZone, _zone_row(code).id)
    db.session.commit()
    return "", 204


@bp.delete("/admin/shipping-zones/<code>/methods/<method>")
@operation(
    "Delete a zone's method",
    tags=["back office"],
    errors=(401, 403, 404),
    security="bearer",
    status=204,
)
def admin_delete_shipping_method(code: str, method: str):
    _staff()
    zone = _zone_row(code)
    row = db.session.scalar(
        select(ShippingMethod).where(
            ShippingMethod.zone_id == zone.id, ShippingMethod.code == method
        )
    )
    if row is None:
        raise ApiError(404, "not_found", f"There is no method {method} in {code}.", "method")
    delete(ShippingMethod, row.id)
    db.session.commit()
    return "", 204
