"""A staff member makes a trade company in Chromium: a VAT number with a wrong check digit
is refused beside its field, the corrected one is saved and shown as checked."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_staff_create_a_company_with_a_valid_vat_number(page, make_user, screenshot):
    make_user(email="staff@shop.example", password="correct horse battery", role="staff")
    make_user(email="anna@erika.example", role="wholesale")
    page.goto("/login")
    page.locator("form:has(input[name=password]) input[name=email]").fill("staff@shop.example")
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("form:has(input[name=password]) button[type=submit]").click()

    page.goto("/admin/")
    page.get_by_test_id("nav-companies").click()
    page.get_by_test_id("new-company").click()
    form = page.get_by_test_id("company-form")
    form.locator("input[name=code]").fill("boutique-erika")
    form.locator("input[name=legal_name]").fill("Boutique Erika GmbH")
    form.locator("input[name=country]").fill("DE")
    form.locator("input[name=vat_number]").fill("DE 136 695 977")
    form.locator("input[name='billing_address.street_address']").fill("Torstraße 1")
    form.locator("input[name='billing_address.city']").fill("Berlin")
    form.locator("input[name='billing_address.postal_code']").fill("10119")
    form.locator("select[name=payment_terms]").select_option("deposit")
    form.locator("input[name=deposit_percent]").fill("30")
    form.get_by_role("button", name="Save").click()

    refusal = page.locator(".field-error[data-field=vat_number]")
    expect(refusal).to_contain_text("check digit is wrong")
    expect(page.locator("input[name=vat_number]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name=legal_name]")).to_have_value("Boutique Erika GmbH")

    page.locator("input[name=vat_number]").fill("DE 136 695 976")
    screenshot(page, "back-office-new-company")
    page.get_by_test_id("company-form").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Boutique Erika GmbH saved.")
    expect(page.get_by_test_id("vat-checked")).to_contain_text("DE136695976: check digit")
    expect(page.get_by_test_id("history")).to_contain_text("created")
    page.get_by_test_id("add-buyer").locator("input[name=email]").fill("anna@erika.example")
    page.get_by_role("button", name="Add buyer").click()
    expect(page.locator("li[data-email='anna@erika.example']")).to_be_visible()

    page.goto("/admin/companies")
    row = page.locator("tr[data-code=boutique-erika]")
    expect(row).to_contain_text("DE136695976")
    expect(row).to_contain_text("deposit 30 %")
    screenshot(page, "back-office-companies")
