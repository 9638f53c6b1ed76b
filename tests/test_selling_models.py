"""One contract for every registered selling model, a plug-in from an entry point included.

The plug-in is a real distribution on sys.path (a dist-info folder with an
entry_points.txt), found by importlib.metadata like any installed package.
"""

import pytest
from sqlalchemy import select

from models_ import (
    ENTRY_POINT_GROUP,
    RETURN_OUTCOMES,
    HoldRef,
    Operator,
    RegistrationError,
    Registry,
    SellingModel,
    ShipperRef,
)
from orders_helpers import load, place, priced_cart
from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.tables import User
from storefront.cart import groups as grouping
from storefront.catalog.tables import Product
from storefront.db import db
from storefront.dispatch import operations
from storefront.fulfilment.context import ShopContext
from storefront.fulfilment.tables import StockReservation
from storefront.orders.states import GROUP_TRANSITIONS
from storefront.webhooks.operations import grant_supplier_access
from storefront.webhooks.tables import SupplierStock

PLUGIN = "consignment"
PLUGIN_SOURCE = '''
from models_.base import (
    Days, LineQuote, Operator, ReturnRoute, SellingModelDefaults, SettingsError, ShipperRef,
    check_declared_settings,
)


class Consignment(SellingModelDefaults):
    """Goods left with a partner boutique, which ships them."""

    code = "consignment"
    label = "Consignment with a partner boutique"
    settings = {"country": (str, True, "the boutique's country")}

    def operator(self, settings):
        return Operator("boutique", (settings.get("country") or "").lower() or None, "country")

    def check_settings(self, raw, context):
        settings = check_declared_settings(self, raw)
        if len(settings["country"]) != 2:
            raise SettingsError("country must be an ISO code", "country")
        return settings

    def quote(self, line, destination, context):
        return LineQuote(ShipperRef("boutique", line.settings["country"].lower()),
                         line.settings["country"], Days(1, 1))

    def reserve(self, lines, destination, reference, context):
        pass

    def start_fulfilment(self, group, reference, context):
        context.record_event("order_group.created", group, group.shipper)

    def cancel(self, group, reference, context):
        context.record_event("order_group.cancelled", group, group.shipper)

    def route_return(self, group, context):
        return ReturnRoute(group.shipper, "Back to the boutique.")
'''


def installed_plugin(root, module: str, source: str, entry_points: dict[str, str]):
    """A distribution on disk: the module and a dist-info folder naming its entry points."""
    (root / f"{module}.py").write_text(source)
    info = root / f"{module}-1.0.dist-info"
    info.mkdir()
    name = module.replace("_", "-")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    lines = "\n".join(f"{code} = {module}:{target}" for code, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{lines}\n")
    return root


@pytest.fixture(scope="session")
def plugin_path(tmp_path_factory):
    return installed_plugin(
        tmp_path_factory.mktemp("plugin"),
        "consignment_model",
        PLUGIN_SOURCE,
        {PLUGIN: "Consignment"},
    )


@pytest.fixture
def plugin_registry(app, plugin_path, monkeypatch):
    monkeypatch.syspath_prepend(str(plugin_path))
    registry = Registry.installed()
    monkeypatch.setitem(app.extensions, "selling_models", registry)
    return registry


# Settings that make each model's product sellable; the shop's side is set up below.
VALID_SETTINGS = {
    "wholesale_retail": {},
    "self_produced": {"maker": "atelier", "production_min": 3, "production_max": 6},
    "agent_operated": {"agent": "milano-agency"},
    "oem_dropship": {"supplier": "shenzhen-silver"},
    PLUGIN: {"country": "FR"},
}


def test_the_plugin_is_found_through_its_entry_point(plugin_registry):
    assert plugin_registry.codes() == [
        "wholesale_retail",
        "self_produced",
        "agent_operated",
        "oem_dropship",
        PLUGIN,
    ]
    assert plugin_registry.get(PLUGIN).label == "Consignment with a partner boutique"


def test_an_unknown_code_is_a_clear_error(plugin_registry, make_product):
    with pytest.raises(LookupError, match="Unknown selling model 'barter'; expected one of"):
        plugin_registry.get("barter")
    from storefront.catalog.operations import CatalogError

    with pytest.raises(CatalogError, match="Unknown selling model 'barter'"):
        make_product(selling_model="barter")


def test_a_model_missing_the_interface_is_refused_at_registration():
    class Half:
        code, label, settings = "half", "Half a model", {}

        def quote(self, line, destination, context): ...

    with pytest.raises(RegistrationError, match="lacks methods"):
        Registry([Half()])
    with pytest.raises(RegistrationError, match="two selling models claim"):
        Registry.installed().__class__(
            [*[Registry.installed().get(c) for c in VALID_SETTINGS if c != PLUGIN]] * 2
        )


@pytest.fixture
def shop(app, plugin_registry, make_channel, rates, make_maker, make_agent, make_supplier):
    make_channel("eu")
    rates()
    make_maker("atelier", "PT")
    make_agent("milano-agency", brands=("aurora",))
    make_supplier("shenzhen-silver", "CN")


@pytest.mark.parametrize("code", list(VALID_SETTINGS))
def test_contract(app, shop, plugin_registry, make_product, make_warehouse, code):
    check_contract(app, plugin_registry, make_product, make_warehouse, code, VALID_SETTINGS[code])


def check_contract(app, plugin_registry, make_product, make_warehouse, code, valid_settings):
    """What every selling model must do, given settings that make its product sellable.
    The worked example in docs/examples passes it too (tests/test_docs_example_model.py)."""
    model = plugin_registry.get(code)
    assert isinstance(model, SellingModel) and model.code == code and model.label

    # settings: declared ones validate, unknown ones and missing required ones do not
    from storefront.catalog.operations import CatalogError

    with pytest.raises(CatalogError, match="has no setting 'colour'"):
        make_product(selling_model=code, selling_model_settings={**valid_settings, "colour": "red"})
    for name, (_kind, required, _help) in model.settings.items():
        if required:
            missing = {k: v for k, v in valid_settings.items() if k != name}
            with pytest.raises(CatalogError, match=f"needs {name}"):
                make_product(selling_model=code, selling_model_settings=missing)
    slug = make_product(selling_model=code, selling_model_settings=valid_settings)
    sku = f"{slug.upper()}-0"
    make_warehouse("sz", "CN", {sku: 5})

    # quote: a shipper, an ISO ship-from country and a sane delivery estimate
    with app.app_context():
        (group,) = grouping.fulfilment_groups(priced_cart("eu", "FR", {sku: 2}))
        assert group.selling_model == code and ":" in group.shipper
        assert len(group.ship_from) == 2 and group.ship_from.isupper()
        assert 0 < group.eta.min_days <= group.eta.max_days and not group.problems

    # declarations: who operates the line is the kind of party that ships it, and the very
    # one when the settings name it; a supplier holds the stock only if the model says so
    operator = model.operator(VALID_SETTINGS[code])
    assert isinstance(operator, Operator) and operator.kind
    shipper = ShipperRef.parse(group.shipper)
    assert shipper.kind == operator.kind
    assert operator.code in (None, shipper.code)
    assert operator.setting is None or operator.setting in model.settings
    holder = model.holding_supplier(VALID_SETTINGS[code])
    with app.app_context():
        assert holder is None or ShopContext().supplier(holder) is not None
    assert model.surplus_model is None or model.surplus_model in plugin_registry
    assert set(model.return_outcomes) <= set(RETURN_OUTCOMES)

    # reserve at checkout, start once paid: the group leaves awaiting_payment by a legal move
    paid = place(app, {sku: 2}, f"paid-{code}", country="FR", paid=True)
    with app.app_context():
        (placed,) = load(paid).groups
        assert placed.selling_model == code
        assert placed.status in GROUP_TRANSITIONS["awaiting_payment"]
        route = model.route_return(operations.model_group(placed), ShopContext())
        assert route.to and route.instructions
        assert isinstance(route.to, ShipperRef)

    # cancel: nothing stays held
    unpaid = place(app, {sku: 1}, f"unpaid-{code}", country="FR")
    with app.app_context():
        operations.cancel_order(load(unpaid))
        db.session.commit()
        assert load(unpaid).groups[0].status == "cancelled"
        held = db.session.scalars(
            select(StockReservation).where(StockReservation.state == "held")
        ).all()
        assert held == []


# a plug-in takes part in scoping, supplier stock and production like a built-in -----------

PARTNER_SOURCE = """
from models_.base import (
    AGENT, MAKER, SUPPLIER, Days, LineQuote, Operator, ReturnRoute, SellingModelDefaults,
    ShipperRef, check_declared_settings,
)


class Partner(SellingModelDefaults):
    settings = {"partner": (str, True, "who runs it")}
    kind = None

    def operator(self, settings):
        return Operator(self.kind, settings.get("partner") or None, "partner")

    def check_settings(self, raw, context):
        return check_declared_settings(self, raw)

    def quote(self, line, destination, context):
        return LineQuote(ShipperRef(self.kind, line.settings["partner"]), "IT", Days(2, 3))

    def reserve(self, lines, destination, reference, context):
        pass

    def cancel(self, group, reference, context):
        pass

    def route_return(self, group, context):
        return ReturnRoute(group.shipper, "Back to the partner.")


class Franchise(Partner):
    code, label, kind = "franchise", "Run by a franchise partner (an agent company)", AGENT

    def start_fulfilment(self, group, reference, context):
        context.route_to_agent(group, group.settings["partner"])


class Marketplace(Partner):
    code, label, kind = "marketplace", "Held and shipped by a marketplace vendor", SUPPLIER

    def start_fulfilment(self, group, reference, context):
        context.record_event("order_group.created", group, group.shipper)


class Commission(Partner):
    code, label, kind = "commission", "Commissioned from the workshop", MAKER

    def start_fulfilment(self, group, reference, context):
        context.open_production_order(group, Days(2, 3))
"""
PARTNERS = {"franchise": "Franchise", "marketplace": "Marketplace", "commission": "Commission"}


@pytest.fixture(scope="session")
def partner_path(tmp_path_factory):
    return installed_plugin(
        tmp_path_factory.mktemp("partner"), "partner_models", PARTNER_SOURCE, PARTNERS
    )


@pytest.fixture
def partner_registry(app, partner_path, monkeypatch):
    monkeypatch.syspath_prepend(str(partner_path))
    registry = Registry.installed()
    monkeypatch.setitem(app.extensions, "selling_models", registry)
    assert set(PARTNERS) <= set(registry.codes())
    return registry


def test_a_plugin_claiming_a_built_in_code_is_refused_naming_its_entry_point(tmp_path, monkeypatch):
    installed_plugin(tmp_path, "thief_model", PLUGIN_SOURCE, {"oem_dropship": "Consignment"})
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(RegistrationError) as refused:
        Registry.installed()
    message = str(refused.value)
    assert "oem_dropship = thief_model:Consignment" in message
    assert "thief-model" in message and "built-in" in message


def test_a_surplus_model_that_is_not_registered_is_refused():
    from models_.self_produced import SelfProduced

    class Maker(SelfProduced):
        code, surplus_model = "maker_led", "barter"

    with pytest.raises(RegistrationError, match="relists surplus under 'barter'"):
        Registry([Maker()])


def test_a_model_declaring_return_outcomes_the_shop_cannot_do_is_refused():
    from models_.self_produced import SelfProduced
    from models_.wholesale_retail import WholesaleRetail

    class Pawn(WholesaleRetail):
        code, return_outcomes = "pawn", ("restock", "melt_down")

    with pytest.raises(RegistrationError, match="unknown return outcomes"):
        Registry([Pawn()])

    class Loose(SelfProduced):
        code, surplus_model = "loose", None

    with pytest.raises(RegistrationError, match="relists returns but has no surplus_model"):
        Registry([Loose()])


def test_a_model_written_for_another_interface_is_refused_at_registration(plugin_registry):
    class Old(type(plugin_registry.get(PLUGIN))):
        def start_fulfilment(self, group, context):  # the interface before hold references
            pass

    with pytest.raises(RegistrationError, match="start_fulfilment of selling model"):
        Registry([Old()])


def test_hold_and_shipper_references_read_back_what_they_write():
    assert HoldRef.parse(str(HoldRef(42))) == HoldRef(42)
    assert HoldRef.parse("cart:7") is None and HoldRef.parse("group:x") is None
    shipper = ShipperRef.parse("supplier:shenzhen-silver")
    assert (shipper.kind, shipper.code, str(shipper)) == (
        "supplier",
        "shenzhen-silver",
        "supplier:shenzhen-silver",
    )
    for bad in ("shenzhen-silver", "supplier:", ":x"):
        with pytest.raises(ValueError, match="not a shipper reference"):
            ShipperRef.parse(bad)


@pytest.mark.parametrize("code, setting", [("agent_operated", "agent"), ("franchise", "partner")])
def test_an_agent_hands_orders_only_to_its_own_company_whatever_model_says_an_agent_runs_them(
    app, client, partner_registry, make_agent, make_user, make_product, code, setting
):
    milano = make_agent("milano-agency", brands=("aurora",))
    make_agent("oslo-agency", brands=("nordic",), country="NO")
    make_user(email="agent@milano.example", role="agent")
    slug = make_product(brand="aurora")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "agent@milano.example"))
        user.agent_id = milano
        _key, raw = issue_api_key(user)
        db.session.commit()
    headers = {"Authorization": f"Bearer {raw}"}

    def switch(agent: str):
        body = {"selling_model": code, "selling_model_config": {setting: agent}}
        return client.patch(f"/api/v1/admin/products/{slug}", json=body, headers=headers)

    refused = switch("oslo-agency")
    assert refused.status_code == 400, refused.json
    assert refused.json["error"]["field"] == f"selling_model_config.{setting}"
    assert "your own agent company (milano-agency)" in refused.json["error"]["message"]
    allowed = switch("milano-agency")
    assert allowed.status_code == 200, allowed.json
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.slug == slug))
        assert (product.selling_model, product.selling_model_settings) == (
            code,
            {setting: "milano-agency"},
        )


@pytest.mark.parametrize(
    "code, setting", [("oem_dropship", "supplier"), ("marketplace", "partner")]
)
def test_a_supplier_reports_stock_and_answers_groups_of_what_its_model_says_it_holds(
    app,
    client,
    partner_registry,
    make_channel,
    rates,
    make_supplier,
    make_user,
    make_product,
    code,
    setting,
):
    make_channel("eu")
    rates()
    make_supplier("shenzhen-silver")
    make_supplier("yiwu-bright")
    slug = make_product(selling_model=code, selling_model_settings={setting: "shenzhen-silver"})
    sku = f"{slug.upper()}-0"
    keys = {}
    for supplier in ("shenzhen-silver", "yiwu-bright"):
        email = make_user(email=f"{supplier}@suppliers.example", role="supplier")
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            grant_supplier_access(user, supplier)
            keys[supplier] = issue_api_key(user)[1]
            db.session.commit()

    def call(method, path, supplier, json=None):
        headers = {"Authorization": f"Bearer {keys[supplier]}"}
        return client.open(f"/api/v1/supplier{path}", method=method, json=json, headers=headers)

    stock = [{"sku": sku, "quantity": 7}]
    assert call("PUT", "/stock", "yiwu-bright", stock).json["error"]["code"] == "unknown_sku"
    reported = call("PUT", "/stock", "shenzhen-silver", stock)
    assert reported.status_code == 200, reported.json
    with app.app_context():
        assert db.session.scalars(select(SupplierStock.quantity)).all() == [7]

    order_id = place(app, {sku: 1}, f"supplier-{code}", paid=True)
    with app.app_context():
        (group,) = load(order_id).groups
        assert (group.shipper, group.status) == ("supplier:shenzhen-silver", "awaiting_shipper")
    assert call("POST", f"/groups/{group.id}/accept", "yiwu-bright").status_code == 404
    accepted = call("POST", f"/groups/{group.id}/accept", "shenzhen-silver")
    assert (accepted.status_code, accepted.json["status"]) == (200, "ready_to_ship")


def test_a_plugin_made_to_order_passes_quality_control_but_relists_nothing_it_did_not_declare(
    app, partner_registry, make_channel, rates, make_maker, make_product
):
    from storefront.orders.tables import OrderGroup
    from storefront.production.operations import InspectionError, record_inspection
    from storefront.production.tables import ProductionOrder, QualityInspection

    make_channel("eu")
    rates()
    make_maker("atelier", "PT")
    slug = make_product(selling_model="commission", selling_model_settings={"partner": "atelier"})
    sku = f"{slug.upper()}-0"
    first, second = (place(app, {sku: 1}, f"commission-{n}", paid=True) for n in (1, 2))
    with app.app_context():
        orders = {
            order_id: db.session.scalar(
                select(ProductionOrder).join(OrderGroup).where(OrderGroup.order_id == order_id)
            )
            for order_id in (first, second)
        }
        assert orders[first].maker_code == "atelier"
        with pytest.raises(InspectionError, match="cannot be relisted") as refused:
            record_inspection(orders[first], passed=False, inspector="Ana", outcome="relist")
        assert refused.value.field == "outcome"
        db.session.rollback()
        assert db.session.scalars(select(QualityInspection)).all() == []
        record_inspection(orders[second], passed=True, inspector="Ana")
        db.session.commit()
        assert load(second).groups[0].status == "ready_to_ship"
