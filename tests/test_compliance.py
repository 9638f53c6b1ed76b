"""The compliance profile: numbers checked per scheme, the page, and DDP at checkout."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from storefront import clock
from storefront.compliance.operations import (
    SCHEMES,
    ComplianceError,
    NumberError,
    ProfileInput,
    RegistrationInput,
    active_registrations,
    check_number,
    eori_number,
    save_profile,
)
from storefront.compliance.tables import ComplianceProfile, TaxRegistration
from storefront.db import db

D = datetime.date


# numbers per scheme -------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "raw", "stored", "how"),
    [
        ("eu_ioss", "IM2760000001", "IM2760000001", "format"),
        ("eu_ioss", "im 372 000 1234", "IM3720001234", "format"),
        ("eu_ioss", "IM9000000001", "IM9000000001", "format"),  # Northern Ireland
        ("gb_vat", "GB 980 7806 84", "GB980780684", "check digit"),
        ("gb_vat", "980780684", "GB980780684", "check digit"),
        ("no_voec", "VOEC 2030001", "VOEC2030001", "format"),
        ("au_gst", "300 000 000 123", "300000000123", "format"),  # ARN: simplified GST
        ("au_gst", "83 914 571 673", "83914571673", "check digit"),  # ABN: standard GST
        ("nz_gst", "49-098-576", "49098576", "check digit"),
        ("nz_gst", "4909185-0", "49091850", "check digit"),
        ("ch_vat", "CHE-107.787.577 IVA", "CHE107787577IVA", "check digit"),
        ("ch_vat", "CHE-107.787.577 MWST", "CHE107787577MWST", "check digit"),
        ("sg_ovr", "197401143C", "197401143C", "check digit"),  # a UEN
        ("sg_ovr", "M2-1234567-X", "M21234567X", "format"),  # IRAS's own number
    ],
)
def test_valid_numbers_are_stored_compact(scheme, raw, stored, how):
    assert check_number(scheme, raw) == (stored, how)


@pytest.mark.parametrize(
    ("scheme", "raw", "says"),
    [
        ("eu_ioss", "IM27600001", "IM followed by 10 digits"),
        ("eu_ioss", "IM8400000001", "840 is not the numeric code of an EU member state"),
        ("eu_ioss", "EU372022452", "IM followed by 10 digits"),  # OSS non-union, not IOSS
        ("gb_vat", "GB 802311781", "check digit is wrong"),
        ("gb_vat", "GB 980 7806 8", "wrong length"),
        ("no_voec", "VOEC123", "VOEC followed by 7 digits"),
        ("no_voec", "NO 974 760 673 MVA", "VOEC followed by 7 digits"),  # an MVA
        ("au_gst", "99 999 999 999", "check digit is wrong"),  # not an ABN
        ("au_gst", "12345", "12-digit ATO reference number (ARN)"),
        ("nz_gst", "136410133", "check digit is wrong"),
        ("ch_vat", "CHE-107.787.578 IVA", "check digit is wrong"),
        ("ch_vat", "CHE-107.787.577", "add MWST, TVA or IVA"),
        ("sg_ovr", "123456", "wrong length"),
    ],
)
def test_bad_numbers_are_refused_naming_the_field(scheme, raw, says):
    with pytest.raises(NumberError) as refused:
        check_number(scheme, raw)
    message = str(refused.value)
    assert message.startswith(SCHEMES[scheme].label + ":"), message
    assert says in message


@pytest.mark.parametrize("raw", ["DE1234567", "nl 123456789", "GB123456789000", "XI123456789000"])
def test_eori_numbers(raw):
    assert eori_number(raw)[0] == re.sub(r"\s", "", raw).upper()


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("US123456", "US does not issue EORI numbers"),
        ("GB12345", "GB or XI followed by 12 digits"),
        ("DE1234567890123456", "up to 15"),
        ("1234567", "country code"),
    ],
)
def test_bad_eori_numbers(raw, says):
    with pytest.raises(NumberError, match=re.escape(says)):
        eori_number(raw)


def test_every_registration_in_the_rules_can_be_entered():
    rules = Path(__file__).parents[1] / "channels" / "rules" / "schemes.json"
    registrations = {r["registration"] for r in json.loads(rules.read_text())["rules"]}
    assert registrations <= set(SCHEMES)


# saving and the active registrations ----------------------------------------------


def _profile(**registrations) -> ProfileInput:
    return ProfileInput(
        eori="DE1234567",
        export_licences="CN-EXP-2026-001\n\n  CN-EXP-2026-002 ",
        registrations={code: RegistrationInput(*args) for code, args in registrations.items()},
    )


def test_active_registrations_follow_the_validity_dates(app, ctx):
    save_profile(
        _profile(
            eu_ioss=("IM2760000001", D(2026, 1, 1), D(2026, 6, 30)),
            gb_vat=("GB980780684", D(2026, 7, 1), None),
        )
    )
    db.session.commit()
    assert active_registrations(D(2025, 12, 31)) == frozenset()
    assert active_registrations(D(2026, 1, 1)) == {"eu_ioss"}
    assert active_registrations(D(2026, 6, 30)) == {"eu_ioss"}
    assert active_registrations(D(2026, 7, 1)) == {"gb_vat"}
    assert active_registrations(D(2030, 1, 1)) == {"gb_vat"}
    profile = db.session.get(ComplianceProfile, 1)
    assert (profile.eori, profile.export_licences) == (
        "DE1234567",
        "CN-EXP-2026-001\nCN-EXP-2026-002",
    )


def test_config_registrations_still_count(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "TAX_REGISTRATIONS", ("no_voec",))
    assert active_registrations(D(2026, 1, 1)) == {"no_voec"}
    save_profile(_profile(eu_ioss=("IM2760000001", D(2026, 1, 1), None)))
    assert active_registrations(D(2026, 1, 1)) == {"no_voec", "eu_ioss"}


def test_an_unvalidated_row_does_not_count(app, ctx):
    db.session.add(TaxRegistration(scheme="eu_ioss", number="IM?", valid_from=D(2026, 1, 1)))
    db.session.flush()
    assert active_registrations(D(2026, 2, 1)) == frozenset()


def test_one_bad_number_refuses_the_whole_profile(app, ctx):
    save_profile(_profile(eu_ioss=("IM2760000001", D(2026, 1, 1), None)))
    db.session.commit()
    with pytest.raises(ComplianceError) as refused:
        save_profile(
            ProfileInput(
                eori="US1",
                registrations={
                    "eu_ioss": RegistrationInput("IM3720001234", D(2026, 2, 1)),
                    "gb_vat": RegistrationInput("GB 802311781", D(2026, 2, 1)),
                    "nz_gst": RegistrationInput("49-098-576", D(2026, 3, 1), D(2026, 2, 1)),
                    "au_gst": RegistrationInput("300000000123", None),
                    "no_voec": RegistrationInput("", D(2026, 1, 1)),
                },
            )
        )
    db.session.rollback()
    assert set(refused.value.errors) == {
        "eori",
        "gb_vat.number",
        "nz_gst.valid_to",
        "au_gst.valid_from",
        "no_voec.number",
    }
    assert refused.value.errors["eori"].startswith("EORI number:")
    rows = db.session.query(TaxRegistration).all()
    assert [(r.scheme, r.number) for r in rows] == [("eu_ioss", "IM2760000001")]
    assert db.session.get(ComplianceProfile, 1).eori == "DE1234567"


def test_clearing_a_number_ends_the_registration(app, ctx):
    save_profile(_profile(eu_ioss=("IM2760000001", D(2026, 1, 1), None)))
    save_profile(_profile(eu_ioss=("", None, None)))
    assert db.session.query(TaxRegistration).count() == 0


# the page -----------------------------------------------------------------------


def _form(**fields) -> dict:
    data = {"eori": "", "export_licences": ""}
    for code in SCHEMES:
        data |= {f"{code}-number": "", f"{code}-valid_from": "", f"{code}-valid_to": ""}
    return data | fields


def test_the_owner_saves_the_profile(app, logged_in):
    client = logged_in("owner")
    page = client.get("/admin/compliance/")
    assert page.status_code == 200 and 'data-testid="scheme-eu_ioss"' in page.text
    response = client.post(
        "/admin/compliance/",
        data=_form(
            **{"eori": "nl123456789", "eu_ioss-number": "IM 528 000 0001"},
            **{"eu_ioss-valid_from": "2026-01-01", "gb_vat-number": "GB 980 7806 84"},
            **{"gb_vat-valid_from": "2026-07-01", "gb_vat-valid_to": "2029-03-31"},
        ),
    )
    assert response.status_code == 303
    page = client.get("/admin/compliance/").text
    assert "Compliance profile saved." in page
    assert 'value="IM5280000001"' in page and 'value="GB980780684"' in page
    assert 'value="NL123456789"' in page
    with app.app_context():
        rows = {r.scheme: r for r in db.session.query(TaxRegistration)}
        assert set(rows) == {"eu_ioss", "gb_vat"}
        assert rows["gb_vat"].valid_to == D(2029, 3, 31) and rows["gb_vat"].validated
        assert rows["gb_vat"].updated_by is not None


def test_errors_show_by_the_field_and_nothing_is_saved(app, logged_in):
    client = logged_in("staff")
    response = client.post(
        "/admin/compliance/",
        data=_form(
            **{"eu_ioss-number": "IM2760000001", "eu_ioss-valid_from": "2026-01-01"},
            **{"gb_vat-number": "GB 802311781", "gb_vat-valid_from": "2026-01-01"},
            **{"eori": "XX1"},
        ),
    )
    assert response.status_code == 422
    text = response.text
    error = re.search(r'data-testid="error-gb_vat-number">([^<]*)<', text)
    assert error and "UK VAT number: this is not a valid UK VAT number" in error.group(1)
    assert 'data-testid="error-eori">EORI number: XX does not issue' in text
    assert 'data-testid="error-eu_ioss-number"' not in text
    with app.app_context():
        assert db.session.query(TaxRegistration).count() == 0
        assert db.session.query(ComplianceProfile).count() == 0


@pytest.mark.parametrize("role", ["agent", "supplier"])
def test_agents_and_suppliers_may_not_see_it(logged_in, role):
    client = logged_in(role)
    assert client.get("/admin/compliance/").status_code == 403
    assert client.post("/admin/compliance/", data=_form()).status_code == 403


def test_signed_out_is_sent_to_log_in(client):
    response = client.get("/admin/compliance/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_saving_needs_the_csrf_token(app, logged_in, monkeypatch):
    client = logged_in("owner")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    data = _form(**{"eu_ioss-number": "IM2760000001", "eu_ioss-valid_from": "2026-01-01"})
    assert client.post("/admin/compliance/", data=data).status_code == 400
    with app.app_context():
        assert db.session.query(TaxRegistration).count() == 0
    page = client.get("/admin/compliance/").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/compliance/", data=data | {"csrf_token": token})
    assert response.status_code == 303


# DDP at checkout -----------------------------------------------------------------


def _drop_group(client, cart_id, auth):
    body = client.get(f"/api/v1/carts/{cart_id}", headers=auth).get_json()
    (group,) = [g for g in body["groups"] if g["selling_model"] == "oem_dropship"]
    return group


def test_a_saved_ioss_registration_collects_eu_vat_at_checkout(app, client, four_models, logged_in):
    assert not app.config["TAX_REGISTRATIONS"]
    response = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"})
    cart = response.get_json()
    cart_id, auth = cart["id"], {"Authorization": f"Bearer {cart['token']}"}
    added = client.post(
        f"/api/v1/carts/{cart_id}/lines", json={"sku": four_models["drop"]}, headers=auth
    )
    assert added.status_code == 201
    before = _drop_group(client, cart_id, auth)
    assert before["ship_from"] == "CN"
    assert before["import"]["collected_at_checkout"] is False

    owner = logged_in("owner")
    today = clock.today()  # read now, not when the module loaded: a run may cross midnight
    later = (today + datetime.timedelta(days=1)).isoformat()
    form = _form(**{"eu_ioss-number": "IM2760000001", "eu_ioss-valid_from": later})
    assert owner.post("/admin/compliance/", data=form).status_code == 303
    assert _drop_group(client, cart_id, auth)["import"]["collected_at_checkout"] is False

    form["eu_ioss-valid_from"] = (today - datetime.timedelta(days=30)).isoformat()
    assert owner.post("/admin/compliance/", data=form).status_code == 303
    after = _drop_group(client, cart_id, auth)
    assert after["import"]["collected_at_checkout"] is True
