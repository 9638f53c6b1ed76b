import pytest

from storefront import create_app
from storefront.config import ConfigError, normalise_database_url


def test_missing_secret_key_stops_start_up_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.delenv("STOREFRONT_SECRET_KEY", raising=False)
    monkeypatch.delenv("STOREFRONT_DEMO", raising=False)
    with pytest.raises(ConfigError, match="STOREFRONT_SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_demo_key_is_refused_outside_demo_mode(tmp_path):
    with pytest.raises(ConfigError, match="demo"):
        create_app(
            {
                "SECRET_KEY": "demo-only-not-secret",
                "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
            }
        )


def test_settings_come_from_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STOREFRONT_SECRET_KEY", "a-real-looking-secret-from-the-environment")
    monkeypatch.setenv("STOREFRONT_SHOP_NAME", "Perle Rare")
    monkeypatch.setenv("DATABASE_URL", "postgresql://shop@db.internal/shop")
    app = create_app()
    assert app.config["SHOP_NAME"] == "Perle Rare"
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://shop@db.internal/shop"


def test_default_database_is_a_sqlite_file_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/storefront.sqlite3")


def test_heroku_style_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"
