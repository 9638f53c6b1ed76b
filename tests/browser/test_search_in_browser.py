"""Buyers search from the header's search box in their own language, in headless Chromium:
a German buyer typing "Perle" sees the same pearl pieces an English buyer sees for "pearl",
under their German names; a Japanese buyer finds them with the Japanese words."""

import re

import pytest
from playwright.sync_api import expect

from test_search import PEARLS, pearl_catalog  # noqa: F401  (the search tests' catalog)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("pearl_catalog")]


def search_from_the_header(page, words: str) -> None:
    page.goto("/")
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill(words)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    expect(box).to_have_value(words)  # the results page keeps the words in the box


def found(page) -> set[str]:
    """The names on the result cards, as the buyer reads them."""
    return set(page.locator(".product-grid .card-name").all_inner_texts())


def test_a_german_buyer_finds_the_pearl_pieces_an_english_buyer_finds(
    page_in,
    screenshot,
):
    with page_in("en-US") as english:
        search_from_the_header(english, "pearl")
        expect(english.locator(".product-grid .card-name")).to_have_count(len(PEARLS))
        expect(english.get_by_test_id("result-count")).to_have_text(f"{len(PEARLS)} pieces")
        assert found(english) == {names[0] for names in PEARLS.values()}

    with page_in("de-DE") as german:
        search_from_the_header(german, "Perle")
        expect(german.locator("html")).to_have_attribute("lang", "de")
        cards = german.locator(".product-grid .card-name")
        expect(cards).to_have_count(len(PEARLS))
        expect(german.get_by_test_id("result-count")).to_have_text(f"{len(PEARLS)} Schmuckstücke")
        assert found(german) == {names[1] for names in PEARLS.values()}
        assert "Kordelring" not in german.content()  # the rope ring is no pearl
        screenshot(german, "search-perle-de")


def test_a_japanese_buyer_finds_the_pearl_pieces_with_the_japanese_words(
    page_in,
    screenshot,
):
    with page_in("ja-JP") as japanese:
        seen = set()
        for word in ("真珠", "パール"):  # both words for pearl, as the pieces are named
            search_from_the_header(japanese, word)
            expect(japanese.locator("html")).to_have_attribute("lang", "ja")
            named = {names[2] for names in PEARLS.values() if word in names[2]}
            expect(japanese.locator(".product-grid .card-name")).to_have_count(len(named))
            expect(japanese.get_by_test_id("result-count")).to_have_text(f"{len(named)}点")
            assert found(japanese) == named
            seen |= named
            if word == "真珠":
                screenshot(japanese, "search-shinju-ja")
        assert seen == {names[2] for names in PEARLS.values()}
