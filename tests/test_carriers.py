"""Carriers are data: the common ones built in, a merchant's own added, links changed or
carriers retired from the command line, and shipments linked by the carrier's template."""

from __future__ import annotations

from test_after_payment import api_key, api_order, groups_by_model, pay


def test_the_common_carriers_are_listed_with_their_tracking_links(runner):
    listed = runner.invoke(args=["carriers", "list"]).output
    for name in ("DHL Express", "UPS", "FedEx", "EMS / China Post", "Thailand Post",
                 "Poste Italiane", "Royal Mail", "Deutsche Post", "Japan Post", "USPS",
                 "Aramex", "SF Express", "Other"):  # fmt: skip
        assert name in listed
    assert listed.strip().splitlines()[-1].startswith("other")  # "other" comes last


def test_a_merchants_own_carrier_links_its_shipments(app, client, runner, make_user, four_models):
    added = runner.invoke(
        args=[
            "carriers",
            "set",
            "ninja-van",
            "--name",
            "Ninja Van",
            "--tracking-url",
            "https://www.ninjavan.co/en-sg/tracking?id={number}",
        ]
    )
    assert added.exit_code == 0, added.output
    retired = runner.invoke(args=["carriers", "set", "fedex", "--retire"])
    assert retired.exit_code == 0, retired.output
    listed = runner.invoke(args=["carriers", "list"]).output
    assert "Ninja Van" in listed and "FedEx" not in listed

    number = api_order(client, [four_models["stock"]])["order_id"]
    pay(app, number)
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    base = (
        f"/api/v1/admin/orders/{number}/groups/{groups_by_model(app, number)['wholesale_retail']}"
    )
    for step in ("picked", "packed"):
        client.post(f"{base}/{step}", headers=staff)
    shipped = client.post(
        f"{base}/shipments",
        json={"carrier": "Ninja Van", "tracking_number": "NV SG 1/2"},
        headers=staff,
    ).get_json()
    assert (shipped["carrier_code"], shipped["tracking_url"]) == (
        "ninja-van",
        "https://www.ninjavan.co/en-sg/tracking?id=NV%20SG%201%2F2",
    )


def test_a_carrier_the_shop_cannot_use_is_refused_with_the_setting_named(runner):
    for args, field in (
        (["carriers", "set", "x"], "code"),
        (["carriers", "set", "my-post", "--tracking-url", "https://post.example/t"], "name"),
        (
            [
                "carriers",
                "set",
                "my-post",
                "--name",
                "My Post",
                "--tracking-url",
                "ftp://x/{number}",
            ],
            "tracking_url",
        ),
        (
            [
                "carriers",
                "set",
                "my-post",
                "--name",
                "My Post",
                "--tracking-url",
                "https://x.example/",
            ],
            "tracking_url",
        ),
    ):
        refused = runner.invoke(args=args)
        assert refused.exit_code != 0 and f"Error: {field}:" in refused.output, refused.output
    assert "my-post" not in runner.invoke(args=["carriers", "list"]).output


def test_staff_edit_carriers_on_the_shipping_page(logged_in, app):
    client = logged_in("staff")
    page = client.get("/admin/shipping/").get_data(as_text=True)
    assert 'data-testid="carrier-royal-mail"' in page
    refused = client.post(
        "/admin/shipping/carriers",
        data={"code": "my-post", "name": "My Post", "tracking_url": "https://x.example/"},
    )
    assert refused.status_code == 422
    assert "with {number} where the tracking number goes" in refused.get_data(as_text=True)
    saved = client.post(
        "/admin/shipping/carriers",
        data={"code": "my-post", "name": "My Post", "tracking_url": "https://x.example/{number}"},
    )
    assert saved.status_code == 303
    retired = client.post("/admin/shipping/carriers", data={"code": "usps", "retire": "1"})
    assert retired.status_code == 303
    page = client.get("/admin/shipping/").get_data(as_text=True)
    assert 'data-testid="carrier-my-post"' in page and 'data-testid="carrier-usps"' not in page
    assert "Retired: usps" in page
    assert (
        logged_in("agent", email="a@example.com")
        .post("/admin/shipping/carriers", data={"code": "x-post", "name": "X"})
        .status_code
        == 403
    )
