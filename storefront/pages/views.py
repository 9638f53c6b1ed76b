"""The legal pages as buyers read them: `/pages/<kind>` in the buyer's language."""

from __future__ import annotations

from flask import Blueprint, abort

from i18n import current_locale

from ..mount import render_template
from .operations import KINDS, current_page, kind_titles

bp = Blueprint("pages", __name__, url_prefix="/pages")


@bp.get("/<kind>")
def page(kind: str):
    if kind not in KINDS:
        abort(404)
    return render_template("pages/page.html", page=current_page(kind, current_locale()))


def footer_links() -> list[tuple[str, str]]:
    """(kind, name) of every legal page, for the footer of each buyer page."""
    titles = kind_titles()
    return [(kind, str(titles[kind])) for kind in KINDS]
