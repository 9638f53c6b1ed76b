"""Back-office pages for workshops, agent companies and suppliers: list with search and
paging, create, edit, archive (with a confirming tick) and bring back. Staff only; the rules
are fulfilment's (`fulfilment.partners`), as in the admin API. The supplier desk for
webhooks stays at /admin/suppliers; supplier users are invited on the Team page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from flask import abort, flash, redirect, request
from sqlalchemy import select

from ..accounts import STAFF_ROLES, roles_required
from ..accounts.tables import User
from ..catalog.tables import Brand
from ..db import db
from ..fulfilment import partners
from ..fulfilment.tables import AgentCompany, Maker, Supplier
from ..mount import render_template, url_for
from ..request_checks import whole_number
from ..returns import settling
from ..webhooks.tables import SupplierAccount
from . import bp
from .agent_commission import brand_rates
from .agent_commission import percent_fraction as _percent
from .paging import searched_page


def _int(form, name: str, default: int) -> int:
    raw = (form.get(name) or "").strip()
    if not raw:
        return default
    number = whole_number(raw)
    return -1 if number is None else number  # the service refuses -1, naming the field


@dataclass(frozen=True)
class Kind:
    table: type
    title: str
    fields: tuple[str, ...]

    def save(self, form, record=None):
        code = form.get("code", "") if record is None else record.code
        name, country = form.get("name", ""), form.get("country", "")
        address = form.get("return_address", "")
        if self.table is Maker:
            return partners.save_maker(partners.MakerInput(code, name, country, address), record)
        if self.table is Supplier:
            data = partners.SupplierInput(
                code,
                name,
                country,
                form.get("kind", "dropship"),
                _int(form, "lead_min", 2),
                _int(form, "lead_max", 5),
                address,
            )
            return partners.save_supplier(data, record)
        brand_ids = tuple(n for b in form.getlist("brands") if (n := whole_number(b)) is not None)
        data = partners.AgentInput(
            code,
            name,
            country,
            _int(form, "handling_min", 1),
            _int(form, "handling_max", 3),
            form.get("returns_policy", ""),
            _percent(form.get("commission_percent", "10")),
            brand_ids,
            return_address=address,
        )
        return partners.save_agent(data, record)

    def form_of(self, record) -> dict:
        form = {f: getattr(record, f) for f in self.fields if hasattr(record, f)}
        form["return_address"] = record.return_address
        if self.table is AgentCompany:
            form["commission_percent"] = (record.commission_rate * 100).normalize()
            form["brands"] = [str(i) for i in partners.entrusted_brand_ids(record)]
        return form


KINDS = {
    "workshops": Kind(Maker, "Workshops", ("code", "name", "country")),
    "agents": Kind(
        AgentCompany,
        "Agents",
        ("code", "name", "country", "handling_min", "handling_max", "commission_percent"),
    ),
    "suppliers": Kind(
        Supplier, "Suppliers", ("code", "name", "country", "kind", "lead_min", "lead_max")
    ),
}


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        abort(404)
    return KINDS[kind]


def _brands():
    return db.session.scalars(
        select(Brand).where(Brand.is_archived.is_(False)).order_by(Brand.name)
    ).all()


def _list_page(kind: str, status: int = 200, form: dict | None = None, error=None):
    spec = _kind(kind)
    return render_template(
        "admin/partners.html",
        kind=kind,
        spec=spec,
        **searched_page(partial(partners.find, spec.table)),
        form=form or {},
        error=error,
        brands=_brands(),
        record=None,
    ), status


def _form(kind: str) -> dict:
    form = request.form.to_dict()
    form["brands"] = request.form.getlist("brands")
    return form


@roles_required(*STAFF_ROLES)
def partners_list(kind: str):
    return _list_page(kind)


@roles_required(*STAFF_ROLES)
def partners_create(kind: str):
    try:
        record = _kind(kind).save(request.form)
    except partners.PartnerError as error:
        db.session.rollback()
        return _list_page(kind, 422, _form(kind), error)
    db.session.commit()
    flash(f"{record.name} saved.", "success")
    return redirect(url_for("admin.partners_edit", kind=kind, code=record.code), 303)


def _record(kind: str, code: str):
    record = partners.by_code(_kind(kind).table, code)
    if record is None:
        abort(404)
    return record


def _supplier_users(supplier: Supplier) -> list[User]:
    return db.session.scalars(
        select(User)
        .join(SupplierAccount, SupplierAccount.user_id == User.id)
        .where(SupplierAccount.supplier_id == supplier.id)
        .order_by(User.email)
    ).all()


@roles_required(*STAFF_ROLES)
def partners_edit(kind: str, code: str):
    record = _record(kind, code)
    error = None
    if request.method == "POST":
        try:
            record = _kind(kind).save(request.form, record)
        except partners.PartnerError as refused:
            db.session.rollback()
            record, error = _record(kind, code), refused
        else:
            db.session.commit()
            flash(f"{record.name} saved.", "success")
            return redirect(url_for("admin.partners_edit", kind=kind, code=record.code), 303)
    form = _form(kind) if error else _kind(kind).form_of(record)
    credits = settling.credits_of(record) if kind == "suppliers" else []
    return render_template(
        "admin/partners_edit.html",
        kind=kind,
        spec=_kind(kind),
        record=record,
        form=form,
        error=error,
        brands=_brands(),
        users=_supplier_users(record) if kind == "suppliers" else [],
        credits=credits,
        credit_totals=settling.credit_totals(credits),
        brand_rates=brand_rates(record) if kind == "agents" else [],
    ), (422 if error else 200)


@roles_required(*STAFF_ROLES)
def partners_archive(kind: str, code: str):
    record = _record(kind, code)
    restore = request.form.get("restore") == "1"
    if not restore and request.form.get("confirm") != "yes":
        flash("Tick the box to confirm: nothing was archived.", "error")
        return redirect(url_for("admin.partners_edit", kind=kind, code=code), 303)
    partners.archive(record, archived=not restore)
    db.session.commit()
    flash(f"{record.name} {'is back' if restore else 'archived'}.", "success")
    return redirect(url_for("admin.partners_edit", kind=kind, code=code), 303)


# one literal route per kind (the docs name them), the kind given as a default
for _kind_name in KINDS:
    _base, _defaults = f"/partners/{_kind_name}", {"kind": _kind_name}
    bp.add_url_rule(_base, "partners_list", partners_list, methods=["GET"], defaults=_defaults)
    bp.add_url_rule(_base, "partners_create", partners_create, methods=["POST"], defaults=_defaults)
    bp.add_url_rule(
        f"{_base}/<code>",
        "partners_edit",
        partners_edit,
        methods=["GET", "POST"],
        defaults=_defaults,
    )
    bp.add_url_rule(
        f"{_base}/<code>/archive",
        "partners_archive",
        partners_archive,
        methods=["POST"],
        defaults=_defaults,
    )
