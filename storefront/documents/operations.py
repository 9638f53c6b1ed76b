"""Issuing export documents: each kind once per group (and once per later shipment of a
group shipped in several), numbered in its series, kept as
data (`build`) and printed from it every time (`render`).

Kinds: `commercial-invoice`, `packing-list`, and for postal carriers `cn22` or `cn23`,
chosen by the goods' value in SDR (ISO code XDR) at the shop's dated rate: up to
`CN22_MAX_SDR` a CN22, else (or with no XDR rate known) a CN23, which a sender may always
use. Services flush, never commit.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from channels.fx import MissingRate, cross_rate
from channels.money import Money

from .. import clock
from ..db import db
from ..errors import InputError
from ..markets.rates import current_rates
from ..orders.tables import OrderGroup, Shipment
from .build import build, shipped_quantities
from .parcels import check_for_shipment, parcels_of, record_packed, record_shipped
from .tables import DocumentSeries, IssuedDocument

COMMERCIAL_INVOICE, PACKING_LIST, CN22, CN23 = "commercial-invoice", "packing-list", "cn22", "cn23"
KINDS = (COMMERCIAL_INVOICE, PACKING_LIST, CN22, CN23)
PREFIX = {COMMERCIAL_INVOICE: "CI", PACKING_LIST: "PL", CN22: "CN22", CN23: "CN23"}
CN22_MAX_SDR = Decimal(300)
SDR = "XDR"
SDR_PLACES = Decimal("1e-16")  # IssuedDocument.sdr_rate is Numeric(30, 16)


class UnknownKind(InputError):
    code = "unknown_document"
    status = 404


class DocumentRefused(InputError):
    """The group cannot have this document now (not packed yet; the other postal form)."""

    code = "document_refused"
    status = 409


class WrongPostalForm(DocumentRefused):
    """The goods' value calls for the other postal declaration; `applies` names it."""

    code = "wrong_postal_form"

    def __init__(self, asked: str, applies: str):
        super().__init__(
            gettext(
                "This parcel needs a %(applies)s, not a %(asked)s.",
                applies=applies.upper(),
                asked=asked.upper(),
            ),
            field="kind",
        )
        self.applies = applies


@dataclass(frozen=True)
class PostalForm:
    kind: str  # cn22 or cn23
    value_sdr: Decimal | None  # None: no XDR rate known
    rate: Decimal | None
    rate_date: datetime.date | None


def postal_form(group: OrderGroup, units: Counter | None = None) -> PostalForm:
    """CN22 or CN23 for the group's goods (or the `units` of a later shipment), at the
    shop's newest SDR rate."""
    currency = group.order.currency
    goods = sum(
        (Money(ln.unit_amount, currency) * n for ln, n in shipped_quantities(group.lines, units)),
        Money.zero(currency),
    ).rounded()
    shop_rates = current_rates()
    try:
        rate = cross_rate(shop_rates.rateset, currency, SDR).quantize(SDR_PLACES)
    except MissingRate:
        return PostalForm(CN23, None, None, None)
    value = (goods.amount * rate).quantize(Decimal("0.01"))
    kind = CN22 if value <= CN22_MAX_SDR else CN23
    return PostalForm(kind, value, rate, shop_rates.dates.get(SDR))


def _next_number(kind: str, day: datetime.date) -> str:
    """The next number of the kind's series this year, e.g. CI-2026-000001."""
    series = f"{PREFIX[kind]}-{day.year}"
    row = db.session.get(DocumentSeries, series, with_for_update=True)
    if row is None:
        try:
            with db.session.begin_nested():
                row = DocumentSeries(series=series, last=0)
                db.session.add(row)
        except IntegrityError:  # another request started the series first
            row = db.session.get(
                DocumentSeries, series, with_for_update=True, populate_existing=True
            )
    row.last += 1
    return f"{series}-{row.last:06d}"


def issue_all(
    group: OrderGroup, actor: str, language: str = "en", shipment: Shipment | None = None
) -> list[IssuedDocument]:
    """Issue the group's commercial invoice, packing list and postal declaration from the
    order's snapshot and its parcels, once: a group that has them keeps them. With a
    (later) `shipment`, that shipment's own, of its lines and parcels."""
    if issued_for(group.id, shipment.id if shipment is not None else None):
        return []
    if shipment is None:
        parcels, units = parcels_of(group.id), None
    else:
        parcels = parcels_of(group.id, shipment.id)
        units = Counter({ln["sku"]: ln["quantity"] for ln in shipment.lines})
    data = build(group, parcels, units)
    if shipment is not None:
        data["shipment_id"] = shipment.id
    postal = postal_form(group, units)
    now = clock.now()
    documents = []
    for kind in (COMMERCIAL_INVOICE, PACKING_LIST, postal.kind):
        number = _next_number(kind, now.date())
        own = {**data, "kind": kind, "number": number, "date": now.date().isoformat()}
        is_postal = kind == postal.kind
        if is_postal:
            own["sdr"] = {
                "value": str(postal.value_sdr) if postal.value_sdr is not None else None,
                "rate": str(postal.rate) if postal.rate is not None else None,
                "date": postal.rate_date.isoformat() if postal.rate_date else None,
            }
        documents.append(
            IssuedDocument(
                group_id=group.id,
                shipment_id=shipment.id if shipment is not None else None,
                kind=kind,
                number=number,
                issued_at=now,
                issued_by=actor[:120],
                language=language,
                data=own,
                sdr_rate=postal.rate if is_postal else None,
                sdr_rate_date=postal.rate_date if is_postal else None,
            )
        )
    db.session.add_all(documents)
    db.session.flush()
    return documents


def packed(group: OrderGroup, actor: str, parcels=None) -> list[IssuedDocument]:
    """The group was packed into `parcels` (or one derived): record them, issue its
    documents."""
    record_packed(group, actor, parcels)
    return issue_all(group, actor)


def check_shipment_parcels(raw, lines: list[dict]) -> list[dict] | None:
    """The parcels given for a shipment of `lines`, checked; None when none were given."""
    return check_for_shipment(raw, lines)


def shipped(group: OrderGroup, shipment: Shipment, actor: str, checked: list[dict] | None):
    """A shipment left: record its parcels (`parcels.record_shipped`). A group shipped
    without being packed has its documents issued at its first shipment; every later
    shipment gets its own, of its lines and parcels."""
    db.session.flush()  # the shipment's id
    first = not db.session.scalar(
        select(Shipment.id).where(Shipment.group_id == group.id, Shipment.id < shipment.id)
    )
    record_shipped(group, shipment, actor, checked, first)
    return issue_all(group, actor, shipment=None if first else shipment)


def document_for(group: OrderGroup, kind: str, shipment: Shipment | None = None) -> IssuedDocument:
    """The group's issued document of `kind` (or a later `shipment`'s), to print; never
    built here."""
    if kind not in KINDS:
        raise UnknownKind(gettext("There is no document %(kind)s.", kind=kind), field="kind")
    issued = {doc.kind: doc for doc in issued_for(group.id, shipment.id if shipment else None)}
    if not issued and shipment is not None:
        raise DocumentRefused(  # its group's first shipment: the group's own set covers it
            "This shipment has no documents of its own: the group's cover it.",
            "first_shipment",
            "shipment_id",
        )
    if not issued:
        raise DocumentRefused(
            gettext("Its documents are issued once the group is packed or shipped."),
            "not_packed",
            "status",
        )
    if kind not in issued:
        other = CN23 if kind == CN22 else CN22
        raise WrongPostalForm(kind, other)
    return issued[kind]


def issued_for(group_id: int, shipment_id: int | None = None) -> list[IssuedDocument]:
    """The group's own documents, or those of its later shipment `shipment_id`."""
    return list(
        db.session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.group_id == group_id, _of_shipment(shipment_id))
            .order_by(IssuedDocument.id)
        )
    )


def _of_shipment(shipment_id: int | None):
    if shipment_id is None:
        return IssuedDocument.shipment_id.is_(None)
    return IssuedDocument.shipment_id == shipment_id


def issued_by_shipment(group_id: int) -> dict[int, list[IssuedDocument]]:
    """The documents of each later shipment of the group, by shipment id."""
    found: dict[int, list[IssuedDocument]] = {}
    for document in db.session.scalars(
        select(IssuedDocument)
        .where(IssuedDocument.group_id == group_id, IssuedDocument.shipment_id.is_not(None))
        .order_by(IssuedDocument.id)
    ):
        found.setdefault(document.shipment_id, []).append(document)
    return found


def issued_by_group(group_ids: list[int]) -> dict[int, list[IssuedDocument]]:
    """The documents issued for each of the groups (their own, not a later shipment's),
    in one read (for a queue's rows)."""
    found: dict[int, list[IssuedDocument]] = {}
    if not group_ids:
        return found
    for document in db.session.scalars(
        select(IssuedDocument)
        .where(IssuedDocument.group_id.in_(group_ids), IssuedDocument.shipment_id.is_(None))
        .order_by(IssuedDocument.id)
    ):
        found.setdefault(document.group_id, []).append(document)
    return found
