"""The OpenAPI document, generated from the routes and the `operation` metadata on views."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from werkzeug.routing import IntegerConverter

from . import schemas
from .audit_schemas import AUDIT_SCHEMAS
from .cart_schemas import CART_SCHEMAS
from .channel_schemas import CHANNEL_SCHEMAS
from .company_schemas import COMPANY_SCHEMAS
from .image_schemas import IMAGE_SCHEMAS
from .page_schemas import PAGE_SCHEMAS
from .quote_schemas import QUOTE_SCHEMAS
from .report_schemas import REPORT_SCHEMAS
from .return_schemas import RETURN_SCHEMAS
from .settlement_schemas import SETTLEMENT_SCHEMAS
from .shipping_schemas import SHIPPING_SCHEMAS
from .stock_schemas import STOCK_SCHEMAS
from .supplier_access_schemas import SUPPLIER_ACCESS_SCHEMAS
from .terms_schemas import TERMS_SCHEMAS
from .variant_schemas import VARIANT_SCHEMAS

_PATH_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
# What Werkzeug's `int` converter lets through: digits only, and our ids are 32-bit.
_ID = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
_SUCCESS = {200: "OK", 201: "Created", 204: "Done: nothing to answer"}


def operation(
    summary: str,
    *,
    tags: list[str],
    query: list[dict] | None = None,
    response: str | None = None,
    errors: tuple[int, ...] = (400,),
    body: str | None = None,
    security: str | None = None,
    status: int | tuple[int, ...] = 200,
    body_type: str = "application/json",
    response_type: str = "application/json",
) -> Callable:
    """Describe an API view; `response` and `body` name schemas in api.schemas; `status`
    is the code of a successful answer (201 for one that creates), or the codes when there
    are several (a repeat answered 200 beside the 201 of the first); `body_type` the body's
    media type (`multipart/form-data` for an upload); `response_type` the answer's (a
    binary one, e.g. `application/pdf`, is described as a binary string)."""

    def decorator(view):
        view.openapi = {
            "summary": summary,
            "tags": tags,
            "query": query or [],
            "response": response,
            "errors": errors,
            "body": body,
            "security": security,
            "status": status,
            "body_type": body_type,
            "response_type": response_type,
        }
        return view

    return decorator


def query_param(
    name: str, description: str, *, required: bool = False, schema: dict | None = None
) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def build(app: Flask, prefix: str, shop_name: str) -> dict:
    """The document for the shop mounted at `prefix`: paths inside the shop, the prefix
    as the server's URL."""
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        meta = getattr(view, "openapi", None)
        if meta is None or not rule.rule.startswith(prefix + "/"):
            continue
        path = _PATH_PARAM.sub(r"{\1}", rule.rule.removeprefix(prefix))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation = _operation(rule, meta)
            if getattr(view, "rate_limited", False):  # storefront.limits
                operation["responses"]["429"] = _TOO_MANY_REQUESTS
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{shop_name} Store API",
            "version": "1.0.0",
            "description": "Buyers, back office and suppliers. Money is "
            "{amount: decimal string, currency}.",
        },
        "servers": [{"url": prefix or "/"}],
        "paths": paths,
        "components": {
            "schemas": {
                **schemas.SCHEMAS,
                **CART_SCHEMAS,
                **CHANNEL_SCHEMAS,
                **SHIPPING_SCHEMAS,
                **STOCK_SCHEMAS,
                **REPORT_SCHEMAS,
                **SUPPLIER_ACCESS_SCHEMAS,
                **IMAGE_SCHEMAS,
                **VARIANT_SCHEMAS,
                **AUDIT_SCHEMAS,
                **RETURN_SCHEMAS,
                **SETTLEMENT_SCHEMAS,
                **PAGE_SCHEMAS,
                **COMPANY_SCHEMAS,
                **QUOTE_SCHEMAS,
                **TERMS_SCHEMAS,
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


_TOO_MANY_REQUESTS = {
    "description": "Too many requests from this client: try again after Retry-After seconds",
    "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
    "content": {"application/json": {"schema": schemas.ref("Error")}},
}


def _operation(rule, meta: dict) -> dict:
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": _path_schema(converter)}
        # in the path's order; Werkzeug keeps the converters only here
        for name, converter in rule._converters.items()
    ] + meta["query"]
    responses: dict = {}
    status = meta.get("status", 200)
    for code in status if isinstance(status, tuple) else (status,):
        ok: dict = {"description": _SUCCESS.get(code, "OK")}
        binary = meta.get("response_type", "application/json") != "application/json"
        if binary and code != 204:
            binary_schema = {"type": "string", "format": "binary"}
            ok["content"] = {meta["response_type"]: {"schema": binary_schema}}
        elif meta["response"] and code != 204:
            ok["content"] = {"application/json": {"schema": schemas.ref(meta["response"])}}
        responses[str(code)] = ok
    for status in meta["errors"]:
        responses[str(status)] = {
            "description": {
                400: "Bad input",
                401: "Not authenticated",
                403: "Not allowed",
                404: "Not found",
                409: "Conflict",
                422: "Refused: the field named in the error",
                503: "Unavailable for now: try again",
            }.get(status, "Error"),
            "content": {"application/json": {"schema": schemas.ref("Error")}},
        }
    op = {
        "summary": meta["summary"],
        "tags": meta["tags"],
        "operationId": rule.endpoint.split(".", 1)[1],  # without the shop's blueprint
        "parameters": parameters,
        "responses": responses,
    }
    if meta["body"]:
        op["requestBody"] = {
            "required": True,
            "content": {
                meta.get("body_type", "application/json"): {"schema": schemas.ref(meta["body"])}
            },
        }
    if meta["security"]:
        op["security"] = [{meta["security"]: []}]
    return op


def _path_schema(converter) -> dict:
    if isinstance(converter, IntegerConverter):
        return dict(_ID)
    return {"type": "string", "minLength": 1}  # the default converter: no `/`, never empty
