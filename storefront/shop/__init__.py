"""The shop as a whole: set-up commands such as `flask shop seed-demo`."""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(app: ShopSetup) -> None:
    from .cli import shop_cli

    for command in shop_cli.commands.values():  # `flask shop seed-demo`
        app.cli.add_command(command)
