"""Fulfilment: the selling-model registry, stock, workshops, agents and suppliers."""

from __future__ import annotations

from flask import current_app

from models_ import Registry

from ..mount import ShopSetup


def registry() -> Registry:
    """The app's selling models (tests may put their own registry in the extension)."""
    return current_app.extensions["selling_models"]


def init_app(app: ShopSetup) -> None:
    from .audited import track_history

    app.extensions.setdefault("selling_models", Registry.installed())
    track_history()
