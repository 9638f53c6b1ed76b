"""Suppliers' webhook endpoints and supplier users in the audit log, on the supplier's
record. Endpoint secrets are logged as "rotated", never their value."""

from __future__ import annotations

from .. import audit
from ..accounts.tables import User
from ..fulfilment.tables import Supplier
from .tables import SupplierAccount, SupplierEndpoint


def _account_label(account: SupplierAccount) -> str:
    user = audit.row_of(User, account.user_id)
    return f"user {user.email if user else account.user_id}"


def track_history() -> None:
    audit.track(
        SupplierEndpoint,
        parent=audit.parent_by(Supplier, "supplier_id"),
        label=lambda e: f"endpoint {e.url}",
        fields={
            "url": "URL",
            "event_types_text": "events",
            "is_active": "active",
            "disabled_reason": "disabled because",
        },
        secrets={"secret": "secret"},
    )
    audit.track(
        SupplierAccount, parent=audit.parent_by(Supplier, "supplier_id"), label=_account_label
    )
