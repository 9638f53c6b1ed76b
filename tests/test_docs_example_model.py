"""The worked plug-in of docs/selling-models.md, installed from its own setup.cfg entry point,
passes the contract every selling model passes, so the example cannot drift from the interface.

As in test_selling_models, the plug-in is found by importlib.metadata: a dist-info folder
whose entry_points.txt is written from the example's setup.cfg, beside the example's
real source folder on sys.path.
"""

from __future__ import annotations

import configparser

import pytest
from sqlalchemy import select

from markdown_links import REPO
from models_ import ENTRY_POINT_GROUP, Registry
from orders_helpers import load, place
from storefront.catalog.operations import CatalogError
from storefront.db import db
from storefront.dispatch import operations
from storefront.fulfilment.context import ShopContext
from storefront.webhooks.tables import OutboxEvent
from test_selling_models import check_contract

EXAMPLE = REPO / "docs" / "examples" / "consignment"
CODE = "consignment"
SETTINGS = {"consignee": "atelier-lyon", "consignor": "Maison Verre"}


def _entry_points() -> dict[str, str]:
    """The example's entry points of the selling-model group, as its setup.cfg declares them."""
    setup = configparser.ConfigParser()
    setup.read(EXAMPLE / "setup.cfg")
    declared = setup["options.entry_points"][ENTRY_POINT_GROUP]
    pairs = (line.split("=", 1) for line in declared.strip().splitlines())
    return {name.strip(): target.strip() for name, target in pairs}


@pytest.fixture
def example_registry(app, tmp_path, monkeypatch):
    """The shop's registry with the example installed (built-ins, then the plug-in)."""
    info = tmp_path / "boutique_consignment-1.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: boutique-consignment\nVersion: 1.0.0\n"
    )
    lines = "".join(f"{name} = {target}\n" for name, target in _entry_points().items())
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{lines}")
    monkeypatch.syspath_prepend(str(EXAMPLE))
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry.installed()
    monkeypatch.setitem(app.extensions, "selling_models", registry)
    return registry


@pytest.fixture
def boutique_shop(app, example_registry, make_channel, rates, make_supplier):
    make_channel("eu")
    rates()
    make_supplier(SETTINGS["consignee"], "FR", lead_min=1, lead_max=2)


def test_the_setup_cfg_entry_point_names_the_example_model():
    assert _entry_points() == {CODE: "boutique_consignment.model:Consignment"}


def test_the_example_joins_the_registry_after_the_built_ins(example_registry):
    assert example_registry.codes()[-1] == CODE
    assert example_registry.get(CODE).label.startswith("Consignment")


def test_the_example_passes_the_selling_model_contract(
    app, boutique_shop, example_registry, make_product, make_warehouse
):
    check_contract(app, example_registry, make_product, make_warehouse, CODE, SETTINGS)


def test_the_consignee_gets_the_order_and_takes_returns(
    app, boutique_shop, example_registry, make_product
):
    with pytest.raises(CatalogError, match="no active supplier 'nobody'"):
        make_product(selling_model=CODE, selling_model_settings={**SETTINGS, "consignee": "nobody"})
    slug = make_product(selling_model=CODE, selling_model_settings=SETTINGS)
    paid = place(app, {f"{slug.upper()}-0": 1}, "boutique-1", country="FR", paid=True)
    with app.app_context():
        (group,) = load(paid).groups
        assert (group.shipper, group.ship_from) == ("supplier:atelier-lyon", "FR")
        assert group.status == "awaiting_shipper"
        sent = [(e.event_type, e.target) for e in db.session.scalars(select(OutboxEvent))]
        assert sent == [("order_group.created", "supplier:atelier-lyon")]
        route = example_registry.get(CODE).route_return(
            operations.model_group(group), ShopContext()
        )
        assert str(route.to) == "supplier:atelier-lyon" and "Maison Verre" in route.instructions
