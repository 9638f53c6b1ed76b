"""A consignment selling model for the storefront: see docs/selling-models.md."""

from .model import Consignment

__all__ = ["Consignment"]
