"""`flask shop seed-demo`: a believable shop from nothing, and only into an empty one."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from storefront import clock
from storefront.accounts.operations import authenticate
from storefront.accounts.tables import User
from storefront.catalog.tables import Brand, Category, Grade, Product, ProductImage, Variant
from storefront.catalog.vocabulary import OPTION_WORDS, QC_WORDS
from storefront.db import db
from storefront.fulfilment.tables import (
    AgentCompany,
    Maker,
    StockLevel,
    StockMovement,
    Supplier,
    Warehouse,
)
from storefront.markets.tables import Channel


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_builds_a_believable_shop(runner, app):
    result = runner.invoke(args=["shop", "seed-demo"])

    assert result.exit_code == 0, result.output
    assert "Seeded 44 products" in result.output
    with app.app_context():
        products = list(db.session.scalars(select(Product)))
        assert len(products) >= 40
        assert count(Brand) >= 3
        assert {c.slug for c in db.session.scalars(select(Category))} == {
            "rings",
            "necklaces",
            "earrings",
            "bracelets",
        }
        assert {p.grade for p in products} == {g.value for g in Grade}
        assert {p.selling_model for p in products} == {
            "wholesale_retail",
            "self_produced",
            "agent_operated",
            "oem_dropship",
        }
        assert all(p.qc_status for p in products if p.grade == Grade.SKIP_ORDER)
        # Option names and QC statuses the buyer reads are words the catalogs translate.
        assert {k for p in products for v in p.variants for k in v.options} <= set(OPTION_WORDS)
        assert {p.qc_status for p in products if p.qc_status} <= set(QC_WORDS)
        assert {"7113.11", "7113.19", "7117.19", "7116.10"} <= {p.hs_code for p in products}
        origins = [p.origin_country for p in products]
        assert origins.count("CN") > len(origins) / 2 and {"IT", "TH", "IN"} <= set(origins)
        assert count(Variant) > len(products)  # sizes, platings, lengths
        translated = [p for p in products if {t.locale for t in p.texts} >= {"de", "fr"}]
        assert len(translated) >= 10
        assert db.session.scalar(select(Channel.currency).where(Channel.code == "gulf")) == "KWD"
        assert count(Channel) == 9
        gulf = dict(db.session.execute(select(Channel.code, Channel.currency)).all())
        assert (gulf["sa"], gulf["ae"]) == ("SAR", "AED")  # their own, not dinars
        eu = db.session.scalar(select(Channel).where(Channel.code == "eu"))
        assert len(eu.countries) == 27 and eu.locales == ["en", "de", "fr", "es"]
        assert count(User) == 0  # no demo logins outside DEMO mode
        made = [p for p in products if p.selling_model == "self_produced"]
        assert all(p.selling_model_settings["maker"] == "guangzhou-atelier" for p in made)
        # every party a return may go back to has a postal address to give the buyer
        for table in (Warehouse, Maker, AgentCompany, Supplier):
            addresses = db.session.scalars(select(table.return_address)).all()
            assert addresses and all(len(a.splitlines()) >= 3 for a in addresses), table
        wholesale_variants = {
            v.id for p in products if p.selling_model == "wholesale_retail" for v in p.variants
        }
        stocked = set(
            db.session.scalars(select(StockLevel.variant_id).where(StockLevel.on_hand > 0))
        )
        assert wholesale_variants and wholesale_variants <= stocked  # sellable from day one
        # the seed receives its stock as movements: each level is the sum of its movements
        moved = {
            (w, v): total
            for w, v, total in db.session.execute(
                select(
                    StockMovement.warehouse_id,
                    StockMovement.variant_id,
                    func.sum(StockMovement.quantity),
                ).group_by(StockMovement.warehouse_id, StockMovement.variant_id)
            )
        }
        levels = db.session.execute(
            select(StockLevel.warehouse_id, StockLevel.variant_id, StockLevel.on_hand)
        ).all()
        assert levels and all(moved[(w, v)] == units for w, v, units in levels)
        assert set(db.session.scalars(select(StockMovement.reason))) == {"received"}

        media = Path(app.config["MEDIA_FOLDER"])
        filenames = list(db.session.scalars(select(ProductImage.filename)))
        assert len(filenames) == len(products)
        for filename in filenames:
            svg = (media / filename).read_text(encoding="utf-8")
            assert svg.startswith("<svg") and 'viewBox="0 0 600 600"' in svg


def test_seed_demo_images_are_served(runner, client):
    runner.invoke(args=["shop", "seed-demo"])

    with client.get("/media/products/classic-solitaire-ring.svg") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert b"Classic Solitaire Ring" in response.data


def test_a_second_run_adds_nothing(runner, app):
    runner.invoke(args=["shop", "seed-demo"])
    with app.app_context():
        before = (count(Product), count(Variant), count(Brand), count(Channel))

    again = runner.invoke(args=["shop", "seed-demo"])

    assert again.exit_code == 0
    assert "has 44 products already; nothing was seeded" in again.output
    with app.app_context():
        assert (count(Product), count(Variant), count(Brand), count(Channel)) == before


def test_demo_mode_adds_demo_users(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO", True)

    result = runner.invoke(args=["shop", "seed-demo"])

    assert "owner@demo.shop / password demo-owner-password" in result.output
    with app.app_context():
        assert authenticate("owner@demo.shop", "demo-owner-password").role == "owner"
        agent = db.session.scalar(select(User).where(User.role == "agent"))
        assert agent.agent_id == db.session.scalar(select(AgentCompany.id))
        roles = dict(db.session.execute(select(User.email, User.role)).all())
        assert roles == {
            "owner@demo.shop": "owner",
            "agent@demo.shop": "agent",
            "staff@demo.shop": "staff",
            "trade@demo.shop": "wholesale",
            "supplier@demo.shop": "supplier",
        }
    # paid orders wait for every kind of shipper, the supplier user's own among them
    assert "Paid demo orders waiting to ship" in result.output
    with app.app_context():
        from storefront.orders.tables import OrderGroup

        waiting = Counter(
            db.session.execute(select(OrderGroup.selling_model, OrderGroup.status)).all()
        )
        assert waiting == {
            ("wholesale_retail", "picking"): 1,
            ("self_produced", "in_production"): 1,
            ("agent_operated", "awaiting_shipper"): 1,
            ("oem_dropship", "awaiting_shipper"): 1,
            # the paperwork (demo_paperwork): Zürich's trade order packed, its documents
            # issued, and the order of the accepted quote waiting for its 30% deposit
            ("wholesale_retail", "ready_to_ship"): 1,
            ("wholesale_retail", "awaiting_payment"): 1,
        }
    portal = app.test_client()
    signed_in = portal.post(
        "/login", data={"email": "supplier@demo.shop", "password": "demo-supplier-password"}
    )
    assert signed_in.location.endswith("/supplier")
    assert "Camille Martin" in portal.get("/supplier").get_data(as_text=True)


def test_bulk_products_share_images(runner, app):
    result = runner.invoke(args=["shop", "seed-demo", "--products", "600"])

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert count(Product) == 644
        bulk_images = set(
            db.session.scalars(
                select(ProductImage.filename).where(ProductImage.filename.like("products/shared/%"))
            )
        )
        assert 1 < len(bulk_images) <= 36  # one per kind and material, not one per product
        assert all((Path(app.config["MEDIA_FOLDER"]) / f).is_file() for f in bulk_images)


def test_every_demo_market_prices_its_products(runner, client):
    import re

    runner.invoke(args=["shop", "seed-demo"])
    expected = {
        "eu": r"[\d.]+,99\u00a0€",  # converted prices end in .99, German style
        "jp": r"￥[\d,]+0<",  # whole tens of yen
        "ch": r"\d+,\d[05]\u00a0CHF",  # steps of 0.05, Swiss German style
        "gulf": r"\d+\.\d{3}\u00a0د\.ك\.",  # three decimals, from the demo's dated KWD rate
        "sa": r"\d+\.\d{2}\u00a0ر\.س\.",  # riyals through the USD peg, no rate entered
        "ae": r"\d+\.\d{2}\u00a0د\.إ\.",  # dirhams likewise
    }
    locales = {"eu": "de", "jp": "ja", "ch": "de", "gulf": "ar", "sa": "ar", "ae": "ar"}
    for code, pattern in expected.items():
        locale = locales[code]
        page = client.get(f"/c/rings?channel={code}&locale={locale}").get_data(as_text=True)
        assert "Not available" not in page, code
        prices = re.findall(r'class="price">([^<]*<?)', page)
        assert prices, code
        assert any(re.search(pattern, p + "<") for p in prices), (code, prices[:3])


def test_every_demo_country_has_a_way_to_ship_a_ring(runner, app):
    import datetime
    from decimal import Decimal

    from channels import shipping
    from channels.fx import RateSet
    from storefront.shipping.operations import rate_zones

    runner.invoke(args=["shop", "seed-demo"])
    rates = RateSet(datetime.date(2026, 11, 20), {"USD": Decimal("1.25")})
    with app.test_request_context():
        zones = rate_zones()
        for channel in db.session.scalars(select(Channel)):
            assert channel.free_shipping_over is not None, channel.code
            for country in channel.countries:
                offered = shipping.options(zones, country, 10, "EUR", rates)
                assert [o.name for o in offered][:1] in (["Standard parcel"], ["Tracked airmail"])


def test_a_fresh_demo_warns_of_no_stale_rates(runner, app, logged_in):
    result = runner.invoke(args=["shop", "seed-demo"])
    assert result.exit_code == 0, result.output

    # the back office's home page, on the demo's first day
    home = logged_in("owner").get("/admin/")
    assert home.status_code == 200
    assert 'data-testid="stale-rates"' not in home.get_data(as_text=True)
    assert 'data-testid="missing-rates"' not in home.get_data(as_text=True)
    status = runner.invoke(args=["fx", "status"])
    assert status.exit_code == 0, status.output
    assert "STALE" not in status.output and f"{clock.today()} (demo, 0 days old)" in status.output


def test_the_demo_shows_export_documents_in_one_click(runner, app, client, monkeypatch):
    import io
    import re

    from pypdf import PdfReader

    from storefront.documents.tables import IssuedDocument
    from storefront.orders.tables import Order
    from storefront.quotes.tables import Quote
    from storefront.shop.demo import DEMO_SUPPLIER
    from storefront.shop.demo_paperwork import seed_paperwork

    monkeypatch.setitem(app.config, "DEMO", True)
    result = runner.invoke(args=["shop", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Export documents: order" in result.output

    signed_in = client.post(
        "/login", data={"email": "owner@demo.shop", "password": "demo-owner-password"}
    )
    assert signed_in.status_code in (302, 303)
    # the back office's home page links Shipping work; there the packed group's PDFs are
    home = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/shipping-work"' in home
    queue = client.get("/admin/shipping-work").get_data(as_text=True)
    links = re.findall(r'href="(/admin/shipping-work/groups/\d+/documents/[^"?]+\.pdf)"', queue)
    kinds = {link.rsplit("/", 1)[1] for link in links}
    assert {"commercial-invoice.pdf", "packing-list.pdf"} <= kinds
    assert kinds & {"cn22.pdf", "cn23.pdf"}
    invoice_link = next(link for link in links if link.endswith("commercial-invoice.pdf"))
    pdf = client.get(invoice_link)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    invoice = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages
    )
    assert "Bahnhofstrasse 10" in invoice and "8001 Zürich" in invoice
    assert "Lumen & Loom GmbH Hafenstraße 9 20457 Hamburg Germany" in invoice
    assert "Phone: +49 40 32901234" in invoice and "EORI number: DE123456789012345" in invoice

    with app.app_context():
        quotes = {q.status: q for q in db.session.scalars(select(Quote))}
        assert set(quotes) == {"accepted", "sent"}
        order = db.session.get(Order, quotes["accepted"].order_id)
        assert (order.incoterm, order.incoterm_place, order.payment_terms) == (
            "FOB",
            "Shenzhen",
            "deposit:30",
        )
        before = (count(Order), count(Quote), count(IssuedDocument))
        assert before[2] == 3
        again = seed_paperwork(DEMO_SUPPLIER)  # seeding the paperwork twice adds nothing
        db.session.flush()
        assert (count(Order), count(Quote), count(IssuedDocument)) == before
        assert again["accepted"] == quotes["accepted"].number
