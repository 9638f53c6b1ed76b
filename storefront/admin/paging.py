"""One page of a back-office listing: the `page` asked for in the query string, its rows,
and how many pages the whole listing has."""

from __future__ import annotations

from collections.abc import Callable

from flask import request
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


def searched_page(find: Callable[[str, bool], Select]) -> dict:
    """A searchable listing's page for its template: `find(q, archived)` with the request's
    `?q=` and `?archived=1`, paged; the template's `query`, `archived`, `rows`, `page` and
    `pages`."""
    query = request.args.get("q", "")
    archived = request.args.get("archived") == "1"
    rows, page, pages = page_of(find(query, archived))
    return {"query": query, "archived": archived, "rows": rows, "page": page, "pages": pages}
