"""The buyer's return pages: from a delivered parcel on the order page, a form (which
items, why, refund or exchange, photos), a review of what comes back and where the goods
go, then the return's own page (RMA) with its status and timeline. Whoever may open the
order may open these (`customers.access.visitor_order`); anyone else gets a 404.

Nothing is saved until the buyer confirms: the review page carries the form's answers
(and the photos, checked and resized) to the confirmation, which checks them again."""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass

from flask import Blueprint, abort, redirect, request
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from channels.money import Money

from .. import clock
from ..accounts.current import current_user
from ..catalog.images import ImageNotStored, ImageRefused, read_upload
from ..catalog.tables import Variant
from ..config import settings
from ..customers.access import visitor_order
from ..customers.operations import is_buyer
from ..db import as_utc, db
from ..errors import InputError
from ..mount import render_template, url_for
from ..orders.states import GroupStatus
from ..orders.tables import Order, OrderGroup
from . import charge_pages, photos
from . import operations as returns
from .addresses import return_address_of
from .eligibility import ReturnRefused, returned_units, window_days
from .labels import part_label, reason_labels, status_labels
from .money import postage_cap
from .tables import REASONS, ReturnRequest

bp = Blueprint("return_pages", __name__)
# the photos carried from the review to the confirmation, base64 of their largest size
CARRIED_PHOTO_BYTES = 4 * 1024 * 1024


def _key() -> dict:
    """The signed link's key, kept on the links of a visitor who came by it."""
    key = request.args.get("key", "")
    return {"key": key} if key else {}


def open_until(order: Order, group: OrderGroup) -> datetime.datetime | None:
    """When the group's return window closes; None for a group not delivered."""
    if group.status != GroupStatus.DELIVERED or group.delivered_at is None:
        return None
    return as_utc(group.delivered_at) + datetime.timedelta(days=window_days(order))


@dataclass(frozen=True)
class ReturnView:
    """A return as the buyer's lists show it."""

    rma: str
    order_number: str
    status: str
    status_label: str
    refund: Money
    units: int
    url: str
    created_at: datetime.datetime


def _view(request_: ReturnRequest, **url_values) -> ReturnView:
    number = request_.order.number
    return ReturnView(
        rma=request_.rma,
        order_number=number,
        status=request_.status,
        status_label=status_labels().get(request_.status, request_.status),
        refund=Money(request_.refund_amount, request_.currency).rounded(),
        units=sum(line.quantity for line in request_.lines),
        url=url_for("return_pages.rma", number=number, rma=request_.rma, **url_values),
        created_at=request_.created_at,
    )


@dataclass(frozen=True)
class OrderReturns:
    """What the order page shows of returns: a link per parcel that may still go back,
    and the order's returns."""

    links: dict[int, str]
    returns: list[ReturnView]


def order_returns(order: Order) -> OrderReturns:
    """For the order page (a Jinja global: checkout may not import returns)."""
    now, links = clock.now(), {}
    for group in order.groups:
        until = open_until(order, group)
        if until is not None and now <= until:
            links[group.id] = url_for(
                "return_pages.new", number=order.number, group_id=group.id, **_key()
            )
    found = db.session.scalars(
        select(ReturnRequest)
        .where(ReturnRequest.order_id == order.id)
        .order_by(ReturnRequest.created_at, ReturnRequest.id)
    )
    return OrderReturns(links, [_view(r, **_key()) for r in found])


def buyer_returns() -> list[ReturnView]:
    """The signed-in buyer's returns, newest first (a Jinja global for the account page)."""
    if not is_buyer(current_user):
        return []
    found = db.session.scalars(
        select(ReturnRequest)
        .join(Order, Order.id == ReturnRequest.order_id)
        .where(Order.customer_id == current_user.id)
        .order_by(ReturnRequest.created_at.desc(), ReturnRequest.id.desc())
    )
    return [_view(r) for r in found]


def _delivered_group(order: Order, group_id: int) -> OrderGroup:
    group = next((g for g in order.groups if g.id == group_id), None)
    if group is None or open_until(order, group) is None:
        abort(404)
    return group


def _units_left(group: OrderGroup) -> dict[int, int]:
    already = returned_units([line.id for line in group.lines])
    return {line.id: max(line.quantity - already[line.id], 0) for line in group.lines}


def _exchange_choices(group: OrderGroup) -> list[tuple[str, str]]:
    """Other variants of the group's products, for an exchange: (sku, label)."""
    bought = {line.sku for line in group.lines}
    variants = db.session.scalars(
        select(Variant)
        .where(
            Variant.product_id.in_({line.product_id for line in group.lines}),
            Variant.is_archived.is_(False),
        )
        .order_by(Variant.id)
    )
    names = {line.product_id: line.shown_name for line in group.lines}
    return [
        (v.sku, f"{names[v.product_id]} · {v.options_text or v.sku}")
        for v in variants
        if v.sku not in bought
    ]


@dataclass
class Answers:
    """The form's answers, as the buyer gave them (shown again on a refusal)."""

    quantities: dict[int, str]
    reason: str
    note: str
    resolution: str
    exchange_sku: str
    return_postage: str = ""

    @classmethod
    def read(cls, group: OrderGroup, form) -> Answers:
        return cls(
            {line.id: form.get(f"quantity-{line.id}", "0").strip() for line in group.lines},
            form.get("reason", ""),
            form.get("note", ""),
            form.get("resolution", "refund"),
            form.get("exchange_sku", ""),
            form.get("return_postage", "").strip(),
        )

    def postage(self, currency: str) -> dict | None:
        """The postage the buyer states, as the money rules read it (a comma as the
        decimal mark too); None when left empty."""
        if not self.return_postage:
            return None
        return {"amount": self.return_postage.replace(",", "."), "currency": currency}

    def lines(self, group: OrderGroup) -> list[dict]:
        wanted = []
        for line in group.lines:
            raw = self.quantities.get(line.id) or "0"
            # not a whole number (or an absurd one): the rules answer it as such
            quantity = int(raw) if raw.isdecimal() and len(raw) <= 9 else raw
            if quantity != 0:
                wanted.append({"sku": line.sku, "quantity": quantity})
        return wanted


def _photo_refused(error: ImageRefused) -> ReturnRefused:
    """The catalog's refusal of a file, in the buyer's language."""
    if error.code in ("file_too_large", "image_too_large"):
        message = gettext("This photo is too large: send a smaller one.")
    elif error.code == "image_too_small":
        message = gettext(
            "This photo is too small: send one at least %(n)s pixels on its short side.",
            n=settings()["IMAGE_MIN_SIDE"],
        )
    else:
        message = gettext("This file is not a photo we can read: send a JPEG, PNG or WebP.")
    return ReturnRefused(message, "invalid_photo", "photos")


def _needs_photo(reason: str, count: int) -> None:
    if reason in photos.NEEDS_PHOTO and not count:
        raise ReturnRefused(
            gettext("Add a photo that shows the problem."), "photo_required", "photos"
        )
    if count > photos.MAX_PHOTOS:
        raise photos.too_many()


def _uploaded_photos() -> list:
    """The form's photo files, checked and decoded."""
    files = [f for f in request.files.getlist("photos") if f.filename]
    if len(files) > photos.MAX_PHOTOS:
        raise photos.too_many()
    try:
        return [photos.checked(read_upload(f.stream)) for f in files]
    except ImageRefused as error:
        raise _photo_refused(error) from None


def _carried_photos() -> list:
    """The photos the review page carried, checked again (the form is the buyer's)."""
    carried = request.form.getlist("photo")
    if len(carried) > photos.MAX_PHOTOS:
        raise photos.too_many()
    try:
        return [photos.checked(base64.b64decode(text, validate=True)) for text in carried]
    except (binascii.Error, ValueError):
        raise _photo_refused(ImageRefused("", "invalid_image")) from None
    except ImageRefused as error:
        raise _photo_refused(error) from None


def _form(order: Order, group: OrderGroup, answers: Answers | None, error: InputError | None):
    left = _units_left(group)
    return render_template(
        "returns/buyer/form.html",
        order=order,
        group=group,
        left=left,
        answers=answers or Answers({line.id: "0" for line in group.lines}, "", "", "refund", ""),
        reasons=[(r, reason_labels()[r]) for r in REASONS],
        exchange_choices=_exchange_choices(group),
        needs_photo=photos.NEEDS_PHOTO,
        max_photos=photos.MAX_PHOTOS,
        postage_cap=postage_cap(order),
        error=error,
        key=_key(),
    ), (422 if error is not None else 200)


def _read_form():
    try:
        return request.form
    except RequestEntityTooLarge:
        return None


@bp.route("/orders/<number>/parcels/<int:group_id>/return", methods=["GET", "POST"])
def new(number: str, group_id: int):
    order = visitor_order(number)
    group = _delivered_group(order, group_id)
    if request.method == "GET":
        return _form(order, group, None, None)
    form = _read_form()
    if form is None:
        return _form(order, group, None, _photo_refused(ImageRefused("", "file_too_large")))
    answers = Answers.read(group, form)
    try:
        images = _uploaded_photos()
        _needs_photo(answers.reason, len(images))
        asked = returns.preview(
            order,
            answers.lines(group),
            answers.reason,
            answers.note,
            answers.resolution,
            answers.exchange_sku,
            answers.postage(order.currency),
        )
    except InputError as error:
        db.session.rollback()
        return _form(order, group, answers, error)
    carried = [photos.carried(image) for image in images]
    return render_template(
        "returns/buyer/review.html",
        order=order,
        group=group,
        asked=asked,
        answers=answers,
        reason_label=reason_labels()[asked.reason],
        parts=[(part_label(p.kind), p.amount) for p in asked.refund.parts],
        address_lines=_address_lines(return_address_of(asked.route.to)),
        photos=[base64.b64encode(data).decode() for data in carried],
        key=_key(),
    )


@bp.post("/orders/<number>/parcels/<int:group_id>/return/confirm")
def confirm(number: str, group_id: int):
    order = visitor_order(number)
    group = _delivered_group(order, group_id)
    request.max_form_memory_size = CARRIED_PHOTO_BYTES * photos.MAX_PHOTOS
    form = _read_form()
    if form is None:
        abort(413)
    answers = Answers.read(group, form)
    # two confirmations of the last units cannot both pass
    db.session.scalar(select(Order.id).where(Order.id == order.id).with_for_update())
    try:
        images = _carried_photos()
        _needs_photo(answers.reason, len(images))
        made = returns.request_return(
            order,
            answers.lines(group),
            answers.reason,
            answers.note,
            answers.resolution,
            answers.exchange_sku,
            answers.postage(order.currency),
            photos=images,
        )
    except InputError as error:
        db.session.rollback()
        return _form(order, group, answers, error)
    except ImageNotStored:
        db.session.rollback()
        refused = ReturnRefused(
            gettext("The photos could not be saved just now; nothing was saved. Try again."),
            "media_unavailable",
            "photos",
        )
        return _form(order, group, answers, refused)
    db.session.commit()
    return redirect(url_for("return_pages.rma", number=number, rma=made.rma, **_key()), 303)


def _address_lines(address: str) -> list[str]:
    return [line for line in (address or "").splitlines() if line.strip()]


@bp.get("/orders/<number>/returns/<rma>")
def rma(number: str, rma: str):
    order = visitor_order(number)
    try:
        found = returns.buyers_return(order, rma)
    except returns.ReturnNotFound:
        abort(404)
    return render_template(
        "returns/buyer/rma.html",
        order=order,
        found=found,
        status_label=status_labels().get(found.status, found.status),
        status_labels=status_labels(),
        reason_label=reason_labels().get(found.reason, found.reason),
        refund=Money(found.refund_amount, found.currency).rounded(),
        address_lines=_address_lines(found.return_address),
        photo_urls=photos.thumb_urls(found),
        charge=charge_pages.charge_view(order, found),
        key=_key(),
    )
