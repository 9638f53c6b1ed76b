"""The layering in .importlinter names every feature package, so none escapes the check.

import-linter's layers contract only judges the packages it lists: a new feature folder
left out would import anything unnoticed. `make lint` runs the contracts themselves.
"""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def layered_packages() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    layers = config["importlinter:contract:layers"]["layers"]
    return [
        name.strip().removeprefix("storefront.")
        for line in layers.splitlines()
        for name in line.split("|")
        if name.strip()
    ]


def test_every_feature_package_sits_in_exactly_one_layer():
    packages = sorted(p.parent.name for p in (ROOT / "storefront").glob("*/__init__.py"))
    layered = layered_packages()
    assert sorted(layered) == packages
    assert len(set(layered)) == len(layered)


def test_the_views_api_and_back_office_are_the_top_layers():
    assert layered_packages()[:3] == ["shop", "api", "admin"]


def test_settlements_sit_below_reports_and_above_the_returns_they_net():
    layered = layered_packages()
    assert layered.index("reports") < layered.index("settlements") < layered.index("returns")


def test_legal_pages_sit_below_the_checkout_that_records_the_accepted_terms():
    layered = layered_packages()
    assert layered.index("checkout") < layered.index("pages")
