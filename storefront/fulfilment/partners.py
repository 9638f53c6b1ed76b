"""Workshops, agent companies and suppliers: created, edited and archived (never deleted:
product settings and placed orders name them by code) through one service, for the back
office and the admin API alike. Flushes only.

A code never changes once made. Entrusted brands come as brand ids: the catalog sits above
fulfilment, so the caller resolves slugs. An entrusted brand may have its own commission rate,
overriding the agent's (`EntrustedBrand.commission_rate`, None: the agent's)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pycountry
from sqlalchemy import func, or_, select

from ..db import db
from ..errors import InputError
from .tables import AgentCompany, EntrustedBrand, Maker, Supplier

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
KINDS = ("dropship", "oem")
RETURN_ADDRESS_LONGEST = 500


class PartnerError(InputError):
    """A workshop, agent or supplier the shop refuses; `field` names the input."""

    code = "invalid_partner"
    status = 400


class BrandRateError(PartnerError):
    """A brand's own commission rate refused; `brand_id` says which (field `brands`)."""

    def __init__(self, message: str, brand_id: int):
        super().__init__(message, field="brands")
        self.brand_id = brand_id


@dataclass(frozen=True)
class MakerInput:
    code: str
    name: str
    country: str
    return_address: str = ""  # where buyers send returned goods, lines as on a parcel


@dataclass(frozen=True)
class AgentInput:
    code: str
    name: str
    country: str
    handling_min: int = 1
    handling_max: int = 3
    returns_policy: str = "Returns go to the agent."
    commission_rate: Decimal | str = Decimal("0.1")  # a fraction: 0.12 is 12 %
    brand_ids: tuple[int, ...] = field(default_factory=tuple)
    # brand id -> its own rate (None: the agent's); brands left out keep the rate they had
    brand_rates: dict[int, Decimal | str | None] = field(default_factory=dict)
    return_address: str = ""


@dataclass(frozen=True)
class SupplierInput:
    code: str
    name: str
    country: str
    kind: str = "dropship"
    lead_min: int = 2
    lead_max: int = 5
    return_address: str = ""


def _code(raw: str, table, current) -> str:
    code = (raw or "").strip().lower()
    if current is not None:
        if code and code != current.code:
            raise PartnerError("A code never changes once made.", field="code")
        return current.code
    if not _CODE.match(code):
        raise PartnerError(
            "A code is 2 to 40 lowercase letters, digits and dashes, like atelier-roma.",
            field="code",
        )
    if db.session.scalar(select(table.id).where(table.code == code)) is not None:
        raise PartnerError(f"The code {code!r} is taken.", field="code")
    return code


def _name(raw: str) -> str:
    name = (raw or "").strip()
    if not name or len(name) > 120:
        raise PartnerError("A name has 1 to 120 characters.", field="name")
    return name


def _country(raw: str) -> str:
    country = (raw or "").strip().upper()
    if len(country) != 2 or pycountry.countries.get(alpha_2=country) is None:
        raise PartnerError(f"{country!r} is not an ISO 3166-1 country code.", field="country")
    return country


def return_address(raw) -> str:
    """A postal return address: up to 500 characters of text, its lines kept ("" for none
    yet: a return then tells the buyer the route's instructions only)."""
    if not isinstance(raw, str):
        raise PartnerError("A return address is text.", field="return_address")
    lines = [line.strip() for line in raw.replace("\r\n", "\n").split("\n")]
    address = "\n".join(line for line in lines if line)
    if len(address) > RETURN_ADDRESS_LONGEST or any(ord(c) < 32 and c != "\n" for c in address):
        raise PartnerError(
            f"A return address has at most {RETURN_ADDRESS_LONGEST} characters of text.",
            field="return_address",
        )
    return address


def _days(low, high, low_field: str, high_field: str) -> tuple[int, int]:
    for value, name in ((low, low_field), (high, high_field)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
            raise PartnerError(f"{name} is a whole number of days from 0 to 365.", field=name)
    if low > high:
        raise PartnerError(f"{low_field} is at most {high_field}.", field=low_field)
    return low, high


def _fraction(raw) -> Decimal | None:
    """A rate from 0 to 1 with at most four decimals, or None."""
    try:
        rate = Decimal(str(raw).strip()) if not isinstance(raw, (bool, float)) else None
    except InvalidOperation:
        return None
    if rate is None or not rate.is_finite() or not 0 <= rate <= 1:
        return None
    return rate if rate == rate.quantize(Decimal("0.0001")) else None


def _rate(raw) -> Decimal:
    rate = _fraction(raw)
    if rate is None:
        raise PartnerError(
            "The commission rate is a fraction from 0 to 1 with at most four decimals, like 0.12.",
            field="commission_rate",
        )
    return rate


def save_maker(data: MakerInput, maker: Maker | None = None) -> Maker:
    """Create a workshop, or change one (`maker`)."""
    code = _code(data.code, Maker, maker)
    name, country = _name(data.name), _country(data.country)
    address = return_address(data.return_address)
    if maker is None:
        maker = Maker(code=code, name=name, country=country)
        db.session.add(maker)
    maker.name, maker.country, maker.return_address = name, country, address
    db.session.flush()
    return maker


def save_agent(data: AgentInput, agent: AgentCompany | None = None) -> AgentCompany:
    """Create an agent company, or change one; its entrusted brands become `brand_ids`."""
    code = _code(data.code, AgentCompany, agent)
    name, country = _name(data.name), _country(data.country)
    low, high = _days(data.handling_min, data.handling_max, "handling_min", "handling_max")
    rate = _rate(data.commission_rate)
    address = return_address(data.return_address)
    policy = (data.returns_policy or "").strip()
    if not policy or len(policy) > 2000:
        raise PartnerError("A returns policy has 1 to 2000 characters.", field="returns_policy")
    brand_ids = set(data.brand_ids)
    others = db.session.execute(
        select(EntrustedBrand.brand_id, AgentCompany.code)
        .join(AgentCompany, EntrustedBrand.agent_id == AgentCompany.id)
        .where(EntrustedBrand.brand_id.in_(brand_ids))
    ).all()
    for brand_id, owner in others:
        if agent is None or owner != agent.code:
            raise PartnerError(f"Brand {brand_id} is already entrusted to {owner}.", field="brands")
    if agent is None:
        agent = AgentCompany(code=code)
        db.session.add(agent)
    agent.name, agent.country = name, country
    agent.handling_min, agent.handling_max = low, high
    agent.commission_rate, agent.returns_policy = rate, policy
    agent.return_address = address
    db.session.flush()
    current = {
        e.brand_id: e
        for e in db.session.scalars(
            select(EntrustedBrand).where(EntrustedBrand.agent_id == agent.id)
        )
    }
    for brand_id, entrusted in current.items():
        if brand_id not in brand_ids:
            db.session.delete(entrusted)
    for brand_id in brand_ids - set(current):
        db.session.add(EntrustedBrand(agent_id=agent.id, brand_id=brand_id))
    db.session.flush()
    set_brand_rates(agent, data.brand_rates)
    return agent


def set_brand_rates(agent: AgentCompany, rates: dict[int, Decimal | str | None]) -> None:
    """Give entrusted brands (by id) their own commission rate, or None for the agent's.
    Brands not named keep theirs; a brand not entrusted to the agent is refused."""
    entrusted = {
        e.brand_id: e
        for e in db.session.scalars(
            select(EntrustedBrand).where(EntrustedBrand.agent_id == agent.id)
        )
    }
    for brand_id, raw in rates.items():
        if brand_id not in entrusted:
            raise BrandRateError(f"Brand {brand_id} is not entrusted to {agent.code}.", brand_id)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            entrusted[brand_id].commission_rate = None
            continue
        rate = _fraction(raw)
        if rate is None:
            raise BrandRateError(
                "A brand's own commission rate is a fraction from 0 to 1 with at most four "
                "decimals, like 0.15, or none for the agent's.",
                brand_id,
            )
        entrusted[brand_id].commission_rate = rate
    db.session.flush()


def entrusted_brand_rates(agent: AgentCompany) -> dict[int, Decimal | None]:
    """The agent's entrusted brand ids and their own rates (None: the agent's)."""
    return dict(
        db.session.execute(
            select(EntrustedBrand.brand_id, EntrustedBrand.commission_rate)
            .where(EntrustedBrand.agent_id == agent.id)
            .order_by(EntrustedBrand.brand_id)
        ).all()
    )


def entrusted_brand_ids(agent: AgentCompany) -> list[int]:
    return list(
        db.session.scalars(
            select(EntrustedBrand.brand_id)
            .where(EntrustedBrand.agent_id == agent.id)
            .order_by(EntrustedBrand.brand_id)
        )
    )


def save_supplier(data: SupplierInput, supplier: Supplier | None = None) -> Supplier:
    """Create a supplier, or change one (`supplier`)."""
    code = _code(data.code, Supplier, supplier)
    name, country = _name(data.name), _country(data.country)
    if data.kind not in KINDS:
        raise PartnerError("The kind is dropship or oem.", field="kind")
    low, high = _days(data.lead_min, data.lead_max, "lead_min", "lead_max")
    address = return_address(data.return_address)
    if supplier is None:
        supplier = Supplier(code=code)
        db.session.add(supplier)
    supplier.name, supplier.country, supplier.kind = name, country, data.kind
    supplier.lead_min, supplier.lead_max = low, high
    supplier.return_address = address
    db.session.flush()
    return supplier


def archive(record: Maker | AgentCompany | Supplier, archived: bool = True) -> None:
    """Archive (or bring back) a partner: no new product settings or orders go to it; placed
    orders keep shipping."""
    record.is_active = not archived
    db.session.flush()


def find(table, query: str = "", archived: bool = False):
    """A listing of workshops, agents or suppliers: matching code or name, archived apart."""
    statement = select(table).where(table.is_active.is_(not archived)).order_by(table.name)
    query = query.strip().lower()
    if query:
        pattern = f"%{query}%"
        statement = statement.where(
            or_(func.lower(table.name).like(pattern), table.code.like(pattern))
        )
    return statement


def by_code(table, code: str):
    return db.session.scalar(select(table).where(table.code == code))
