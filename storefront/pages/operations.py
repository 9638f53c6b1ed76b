"""Reading and saving the legal pages. A page is shown in the buyer's language, else in
the shop's default language, else as the starter template (version 0). Saving adds a
version and never overwrites one. Services flush and never commit."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import func, select

from i18n import SUPPORTED_LOCALES

from ..config import settings
from ..db import db
from ..errors import InputError
from ..markets.tables import Channel
from .starter import STARTER
from .tables import LegalPage

# The pages an EU shop must have, in the order the footer lists them.
KINDS = ("imprint", "terms", "privacy", "returns", "shipping", "contact")
MAX_TITLE = 200
MAX_BODY = 50_000
# Raw HTML in a body is shown as text; markdown-it refuses javascript: and data: links.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


class PageError(InputError):
    code = "invalid_page"
    status = 400


@dataclass(frozen=True)
class PageText:
    kind: str
    locale: str
    version: int  # 0: the starter template, never saved by the merchant
    title: str
    body: str

    @property
    def template(self) -> bool:
        return self.version == 0

    def html(self) -> Markup:
        return Markup(_markdown.render(self.body))


def kind_titles() -> dict[str, str]:
    """How the footer and the back office name each kind, in the current language."""
    return {
        "imprint": _l("Legal notice"),
        "terms": _l("Terms and conditions"),
        "privacy": _l("Privacy policy"),
        "returns": _l("Returns and withdrawal"),
        "shipping": _l("Shipping and duties"),
        "contact": _l("Contact"),
    }


def _latest(kind: str, locale: str) -> LegalPage | None:
    return db.session.scalar(
        select(LegalPage)
        .where(LegalPage.kind == kind, LegalPage.locale == locale)
        .order_by(LegalPage.version.desc())
        .limit(1)
    )


def _return_days() -> int:
    days = db.session.scalar(select(func.max(Channel.return_days)).where(Channel.is_active))
    return days if days and days > 0 else 14


def starter_text(kind: str, locale: str) -> PageText:
    title, body = STARTER.get(locale, STARTER["en"])[kind]
    filled = body.format(shop=settings()["SHOP_NAME"], return_days=_return_days())
    return PageText(kind, locale, 0, title, filled)


def current_page(kind: str, locale: str) -> PageText:
    """The page as a buyer reading `locale` sees it now."""
    if kind not in KINDS:
        raise PageError(f"There is no page {kind!r}.", "unknown_page", "kind")
    default = settings()["DEFAULT_LOCALE"]
    for tried in dict.fromkeys((locale, default)):
        row = _latest(kind, tried)
        if row is not None:
            return PageText(kind, row.locale, row.version, row.title, row.body)
    return starter_text(kind, locale if locale in STARTER else default)


def version_of(kind: str, version: int) -> LegalPage | None:
    return db.session.scalar(
        select(LegalPage).where(LegalPage.kind == kind, LegalPage.version == version)
    )


def history(kind: str, locale: str) -> list[LegalPage]:
    """Every saved version of the page in `locale`, newest first."""
    return list(
        db.session.scalars(
            select(LegalPage)
            .where(LegalPage.kind == kind, LegalPage.locale == locale)
            .order_by(LegalPage.version.desc())
        )
    )


def save_page(
    kind: str, locale: str, title: str, body: str, saved_by_id: int | None = None
) -> LegalPage:
    """Keep a new version of the page in `locale`: the kind's next version number."""
    if kind not in KINDS:
        raise PageError(f"There is no page {kind!r}.", "unknown_page", "kind")
    if locale not in SUPPORTED_LOCALES:
        raise PageError(f"The shop does not speak {locale!r}.", "unknown_locale", "locale")
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise PageError(f"A title of 1 to {MAX_TITLE} characters is needed.", field="title")
    if not body or len(body) > MAX_BODY:
        raise PageError(f"A text of 1 to {MAX_BODY} characters is needed.", field="body")
    latest = db.session.scalar(select(func.max(LegalPage.version)).where(LegalPage.kind == kind))
    page = LegalPage(
        kind=kind,
        locale=locale,
        version=(latest or 0) + 1,
        title=title,
        body=body,
        saved_by_id=saved_by_id,
    )
    db.session.add(page)
    db.session.flush()
    return page


class TermsNotAccepted(PageError):
    code = "terms_not_accepted"
    status = 400


def accepted_terms(accepted: object, locale: str) -> int:
    """The terms version the buyer accepted, when it is the one shown to them now."""
    shown = current_page("terms", locale).version
    if accepted is None or accepted == "" or str(accepted).strip() != str(shown):
        raise TermsNotAccepted(
            gettext("Please accept the terms and conditions (version %(version)s) to order.")
            % {"version": shown},
            field="accept_terms_version",
        )
    return shown
