"""Reading rule files: typed accessors that name the file and the rule in every error."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

import pycountry

from .money import InvalidMoney, Money

ALL_COUNTRIES = "*"
COMMON_FIELDS = {"id", "source", "valid_from", "valid_to", "note"}
COUNTRY = re.compile(r"[A-Z]{2}")
_HS_PREFIX = re.compile(r"\d{2,10}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"\d+(\.\d+)?")


class RuleFileError(ValueError):
    """A rule file is missing, not JSON, or holds a malformed rule."""


class Entry:
    """One raw rule with typed accessors that raise RuleFileError naming file and rule."""

    def __init__(self, file: str, index: int, raw, allowed: set[str], groups=None):
        self.where = f"{file}: rule #{index + 1}"
        if not isinstance(raw, dict):
            raise RuleFileError(f"{self.where}: a rule is a JSON object, not {raw!r}")
        self.raw = raw
        self.groups = groups or {}
        if isinstance(raw.get("id"), str) and raw["id"]:
            self.where = f"{file}: rule {raw['id']!r} (#{index + 1})"
        unknown = set(raw) - allowed - COMMON_FIELDS
        if unknown:
            self.fail(f"unknown field(s) {', '.join(sorted(unknown))}")

    def fail(self, message: str):
        raise RuleFileError(f"{self.where}: {message}")

    def get(self, key: str, kind: type, *, optional: bool = False):
        if key not in self.raw or (optional and self.raw[key] is None):
            if optional:
                return None
            self.fail(f"'{key}' is missing")
        value = self.raw[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(f"'{key}' must be a {kind.__name__}, not {value!r}")
        return value

    def text(self, key: str, *, optional: bool = False) -> str | None:
        value = self.get(key, str, optional=optional)
        if value is not None and not value.strip():
            self.fail(f"'{key}' is empty")
        return value

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in options:
            self.fail(f"'{key}' must be one of {', '.join(options)}, not {value!r}")
        return value

    def date(self, key: str, *, optional: bool = False) -> datetime.date | None:
        value = self.get(key, str, optional=optional)
        if value is None:
            return None
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{key}' must be a YYYY-MM-DD date, not {value!r}")

    def decimal(self, key: str, raw: dict | None = None, label: str | None = None) -> Decimal:
        value = (raw if raw is not None else self.raw).get(key)
        label = label or key
        if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
            self.fail(
                f"'{label}' must be a non-negative decimal string like \"2.5\", not {value!r}"
            )
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern already checked
            self.fail(f"'{label}' is not a number: {value!r}")

    def rate(self, key: str) -> Decimal:
        value = self.decimal(key)
        if value > 100:
            self.fail(f"'{key}' is a percentage: {value} is over 100")
        return value

    def money(self, key: str, *, optional: bool = False) -> Money | None:
        raw = self.get(key, dict, optional=optional)
        if raw is None:
            return None
        if set(raw) != {"amount", "currency"}:
            self.fail(f'\'{key}\' must be {{"amount": "...", "currency": "..."}}')
        amount = self.decimal("amount", raw, f"{key}.amount")
        try:
            return Money(amount, self.get_currency(raw["currency"], key))
        except InvalidMoney as error:
            self.fail(f"'{key}': {error}")

    def get_currency(self, value, key: str) -> str:
        if not isinstance(value, str) or value != value.upper():
            self.fail(f"'{key}.currency' must be an ISO 4217 code in capitals, not {value!r}")
        return value

    def country(self, key: str) -> str:
        value = self.text(key)
        if not COUNTRY.fullmatch(value) or pycountry.countries.get(alpha_2=value) is None:
            self.fail(f"'{key}' must be an ISO 3166-1 alpha-2 code, not {value!r}")
        return value

    def region(self, key: str, country: str) -> str | None:
        value = self.text(key, optional=True)
        if value is None:
            return None
        if not value.startswith(f"{country}-") or pycountry.subdivisions.get(code=value) is None:
            self.fail(f"'{key}' must be an ISO 3166-2 code of {country}, not {value!r}")
        return value

    def countries(self, key: str, *, allow_all: bool = False) -> frozenset[str]:
        values = self.get(key, list)
        if not values:
            self.fail(f"'{key}' is empty")
        result: set[str] = set()
        for value in values:
            if value in self.groups:
                result |= self.groups[value]
            elif allow_all and value == ALL_COUNTRIES:
                result.add(ALL_COUNTRIES)
            elif isinstance(value, str) and COUNTRY.fullmatch(value):
                if pycountry.countries.get(alpha_2=value) is None:
                    self.fail(f"'{key}' holds {value!r}, which is not an ISO 3166-1 country")
                result.add(value)
            else:
                self.fail(f"'{key}' holds {value!r}: not a country code or a known group")
        return frozenset(result)

    def hs_prefix(self, value, key: str = "hs_prefix") -> str:
        if not isinstance(value, str) or not _HS_PREFIX.fullmatch(value):
            self.fail(f"'{key}' must be 2 to 10 digits of an HS code, not {value!r}")
        return value

    def common(self) -> dict:
        rule_id, source = self.text("id"), self.text("source")
        valid_from, valid_to = self.date("valid_from"), self.date("valid_to", optional=True)
        if "valid_to" not in self.raw:
            self.fail("'valid_to' is missing (write null for an open-ended rule)")
        if valid_to is not None and valid_to < valid_from:
            self.fail(f"'valid_to' {valid_to} is before 'valid_from' {valid_from}")
        return {"id": rule_id, "source": source, "valid_from": valid_from, "valid_to": valid_to}
