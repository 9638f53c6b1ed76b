"""The legal pages in the API: anyone reads a page in the request's language
(`GET /pages/{kind}`); staff keys read a page's versions in one language and save a new
one (`GET/PUT /admin/pages/{kind}/{locale}`). Accepting the terms at checkout: a
checkout body's `accept_terms_version` (`accepted_terms_version`)."""

from __future__ import annotations

from flask import jsonify

from i18n import SUPPORTED_LOCALES, current_locale

from ..db import db, iso_utc
from ..pages import operations as pages
from .auth import api_user
from .errors import ApiError, json_object
from .records import staff_only
from .spec import operation
from .views import bp


def page_json(page: pages.PageText) -> dict:
    return {
        "kind": page.kind,
        "locale": page.locale,
        "version": page.version,
        "template": page.template,
        "title": page.title,
        "body": page.body,
        "html": str(page.html()),
    }


def _kind(kind: str) -> str:
    if kind not in pages.KINDS:
        raise ApiError(404, "unknown_page", f"There is no page {kind!r}.", "kind")
    return kind


def accepted_terms_version(body: dict) -> int | None:
    """The terms version a checkout body accepts; None when it says nothing (the order
    then records none: a client placing orders for buyers shows them the terms itself)."""
    if "accept_terms_version" not in body:
        return None
    accepted = body["accept_terms_version"]
    if isinstance(accepted, bool):
        accepted = None
    try:
        return pages.accepted_terms(accepted, current_locale())
    except pages.TermsNotAccepted as refused:
        raise ApiError(refused.status, refused.code, refused.message, refused.field) from None


@bp.get("/pages/<kind>")
@operation(
    "A legal page (legal notice, terms, privacy, returns, shipping, contact) in the "
    "request's language, else the shop's default",
    tags=["shop"],
    response="LegalPage",
    errors=(404,),
)
def legal_page(kind: str):
    return jsonify(page_json(pages.current_page(_kind(kind), current_locale())))


def _versions(kind: str, locale: str) -> dict:
    shown = pages.current_page(kind, locale)
    return {
        "current": page_json(shown),
        "versions": [
            {"version": row.version, "title": row.title, "saved_at": iso_utc(row.saved_at)}
            for row in pages.history(kind, locale)
        ],
    }


def _staff_page(kind: str, locale: str) -> tuple[str, str]:
    staff_only()
    if locale not in SUPPORTED_LOCALES:
        raise ApiError(404, "unknown_locale", f"The shop does not speak {locale!r}.", "locale")
    return _kind(kind), locale


@bp.get("/admin/pages/<kind>/<locale>")
@operation(
    "A legal page as a buyer reading this language sees it, with its saved versions here",
    tags=["back office"],
    response="LegalPageVersions",
    errors=(401, 403, 404),
    security="bearer",
)
def admin_legal_page(kind: str, locale: str):
    return jsonify(_versions(*_staff_page(kind, locale)))


@bp.put("/admin/pages/<kind>/<locale>")
@operation(
    "Save a new version of a legal page in one language (Markdown); earlier versions are kept",
    tags=["back office"],
    body="LegalPageSet",
    response="LegalPageVersions",
    errors=(400, 401, 403, 404),
    security="bearer",
)
def admin_save_legal_page(kind: str, locale: str):
    kind, locale = _staff_page(kind, locale)
    body = json_object()
    title, text = body.get("title"), body.get("body")
    for name, value in (("title", title), ("body", text)):
        if not isinstance(value, str):
            raise ApiError(400, f"invalid_{name}", f"{name} must be text.", name)
    try:
        pages.save_page(kind, locale, title, text, api_user().id)
    except pages.PageError as refused:
        db.session.rollback()
        raise ApiError(refused.status, refused.code, refused.message, refused.field) from None
    db.session.commit()
    return jsonify(_versions(kind, locale))
