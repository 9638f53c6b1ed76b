"""Languages: which locale a request is served in, and Babel formatting."""

from __future__ import annotations

from babel import Locale
from flask import Flask, g, request
from flask_babel import Babel

# Buyer-facing languages; catalogs for each live in i18n/translations.
SUPPORTED_LOCALES = ("en",)
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})
LOCALE_COOKIE = "locale"

babel = Babel()


def select_locale() -> str:
    chosen = request.args.get("locale") or request.cookies.get(LOCALE_COOKIE)
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or SUPPORTED_LOCALES[0]


def current_locale() -> str:
    if "locale" not in g:
        g.locale = select_locale()
    return g.locale


def country_name(code: str, locale: str | None = None) -> str:
    """A country's name in the buyer's language (CLDR via Babel), or the code if unknown."""
    return Locale.parse(locale or current_locale()).territories.get(code.upper(), code)


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0].split("-")[0] in RTL_LANGUAGES else "ltr"


def init_app(app: Flask) -> None:
    import os

    babel.init_app(
        app,
        locale_selector=current_locale,
        default_translation_directories=os.path.join(os.path.dirname(__file__), "translations"),
    )
    app.jinja_env.globals.update(
        current_locale=current_locale, text_direction=text_direction, country_name=country_name
    )
