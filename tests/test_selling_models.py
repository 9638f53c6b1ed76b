"""One contract for every registered selling model, a plug-in from an entry point included.

The plug-in is a real distribution on sys.path (a dist-info folder with an
entry_points.txt), found by importlib.metadata like any installed package.
"""

import textwrap

import pytest
from sqlalchemy import select

from models_ import ENTRY_POINT_GROUP, RegistrationError, Registry, SellingModel
from orders_helpers import load, place, priced_cart
from storefront.db import db
from storefront.fulfilment.context import ShopContext
from storefront.fulfilment.tables import StockReservation
from storefront.orders import groups as grouping
from storefront.orders import operations
from storefront.orders.states import GROUP_TRANSITIONS

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
        return Operator("boutique", settings.get("country"), "country")

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


@pytest.fixture(scope="session")
def plugin_path(tmp_path_factory):
    root = tmp_path_factory.mktemp("plugin")
    (root / "consignment_model.py").write_text(PLUGIN_SOURCE)
    info = root / "consignment_model-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: consignment-model\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        textwrap.dedent(f"""
        [{ENTRY_POINT_GROUP}]
        {PLUGIN} = consignment_model:Consignment
    """)
    )
    return root


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
    model = plugin_registry.get(code)
    assert isinstance(model, SellingModel) and model.code == code and model.label

    # settings: declared ones validate, unknown ones and missing required ones do not
    from storefront.catalog.operations import CatalogError

    with pytest.raises(CatalogError, match="has no setting 'colour'"):
        make_product(
            selling_model=code, selling_model_settings={**VALID_SETTINGS[code], "colour": "red"}
        )
    for name, (_kind, required, _help) in model.settings.items():
        if required:
            missing = {k: v for k, v in VALID_SETTINGS[code].items() if k != name}
            with pytest.raises(CatalogError, match=f"needs {name}"):
                make_product(selling_model=code, selling_model_settings=missing)
    slug = make_product(selling_model=code, selling_model_settings=VALID_SETTINGS[code])
    sku = f"{slug.upper()}-0"
    make_warehouse("sz", "CN", {sku: 5})

    # quote: a shipper, an ISO ship-from country and a sane delivery estimate
    with app.app_context():
        (group,) = grouping.fulfilment_groups(priced_cart("eu", "FR", {sku: 2}))
        assert group.selling_model == code and ":" in group.shipper
        assert len(group.ship_from) == 2 and group.ship_from.isupper()
        assert 0 < group.eta.min_days <= group.eta.max_days and not group.problems

    # reserve at checkout, start once paid: the group leaves awaiting_payment by a legal move
    paid = place(app, {sku: 2}, f"paid-{code}", country="FR", paid=True)
    with app.app_context():
        (placed,) = load(paid).groups
        assert placed.selling_model == code
        assert placed.status in GROUP_TRANSITIONS["awaiting_payment"]
        route = model.route_return(operations.model_group(placed), ShopContext())
        assert route.to and route.instructions

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
