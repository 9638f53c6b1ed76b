"""The README and docs/ lead a reader who cloned the repo to things that exist: files in the
repo (never ../ outside it), sections of those files, and routes the app really serves."""

from __future__ import annotations

import re

import pytest

from markdown_links import REPO, broken, links

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# `POST /api/v1/carts/{id}/lines`, `/admin/shipping`, `GET /api/v1/products?channel=`
_ROUTE = re.compile(rf"`(?:({'|'.join(METHODS)}) )?(/[a-z][^`\s]*)")
# a request line in an http code block: POST /api/v1/carts
_REQUEST_LINE = re.compile(rf"^({'|'.join(METHODS)}) (/\S*)$", re.MULTILINE)
# a repo file named in backticks: `models_/base.py`, `tests/test_docs.py`
_REPO_FILE = re.compile(r"`((?:[a-z_]+/)+[\w.-]+\.(?:py|md|cfg|toml))`")


def _page_id(page):
    return str(page.relative_to(REPO))


def test_the_four_docs_are_there():
    names = {page.name for page in PAGES}
    assert {"architecture.md", "selling-models.md", "api.md", "country-rules.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_links_lead_to_files_and_sections_of_the_repo(page):
    text = page.read_text()
    assert re.findall(r"(?<!\.)\.\./", text) == []  # `.../shipments` is prose, ../x is not
    faults = [f"{target}: {why}" for target in links(text) if (why := broken(target, page))]
    assert faults == []


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_files_named_in_the_docs_exist(page):
    named = {name for name in _REPO_FILE.findall(page.read_text())}
    # instance/ holds what a shop writes for itself (its settings, its database)
    expected = {name for name in named if not name.startswith("instance/")}
    assert sorted(name for name in expected if not (REPO / name).is_file()) == []


def _served(app) -> list[tuple[re.Pattern, set[str]]]:
    """Each route of the app as a pattern over paths as the docs write them ({id} for <id>);
    a path named without a method may also be the prefix of routes (`/api/v1`)."""
    served = []
    for rule in app.url_map.iter_rules():
        parts = re.split(r"<[^>]+>", rule.rule)
        pattern = r"\{[a-z_]+\}".join(re.escape(part) for part in parts)
        served.append((re.compile(pattern.rstrip("/") + "/?"), set(rule.methods or ())))
        for cut in range(1, rule.rule.count("/")):
            prefix = "/".join(rule.rule.split("/")[: cut + 1])
            if "<" not in prefix:
                served.append((re.compile(re.escape(prefix)), set()))
    return served


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_routes_named_in_the_docs_are_served(app, page):
    served = _served(app)
    missing = []
    text = page.read_text()
    for method, path in _ROUTE.findall(text) + _REQUEST_LINE.findall(text):
        path = path.split("?")[0].rstrip(".,")
        if path.startswith(("/js.stripe.com", "/usr/")) or "..." in path:
            continue
        if not any(
            pattern.fullmatch(path) and (method in methods if method else True)
            for pattern, methods in served
        ):
            missing.append(f"{method} {path}".strip())
    assert missing == []
