"""Headless Chromium (Debian's package) driven by Playwright; no browser download."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium.")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@contextlib.contextmanager
def browser_page(browser, base_url: str, locale: str = "en-US"):
    """A page of a fresh browser context speaking `locale`, closed afterwards."""
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}, locale=locale
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Whatever the Content-Security-Policy blocks (an inline script or style, a payment
    # script's origin) is an error in the console: the test fails on it.
    refused: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    yield page
    context.close()
    assert not refused, refused


@pytest.fixture
def page(browser, app, live_server):
    with browser_page(browser, live_server) as page:
        yield page


@pytest.fixture
def page_in(browser, app, live_server):
    """`with page_in("de-DE") as page:` a page of a browser speaking another language."""
    return lambda locale: browser_page(browser, live_server, locale)


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
