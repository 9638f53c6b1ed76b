"""Approving a return as its shipper answers: the goods go to the route's address, to one
the shipper gives (a supplier's own returns desk), or nowhere at all when it refunds without
a return (the buyer keeps the goods; the refund is allowed at once)."""

from __future__ import annotations

from ..delivery.operations import Actor
from .eligibility import ReturnRefused
from .operations import approve
from .route_texts import KEEP_THE_GOODS
from .tables import ReturnRequest

ADDRESS_LONGEST = 1000


def approve_as_answered(request: ReturnRequest, actor: Actor, answer: dict) -> None:
    """Approve the return with the shipper's answer (`return_address`, or
    `refund_without_return: true`); ReturnRefused naming the field for an unusable answer,
    ReturnNotReady when it is not requested any more. Flushes, never commits."""
    address = answer.get("return_address")
    without = answer.get("refund_without_return", False)
    if not isinstance(without, bool):
        raise ReturnRefused(
            "refund_without_return is true or false.", "invalid_answer", "refund_without_return"
        )
    if address is not None and (
        not isinstance(address, str) or not address.strip() or len(address) > ADDRESS_LONGEST
    ):
        raise ReturnRefused(
            f"The return address is text of 1 to {ADDRESS_LONGEST} characters.",
            "invalid_return_address",
            "return_address",
        )
    if address is not None and without:
        raise ReturnRefused(
            "A return refunded without a return has no address to send it to.",
            "invalid_answer",
            "return_address",
        )
    # the answer is on the return before it moves, so the buyer's approval mail tells it;
    # a return no longer requested is refused by `approve` and the caller discards it all
    if without:
        request.ship_to, request.return_address = "", ""
        request.instructions = KEEP_THE_GOODS
    elif address is not None:
        request.return_address = address.strip()
    approve(request, actor)
    if without:
        request.changes[-1].note = f"approved by {actor.label}: refund without return"[:300]
