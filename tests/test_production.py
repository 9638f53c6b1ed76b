"""Quality control of self-produced goods: what staff see and what an inspection changes."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from storefront.cart import operations as carts
from storefront.catalog.tables import Product, Variant
from storefront.db import db
from storefront.dispatch import operations as dispatch
from storefront.markets.pricing import Pricer
from storefront.markets.tables import Channel
from storefront.orders import operations as orders
from storefront.orders.states import InvalidTransition, move_group
from storefront.orders.tables import GroupStatusChange, OrderGroup
from storefront.production.operations import InspectionError, record_inspection
from storefront.production.tables import ProductionOrder, QualityInspection

MADE_TO_ORDER = {"maker": "atelier", "production_min": 5, "production_max": 10}


@pytest.fixture
def paid_cuff(app, make_channel, make_maker, make_product):
    """Place and pay orders for self-produced products; returns the production order id."""
    make_channel("us")
    make_maker("atelier")

    def order(*skus: str, key: str = "checkout-1") -> int:
        if not skus:
            slug = make_product(
                name="Atelier cuff",
                category="bracelets",
                prices=["49.95"],
                selling_model="self_produced",
                selling_model_settings=MADE_TO_ORDER,
            )
            skus = (f"{slug.upper()}-0",)
        with app.app_context():
            channel = db.session.scalar(select(Channel).where(Channel.code == "us"))
            cart, _token = carts.new_cart(channel, "US")
            pricer = Pricer(channel)
            for sku in skus:
                carts.add_line(cart, sku, 1, pricer)
            db.session.flush()
            placed, _token = orders.place_order(carts.price_cart(cart, pricer), key)
            dispatch.mark_paid(placed)
            db.session.commit()
            return db.session.scalar(
                select(ProductionOrder.id).join(OrderGroup).where(OrderGroup.order_id == placed.id)
            )

    return order


def state(app, production_order_id: int) -> tuple[str, str]:
    """(production order status, group status)."""
    with app.app_context():
        po = db.session.get(ProductionOrder, production_order_id)
        return po.status, po.group.status


def inspect(client, production_order_id: int, **form):
    return client.post(f"/admin/production/{production_order_id}", data=form)


def test_staff_see_open_production_orders(app, logged_in, paid_cuff):
    po_id = paid_cuff()
    with app.app_context():
        po = db.session.get(ProductionOrder, po_id)
        number, sku, due = po.group.order.number, po.group.lines[0].sku, po.due_on.isoformat()
    page = logged_in("staff").get("/admin/production/").get_data(as_text=True)
    for shown in (number, sku, due, "atelier", "none yet", "in production"):
        assert shown in page


def test_a_group_cannot_ship_until_an_inspection_passes(app, logged_in, paid_cuff):
    po_id = paid_cuff()
    assert state(app, po_id) == ("open", "in_production")
    with app.app_context():
        group = db.session.get(ProductionOrder, po_id).group
        with pytest.raises(InvalidTransition) as refused:
            move_group(group, "shipped")
        assert str(refused.value) == "A group that is in production cannot become shipped."
        db.session.rollback()

    response = inspect(logged_in("staff"), po_id, result="pass", inspector="Ana", notes="clean")
    assert response.status_code == 303
    assert state(app, po_id) == ("passed", "ready_to_ship")
    with app.app_context():
        group = db.session.get(ProductionOrder, po_id).group
        move_group(group, "shipped", "DHL 123")
        db.session.commit()
        moves = db.session.scalars(
            select(GroupStatusChange.to_status)
            .where(GroupStatusChange.group_id == group.id)
            .order_by(GroupStatusChange.id)
        ).all()
    assert moves == ["in_production", "ready_to_ship", "shipped"]


def test_a_passed_order_leaves_the_list_and_takes_no_more_inspections(app, logged_in, paid_cuff):
    po_id = paid_cuff()
    client = logged_in("owner")
    followed = client.post(
        f"/admin/production/{po_id}",
        data={"result": "pass", "inspector": "Ana"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "is ready to ship" in followed and "No production order is open." in followed
    again = inspect(client, po_id, result="fail", inspector="Ana", outcome="rework")
    assert again.status_code == 422
    assert f"Production order {po_id} is passed: it takes no more inspections." in again.get_data(
        as_text=True
    )


def test_rework_keeps_the_production_order_open_until_a_remake_passes(app, logged_in, paid_cuff):
    po_id = paid_cuff()
    client = logged_in("staff")
    response = inspect(
        client, po_id, result="fail", inspector="Ana", notes="clasp loose", outcome="rework"
    )
    assert response.status_code == 303
    assert state(app, po_id) == ("open", "in_production")
    page = client.get(f"/admin/production/{po_id}").get_data(as_text=True)
    assert "clasp loose" in page and "rework" in page and 'data-testid="inspection-form"' in page
    with app.app_context():
        with pytest.raises(InvalidTransition):
            move_group(db.session.get(ProductionOrder, po_id).group, "shipped")
        db.session.rollback()

    inspect(client, po_id, result="pass", inspector="Bruno")
    assert state(app, po_id) == ("passed", "ready_to_ship")
    with app.app_context():
        results = db.session.execute(
            select(QualityInspection.passed, QualityInspection.outcome).order_by(
                QualityInspection.id
            )
        ).all()
    assert [tuple(r) for r in results] == [(False, "rework"), (True, None)]


def test_relist_creates_an_unpublished_original_order_surplus_listing(
    app, client, logged_in, paid_cuff
):
    po_id = paid_cuff()
    response = inspect(
        logged_in("staff"),
        po_id,
        result="fail",
        inspector="Ana",
        notes="scratch on the inside",
        outcome="relist",
    )
    assert response.status_code == 303
    # the buyer's piece is remade: the group waits in production
    assert state(app, po_id) == ("open", "in_production")
    with app.app_context():
        original = db.session.scalar(select(Product).where(Product.name == "Atelier cuff"))
        surplus = db.session.scalar(
            select(Product).where(Product.name == "Atelier cuff (original order surplus)")
        )
        assert surplus is not None and surplus.slug != original.slug
        assert surplus.grade == "original_order"
        assert surplus.selling_model == "wholesale_retail"
        assert surplus.is_published is False
        same = ("brand_id", "category_id", "hs_code", "origin_country", "material")
        assert [getattr(surplus, f) for f in same] == [getattr(original, f) for f in same]
        (variant,) = surplus.variants
        assert variant.sku != original.variants[0].sku
        # 49.95 less 30% is 34.965: half-up to the cent
        assert (variant.price_amount, variant.price_currency) == (Decimal("34.97"), "USD")
        slug = surplus.slug
    assert client.get(f"/p/{slug}").status_code == 404


def test_each_relist_gets_its_own_slug_and_sku(app, paid_cuff):
    po_id = paid_cuff()
    with app.app_context():
        po = db.session.get(ProductionOrder, po_id)
        first = record_inspection(po, passed=False, inspector="Ana", outcome="relist").surplus
        second = record_inspection(po, passed=False, inspector="Ana", outcome="relist").surplus
        db.session.commit()
        assert first.slug != second.slug
        assert first.variants[0].sku != second.variants[0].sku
        assert po.status == "open"


def test_relist_of_a_group_with_several_pieces_names_the_failed_one(app, make_product, paid_cuff):
    skus = [
        f"{make_product(name=name, prices=[price], selling_model='self_produced', selling_model_settings=MADE_TO_ORDER).upper()}-0"  # noqa: E501
        for name, price in (("Cuff", "100.00"), ("Ring", "10.00"))
    ]
    po_id = paid_cuff(*skus)
    with app.app_context():
        po = db.session.get(ProductionOrder, po_id)
        with pytest.raises(InspectionError, match="Choose which piece"):
            record_inspection(po, passed=False, inspector="Ana", outcome="relist")
        ring_line = next(line for line in po.group.lines if line.sku == skus[1])
        surplus = record_inspection(
            po, passed=False, inspector="Ana", outcome="relist", line_id=ring_line.id
        ).surplus
        assert surplus.name == "Ring (original order surplus)"
        assert surplus.variants[0].price_amount == Decimal("7.00")
        db.session.rollback()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"result": "fail", "inspector": "Ana"}, "needs an outcome: rework or relist"),
        ({"result": "pass", "inspector": "  "}, "This field is required."),
        ({"inspector": "Ana"}, "This field is required."),
    ],
)
def test_incomplete_inspections_are_refused_and_nothing_changes(
    app, logged_in, paid_cuff, form, message
):
    po_id = paid_cuff()
    response = inspect(logged_in("staff"), po_id, **form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert state(app, po_id) == ("open", "in_production")
    with app.app_context():
        assert db.session.scalar(select(QualityInspection.id)) is None
        assert db.session.scalar(select(Variant.id).where(Variant.sku.like("%-S1"))) is None


def test_a_cancelled_order_takes_no_inspection(app, logged_in, paid_cuff):
    po_id = paid_cuff()
    with app.app_context():
        dispatch.cancel_order(db.session.get(ProductionOrder, po_id).group.order, "buyer cancelled")
        db.session.commit()
    client = logged_in("staff")
    assert 'data-testid="inspection-form"' not in client.get(f"/admin/production/{po_id}").get_data(
        as_text=True
    )
    response = inspect(client, po_id, result="pass", inspector="Ana")
    assert response.status_code == 422
    assert "is cancelled: it takes no more inspections" in response.get_data(as_text=True)
    assert state(app, po_id) == ("cancelled", "cancelled")


def test_the_inspection_form_needs_its_csrf_token(app, logged_in, paid_cuff, monkeypatch):
    po_id = paid_cuff()
    client = logged_in("staff")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = inspect(client, po_id, result="pass", inspector="Ana")
    assert response.status_code == 400
    assert state(app, po_id) == ("open", "in_production")


@pytest.mark.parametrize("role", ["agent", "supplier"])
def test_agents_and_suppliers_cannot_reach_quality_control(app, logged_in, paid_cuff, role):
    po_id = paid_cuff()
    client = logged_in(role)
    assert client.get("/admin/production/").status_code == 403
    assert client.get(f"/admin/production/{po_id}").status_code == 403
    assert inspect(client, po_id, result="pass", inspector="Me").status_code == 403
    assert state(app, po_id) == ("open", "in_production")


def test_anonymous_visitors_are_sent_to_login(client, paid_cuff):
    po_id = paid_cuff()
    for response in (
        client.get("/admin/production/"),
        inspect(client, po_id, result="pass", inspector="Me"),
    ):
        assert response.status_code == 302 and "/login" in response.location
