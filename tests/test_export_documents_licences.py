"""Export licences and the seller's address on the export documents: a country rule says
which goods need a licence to which destinations; the compliance profile's keyed licence
lines cover them; the commercial invoice prints each line's licence, and packing without
one is refused with nothing saved. The seller's address is edited on the profile's form
and printed on the invoice."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

import test_export_documents as documents_tests
from channels.country_rules import RuleFileError, load_rules
from channels.export_control import licences_needed
from storefront import clock
from storefront.compliance.licences import check_lines, licence_for, parse
from storefront.compliance.tables import ComplianceProfile
from storefront.db import db
from storefront.documents.tables import IssuedDocument, Parcel
from storefront.orders.tables import OrderGroup
from test_after_payment import api_key
from test_export_documents import _order, text

shop = documents_tests.shop  # the fixture: a four-model shop shipping from China

LICENCE_RULE = {
    "id": "test-de-jewellery-licence",
    "countries": ["DE"],
    "kind": "export_licence",
    "hs_prefixes": ["7113"],
    "reason": "jewellery needs an export licence to Germany (a test rule)",
    "source": "docs/country-rules.md",
    "valid_from": "2020-01-01",
    "valid_to": None,
}


@pytest.fixture
def licence_rule(app, runner, tmp_path):
    """The shipped rules plus one: HS 7113 to DE needs an export licence."""
    folder = tmp_path / "rules"
    assert runner.invoke(args=["rules", "export", str(folder)]).exit_code == 0
    restricted = json.loads((folder / "restricted.json").read_text())
    restricted["rules"].append(LICENCE_RULE)
    (folder / "restricted.json").write_text(json.dumps(restricted))
    app.config["COUNTRY_RULES_DIR"] = str(folder)
    yield folder
    app.config["COUNTRY_RULES_DIR"] = None


def _licences(app, text: str) -> None:
    with app.app_context():
        db.session.get(ComplianceProfile, 1).export_licences = text
        db.session.commit()


def _pack(client, staff, number: str, group_id: int):
    base = f"/api/v1/admin/orders/{number}/groups/{group_id}"
    assert client.post(f"{base}/picked", headers=staff).status_code == 200
    return client.post(f"{base}/packed", json={}, headers=staff)


# the rules and the keyed lines ---------------------------------------------------


def test_the_shipped_rule_asks_a_licence_for_us_jewellery_to_russia_only():
    rules = load_rules().export_licences
    day = clock.today()
    assert [r.id for r in licences_needed(rules, "7113.11", "RU", "US", day)] == [
        "us-ru-by-luxury-licence"
    ]
    assert licences_needed(rules, "7113.11", "RU", "CN", day) == []  # not a US export
    assert licences_needed(rules, "7113.11", "DE", "US", day) == []
    assert licences_needed(rules, "9101.11", "BY", "US", day) == []  # not jewellery


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        ({"hs_prefixes": []}, "needs 'hs_prefixes'"),
        ({"max": {"amount": "1", "currency": "EUR"}}, "takes no 'max'"),
        ({"exporters": ["XX"]}, "'exporters' holds 'XX'"),
    ],
)
def test_a_malformed_licence_rule_is_refused(tmp_path, runner, change, fault):
    folder = tmp_path / "rules"
    assert runner.invoke(args=["rules", "export", str(folder)]).exit_code == 0
    restricted = json.loads((folder / "restricted.json").read_text())
    restricted["rules"].append(LICENCE_RULE | change)
    (folder / "restricted.json").write_text(json.dumps(restricted))
    with pytest.raises(RuleFileError, match=fault):
        load_rules(folder)


def test_only_a_licence_rule_names_exporters(tmp_path, runner):
    folder = tmp_path / "rules"
    assert runner.invoke(args=["rules", "export", str(folder)]).exit_code == 0
    restricted = json.loads((folder / "restricted.json").read_text())
    restricted["rules"][0]["exporters"] = ["US"]
    (folder / "restricted.json").write_text(json.dumps(restricted))
    with pytest.raises(RuleFileError, match="only an 'export_licence' rule takes 'exporters'"):
        load_rules(folder)


def test_keyed_licence_lines_cover_their_goods_and_places():
    text = "Old paper licence 1998\n7113 7114 → RU, BY: LIC-A\n7113.11 -> RU: LIC-B"
    assert check_lines(text) == []
    held = parse(text)
    assert licence_for(held, "7113.11", "RU").number == "LIC-B"  # the longest prefix
    assert licence_for(held, "7113.19", "BY").number == "LIC-A"
    assert licence_for(held, "7117.19", "RU") is None
    assert check_lines("7113 → RU\n71x → RU: L\n7113 → XX: L") == [
        "line 1: write the licence number after a colon, like 7113 → RU: LIC-123",
        "line 2: before the arrow give HS codes or their first 2 to 10 digits",
        "line 3: after the arrow give two-letter country codes (ISO 3166-1): XX is not one",
    ]


# issuing ----------------------------------------------------------------------


def test_packing_without_the_licence_is_refused_and_saves_nothing(
    app, client, make_user, shop, licence_rule
):
    sku = shop["stock"]
    number, groups = _order(app, client, [sku], "licence-missing")
    group_id = groups["wholesale_retail"]
    staff = api_key(app, make_user, "docs@shop.example", "staff")
    _licences(app, "7117 → DE: LIC-OTHER-GOODS\n7113 → FR: LIC-OTHER-PLACE")

    refused = _pack(client, staff, number, group_id)

    assert refused.status_code == 409, refused.get_json()
    error = refused.get_json()["error"]
    assert error["code"] == "export_licence_missing"
    assert f"{sku} (HS 7113.11) to DE" in error["message"]
    with app.app_context():
        assert db.session.get(OrderGroup, group_id).status == "packing"
        assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 0
        assert db.session.scalar(select(func.count()).select_from(Parcel)) == 0


def test_the_invoice_prints_the_licence_of_each_line_that_needs_one(
    app, client, make_user, shop, licence_rule
):
    sku = shop["stock"]
    number, groups = _order(app, client, [sku, sku], "licence-held")
    group_id = groups["wholesale_retail"]
    staff = api_key(app, make_user, "docs@shop.example", "staff")
    _licences(app, "7113 → DE AT: LIC-DE-2026-7")

    assert _pack(client, staff, number, group_id).status_code == 200
    _licences(app, "")  # the issued invoice keeps the licence it was issued with

    base = f"/api/v1/admin/orders/{number}/groups/{group_id}/documents"
    invoice = text(client.get(f"{base}/commercial-invoice.pdf", headers=staff))
    assert "Export licence: LIC-DE-2026-7" in invoice
    assert "LIC-DE" not in text(client.get(f"{base}/packing-list.pdf", headers=staff))


def test_without_a_rule_no_line_prints_a_licence(app, client, make_user, shop):
    sku = shop["stock"]
    number, groups = _order(app, client, [sku], "licence-none")
    staff = api_key(app, make_user, "docs@shop.example", "staff")
    _licences(app, "7113 → DE: LIC-UNUSED")
    assert _pack(client, staff, number, groups["wholesale_retail"]).status_code == 200
    base = f"/api/v1/admin/orders/{number}/groups/{groups['wholesale_retail']}/documents"
    assert "LIC-UNUSED" not in text(client.get(f"{base}/commercial-invoice.pdf", headers=staff))
