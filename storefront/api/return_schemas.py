"""JSON schemas of returns (the buyer's request and the return as answered), for the
OpenAPI document."""

from __future__ import annotations

from models_ import RETURN_OUTCOMES

from ..returns.money import KINDS
from ..returns.tables import REASONS, RESOLUTIONS, Payout, ReturnStatus
from .schemas import _object, ref

_string = {"type": "string"}
_moment = {"type": "string", "format": "date-time"}
_status = {"enum": [status.value for status in ReturnStatus]}
_parts = {
    "type": "array",
    "items": _object({"kind": {"enum": list(KINDS)}, "amount": ref("Money")}),
    "description": "what the refund is made of, by the rules in docs/returns.md: goods, "
    "vat (collected on top of the prices), shipping, duty (and import fees), return_postage, "
    "price_difference (an exchange for a cheaper variant)",
}
_charge = {
    **ref("Money"),
    "description": "what the buyer pays on top for an exchange to a dearer variant (zero: "
    "nothing), by card before the return may be approved: "
    "`POST /orders/{number}/returns/{rma}/payment`",
}

RETURN_SCHEMAS: dict[str, dict] = {
    "ReturnRequest": _object(
        {
            "lines": {
                "type": "array",
                "minItems": 1,
                "items": _object(
                    {"sku": _string, "quantity": {"type": "integer", "minimum": 1}}, ["sku"]
                ),
            },
            "reason": {"enum": list(REASONS)},
            "note": {"type": "string", "maxLength": 500, "description": "needed for `other`"},
            "resolution": {"enum": list(RESOLUTIONS)},
            "exchange_sku": {
                "type": "string",
                "description": "for an exchange: another variant of the same product",
            },
            "return_postage": {
                **ref("Money"),
                "description": "what the buyer paid to send it back, in the order's currency: "
                "refunded up to the channel's cap for a damaged item or one not as described",
            },
        },
        ["lines", "reason", "resolution"],
    ),
    "Return": _object(
        {
            "rma": _string,
            "order_number": _string,
            "status": _status,
            "reason": {"enum": list(REASONS)},
            "note": _string,
            "resolution": {"enum": list(RESOLUTIONS)},
            "exchange_sku": {"type": ["string", "null"]},
            "ship_to": {
                "anyOf": [_object({"shipper": _string, "address": _string}), {"type": "null"}],
                "description": "who the goods go back to and the postal address to send "
                "them to (empty until the shop gives one); null: refunded without a return",
            },
            "instructions": _string,
            "refund": {
                **ref("Money"),
                "description": "the total of refund_parts; for an exchange, only the price "
                "difference to a cheaper variant (and the return postage)",
            },
            "refund_parts": _parts,
            "charge": _charge,
            "charge_status": {
                "enum": ["none", "owed", "paid", "given_back"],
                "description": "the charge: none to pay, owed, paid, or given back in full "
                "(the return was refused after it was paid)",
            },
            "payout": {
                "enum": [None, *(p.value for p in Payout)],
                "description": "once refunded: card, or by_hand for an order paid by bank "
                "transfer (owed until staff mark it paid_by_hand)",
            },
            "exchange_group_id": {
                "type": ["integer", "null"],
                "description": "an exchange's new piece: a group of the same order",
            },
            "refusal_reason": {"type": ["string", "null"]},
            "lines": {
                "type": "array",
                "items": _object({"sku": _string, "quantity": {"type": "integer"}}),
            },
            "photos": {
                "type": "array",
                "items": {"type": "string", "format": "uri"},
                "description": "the buyer's photos of the goods (largest size)",
            },
            "created_at": _moment,
            "timeline": {
                "type": "array",
                "items": _object(
                    {
                        "from_status": {"type": ["string", "null"]},
                        "to_status": _status,
                        "note": _string,
                        "actor": _string,
                        "at": _moment,
                    }
                ),
            },
        }
    ),
    "ReturnQuote": _object(
        {
            "refund": ref("Money"),
            "refund_parts": _parts,
            "charge": _charge,
            "exchange_sku": {"type": ["string", "null"]},
        }
    ),
    "ReturnPayment": _object(
        {
            "provider": {"const": "stripe"},
            "client_secret": {
                "type": "string",
                "description": "for Stripe.js `confirmCardPayment`",
            },
            "status": {"type": "string", "description": "the PaymentIntent's, as Stripe says"},
            "amount": {**ref("Money"), "description": "the difference: the return's charge"},
            "publishable_key": {"type": ["string", "null"]},
            "js_url": _string,
        }
    ),
    "ReturnPhotoUpload": _object(
        {
            "file": {
                "type": "string",
                "format": "binary",
                "description": "A JPEG, PNG or WebP photo (by content), at most 10 MB, 300 "
                "to 8000 px a side; at most 5 a return",
            }
        }
    ),
    "ReturnPage": _object(
        {
            "items": {"type": "array", "items": ref("Return")},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
        }
    ),
    "ReturnApproveRequest": _object(
        {
            "return_address": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1000,
                "description": "where the buyer sends the goods instead of the route's address",
            },
            "refund_without_return": {
                "type": "boolean",
                "description": "the buyer keeps the goods: refunded at once, nothing sent",
            },
        },
        [],
    ),
    "ReturnInspectRequest": _object(
        {
            "lines": {
                "type": "array",
                "minItems": 1,
                "items": _object(
                    {
                        "sku": _string,
                        "outcome": {
                            "enum": list(RETURN_OUTCOMES),
                            "description": "one the group's selling model offers",
                        },
                        "warehouse": {
                            "type": "string",
                            "description": "a restock's warehouse (default: the one that "
                            "shipped it, else the shop's first)",
                        },
                        "note": {"type": "string", "maxLength": 300},
                    },
                    ["sku", "outcome"],
                ),
            },
            "note": {
                "type": "string",
                "maxLength": 300,
                "description": "why; needed for a write-off or a rework without a line note",
            },
        },
        ["lines"],
    ),
    "SupplierCreditList": _object(
        {
            "items": {
                "type": "array",
                "items": _object(
                    {
                        "rma": _string,
                        "order_number": _string,
                        "amount": {
                            **ref("Money"),
                            "description": "the supplier's cost of the returned units where "
                            "the shop knows it, else their price",
                        },
                        "created_at": _moment,
                    }
                ),
            },
            "totals": {"type": "array", "items": ref("Money"), "description": "per currency"},
        }
    ),
    "ReturnRefuseRequest": _object(
        {"reason": {"type": "string", "minLength": 1, "maxLength": 280}}
    ),
}
