"""How VAT applies to a trade buyer's shipment: the EU's rules for business buyers.

- Goods sent from one EU member state to a company with a validated EU VAT number, in
  another member state: an intra-Community supply, zero-rated; the buyer accounts for the
  VAT (reverse charge). Prices that hold VAT are charged net of it.
- Goods imported into the EU by such a company: IOSS is for consumers only, so the import
  VAT is the importer's (paid or deferred at the border): nothing is collected at checkout.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..db import db
from .numbers import is_eu_vat
from .tables import Company

EU_REVERSE_CHARGE = "eu_reverse_charge"
EU_BUSINESS_IMPORT = "eu_business_import"
REASONS = {
    EU_REVERSE_CHARGE: (
        "Intra-Community supply: VAT exempt under Article 138 of Directive 2006/112/EC; "
        "reverse charge by the recipient."
    ),
    EU_BUSINESS_IMPORT: (
        "Import by a VAT-registered business: IOSS does not apply; import VAT is paid or "
        "deferred by the importer (Article 201 of Directive 2006/112/EC)."
    ),
}


@dataclass(frozen=True)
class TradeBuyer:
    """A company as the cart and the order see it (its snapshot for the order)."""

    company_id: int
    code: str
    legal_name: str
    country: str
    vat_number: str
    eori: str
    eu_vat_valid: bool  # an EU VAT number stdnum checked (and VIES did not refuse)

    @property
    def vat_country(self) -> str:
        prefix = self.vat_number[:2]
        return "GR" if prefix == "EL" else prefix


def trade_buyer(company_id: int | None) -> TradeBuyer | None:
    company = db.session.get(Company, company_id) if company_id is not None else None
    if company is None or not company.is_active:
        return None
    return TradeBuyer(
        company_id=company.id,
        code=company.code,
        legal_name=company.legal_name,
        country=company.country,
        vat_number=company.vat_number,
        eori=company.eori,
        eu_vat_valid=is_eu_vat(company.vat_number, company.vat_checked_with)
        and company.vies_valid is not False,
    )


def vat_treatment(
    buyer: TradeBuyer | None, ship_from: str, destination: str, eu: frozenset[str]
) -> str:
    """The code of the shipment's VAT treatment, "" for the ordinary one."""
    if buyer is None or not buyer.eu_vat_valid or destination not in eu:
        return ""
    if ship_from not in eu:
        return EU_BUSINESS_IMPORT
    if ship_from != destination and buyer.vat_country != ship_from:
        return EU_REVERSE_CHARGE
    return ""
