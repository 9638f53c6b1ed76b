"""A buyer in Germany creates an account and signs in again, in German, in headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_buyer_registers_signs_out_and_signs_in_in_german(page, make_channel, screenshot):
    make_channel("eu")
    page.goto("/preferences?country=DE&locale=de&next=/")
    page.get_by_test_id("sign-in-link").click()
    expect(page.locator("h1")).to_have_text("Anmelden")
    page.get_by_role("link", name="Konto anlegen").click()

    expect(page.locator("h1")).to_have_text("Konto anlegen")
    page.get_by_label("Vor- und Nachname").fill("Erika Mustermann")
    page.get_by_label("E-Mail").fill("erika@example.de")
    page.get_by_label("Passwort (mindestens 10 Zeichen)").fill("kurz")
    page.get_by_label("Passwort wiederholen").fill("kurz")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_test_id("error-password")).to_have_text(
        "Das Passwort braucht mindestens 10 Zeichen."
    )
    page.get_by_label("Passwort (mindestens 10 Zeichen)").fill("ein langes Passwort")
    page.get_by_label("Passwort wiederholen").fill("ein langes Passwort")
    screenshot(page, "account-register-de")
    page.get_by_role("button", name="Konto anlegen").click()

    expect(page.locator("h1")).to_have_text("Mein Konto")
    expect(page.get_by_role("status")).to_have_text("Willkommen! Ihr Konto ist eingerichtet.")
    expect(page.get_by_test_id("account-link")).to_have_text("Mein Konto")
    page.get_by_role("button", name="Abmelden").click()

    expect(page.get_by_test_id("sign-in-link")).to_be_visible()
    page.get_by_test_id("sign-in-link").click()
    page.get_by_label("E-Mail").fill("erika@example.de")
    page.get_by_label("Passwort").fill("falsches Passwort")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_have_text("E-Mail oder Passwort ist falsch.")
    page.get_by_label("Passwort").fill("ein langes Passwort")
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_test_id("orders")).to_contain_text("Sie haben noch keine Bestellungen.")
