"""Languages: which locale a request is served in, and Babel formatting."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from babel import Locale
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, format_date, format_time, get_locale, get_translations, ngettext
from jinja2 import Environment

# Buyer-facing languages; catalogs for each live in i18n/translations.
SUPPORTED_LOCALES = ("en", "de", "fr", "es", "ja", "zh_Hans", "ar")
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})
LOCALE_COOKIE = "locale"

babel = Babel(configure_jinja=False)  # the shop's own Jinja environment gets it below


# Tags a browser sends that mean one of ours (Simplified Chinese is written zh-CN mostly).
_ALIASES = {"zh": "zh_Hans", "zh_CN": "zh_Hans", "zh_SG": "zh_Hans", "zh_Hans_CN": "zh_Hans"}


def supported(tag: str | None) -> str | None:
    """Our locale for a BCP 47 or POSIX tag (de-AT -> de, zh-CN -> zh_Hans), or None."""
    if not tag:
        return None
    tag = tag.strip().replace("-", "_")
    parts = tag.split("_")
    candidates = [tag, "_".join(parts[:2]), parts[0]]
    for candidate in candidates:
        for known in SUPPORTED_LOCALES:
            if candidate.lower() == known.lower():
                return known
        alias = _ALIASES.get(candidate)
        if alias:
            return alias
    return None


def select_locale() -> str:
    """From the URL, else the cookie, else the browser's Accept-Language, else English."""
    for tag in (request.args.get("locale"), request.cookies.get(LOCALE_COOKIE)):
        if supported(tag):
            return supported(tag)
    for tag, _quality in request.accept_languages:
        if supported(tag):
            return supported(tag)
    return SUPPORTED_LOCALES[0]


def current_locale() -> str:
    if not has_request_context():  # CLI commands and workers speak the default language
        return SUPPORTED_LOCALES[0]
    if "locale" not in g:
        g.locale = select_locale()
    return g.locale


def translated(names: Mapping[str, str] | None, default: str, locale: str | None = None) -> str:
    """A merchant's text (a product, brand, category or shipping method name) in `locale`,
    else in its language (de for de_AT), else the default language's `default`."""
    if names:
        locale = locale or current_locale()
        for candidate in (locale, locale.split("_")[0]):
            if names.get(candidate):
                return names[candidate]
    return default


def translations(raw: object, max_length: int) -> dict[str, str]:
    """{locale: text} as the merchant gave it, for the shop's other languages: blanks are
    dropped (the default language shows instead). Raises ValueError naming the problem."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError("Give the translations as an object of locale to text.")
    others = SUPPORTED_LOCALES[1:]
    kept = {}
    for locale, text in raw.items():
        if locale not in others:
            raise ValueError(
                f"{locale!r} is not one of the shop's other languages ({', '.join(others)})."
            )
        if text is None:
            continue
        if not isinstance(text, str):
            raise ValueError(f"The {locale} text is not a string.")
        text = text.strip()
        if len(text) > max_length:
            raise ValueError(f"The {locale} text has more than {max_length} characters.")
        if text:
            kept[locale] = text
    return kept


def translations_from_form(form: Mapping[str, str], field: str = "name") -> dict[str, str]:
    """A back-office form's `name_de`, `name_fr`, ... as {locale: text}, every other
    language present (blank: none in that language)."""
    return {locale: form.get(f"{field}_{locale}", "") for locale in SUPPORTED_LOCALES[1:]}


def country_name(code: str, locale: str | None = None) -> str:
    """A country's name in the buyer's language (CLDR via Babel), or the code if unknown."""
    return _babel_locale(locale or current_locale()).territories.get(code.upper(), code)


@lru_cache(maxsize=64)
def locale_name(code: str) -> str:
    """A language's name in itself: Deutsch, 日本語, العربية."""
    name = _babel_locale(code).display_name or code
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=64)
def _babel_locale(code: str) -> Locale:
    # Locale.parse lists Babel's locale directory each time: once per code is enough.
    return Locale.parse(code)


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0].split("-")[0] in RTL_LANGUAGES else "ltr"


def template_gettext(string: str, **variables) -> str:
    """Flask-Babel's gettext for templates (a page asks 20 to 40 times), with the request's
    catalog looked up once per locale instead of on every call; `force_locale` (a mail in
    the buyer's language) makes another locale, so another lookup."""
    locale = get_locale()
    kept = g.get("_shop_catalog")
    if kept is None or kept[0] is not locale:
        kept = g._shop_catalog = (locale, get_translations())
    text = kept[1].ugettext(string)
    return text % variables if variables else text


def init_app(app: Flask, jinja_env: Environment) -> None:
    """Babel on the app (locale choice, catalogs), its helpers in the shop's templates."""
    import os

    babel.init_app(
        app,
        locale_selector=current_locale,
        default_translation_directories=os.path.join(os.path.dirname(__file__), "translations"),
    )
    jinja_env.filters.update(dateformat=format_date, timeformat=format_time)
    jinja_env.add_extension("jinja2.ext.i18n")
    jinja_env.install_gettext_callables(gettext=template_gettext, ngettext=ngettext, newstyle=True)
    jinja_env.globals.update(
        current_locale=current_locale,
        text_direction=text_direction,
        country_name=country_name,
        locale_name=locale_name,
        translated=translated,
        other_locales=SUPPORTED_LOCALES[1:],
    )
