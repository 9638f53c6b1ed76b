"""A buyer reading each of the shop's languages finds the legal pages in the footer of a
page and reads them in that language, in headless Chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The footer's name of the terms and the page's heading, per language.
TERMS = {
    "en": ("Terms and conditions", "Terms and conditions"),
    "de": ("AGB", "Allgemeine Geschäftsbedingungen"),
    "fr": ("Conditions générales", "Conditions générales de vente"),
    "es": ("Términos y condiciones", "Términos y condiciones"),
    "ja": ("利用規約", "利用規約"),
    "zh-Hans": ("条款与条件", "条款与条件"),
    "ar": ("الشروط والأحكام", "الشروط والأحكام"),
}


def test_the_footer_leads_to_the_terms_in_every_language(page, four_models, screenshot):
    for lang, (link, heading) in TERMS.items():
        page.goto(f"/preferences?locale={lang}&next=/")  # the header's language choice
        footer = page.get_by_test_id("legal-links")
        expect(footer.get_by_role("link")).to_have_count(6)
        footer.get_by_role("link", name=link, exact=True).click()
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        if lang == "ar":
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            screenshot(page, "legal-terms-ar")
