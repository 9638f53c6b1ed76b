"""Carriers parcels leave with, and where each one's tracking page is.

The common carriers of cross-border jewelry trade are built in; a merchant adds its
own, changes a link, or retires one in the carrier table (a row there wins over the
built-in of the same code). "other" stands for any carrier not listed: the shipper
names it and may give a tracking link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from sqlalchemy import func, select

from ..db import db
from ..errors import InputError
from .tables import Carrier

OTHER = "other"
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


class CarrierError(InputError):
    """A carrier the shop cannot save as given; `field` names the setting."""

    code = "invalid_carrier"


@dataclass(frozen=True)
class CarrierInfo:
    code: str
    name: str
    tracking_url: str  # "{number}" is replaced by the URL-quoted tracking number; "" if none

    def tracking_link(self, number: str) -> str:
        if not self.tracking_url:
            return ""
        return self.tracking_url.replace("{number}", quote(number, safe=""))


BUILT_IN = (
    CarrierInfo(
        "dhl-express",
        "DHL Express",
        "https://www.dhl.com/global-en/home/tracking/tracking-express.html"
        "?submit=1&tracking-id={number}",
    ),
    CarrierInfo("ups", "UPS", "https://www.ups.com/track?tracknum={number}"),
    CarrierInfo("fedex", "FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}"),
    CarrierInfo(
        "ems-china-post", "EMS / China Post", "https://www.ems.com.cn/qps/yjcx?mailNum={number}"
    ),
    CarrierInfo(
        "thailand-post", "Thailand Post", "https://track.thailandpost.co.th/?trackNumber={number}"
    ),
    CarrierInfo(
        "poste-italiane",
        "Poste Italiane",
        "https://www.poste.it/cerca/index.html#/risultati-spedizioni/{number}",
    ),
    CarrierInfo(
        "royal-mail",
        "Royal Mail",
        "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
    ),
    CarrierInfo(
        "deutsche-post",
        "Deutsche Post",
        "https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode={number}",
    ),
    CarrierInfo(
        "japan-post",
        "Japan Post",
        "https://trackings.post.japanpost.jp/services/srv/search/direct"
        "?reqCodeNo1={number}&locale=en",
    ),
    CarrierInfo("usps", "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}"),
    CarrierInfo(
        "aramex", "Aramex", "https://www.aramex.com/us/en/track/results?ShipmentNumber={number}"
    ),
    CarrierInfo(
        "sf-express",
        "SF Express",
        "https://www.sf-express.com/chn/en/waybill/waybill-detail/{number}",
    ),
    CarrierInfo(OTHER, "Other", ""),
)


def carriers() -> list[CarrierInfo]:
    """The carriers a shipper may choose: the built-in ones (as the merchant changed them)
    then the merchant's own, "other" last; retired ones left out."""
    rows = {
        row.code: row
        for row in db.session.scalars(select(Carrier).order_by(Carrier.position, Carrier.id))
    }
    chosen: list[CarrierInfo] = []
    for known in BUILT_IN:
        row = rows.pop(known.code, None)
        if row is None:
            chosen.append(known)
        elif row.is_active:
            chosen.append(CarrierInfo(row.code, row.name, row.tracking_url))
    own = [CarrierInfo(r.code, r.name, r.tracking_url) for r in rows.values() if r.is_active]
    other = [c for c in chosen if c.code == OTHER]
    return [c for c in chosen if c.code != OTHER] + own + other


def find(name: str) -> CarrierInfo | None:
    """A listed carrier by its code or its name, in any case."""
    wanted = name.strip().casefold()
    for carrier in carriers():
        if wanted in (carrier.code.casefold(), carrier.name.casefold()):
            return carrier
    return None


def save_carrier(
    code: str, name: str | None = None, tracking_url: str | None = None, active: bool = True
) -> CarrierInfo:
    """Add a carrier of the merchant's own, or change (or retire) a built-in one: its name
    and its tracking link, a URL with `{number}` where the tracking number goes. Flushes."""
    code = (code or "").strip().lower()
    if not _CODE.match(code):
        raise CarrierError(
            "A carrier's code is 2 to 40 lowercase letters, digits and dashes.", field="code"
        )
    known = {c.code: c for c in BUILT_IN}.get(code)
    row = db.session.scalar(select(Carrier).where(Carrier.code == code))
    current = CarrierInfo(row.code, row.name, row.tracking_url) if row else known
    name = (name if name is not None else (current.name if current else "")).strip()
    if not name or len(name) > 80:
        raise CarrierError("A carrier needs a name of 1 to 80 characters.", field="name")
    url = tracking_url if tracking_url is not None else (current.tracking_url if current else "")
    url = url.strip()
    if url:
        parts = urlsplit(url.replace("{number}", "0"))
        if parts.scheme not in ("http", "https") or not parts.hostname or "{number}" not in url:
            raise CarrierError(
                "The tracking link must be an http(s) URL with {number} where the tracking "
                "number goes.",
                field="tracking_url",
            )
        if len(url) > 300:
            raise CarrierError("The tracking link is limited to 300 characters.", "tracking_url")
    if row is None:
        position = (db.session.scalar(select(func.max(Carrier.position))) or 0) + 1
        row = Carrier(code=code, position=position)
        db.session.add(row)
    row.name, row.tracking_url, row.is_active = name, url, active
    db.session.flush()
    return CarrierInfo(code, name, url)
