"""Trade companies in the admin API: list, one, create, edit (archive with
`is_active: false`), and their own price list. Staff keys only; the rules are
storefront.companies', as on the back-office pages."""

from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import func, or_, select

from ..companies import operations as companies
from ..companies.tables import Company
from ..companies.treatment import trade_buyer
from ..db import db
from .errors import ApiError, json_object
from .records import PAGE_SIZE, staff_only
from .spec import operation, query_param
from .views import _decode_cursor, _encode_cursor, bp

_DESCRIBED = {"tags": ["back office"], "security": "bearer"}
_FIELDS = (
    "code",
    "legal_name",
    "country",
    "vat_number",
    "eori",
    "billing_address",
    "delivery_address",
    "payment_terms",
    "deposit_percent",
    "buyers",
    "is_active",
)


def company_json(company: Company) -> dict:
    buyer = trade_buyer(company.id)
    return {
        "code": company.code,
        "legal_name": company.legal_name,
        "country": company.country,
        "vat_number": company.vat_number,
        "vat_checked_with": company.vat_checked_with,
        "vies_valid": company.vies_valid,
        "eu_vat_valid": bool(buyer and buyer.eu_vat_valid),
        "eori": company.eori,
        "billing_address": company.billing_address or {},
        "delivery_address": company.delivery_address,
        "payment_terms": company.payment_terms,
        "deposit_percent": company.deposit_percent,
        "buyers": [user.email for user in companies.buyers(company)],
        "is_active": company.is_active,
    }


def _one(code: str) -> Company:
    company = companies.find(code)
    if company is None:
        raise ApiError(404, "not_found", f"There is no company {code}.", "code")
    return company


def _text(body: dict, name: str, current: str) -> str:
    value = body.get(name, current)
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{name}", f"{name} must be text.", name)
    return value


def _save(body: dict, company: Company | None) -> Company:
    unknown = sorted(set(body) - set(_FIELDS))
    if unknown:
        raise ApiError(400, "unknown_field", f"A company has no field {unknown[0]}.", unknown[0])
    old = company_json(company) if company else {}
    percent = body.get("deposit_percent", old.get("deposit_percent"))
    if percent is not None and (isinstance(percent, bool) or not isinstance(percent, int)):
        raise ApiError(
            400, "invalid_deposit_percent", "deposit_percent is a whole number.", "deposit_percent"
        )
    data = companies.CompanyInput(
        code=_text(body, "code", old.get("code", "")),
        legal_name=_text(body, "legal_name", old.get("legal_name", "")),
        country=_text(body, "country", old.get("country", "")),
        vat_number=_text(body, "vat_number", old.get("vat_number", "")),
        eori=_text(body, "eori", old.get("eori", "")),
        billing_address=body.get("billing_address", old.get("billing_address", {})),
        delivery_address=body.get("delivery_address", old.get("delivery_address")),
        payment_terms=_text(body, "payment_terms", old.get("payment_terms", "prepay")),
        deposit_percent=percent,
    )
    company = companies.save_company(data, company)
    if "buyers" in body:
        _set_buyers(company, body["buyers"])
    active = body.get("is_active", company.is_active)
    if not isinstance(active, bool):
        raise ApiError(400, "invalid_is_active", "is_active is true or false.", "is_active")
    if active != company.is_active:
        companies.set_active(company, active)
    return company


def _set_buyers(company: Company, emails) -> None:
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        raise ApiError(400, "invalid_buyers", "buyers is a list of e-mail addresses.", "buyers")
    wanted = {e.strip().lower() for e in emails}
    for user in companies.buyers(company):
        if user.email not in wanted:
            companies.remove_buyer(company, user.email)
    for email in sorted(wanted):
        companies.add_buyer(company, email)


@operation(
    "Trade companies, paged (`q` searches code and legal name; `archived=1`)",
    query=[
        query_param("q", "Text in the code or legal name"),
        query_param("archived", "1: the archived ones"),
        query_param("cursor", "The `next` value of the previous page"),
    ],
    response="CompanyPage",
    errors=(400, 401, 403),
    **_DESCRIBED,
)
def list_companies():
    staff_only()
    archived = request.args.get("archived") == "1"
    statement = select(Company).where(Company.is_active.is_(not archived)).order_by(Company.id)
    query = request.args.get("q", "").strip().lower()
    if query:
        pattern = f"%{query}%"
        statement = statement.where(
            or_(func.lower(Company.legal_name).like(pattern), Company.code.like(pattern))
        )
    after = _decode_cursor(request.args.get("cursor"))
    if after is not None:
        statement = statement.where(Company.id > after)
    rows = db.session.scalars(statement.limit(PAGE_SIZE + 1)).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return jsonify(
        items=[company_json(r) for r in rows], next=_encode_cursor(rows[-1].id) if more else None
    )


@operation(
    "Create a trade company: its VAT number and EORI are checked for its country",
    body="Company",
    response="Company",
    errors=(400, 401, 403, 422),
    status=201,
    **_DESCRIBED,
)
def create_company():
    staff_only()
    company = _save(json_object(), None)
    db.session.commit()
    return jsonify(company_json(company)), 201


@operation("One trade company", response="Company", errors=(401, 403, 404), **_DESCRIBED)
def get_company(code: str):
    staff_only()
    return jsonify(company_json(_one(code)))


@operation(
    "Edit a trade company (the fields given; `buyers` replaces its buyers; "
    "`is_active: false` archives it)",
    body="Company",
    response="Company",
    errors=(400, 401, 403, 404, 422),
    **_DESCRIBED,
)
def edit_company(code: str):
    staff_only()
    company = _save(json_object(), _one(code))
    db.session.commit()
    return jsonify(company_json(company))


def _prices_json(company: Company) -> dict:
    rows = list(company.prices)
    return {
        "currency": rows[0].currency if rows else "",
        "prices": {row.sku: str(row.amount.normalize()) for row in rows},
    }


@operation(
    "A trade company's own price list", response="CompanyPrices", errors=(401, 403, 404),
    **_DESCRIBED,
)  # fmt: skip
def get_prices(code: str):
    staff_only()
    return jsonify(_prices_json(_one(code)))


@operation(
    "Replace a trade company's own price list (`prices: {}` clears it)",
    body="CompanyPrices",
    response="CompanyPrices",
    errors=(400, 401, 403, 404, 422),
    **_DESCRIBED,
)
def put_prices(code: str):
    staff_only()
    company = _one(code)
    body = json_object()
    prices, currency = body.get("prices"), body.get("currency", "")
    if not isinstance(prices, dict) or not all(isinstance(v, str) for v in prices.values()):
        raise ApiError(
            400, "invalid_prices", 'prices maps each SKU to a price, like "12.50".', "prices"
        )
    if not isinstance(currency, str):
        raise ApiError(400, "invalid_currency", "currency is a currency code.", "currency")
    companies.set_prices(company, currency, prices)
    db.session.commit()
    return jsonify(_prices_json(company))


_PATH = "/admin/companies"
for _rule, _name, _method, _view in (
    (_PATH, "admin_companies_list", "GET", list_companies),
    (_PATH, "admin_companies_create", "POST", create_company),
    (f"{_PATH}/<code>", "admin_companies_one", "GET", get_company),
    (f"{_PATH}/<code>", "admin_companies_edit", "PATCH", edit_company),
    (f"{_PATH}/<code>/prices", "admin_companies_prices", "GET", get_prices),
    (f"{_PATH}/<code>/prices", "admin_companies_set_prices", "PUT", put_prices),
):
    bp.add_url_rule(_rule, _name, _view, methods=[_method])
