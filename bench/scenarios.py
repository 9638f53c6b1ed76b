"""What bench/pages.py prepares before it measures a buyer: a browser session with a cart
and a chosen country, and a headless cart in the Store API.

Both are made once through the shop's own pages and API (as a buyer would), then wrk
replays the cookie or the bearer token on every request.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

REQUEST_TIMEOUT = 15.0
SESSION_LINES = 3
API_LINES = 5
API_GROUPS = 3
MAX_API_TRIES = 60


class ScenarioError(RuntimeError):
    """A scenario could not be set up; the message says why."""


@dataclass(frozen=True)
class BuyerSession:
    cookie: str  # the Cookie header wrk sends
    country: str
    lines: int


@dataclass(frozen=True)
class ApiCart:
    path: str  # /api/v1/carts/<id>
    token: str
    lines: int
    groups: int
    landed: bool  # some group carries import charges (duties, taxes) for the country


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _opener(jar: http.cookiejar.CookieJar | None = None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    return urllib.request.build_opener(*handlers)


def _read(opener, url: str | urllib.request.Request, data: bytes | None = None) -> str:
    try:
        with opener.open(url, data=data, timeout=REQUEST_TIMEOUT) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        where = url if isinstance(url, str) else url.full_url
        raise ScenarioError(f"{where} answered {error.code}") from None


# --- a buyer in the browser ------------------------------------------------------------------


def _first_sku(html: str) -> str | None:
    select = re.search(r'<select name="sku"[^>]*>(.*?)</select>', html, re.DOTALL)
    if select is None:
        return None
    for attrs in re.findall(r"<option([^>]*)>", select.group(1)):
        value = re.search(r'value="([^"]+)"', attrs)
        if value and "disabled" not in attrs:
            return value.group(1)
    return None


def buyer_session(base: str, product_paths: Sequence[str], country: str) -> BuyerSession:
    """Choose `country` in the header control, then add one of each product to the cart."""
    jar = http.cookiejar.CookieJar()
    opener = _opener(jar)
    _read(opener, f"{base}/preferences?{urlencode({'country': country, 'next': '/'})}")
    added = 0
    for path in product_paths:
        html = _read(opener, base + path)
        sku = _first_sku(html)
        if sku is None:
            continue
        form = {"sku": sku, "quantity": "1", "next": path}
        # Before the first add the page is the anonymous (cached) one, without a token: the
        # browser's Origin header is what lets the post in; after it, the form has a token.
        token = re.search(r'name="csrf_token" value="([^"]+)"', html)
        if token:
            form["csrf_token"] = token.group(1)
        post = urllib.request.Request(
            base + "/cart/add", urlencode(form).encode(), headers={"Origin": _origin(base)}
        )
        _read(opener, post)
        added += 1
        if added == SESSION_LINES:
            break
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    home = _with_cookie(base + "/", cookie)
    shown = re.search(r'<span class="cart-count">(\d+)</span>', home)
    lines = int(shown.group(1)) if shown else 0
    if lines != SESSION_LINES:
        raise ScenarioError(
            f"the buyer's cart shows {lines} items after adding {added}, expected {SESSION_LINES}"
        )
    return BuyerSession(cookie=cookie, country=country, lines=lines)


def _origin(base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


def _with_cookie(url: str, cookie: str) -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    return _read(_opener(), request)


# --- a headless buyer -------------------------------------------------------------------------


def _json(base: str, method: str, path: str, body: dict | None = None, token: str = "") -> dict:
    headers = {"Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with _opener().open(request, timeout=REQUEST_TIMEOUT) as response:
            text = response.read().decode()
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        if error.code >= 500 or method == "GET":
            raise ScenarioError(f"{method} {path} answered {error.code}: {text[:200]}") from None
        return {"error": json.loads(text).get("error", {}), "status": error.code}
    return json.loads(text) if text else {}


def _candidates(base: str, channel: str, pages: int = 4) -> list[str]:
    """Product slugs, the selling models taking turns (so that the groups differ early)."""
    by_model: dict[str, list[str]] = {}
    cursor = None
    for _ in range(pages):
        query = {"channel": channel, **({"cursor": cursor} if cursor else {})}
        page = _json(base, "GET", f"/api/v1/products?{urlencode(query)}")
        for item in page.get("items", []):
            if item.get("price"):
                by_model.setdefault(item["selling_model"], []).append(item["slug"])
        cursor = page.get("next")
        if not cursor:
            break
    ordered: list[str] = []
    queues = list(by_model.values())
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    return ordered


def api_cart(base: str, country: str) -> ApiCart:
    """A cart of API_LINES lines in API_GROUPS fulfilment groups, delivered to `country`."""
    channels = _json(base, "GET", "/api/v1/channels")
    channel = next((c["code"] for c in channels if country in c["countries"]), None)
    if channel is None:
        raise ScenarioError(f"no channel delivers to {country}")
    created = _json(base, "POST", "/api/v1/carts", {"channel": channel, "country": country})
    cart_id, token = created["id"], created["token"]
    path = f"/api/v1/carts/{cart_id}"
    cart = created
    for slug in _candidates(base, channel)[:MAX_API_TRIES]:
        lines, groups = len(cart["lines"]), len(cart["groups"])
        if lines >= API_LINES and groups >= API_GROUPS:
            break
        detail = _json(base, "GET", f"/api/v1/products/{quote(slug)}?channel={channel}")
        sku = next((v["sku"] for v in detail["variants"] if v["available"]), None)
        if sku is None:
            continue
        answer = _json(base, "POST", f"{path}/lines", {"sku": sku, "quantity": 1}, token)
        if "error" in answer:
            continue
        room = API_LINES - len(answer["lines"])
        missing = API_GROUPS - len(answer["groups"])
        if missing < 0 or missing > room:
            # A group too many, or too few lines left to reach the groups wanted: take it out.
            line = answer["lines"][-1]["id"]
            answer = _json(base, "DELETE", f"{path}/lines/{line}", None, token)
        cart = answer
    cart = _json(base, "GET", path, None, token)
    landed = any(_nonzero(g.get("import")) for g in cart["groups"])
    result = ApiCart(path, token, len(cart["lines"]), len(cart["groups"]), landed)
    if result.lines != API_LINES or result.groups != API_GROUPS:
        _log(
            f"WARNING: the API cart has {result.lines} lines in {result.groups} groups "
            f"(wanted {API_LINES} in {API_GROUPS})"
        )
    return result


def _nonzero(value: object) -> bool:
    """Whether a JSON money figure (or a dict holding some) is more than zero."""
    if isinstance(value, dict):
        if "amount" in value and "currency" in value:
            try:
                return float(value["amount"]) > 0
            except (TypeError, ValueError):
                return False
        return any(_nonzero(v) for v in value.values())
    if isinstance(value, list):
        return any(_nonzero(v) for v in value)
    return False
