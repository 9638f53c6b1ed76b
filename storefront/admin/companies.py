"""Back-office pages for trade companies: the list (search, archived ones, paged), a company
made and edited from one form (code, legal name, country, VAT number, EORI, billing and
delivery address, payment terms, active), its buyers (added by e-mail, removed) and its
own price list (replaced whole). Staff only; the rules are storefront.companies', as in
the admin API: a refusal shows its message beside the field and saves nothing."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from sqlalchemy import func, or_, select

from ..accounts import STAFF_ROLES, roles_required
from ..accounts.tables import User
from ..companies import operations as companies
from ..companies.operations import ADDRESS_FIELDS, CompanyError, CompanyInput
from ..companies.tables import PAYMENT_TERMS, Company
from ..db import db
from ..errors import InputError
from ..mount import render_template, url_for
from . import bp
from .paging import searched_page

ADDRESSES = ("billing_address", "delivery_address")
MAX_PRICE_LINES = companies.MAX_PRICES


def _find(query: str, archived: bool):
    """The listing's statement: active (or archived) companies, `query` in code or name."""
    statement = select(Company).where(Company.is_active.is_(not archived))
    query = (query or "").strip().lower()
    if query:
        pattern = f"%{query}%"
        statement = statement.where(
            or_(func.lower(Company.legal_name).like(pattern), Company.code.like(pattern))
        )
    return statement.order_by(Company.legal_name, Company.id)


def _buyer_counts(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(User.company_id, func.count(User.id))
        .where(User.company_id.in_(ids))
        .group_by(User.company_id)
    )
    return dict(rows.all())


@roles_required(*STAFF_ROLES)
def companies_list():
    listing = searched_page(_find)
    counts = _buyer_counts([row.id for row in listing["rows"]])
    return render_template("admin/companies.html", **listing, buyer_counts=counts)


def _typed(form) -> dict:
    """What the form sent, as the template shows it again."""
    typed = {
        name: (form.get(name) or "")
        for name in ("code", "legal_name", "country", "vat_number", "eori", "payment_terms")
    }
    typed["deposit_percent"] = (form.get("deposit_percent") or "").strip()
    typed["is_active"] = form.get("is_active") == "1"
    for which in ADDRESSES:
        typed[which] = {key: form.get(f"{which}.{key}", "") for key in (*ADDRESS_FIELDS, "country")}
    return typed


def _of(company: Company) -> dict:
    """A saved company as the form shows it."""
    return {
        "code": company.code,
        "legal_name": company.legal_name,
        "country": company.country,
        "vat_number": company.vat_number,
        "eori": company.eori,
        "payment_terms": company.payment_terms,
        "deposit_percent": "" if company.deposit_percent is None else str(company.deposit_percent),
        "is_active": company.is_active,
        "billing_address": dict(company.billing_address or {}),
        "delivery_address": dict(company.delivery_address or {}),
    }


def _save(form, current: Company | None) -> Company:
    typed = _typed(form)
    data = CompanyInput(
        code=typed["code"] if current is None else current.code,
        legal_name=typed["legal_name"],
        country=typed["country"],
        vat_number=typed["vat_number"],
        eori=typed["eori"],
        billing_address=typed["billing_address"],
        delivery_address=typed["delivery_address"],
        payment_terms=typed["payment_terms"],
        deposit_percent=typed["deposit_percent"] or None,
    )
    company = companies.save_company(data, current)
    if typed["is_active"] != company.is_active:
        companies.set_active(company, typed["is_active"])
    return company


def _form_page(company: Company | None, form: dict, error: InputError | None, status: int):
    return render_template(
        "admin/companies_form.html",
        record=company,
        form=form,
        error=error,
        terms=PAYMENT_TERMS,
        address_fields=(*ADDRESS_FIELDS, "country"),
    ), status


@roles_required(*STAFF_ROLES)
def companies_new():
    if request.method == "GET":
        blank = {"payment_terms": "prepay", "is_active": True, ADDRESSES[0]: {}, ADDRESSES[1]: {}}
        return _form_page(None, blank, None, 200)
    try:
        company = _save(request.form, None)
    except InputError as error:
        db.session.rollback()
        return _form_page(None, _typed(request.form), error, 422)
    db.session.commit()
    flash(f"{company.legal_name} saved.", "success")
    return redirect(url_for("admin.companies_edit", code=company.code), 303)


def _company(code: str) -> Company:
    company = companies.find(code)
    if company is None:
        abort(404)
    return company


def _edit_page(company: Company, status: int = 200, **typed):
    """The company's page; `typed` holds a refused section's input and its `error`."""
    prices = list(company.prices)
    return render_template(
        "admin/companies_edit.html",
        record=company,
        form=typed.get("form") or _of(company),
        error=typed.get("error"),
        section=typed.get("section", ""),
        terms=PAYMENT_TERMS,
        address_fields=(*ADDRESS_FIELDS, "country"),
        buyers=companies.buyers(company),
        buyer_email=typed.get("buyer_email", ""),
        prices=prices,
        price_currency=typed.get("price_currency", prices[0].currency if prices else ""),
        price_lines=typed.get(
            "price_lines", "\n".join(f"{p.sku} {p.amount.normalize():f}" for p in prices)
        ),
    ), status


@roles_required(*STAFF_ROLES)
def companies_edit(code: str):
    company = _company(code)
    if request.method == "GET":
        return _edit_page(company)
    try:
        _save(request.form, company)
    except InputError as error:
        db.session.rollback()
        return _edit_page(
            _company(code), 422, form=_typed(request.form), error=error, section="company"
        )
    db.session.commit()
    flash(f"{company.legal_name} saved.", "success")
    return redirect(url_for("admin.companies_edit", code=code), 303)


@roles_required(*STAFF_ROLES)
def companies_buyers(code: str):
    company = _company(code)
    email = (request.form.get("email") or "").strip()
    removing = request.form.get("remove") == "1"
    try:
        if removing:
            companies.remove_buyer(company, email)
        else:
            companies.add_buyer(company, email)
    except InputError as error:
        db.session.rollback()
        return _edit_page(_company(code), 422, error=error, section="buyers", buyer_email=email)
    db.session.commit()
    flash(f"{email} {'no longer buys' if removing else 'now buys'} for {company.legal_name}.",
          "success")  # fmt: skip
    return redirect(url_for("admin.companies_edit", code=code) + "#buyers", 303)


def parse_prices(text: str) -> dict[str, str]:
    """One price a line: `SKU UNIT_PRICE`; a SKU twice is refused, not silently overwritten."""
    prices: dict[str, str] = {}
    rows = [row for row in (text or "").splitlines() if row.strip()]
    if len(rows) > MAX_PRICE_LINES:
        raise CompanyError(f"At most {MAX_PRICE_LINES} prices.", "invalid_price", "prices")
    for number, row in enumerate(rows, start=1):
        parts = row.split()
        if len(parts) != 2:
            raise CompanyError(
                f"Line {number}: write each price as SKU UNIT_PRICE, like RING-0 18.50.",
                "invalid_price",
                "prices",
            )
        sku, amount = parts
        if sku in prices:
            raise CompanyError(f"Line {number}: {sku} is listed twice.", "invalid_price", "prices")
        prices[sku] = amount
    return prices


@roles_required(*STAFF_ROLES)
def companies_prices(code: str):
    company = _company(code)
    currency, lines = request.form.get("currency", ""), request.form.get("prices", "")
    try:
        prices = companies.set_prices(company, currency, parse_prices(lines))
    except InputError as error:
        db.session.rollback()
        return _edit_page(
            _company(code),
            422,
            error=error,
            section="prices",
            price_currency=currency,
            price_lines=lines,
        )
    db.session.commit()
    flash(f"{company.legal_name}: {len(prices)} prices saved.", "success")
    return redirect(url_for("admin.companies_edit", code=code) + "#prices", 303)


@roles_required(*STAFF_ROLES)
def companies_by_id(company_id: int):
    """An order keeps its company's id: its page links here, which opens the company."""
    company = db.session.get(Company, company_id)
    if company is None:
        abort(404)
    return redirect(url_for("admin.companies_edit", code=company.code), 303)


for _rule, _name, _view, _methods in (
    ("/companies", "companies_list", companies_list, ["GET"]),
    ("/companies/new", "companies_new", companies_new, ["GET", "POST"]),
    ("/companies/id/<int:company_id>", "companies_by_id", companies_by_id, ["GET"]),
    ("/companies/<code>", "companies_edit", companies_edit, ["GET", "POST"]),
    ("/companies/<code>/buyers", "companies_buyers", companies_buyers, ["POST"]),
    ("/companies/<code>/prices", "companies_prices", companies_prices, ["POST"]),
):
    bp.add_url_rule(_rule, _name, _view, methods=_methods)
