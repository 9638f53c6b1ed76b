"""Bank transfer (T/T) for trade orders: chosen by a wholesale buyer at checkout, stock held
for BANK_TRANSFER_DAYS, and the order paid once staff record the full amount as received."""

from __future__ import annotations

import pytest

from storefront import create_app
from storefront.config import ConfigError

IBAN = "DE89370400440532013000"  # the textbook example IBAN; its check digits are right


# the settings ----------------------------------------------------------------------------


def test_a_mistyped_iban_stops_start_up(tmp_path):
    settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"}
    with pytest.raises(ConfigError, match="not a valid IBAN"):
        create_app({**settings, "BANK_TRANSFER_IBAN": "DE89 3704 0044 0532 0130 01"})
    with pytest.raises(ConfigError, match="BANK_TRANSFER_DAYS"):
        create_app({**settings, "BANK_TRANSFER_DAYS": 0})
    app = create_app({**settings, "BANK_TRANSFER_IBAN": "de89 3704 0044 0532 0130 00"})
    assert app.config["BANK_TRANSFER_IBAN"] == IBAN


def test_bank_details_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STOREFRONT_BANK_TRANSFER_IBAN", "DE89 3704 0044 0532 0130 00")
    monkeypatch.setenv("STOREFRONT_BANK_TRANSFER_DAYS", "10")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert (app.config["BANK_TRANSFER_IBAN"], app.config["BANK_TRANSFER_DAYS"]) == (IBAN, 10)
