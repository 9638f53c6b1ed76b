"""The shop's settings: defaults, then the instance file, then STOREFRONT_* variables.

Standalone (`create_app`), the settings are the app's own config. Mounted in a host app,
they are a config of their own, read from the host's `STOREFRONT_*` keys, so the shop never
changes a host setting nor reads the host's database URL.
"""

from __future__ import annotations

import os

from flask import Config, Flask, current_app
from stdnum import exceptions as stdnum_errors
from stdnum import iban

DEMO_SECRET_KEY = "demo-only-not-secret"


class ConfigError(RuntimeError):
    """The shop cannot start with these settings."""


class Defaults:
    SECRET_KEY: str | None = None
    DEMO = False
    TESTING = False
    # Without it: the DATABASE_URL environment variable, then a SQLite file in the instance folder.
    DATABASE_URL: str | None = None
    DATABASE_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SHOP_NAME = "Lumen & Loom"
    # Where buyers reach the shop, for links in mails (e.g. "https://shop.example.com");
    # None: the host of the request that sent the mail, else http://localhost.
    PUBLIC_URL: str | None = None
    BASE_CURRENCY = "USD"
    DEFAULT_LOCALE = "en"
    MEDIA_FOLDER: str | None = None
    PRODUCTS_PER_PAGE = 24
    LISTING_CACHE_SECONDS = 5
    # URLs per sitemap file (sitemaps.org allows 50,000); past it /sitemap.xml is an index.
    SITEMAP_MAX_URLS = 50_000
    FX_FEED_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
    FX_TIMEOUT_SECONDS = 10
    FX_CACHE_SECONDS = 300
    FX_MAX_AGE_DAYS = 4
    # How often the worker fetches the ECB rates (`fx.refresh`); the ECB publishes once a day.
    FX_REFRESH_SECONDS = 6 * 3600
    QUOTE_HOLD_HOURS = 24
    RESERVATION_MINUTES = 30
    # The shop's account for bank transfers (T/T) from trade buyers; without an account
    # name and IBAN, wholesale orders are paid by card only.
    BANK_TRANSFER_ACCOUNT_NAME: str | None = None
    BANK_TRANSFER_IBAN: str | None = None
    BANK_TRANSFER_BIC: str | None = None
    BANK_TRANSFER_BANK: str | None = None
    # How long stock stays held for an order awaiting a transfer.
    BANK_TRANSFER_DAYS = 7
    # Schemes the merchant is registered for, so the shop collects their tax at checkout:
    # eu_ioss, gb_vat, no_voec, au_gst, nz_gst, ch_vat, sg_ovr. Anything else is DAP.
    TAX_REGISTRATIONS: tuple[str, ...] = ()
    # Ask the EU's VIES service whether a trade company's EU VAT number is registered (once
    # a day per number); off: python-stdnum's format and check-digit check alone decides.
    VIES_CHECK = False
    # A folder of corrected country-rule files (`flask rules export`); None: the shipped rules.
    COUNTRY_RULES_DIR: str | None = None
    # A request header holding the visitor's country that the CDN or proxy in front of the
    # shop sets and overwrites (e.g. "CF-IPCountry"); None: no header is trusted, since
    # any visitor can send one. It guesses a first visit's country, ahead of the language.
    COUNTRY_HEADER: str | None = None
    # Rate limits per client address (see storefront/limits.py), as Flask-Limiter reads
    # them ("20 per minute", "5/second; 100/hour"). On by default, demo mode included.
    RATE_LIMIT_CART_CREATION = "20 per minute"
    RATE_LIMIT_CHECKOUT = "10 per minute"
    RATE_LIMIT_SUPPLIER_API = "300 per minute"
    RATE_LIMIT_ADMIN_API = "600 per minute"
    # Where the rate limits and the sign-in throttle count: "redis://host:6379/0" shares
    # them between app servers and machines; None: in each process's memory.
    REDIS_URL: str | None = None
    RATE_LIMIT_KEY_PREFIX = "storefront"
    # Proxies in front of the shop that set X-Forwarded-For (a load balancer: 1); 0: none,
    # the connection's address is the client's.
    TRUSTED_PROXIES = 0
    # What unpaid orders may hold (retail carts; a trade buyer's order is not capped):
    # units of one variant and in all in one order, and in all across one client's
    # unpaid orders (one variant across them is capped at the per-variant number too).
    HOLD_MAX_VARIANT_UNITS = 10
    HOLD_MAX_ORDER_UNITS = 30
    HOLD_MAX_CLIENT_UNITS = 40
    WTF_CSRF_TIME_LIMIT = None
    # The largest request body read (413 above it); product images set their own, smaller
    # limit (IMAGE_MAX_BYTES) under it. Mounted, the shop's limit applies under the host's.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    # None: Secure (sent over https only) unless DEMO or TESTING.
    SESSION_COOKIE_SECURE: bool | None = None
    # Sign-in refused (429) after this many wrong passwords in LOGIN_FAILURE_MINUTES, per
    # e-mail address and per client address.
    LOGIN_FAILURES_PER_EMAIL = 5
    LOGIN_FAILURES_PER_CLIENT = 20
    LOGIN_FAILURE_MINUTES = 15
    # Strict-Transport-Security max-age, sent outside DEMO/TESTING (and on https requests).
    HSTS_SECONDS = 365 * 24 * 3600


def normalise_iban(raw: str) -> str:
    """The IBAN without spaces, upper case; ConfigError unless python-stdnum finds it valid
    (the country's length and format, and the check digits)."""
    try:
        return iban.validate(raw)
    except stdnum_errors.ValidationError:
        raise ConfigError(
            f"BANK_TRANSFER_IBAN {raw!r} is not a valid IBAN (wrong length, format or check "
            "digits): buyers would send their money nowhere."
        ) from None


def _check_bank_transfer(cfg) -> None:
    days = cfg["BANK_TRANSFER_DAYS"]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
        raise ConfigError(f"BANK_TRANSFER_DAYS must be a whole number of days, 1 to 60: {days!r}")
    if cfg["BANK_TRANSFER_IBAN"]:
        cfg["BANK_TRANSFER_IBAN"] = normalise_iban(str(cfg["BANK_TRANSFER_IBAN"]))


def database_url_from_env() -> str | None:
    """DATABASE_URL as libpq writes it, told to use the psycopg 3 driver."""
    url = os.environ.get("DATABASE_URL")
    return normalise_database_url(url) if url else None


def normalise_database_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_standalone(app: Flask, overrides: dict | None) -> Config:
    """The shop's own app: its config holds the settings, unprefixed."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("storefront.cfg", silent=True)
    app.config.from_prefixed_env("STOREFRONT")
    if overrides:
        app.config.update(overrides)
    _complete(app, app.config)
    # The shop's own app; a host's secret and session cookie stay the host's to set.
    cfg, trying_out = app.config, app.config["DEMO"] or app.config["TESTING"]
    if cfg["SESSION_COOKIE_SECURE"] is None:
        cfg["SESSION_COOKIE_SECURE"] = not trying_out
    if not trying_out and _weak_secret(cfg["SECRET_KEY"]):
        raise ConfigError(
            f"SECRET_KEY is too weak: at least {MIN_SECRET_LENGTH} characters, not a repeated "
            "few, are needed (anyone who guesses it can sign in as anyone). Generate one with "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    return app.config


def load_mounted(app: Flask) -> Config:
    """Mounted in a host app: the host's `STOREFRONT_*` keys (prefix dropped) over the
    environment's, over the instance file, over the defaults. The host's SECRET_KEY and
    TESTING are the shop's too: it signs its cookies in the host's session."""
    settings = Config(app.root_path)
    settings.from_object(Defaults)
    settings.from_pyfile(os.path.join(app.instance_path, "storefront.cfg"), silent=True)
    settings.from_prefixed_env("STOREFRONT")
    settings.update(
        {key[len(PREFIX) :]: value for key, value in app.config.items() if key.startswith(PREFIX)}
    )
    settings["SECRET_KEY"] = app.config.get("SECRET_KEY")
    settings["TESTING"] = app.testing
    if not settings["SECRET_KEY"]:
        raise ConfigError(
            "The host app has no SECRET_KEY: the shop signs its sessions and forms with it. "
            'Set app.config["SECRET_KEY"] before mounting the shop.'
        )
    _complete(app, settings)
    return settings


PREFIX = "STOREFRONT_"
MIN_SECRET_LENGTH = 32


def _weak_secret(key: str | bytes) -> bool:
    return len(key) < MIN_SECRET_LENGTH or len(set(key)) < 8


def _complete(app: Flask, cfg: Config) -> None:
    if not cfg["DATABASE_URL"]:
        cfg["DATABASE_URL"] = database_url_from_env() or "sqlite:///" + os.path.join(
            app.instance_path, "storefront.sqlite3"
        )
    cfg["DATABASE_URL"] = normalise_database_url(cfg["DATABASE_URL"])
    if not cfg["MEDIA_FOLDER"]:
        cfg["MEDIA_FOLDER"] = os.path.join(app.instance_path, "media")
    if not cfg["SECRET_KEY"]:
        if cfg["DEMO"] or cfg["TESTING"]:
            cfg["SECRET_KEY"] = DEMO_SECRET_KEY
        else:
            raise ConfigError(
                "SECRET_KEY is not set. Set STOREFRONT_SECRET_KEY (for example "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`) or put "
                f"SECRET_KEY in {os.path.join(app.instance_path, 'storefront.cfg')}. "
                "For a local try-out, STOREFRONT_DEMO=1 uses a throwaway key."
            )
    if cfg["SECRET_KEY"] == DEMO_SECRET_KEY and not (cfg["DEMO"] or cfg["TESTING"]):
        raise ConfigError("The demo SECRET_KEY may only be used with STOREFRONT_DEMO=1.")
    _check_bank_transfer(cfg)


def settings() -> Config:
    """The shop's settings in the current app (the app's config when it is the shop's own)."""
    return current_app.extensions["storefront"].settings
