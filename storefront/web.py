"""What every page shares: error pages, media files, template helpers."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask, render_template, request, send_from_directory, url_for
from flask_babel import format_currency, gettext
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from channels.money import Money


def format_money(money: Money) -> str:
    # Babel rounds half-even; Money rounds half-up first so display equals what is charged.
    rounded = money.rounded()
    return format_currency(rounded.amount, rounded.currency)


csrf = CSRFProtect()


def money(amount: Decimal, currency: str) -> Money:
    return Money(amount, currency)


def page_url(number: int) -> str:
    """This page's URL with its filters kept and another page number."""
    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/webhooks/")


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.globals["money"] = money
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["shop_name"] = app.config["SHOP_NAME"]

    @app.route("/media/<path:filename>")
    def media(filename: str):
        return send_from_directory(app.config["MEDIA_FOLDER"], filename, max_age=86400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if wants_json():
            from .api.errors import error_response

            return error_response(error.code, f"http_{error.code}", error.description)
        titles = {
            404: gettext("Page not found"),
            403: gettext("Not allowed"),
            400: gettext("Bad request"),
            405: gettext("Not allowed"),
        }
        return (
            render_template(
                "error.html",
                code=error.code,
                title=titles.get(error.code, error.name),
                message=error.description,
            ),
            error.code,
        )
