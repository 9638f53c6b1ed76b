"""Returns in Store API v1, for the buyer: ask to return delivered items of an order, add
photos of them, and follow the return (with the order's token, its signed link, or signed
in as its buyer).

Photos sent after the request (`POST .../returns/{rma}/photos`) are not in the supplier's
`return.requested` event, sent when the request was saved: the supplier finds them in the
return (`photos`). The buyer's page saves them with the request, so there they are in it."""

from __future__ import annotations

from flask import jsonify
from flask import request as http
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge

from channels.money import Money

from ..catalog.images import ImageNotStored, read_upload, too_large
from ..config import settings
from ..db import db, iso_utc
from ..errors import error_response
from ..payments import charges as payment_charges
from ..payments import stripe_gateway
from ..returns import charges, photos
from ..returns import operations as returns
from ..returns.money import kept_parts
from ..returns.tables import ReturnRequest
from .carts import buyers_order
from .errors import ApiError, json_object
from .spec import operation
from .views import bp


def return_json(request: ReturnRequest) -> dict:
    return {
        "rma": request.rma,
        "order_number": request.order.number,
        "status": request.status,
        "reason": request.reason,
        "note": request.note,
        "resolution": request.resolution,
        "exchange_sku": request.exchange_sku or None,
        "ship_to": (
            {"shipper": request.ship_to, "address": request.return_address}
            if request.ship_to
            else None
        ),
        "instructions": request.instructions,
        "refund": Money(request.refund_amount, request.currency).rounded().as_json(),
        "refund_parts": [part.as_json() for part in kept_parts(request)],
        "charge": charges.charge_of(request).as_json(),
        "charge_status": charges.state(request),
        "payout": request.payout or None,
        "exchange_group_id": request.exchange_group_id,
        "refusal_reason": request.refusal_reason or None,
        "lines": [
            {"sku": line.order_line.sku, "quantity": line.quantity} for line in request.lines
        ],
        "photos": photos.photo_urls(request, external=True),
        "created_at": iso_utc(request.created_at),
        "timeline": [
            {
                "from_status": change.from_status or None,
                "to_status": change.to_status,
                "note": change.note,
                "actor": change.actor,
                "at": iso_utc(change.changed_at),
            }
            for change in request.changes
        ],
    }


@bp.post("/orders/<number>/returns")
@operation(
    "Ask to return delivered items of one parcel: answers the RMA, where to send them and "
    "what would be refunded",
    tags=["buyers"],
    body="ReturnRequest",
    response="Return",
    errors=(400, 404, 422),
    security="bearer",
    status=201,
)
def request_return(number: str):
    body = json_object()
    order = buyers_order(number, lock=True)
    request = returns.request_return(order, *_asked(body))
    db.session.commit()
    return jsonify(return_json(request)), 201


def _asked(body: dict) -> tuple:
    fields = ("lines", "reason", "note", "resolution", "exchange_sku", "return_postage")
    return tuple(body.get(field) for field in fields)


@bp.post("/orders/<number>/returns/quote")
@operation(
    "What a return as asked would refund, part by part, before the buyer confirms it: "
    "checked as the request is, nothing saved",
    tags=["buyers"],
    body="ReturnRequest",
    response="ReturnQuote",
    errors=(400, 404, 422),
    security="bearer",
)
def quote_return(number: str):
    order = buyers_order(number)
    asked = returns.preview(order, *_asked(json_object()))
    return jsonify(
        {
            "refund": asked.refund.total.as_json(),
            "refund_parts": [part.as_json() for part in asked.refund.parts],
            "charge": (
                asked.exchange.charge if asked.exchange else Money.zero(order.currency).rounded()
            ).as_json(),
            "exchange_sku": asked.exchange_sku or None,
        }
    )


@bp.get("/orders/<number>/returns/<rma>")
@operation(
    "A return of the order: its status and timeline",
    tags=["buyers"],
    response="Return",
    errors=(404,),
    security="bearer",
)
def get_return(number: str, rma: str):
    return jsonify(return_json(returns.buyers_return(buyers_order(number), rma)))


@bp.post("/orders/<number>/returns/<rma>/photos")
@operation(
    "Add a photo of the returned goods (multipart/form-data: `file`; at most 5 a return): "
    "checked by content and resized; answers the return with its photos",
    tags=["buyers"],
    body="ReturnPhotoUpload",
    body_type="multipart/form-data",
    response="Return",
    errors=(400, 404, 422, 503),
    security="bearer",
    status=201,
)
def add_return_photo(number: str, rma: str):
    found = returns.buyers_return(buyers_order(number, lock=True), rma)
    http.max_content_length = settings()["IMAGE_MAX_BYTES"] + 64 * 1024
    try:
        upload = http.files.get("file")
    except RequestEntityTooLarge:
        raise too_large() from None
    if upload is None or not upload.filename:
        raise ApiError(
            400, "missing_file", "Send the photo as multipart/form-data in field `file`.", "file"
        )
    try:
        photos.add_photos(found, [photos.checked(read_upload(upload.stream))])
    except ImageNotStored as error:
        db.session.rollback()
        return error_response(503, "media_unavailable", error.message, "file")
    db.session.commit()
    return jsonify(return_json(found)), 201


@bp.post("/orders/<number>/returns/<rma>/payment")
@operation(
    "Pay an exchange's price difference by card (an exchange for a dearer variant): the "
    "PaymentIntent to confirm with Stripe.js, as checkout's payment; the same one each time "
    "until it is paid (a new one once a card declined on the return's page canceled it). "
    "The return may be approved once Stripe took it",
    tags=["buyers"],
    response="ReturnPayment",
    errors=(404, 409, 502, 503),
    security="bearer",
)
def pay_return_difference(number: str, rma: str):
    order = buyers_order(number, lock=True)
    found = returns.buyers_return(order, rma)
    try:
        payment = payment_charges.start_charge(
            order, charges.purpose_of(found), charges.payable(found)
        )
    except stripe_gateway.NotConfigured:
        raise ApiError(
            503, "payments_unavailable", gettext("This shop takes no card payments.")
        ) from None
    except stripe_gateway.GatewayError:
        raise ApiError(
            502,
            "payment_unavailable",
            gettext("The card payment could not be started; try again."),
        ) from None
    db.session.commit()
    return jsonify(payment)
