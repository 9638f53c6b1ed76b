"""Carriers parcels leave with, and where each one's tracking page is.

The common carriers of cross-border jewelry trade are built in; a merchant adds its
own, changes a link, or retires one in the carrier table (a row there wins over the
built-in of the same code). "other" stands for any carrier not listed: the shipper
names it and may give a tracking link.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import select

from ..db import db
from .tables import Carrier

OTHER = "other"


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
