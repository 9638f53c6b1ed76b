"""The buyer's mails at each step of a return, in the order's language: asked (the RMA,
where to send the goods, what comes back), approved, refused (why), received. The refund's
own mail is the payments' (`notices.refund_issued`, sent by `operations.refund`)."""

from __future__ import annotations

from channels.money import Money

from ..mail.operations import absolute_url
from ..mail.tables import MailMessage
from ..notices import operations as notices
from ..orders.links import order_key
from .tables import ReturnRequest, ReturnStatus

# the statuses a mail tells of when a return moves to them
TOLD = (ReturnStatus.APPROVED, ReturnStatus.REFUSED, ReturnStatus.RECEIVED)


def rma_url(request: ReturnRequest) -> str:
    """The return's page, opened by the order's signed key (no session needed)."""
    order = request.order
    return absolute_url(
        "return_pages.rma", number=order.number, rma=request.rma, key=order_key(order)
    )


def _context(request: ReturnRequest) -> dict:
    return {
        "rma": request.rma,
        "rma_url": rma_url(request),
        "refund": Money(request.refund_amount, request.currency).rounded(),
        "exchange": request.resolution == "exchange",
        # an exchange's difference the buyer pays on the return's page (zero: none)
        "charge": Money(request.charge_amount, request.currency).rounded(),
        "sent_back": bool(request.ship_to),
        "address_lines": [ln for ln in request.return_address.splitlines() if ln.strip()],
        "instructions": request.instructions,
        "lines": [(line.quantity, line.order_line) for line in request.lines],
    }


def requested(request: ReturnRequest) -> MailMessage | None:
    return notices.about_order(request.order, "return_requested", **_context(request))


def status_changed(request: ReturnRequest, status: str, note: str = "") -> MailMessage | None:
    """The buyer hears of the step (`note`: a refusal's reason); None for a step the
    buyer is told of elsewhere (the refund)."""
    if status not in TOLD:
        return None
    return notices.about_order(
        request.order, "return_status", status=status, note=note, **_context(request)
    )
