"""The optional live check of an EU VAT number with the EU's VIES service.

Only when the shop turns it on (STOREFRONT_VIES_CHECK=1): each number is asked once a day
at most, the answer kept on the company (`vies_valid`, `vies_checked_at`). A number VIES
calls invalid gets no reverse charge; VIES being down leaves the last answer as it was.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from .. import clock
from ..config import settings
from ..db import as_utc, db
from .numbers import is_eu_vat
from .tables import Company

CACHE_FOR = datetime.timedelta(days=1)
Transport = Callable[[str], bool]


def configured() -> bool:
    return bool(settings().get("VIES_CHECK"))


def _ask_vies(number: str) -> bool:  # pragma: no cover - the network, never in tests
    from stdnum.eu import vat

    return bool(vat.check_vies(number).valid)


def check(company: Company, transport: Transport | None = None) -> bool | None:
    """VIES's word on the company's number: None when not configured, not an EU number,
    or never answered; a cached answer younger than a day is not asked again."""
    if not configured() or not is_eu_vat(company.vat_number, company.vat_checked_with):
        return None
    now = clock.now()
    if company.vies_checked_at is not None and now - as_utc(company.vies_checked_at) < CACHE_FOR:
        return company.vies_valid
    try:
        answer = (transport or _ask_vies)(company.vat_number)
    except Exception:  # VIES is often down: keep the last answer, ask again next time
        return company.vies_valid
    company.vies_valid, company.vies_checked_at = bool(answer), now
    db.session.flush()
    return company.vies_valid
