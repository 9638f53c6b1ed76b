"""Placing an order runs a small, flat number of SQL statements (Saleor's runs about 230).

The whole checkout request is counted: the cart read and priced, delivery and import
checks, the order, its lines, the stock holds.
"""

from collections import Counter

PLACE_ORDER_MAX_QUERIES = 30
BERLIN = {
    "name": "Lena Vogel",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
}


def test_checkout_costs_the_same_for_1_and_20_lines(
    client, count_queries, make_product, make_channel, rates, make_warehouse
):
    make_channel("eu")
    rates()
    skus = [f"{make_product(name=f'Ring {n}').upper()}-0" for n in range(21)]
    make_warehouse("berlin", "DE", {sku: 10 for sku in skus})

    def checkout(lines: list[str], key: str):
        cart = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"}).get_json()
        auth = {"Authorization": f"Bearer {cart['token']}"}
        for sku in lines:
            client.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth)
        client.put(
            f"/api/v1/carts/{cart['id']}/address",
            headers=auth,
            json={"address": BERLIN, "email": "l@v.de", "phone": "030 1234567"},
        )
        with count_queries() as counted:
            response = client.post(
                f"/api/v1/carts/{cart['id']}/checkout", json={"idempotency_key": key}, headers=auth
            )
        assert response.status_code == 201, response.get_json()
        return counted

    one, twenty = checkout(skus[:1], "one"), checkout(skus[1:], "twenty")
    per_table = Counter(" ".join(s.split()[:3]) for s in twenty.statements)
    assert one.n == twenty.n <= PLACE_ORDER_MAX_QUERIES, per_table.most_common(5)
