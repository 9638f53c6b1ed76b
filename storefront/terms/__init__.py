"""Payment terms of trade orders: the payment schedule (`operations`: prepay, a deposit and
the balance before shipment, net 30/60/90 invoices, a letter of credit), its parts paid by
card (`cards`, through `payments.charges`) or by bank transfer (reusing
`payments.bank_transfer`), reminders of net invoices (`reminders`, the worker's
`terms.reminders`), letters of credit (`credit`), and what a cancelled order's parts give
back (`cancelling`, called by delivery). Delivery asks `shipping_waits_for`
before a group ships; checkout, the back office and the API call down here. The buyer's
order page reads the schedule through the `order_terms` Jinja global."""

from __future__ import annotations

from ..mount import ShopSetup

SETTINGS = {"TERMS_REMINDER_DAYS": 7}  # days before and after a net invoice's due date
CARD_PAYMENTS_SECONDS = 60  # how often the worker records parts Stripe's webhook settled


def init_app(setup: ShopSetup) -> None:
    from ..payments import attempts, bank_transfer
    from . import tables  # noqa: F401 - the tables belong to the shop's metadata
    from .operations import order_using_reference, refuse_whole_payment, settle_card_payments
    from .reminders import REMINDERS_SECONDS, send_reminders
    from .views import order_terms

    for name, default in SETTINGS.items():
        setup.config.setdefault(name, default)
    setup.add_job("terms.reminders", send_reminders, every=REMINDERS_SECONDS)
    setup.add_job("terms.card_payments", settle_card_payments, every=CARD_PAYMENTS_SECONDS)
    setup.jinja_env.globals.update(order_terms=order_terms)
    # one bank reference pays one thing; an order paid in parts is never charged whole
    bank_transfer.register_reference_user(order_using_reference)
    attempts.check_whole_payment(refuse_whole_payment)
