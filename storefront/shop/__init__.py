"""The shop as a whole: set-up commands such as `flask shop seed-demo`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .cli import shop_cli

    app.cli.add_command(shop_cli)
