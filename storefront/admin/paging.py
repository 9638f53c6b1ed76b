"""One page of a back-office listing: the `page` asked for in the query string, its rows,
and how many pages the whole listing has."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from ..db import db
from ..request_checks import page_number

PER_PAGE = 50


def page_of(statement: Select, per_page: int = PER_PAGE) -> tuple[list, int, int]:
    """(rows, page number, pages) of `statement` for the request's `?page=`."""
    page = page_number()
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, page, max(1, -(-total // per_page))
