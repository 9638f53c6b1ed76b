"""Selling models: how a product is sourced, shipped and returned.

The catalog stores one code per product. The models' behaviour (quote,
reserve, fulfil, return) arrives behind one interface in a later step; for now
this package owns the list of codes and their business names.
"""

from __future__ import annotations

SELLING_MODELS: dict[str, str] = {
    "wholesale_retail": "Wholesale / retail from own stock",
    "self_produced": "Self-produced (made by the shop)",
    "agent_operated": "Agent-operated",
    "oem_dropship": "OEM / dropshipping",
}


class UnknownSellingModel(ValueError):
    def __init__(self, code: str):
        super().__init__(
            f"Unknown selling model {code!r}; expected one of: {', '.join(SELLING_MODELS)}."
        )
        self.code = code


def check_code(code: str) -> str:
    if code not in SELLING_MODELS:
        raise UnknownSellingModel(code)
    return code
