"""What a supplier owes the shop for goods of refunded returns it took back, in the admin
API (staff keys only), as the supplier's page in the back office shows it."""

from __future__ import annotations

from flask import jsonify

from channels.money import Money

from ..db import iso_utc
from ..fulfilment import partners
from ..fulfilment.tables import Supplier
from ..returns import settling
from .errors import ApiError
from .records import staff_only
from .spec import operation
from .views import bp


@bp.get("/admin/suppliers/<code>/credits")
@operation(
    "What the supplier owes the shop for returned goods: one credit per refunded return, "
    "newest first, and the total per currency",
    tags=["back office"],
    response="SupplierCreditList",
    errors=(401, 403, 404),
    security="bearer",
)
def supplier_credits(code: str):
    staff_only()
    supplier = partners.by_code(Supplier, code)
    if supplier is None:
        raise ApiError(404, "not_found", f"There is no supplier {code}.", "code")
    credits = settling.credits_of(supplier)
    return jsonify(
        items=[
            {
                "rma": credit.request.rma,
                "order_number": credit.request.order.number,
                "amount": Money(credit.amount, credit.currency).rounded().as_json(),
                "created_at": iso_utc(credit.created_at),
            }
            for credit in credits
        ],
        totals=[total.as_json() for total in settling.credit_totals(credits)],
    )
