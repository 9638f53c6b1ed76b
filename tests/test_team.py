"""The owner invites the team by e-mail: a link to choose a password, once; a member
switched off can neither sign in nor use a key."""

from __future__ import annotations

import re

from sqlalchemy import select

from storefront.accounts.tables import User
from storefront.db import db
from storefront.mail.tables import MailMessage
from storefront.webhooks.tables import SupplierAccount
from test_after_payment import api_key


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def invitation_link(app, email: str) -> str:
    with app.app_context():
        mail = db.session.scalar(
            select(MailMessage).where(MailMessage.to_address == email, MailMessage.kind == "invite")
        )
        return re.search(r"http://\S+/set-password\?token=\S+", mail.text_body).group(0)


def test_an_invited_staff_member_chooses_a_password_once_and_signs_in(app, logged_in, make_agent):
    owner = logged_in("owner")
    page = owner.get("/admin/users").get_data(as_text=True)
    token = csrf(page)
    refused = owner.post(
        "/admin/users", data={"csrf_token": token, "email": "rui@shop.example", "role": "agent"}
    )
    assert refused.status_code == 422 and "agent company" in refused.get_data(as_text=True)
    sent = owner.post(
        "/admin/users",
        data={"csrf_token": token, "email": "Rui@Shop.example", "role": "staff", "name": "Rui"},
    )
    assert sent.status_code == 303
    link = invitation_link(app, "rui@shop.example")
    path = link.split("localhost", 1)[1]

    visitor = app.test_client()
    assert (
        visitor.post("/login", data={"email": "rui@shop.example", "password": "x" * 12}).status_code
        == 200
    )
    form = visitor.get(path).get_data(as_text=True)
    token_field = re.search(r'name="token" value="([^"]+)"', form).group(1)
    short = visitor.post(
        "/set-password", data={"token": token_field, "password": "short", "again": "short"}
    )
    assert short.status_code == 422 and "at least 10 characters" in short.get_data(as_text=True)
    differ = visitor.post(
        "/set-password",
        data={"token": token_field, "password": "a long password", "again": "another one!"},
    )
    assert "differ" in differ.get_data(as_text=True)
    done = visitor.post(
        "/set-password",
        data={"token": token_field, "password": "a long password", "again": "a long password"},
    )
    assert done.status_code == 303
    again = visitor.post(
        "/set-password",
        data={"token": token_field, "password": "taken over!!", "again": "taken over!!"},
    )
    assert "used already" in again.get_data(as_text=True)  # the link works once
    signed_in = visitor.post(
        "/login", data={"email": "rui@shop.example", "password": "a long password"}
    )
    assert signed_in.status_code == 302
    assert visitor.get("/admin/shipping-work").status_code == 200

    # switched off: no more sign-in
    page = owner.get("/admin/users").get_data(as_text=True)
    with app.app_context():
        rui = db.session.scalar(select(User).where(User.email == "rui@shop.example"))
    owner.post(f"/admin/users/{rui.id}/active", data={"csrf_token": csrf(page), "confirm": "yes"})
    later = app.test_client().post(
        "/login", data={"email": "rui@shop.example", "password": "a long password"}
    )
    assert later.status_code == 200  # the form again, not a redirect in
    assert logged_in("staff", email="s@shop.example").get("/admin/users").status_code == 403


def test_the_admin_api_invites_a_supplier_user_and_switches_members_off(
    app, client, make_user, make_supplier
):
    make_supplier("shenzhen-silver")
    owner = api_key(app, make_user, "boss@shop.example", "owner")
    invited = client.post(
        "/api/v1/admin/users",
        json={"email": "ops@sz.example", "role": "supplier", "supplier": "shenzhen-silver"},
        headers=owner,
    )
    assert invited.status_code == 201, invited.get_json()
    member = invited.get_json()
    with app.app_context():
        account = db.session.scalar(
            select(SupplierAccount).where(SupplierAccount.user_id == member["id"])
        )
        assert account.supplier.code == "shenzhen-silver"
    assert invitation_link(app, "ops@sz.example")
    unknown = client.post(
        "/api/v1/admin/users",
        json={"email": "x@sz.example", "role": "supplier", "supplier": "nobody"},
        headers=owner,
    )
    assert unknown.status_code == 400 and unknown.get_json()["error"]["field"] == "supplier"
    buyer = client.post(
        "/api/v1/admin/users", json={"email": "b@x.example", "role": "customer"}, headers=owner
    )
    assert buyer.status_code == 400 and buyer.get_json()["error"]["field"] == "role"
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    assert client.get("/api/v1/admin/users", headers=staff).status_code == 403
    listed = client.get("/api/v1/admin/users", headers=owner).get_json()["items"]
    assert {m["email"] for m in listed} >= {"ops@sz.example", "staff@shop.example"}
    staff_id = next(m["id"] for m in listed if m["email"] == "staff@shop.example")
    off = client.post(f"/api/v1/admin/users/{staff_id}/archive", headers=owner)
    assert off.get_json()["active"] is False
    assert client.get("/api/v1/admin/orders", headers=staff).status_code == 401  # its key is dead
