"""One shape for refused input: every feature's refusal is an InputError with a stable code,
and the API answers any of them with its JSON error, writing nothing."""

import importlib
import inspect
import pkgutil
import re

import pytest

import storefront
from storefront.accounts.operations import AccountError
from storefront.api.errors import ApiError
from storefront.cart.address import DeliveryError
from storefront.cart.operations import CartError
from storefront.catalog.images import ImageRefused
from storefront.catalog.importer import CatalogImportError
from storefront.catalog.operations import CatalogError
from storefront.catalog.trade import TradeTermsError
from storefront.checkout.operations import DeliveryDetailsMissing, KeyOfAnotherCheckout
from storefront.companies.numbers import EoriError, VatNumberError
from storefront.companies.operations import CompanyError
from storefront.compliance.operations import ComplianceError, NumberError
from storefront.customers.operations import RegistrationError
from storefront.delivery.operations import LinesRefused, NotReady, NotYours, ShipmentError
from storefront.documents.licences import ExportLicenceMissing
from storefront.documents.operations import DocumentRefused, UnknownKind, WrongPostalForm
from storefront.documents.parcels import ParcelError
from storefront.documents.render import UnknownLanguage
from storefront.errors import InputError
from storefront.fulfilment.partners import BrandRateError, PartnerError
from storefront.fulfilment.stock import StockError
from storefront.fulfilment.warehouses import WarehouseError
from storefront.mail.operations import InvalidAddress
from storefront.markets.channels_admin import ChannelError, RateError
from storefront.orders.operations import CheckoutRefused
from storefront.orders.states import InvalidTransition
from storefront.pages.operations import PageError, TermsNotAccepted
from storefront.payments.operations import PaymentError
from storefront.payments.stripe_gateway import InvalidEvent
from storefront.production.operations import InspectionError
from storefront.purchasing.operations import PurchasingError
from storefront.quotes.rules import QuoteConflict, QuoteError
from storefront.reports import ReportInputError
from storefront.returns.charges import DifferenceNotPaid
from storefront.returns.eligibility import ReturnRefused
from storefront.returns.operations import ReturnNotFound, ReturnNotReady
from storefront.returns.queries import ReturnFilterError
from storefront.settlements.payouts import PayoutRefused
from storefront.shipping.carriers import CarrierError
from storefront.shipping.operations import ShippingError
from storefront.terms.codes import TermsError
from storefront.terms.credit import CreditError, CreditState
from storefront.terms.operations import PartNotDue, PartNotFound
from storefront.webhooks.access import EndpointInUse, KeyNotFound, SupplierKeyError
from storefront.webhooks.operations import WebhookError

REFUSALS = {
    CompanyError,
    CreditError,
    CreditState,
    DocumentRefused,
    EoriError,
    ExportLicenceMissing,
    ParcelError,
    PartNotDue,
    PartNotFound,
    TermsError,
    UnknownKind,
    UnknownLanguage,
    VatNumberError,
    WrongPostalForm,
    AccountError,
    ApiError,
    BrandRateError,
    CartError,
    CatalogError,
    CarrierError,
    CatalogImportError,
    ChannelError,
    CheckoutRefused,
    ComplianceError,
    DeliveryDetailsMissing,
    DeliveryError,
    DifferenceNotPaid,
    EndpointInUse,
    InspectionError,
    InvalidAddress,
    InvalidEvent,
    ImageRefused,
    InvalidTransition,
    KeyNotFound,
    KeyOfAnotherCheckout,
    LinesRefused,
    NotReady,
    NotYours,
    NumberError,
    PageError,
    PartnerError,
    PaymentError,
    PayoutRefused,
    PurchasingError,
    QuoteConflict,
    QuoteError,
    RateError,
    ReturnFilterError,
    ReturnNotFound,
    ReturnNotReady,
    ReturnRefused,
    ShipmentError,
    RegistrationError,
    ReportInputError,
    ShippingError,
    TradeTermsError,
    StockError,
    SupplierKeyError,
    TermsNotAccepted,
    WarehouseError,
    WebhookError,
}
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def _value_errors_in_storefront() -> set[type]:
    """Every ValueError class the shop's own modules define (migrations aside)."""
    found = set()
    for module in pkgutil.walk_packages(storefront.__path__, "storefront."):
        if ".migrations" in module.name:
            continue
        loaded = importlib.import_module(module.name)
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if cls.__module__ == module.name and issubclass(cls, ValueError):
                found.add(cls)
    return found


def test_every_refusal_in_the_shop_is_an_input_error():
    found = _value_errors_in_storefront()
    assert found - {InputError} == REFUSALS
    assert all(issubclass(cls, InputError) for cls in found)


@pytest.mark.parametrize("cls", sorted(REFUSALS - {ApiError}, key=lambda c: c.__name__))
def test_each_refusal_carries_a_code_and_an_api_status(cls):
    assert _CODE.match(cls.code) and cls.code != InputError.code, cls
    assert cls.status in (400, 404, 409, 422)


def test_a_refusal_has_message_code_and_field():
    plain = CatalogError("A product needs a name.", field="name")
    assert (plain.message, plain.code, plain.field) == (
        "A product needs a name.",
        "invalid_product",
        "name",
    )
    exact = CartError("No such line.", "unknown_line", "line")
    assert (exact.code, exact.field, str(exact)) == ("unknown_line", "line", "No such line.")
    fields = DeliveryError({"email": "Enter an e-mail.", "phone": "Enter a phone."})
    assert (fields.code, fields.field, fields.message) == (
        "invalid_delivery_details",
        "email",
        "Enter an e-mail.",
    )
    assert str(fields) == "email: Enter an e-mail.; phone: Enter a phone."


@pytest.fixture
def api_cart(client, four_models):
    body = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"}).get_json()
    return body["id"], {"Authorization": f"Bearer {body['token']}"}, four_models


def test_a_refusal_raised_in_an_api_view_answers_json_and_writes_nothing(
    app, client, api_cart, monkeypatch
):
    from storefront.cart import operations as carts
    from storefront.cart.tables import Cart, CartLine
    from storefront.db import db

    cart_id, auth, skus = api_cart
    real_add_line = carts.add_line

    def add_then_refuse(cart, sku, quantity, pricer):
        real_add_line(cart, sku, quantity, pricer)
        cart.email = "half@example.com"
        db.session.flush()  # written to the transaction, then refused
        raise CartError("Refused after writing.", "refused_late", "quantity")

    monkeypatch.setattr(carts, "add_line", add_then_refuse)
    response = client.post(
        f"/api/v1/carts/{cart_id}/lines", json={"sku": skus["drop"]}, headers=auth
    )
    assert response.status_code == 400
    assert response.get_json() == {
        "error": {"code": "refused_late", "message": "Refused after writing.", "field": "quantity"}
    }
    with app.app_context():
        assert db.session.query(CartLine).filter_by(cart_id=cart_id).count() == 0
        assert db.session.get(Cart, cart_id).email is None


def test_a_payment_refusal_keeps_its_api_status():
    refused = PaymentError("This order has nothing to pay.", "nothing_to_pay")
    assert (refused.status, refused.code, refused.field) == (409, "nothing_to_pay", None)


def test_a_refusal_on_a_page_is_flashed_in_the_buyers_language_and_writes_nothing(
    client, make_channel, make_product, monkeypatch
):
    from storefront.cart import operations as carts

    make_channel("us")
    sku = f"{make_product().upper()}-0"
    real_add_line = carts.add_line

    def add_then_refuse(cart, sku, quantity, pricer):
        real_add_line(cart, sku, 1, pricer)  # written to the transaction, then refused
        carts.parse_quantity(quantity)

    monkeypatch.setattr(carts, "add_line", add_then_refuse)
    response = client.post(
        "/cart/add",
        data={"sku": sku, "quantity": "viele"},
        headers={"Accept-Language": "de"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Bitte geben Sie die Menge als ganze Zahl ein." in response.get_data(as_text=True)
    assert 'class="cart-line"' not in client.get("/cart").get_data(as_text=True)


def test_the_api_handler_undoes_what_the_request_wrote(app):
    from storefront.api.errors import answer_refusal
    from storefront.catalog.tables import Brand
    from storefront.db import db

    with app.test_request_context("/api/v1/carts"):
        db.session.add(Brand(slug="half", name="Half", country="CN"))
        db.session.flush()
        body, status = answer_refusal(CatalogError("Unknown brand.", field="brand"))
        assert status == 400
        assert body.get_json()["error"] == {
            "code": "invalid_product",
            "message": "Unknown brand.",
            "field": "brand",
        }
        assert db.session.query(Brand).filter_by(slug="half").count() == 0
