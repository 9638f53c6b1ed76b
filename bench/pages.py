"""Page-speed benchmark: the shop's pages against a Flask hello-world, both under gunicorn.

Seeds a throwaway SQLite shop (or reuses one), serves it and bench/hello.py with gunicorn
(2 sync workers each, 127.0.0.1 only), drives every page with wrk and prints requests/s,
the ratio to hello-world and p50/p99 latency.  See bench/README.md.

    .venv/bin/python bench/pages.py [--products N] [--duration 10] [--db PATH [--keep]] [--record]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

if __package__ in (None, ""):  # run as a script: bench/ is not a package on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scenarios
from bench.report import (
    RESULTS_HEADER,
    WORKERS,
    Row,
    WrkResult,
    buyer_verdict,
    table,
    verdict,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
HOST = "127.0.0.1"
PER_PAGE = 24
CARD_MARK = 'class="product-card"'
SEED_TIMEOUT = 1800.0  # seconds; seeding 10,000 products on SQLite takes a while
START_TIMEOUT = 60.0  # seconds for gunicorn to answer its first request
REQUEST_TIMEOUT = 15.0  # seconds for one check request
WRK_TIMEOUT = "5s"  # wrk counts a request slower than this as a timeout error
MAX_CATEGORY_PROBES = 30

_LATENCY_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says why."""


Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Settings:
    products: int
    duration: int
    connections: int
    threads: int
    warmup: int
    category: str
    db: Path | None
    keep: bool
    record: bool
    hello_only: bool
    page_cache: bool
    buyer: bool
    country: str
    search: str
    label: str


# --- small helpers -------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def warn(message: str) -> None:
    log(f"WARNING: {message}")


def tool(name: str) -> str:
    """An executable from the project's venv, else from PATH."""
    candidate = ROOT / ".venv" / "bin" / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        hint = " (apt-get install -y wrk)" if name == "wrk" else ""
        raise BenchError(f"`{name}` not found{hint}")
    return found


def command_output(cmd: Sequence[str], *, check: bool = True) -> str | None:
    """First line of a command's output, or None when it fails."""
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, text=True, timeout=30, check=check
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.strip().splitlines()
    return lines[0].strip() if lines else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is reported as its own status: a benchmarked page must answer 200 itself."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# No proxies: every request goes straight to 127.0.0.1.
_OPENER = urllib.request.build_opener(_NoRedirect(), urllib.request.ProxyHandler({}))


def fetch(url: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int, str]:
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode("utf-8", "replace")


def fetch_200(base: str, path: str) -> str:
    status, body = fetch(base + path)
    if status != 200:
        snippet = " ".join(body.split())[:200]
        raise BenchError(f"GET {path} answered {status}, expected 200: {snippet}")
    return body


# --- the shop's database -------------------------------------------------------------------


def app_env(db: Path, media: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        STOREFRONT_DEMO="1",
        DATABASE_URL=f"sqlite:///{db}",
        STOREFRONT_MEDIA_FOLDER=str(media),
    )
    return env


def flask_command(args: Sequence[str], env: dict[str, str], timeout: float) -> None:
    cmd = [tool("flask"), "--app", "storefront", *args]
    log("$ " + shlex.join(["flask", *cmd[1:]]))
    started = time.monotonic()
    try:
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, timeout=timeout)
    except subprocess.CalledProcessError as error:
        raise BenchError(f"`flask {' '.join(args)}` failed (exit {error.returncode})") from None
    except subprocess.TimeoutExpired:
        raise BenchError(f"`flask {' '.join(args)}` took over {timeout:.0f}s") from None
    log(f"  done in {time.monotonic() - started:.1f}s")


def product_count(db: Path) -> int | None:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            return int(conn.execute("SELECT count(*) FROM shop_product").fetchone()[0])
    except sqlite3.Error:
        return None


def prepare_database(settings: Settings, workdir: Path) -> tuple[Path, dict[str, str]]:
    """Migrate and seed the benchmark database (or reuse one); return it and the app's env."""
    if settings.db is None:
        db, media = workdir / "bench.sqlite3", workdir / "media"
    else:
        db = settings.db.resolve()
        media = db.with_name(db.stem + "-media")
    env = app_env(db, media)
    reuse = db.exists()
    if reuse and not settings.keep:
        raise BenchError(f"{db} already exists: pass --keep to reuse it, or remove it")
    db.parent.mkdir(parents=True, exist_ok=True)
    media.mkdir(parents=True, exist_ok=True)
    flask_command(["db", "upgrade"], env, timeout=300)
    if reuse:
        log(f"Reusing {db} (not reseeding)")
    else:
        seed = ["shop", "seed-demo", "--products", str(settings.products)]
        flask_command(seed, env, timeout=SEED_TIMEOUT)
    return db, env


# --- gunicorn ------------------------------------------------------------------------------


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn's whole process group: TERM, then KILL if it lingers."""
    if proc.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextlib.contextmanager
def gunicorn(app: str, env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Serve `app` on a free 127.0.0.1 port; yield its base URL once it answers."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    cmd = [
        tool("gunicorn"),
        "--workers", str(WORKERS),
        "--worker-class", "sync",
        "--bind", f"{HOST}:{port}",
        "--chdir", str(ROOT),
        "--log-level", "warning",
        app,
    ]  # fmt: skip
    log(f"Starting gunicorn {app} on {base}")
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise BenchError(f"gunicorn {app} exited ({proc.returncode}):\n{tail(log_path)}")
            try:
                fetch(base + "/", timeout=2.0)  # any HTTP answer means it is up
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise BenchError(
                        f"gunicorn {app} did not answer within {START_TIMEOUT:.0f}s:\n"
                        f"{tail(log_path)}"
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        stop(proc)


# --- wrk -----------------------------------------------------------------------------------


def parse_wrk(text: str) -> WrkResult:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in ", text, re.MULTILINE)
    if rps is None or total is None:
        raise BenchError(f"could not read wrk's output:\n{text}")
    percentiles = {
        pct: float(value) * _LATENCY_UNITS_MS[unit]
        for pct, value, unit in re.findall(
            r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.MULTILINE
        )
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return WrkResult(
        requests_per_sec=float(rps.group(1)),
        requests=int(total.group(1)),
        p50_ms=percentiles.get("50"),
        p99_ms=percentiles.get("99"),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sock.groups()) if sock else 0,
    )


def run_wrk(url: str, settings: Settings, duration: int, headers: Headers = ()) -> WrkResult:
    cmd = [
        tool("wrk"),
        f"-t{settings.threads}",
        f"-c{settings.connections}",
        f"-d{duration}s",
        "--timeout", WRK_TIMEOUT,
        "--latency",
        *[arg for name, value in headers for arg in ("-H", f"{name}: {value}")],
        url,
    ]  # fmt: skip
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=duration + 60, check=True
        )
    except subprocess.CalledProcessError as error:
        raise BenchError(f"wrk failed on {url}: {error.stderr or error.stdout}") from None
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk on {url} overran its {duration}s run") from None
    return parse_wrk(done.stdout)


def measure(base: str, page: str, path: str, settings: Settings, headers: Headers = ()) -> Row:
    url = base + path
    if settings.warmup > 0:
        log(f"Warming up {page} ({path}) for {settings.warmup}s")
        run_wrk(url, settings, settings.warmup, headers)
    log(f"Measuring {page} ({path}) for {settings.duration}s")
    result = run_wrk(url, settings, settings.duration, headers)
    if result.non_2xx_3xx or result.socket_errors:
        warn(
            f"{page}: {result.non_2xx_3xx} non-2xx/3xx responses, "
            f"{result.socket_errors} socket errors out of {result.requests} requests"
        )
    return Row(page, path, result)


# --- the pages -----------------------------------------------------------------------------


def pick_category(base: str, home_html: str, preferred: str) -> tuple[str, str]:
    """A category path whose first page shows a full page of product cards, and its HTML."""
    slugs = [preferred]
    for slug in re.findall(r'href="/c/([^"/?#]+)"', home_html):
        if slug not in slugs:
            slugs.append(slug)
    fallback: tuple[str, str, int] | None = None
    for slug in slugs[:MAX_CATEGORY_PROBES]:
        path = f"/c/{slug}"
        status, html = fetch(base + path)
        if status != 200:
            continue
        cards = html.count(CARD_MARK)
        if cards >= PER_PAGE:
            if slug != preferred:
                warn(f"/c/{preferred} shows fewer than {PER_PAGE} cards; using {path}")
            return path, html
        if fallback is None or cards > fallback[2]:
            fallback = (path, html, cards)
    if fallback is None:
        raise BenchError(f"no category page answered 200 (tried {', '.join(slugs[:5])} ...)")
    path, html, cards = fallback
    if cards == 0:
        warn(f"no {CARD_MARK} on any category page: the listing template may not use it yet")
    else:
        warn(f"no category shows {PER_PAGE} product cards; best is {path} with {cards}")
    return path, html


def product_links(*pages_html: str) -> list[str]:
    links: list[str] = []
    for html in pages_html:
        for link in re.findall(r'href="((?:/[^"/?#]+)*/p/[^"/?#]+)"', html):
            if link not in links:
                links.append(link)
    return links


def pick_product(*pages_html: str) -> str:
    links = product_links(*pages_html)
    if links:
        return links[0]
    raise BenchError('no product link (href="/p/<slug>") on the listing or home page')


def shop_rows(base: str, settings: Settings) -> list[Row]:
    home_html = fetch_200(base, "/")
    category_path, listing_html = pick_category(base, home_html, settings.category)
    product_path = pick_product(listing_html, home_html)
    fetch_200(base, product_path)
    cards = listing_html.count(CARD_MARK)
    log(f"Pages: home /, listing {category_path} ({cards} cards), product {product_path}")
    rows = [
        measure(base, "shop home", "/", settings),
        measure(base, f"category listing ({cards} cards)", category_path, settings),
        measure(base, "product page", product_path, settings),
    ]
    if settings.buyer:
        links = product_links(listing_html, home_html)
        rows += buyer_rows(base, settings, category_path, product_path, links)
    return rows


def buyer_rows(
    base: str, settings: Settings, category_path: str, product_path: str, links: list[str]
) -> list[Row]:
    """The same pages for a buyer with a cart and a chosen country (a session: never from the
    page cache), search results, and the Store API's product list and a priced cart."""
    try:
        buyer = scenarios.buyer_session(base, links[1:], settings.country)
        cart = scenarios.api_cart(base, settings.country)
    except scenarios.ScenarioError as error:
        raise BenchError(str(error)) from None
    log(f"Buyer session ({buyer.lines} cart lines, {buyer.country}): Cookie: {buyer.cookie}")
    log(f"API cart {cart.path}: {cart.lines} lines, {cart.groups} groups, landed {cart.landed}")
    session: Headers = (("Cookie", buyer.cookie),)
    search_path = f"/search?q={settings.search}"
    search_cards = 0
    if settings.search:
        search_cards = fetch_200_with(base, search_path, session).count(CARD_MARK)
        if not search_cards:
            warn(f"{search_path} shows no product cards")
    bearer: Headers = (("Authorization", f"Bearer {cart.token}"),)
    fetch_200_with(base, cart.path, bearer)
    cart_label = f"API cart ({cart.lines} lines, {cart.groups} groups"
    cart_label += ", landed cost)" if cart.landed else ")"
    rows = [
        measure(base, "buyer: shop home", "/", settings, session),
        measure(base, "buyer: category listing", category_path, settings, session),
    ]
    if settings.search:
        label = f"buyer: search ({search_cards} cards)"
        rows.append(measure(base, label, search_path, settings, session))
    rows.append(measure(base, "buyer: product page", product_path, settings, session))
    rows.append(measure(base, "API products", "/api/v1/products", settings))
    rows.append(measure(base, cart_label, cart.path, settings, bearer))
    return rows


def fetch_200_with(base: str, path: str, headers: Headers) -> str:
    request = urllib.request.Request(base + path, headers=dict(headers))
    try:
        with _OPENER.open(request, timeout=REQUEST_TIMEOUT) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        raise BenchError(f"GET {path} answered {error.code}, expected 200") from None


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def record(
    rows: Sequence[Row], settings: Settings, products: int | None, loads: tuple[str, str]
) -> None:
    today = command_output(["date", "+%Y-%m-%d"]) or datetime.date.today().isoformat()
    cores = command_output(["nproc"]) or str(os.cpu_count())
    commit = command_output(["git", "rev-parse", "--short", "HEAD"])
    if commit is None:
        commit = "none (no commit yet)"
    elif command_output(["git", "status", "--porcelain", "--untracked-files=no"]):
        commit += " + uncommitted changes"
    wrk_version = command_output([tool("wrk"), "--version"], check=False) or "wrk"
    catalog = f"{products:,} products" if products is not None else "product count unknown"
    section = (
        f"\n## {today}{' ' + settings.label if settings.label else ''}\n\n"
        f"- machine: {cores} cores, {platform.machine()}, Python {platform.python_version()}\n"
        f"- commit: {commit}\n"
        f"- load: `wrk -t{settings.threads} -c{settings.connections} -d{settings.duration}s "
        f"--latency` ({wrk_version.split(' Copyright')[0]}), {WORKERS} sync gunicorn workers, "
        f"{settings.warmup}s warm-up\n"
        f"- shop: SQLite, {catalog}, page cache {'on' if settings.page_cache else 'off'}\n"
        f"- machine load (1, 5, 15 min load average): {loads[0]} before, {loads[1]} after\n\n"
        f"{table(rows)}\n\n"
        f"{verdict(rows)}\n" + (f"\n{buyer_verdict(rows)}\n" if buyer_verdict(rows) else "")
    )
    append_results(section, RESULTS)


def append_results(section: str, results: Path = RESULTS) -> None:
    """Add a dated section to `results` (bench/RESULTS.md; made with its header first)."""
    if not results.exists():
        results.write_text(RESULTS_HEADER)
    with results.open("a") as out:
        out.write(section)
    log(f"Appended to {results}")


# --- main ----------------------------------------------------------------------------------


def _seconds(text: str) -> int:
    value = int(text.removesuffix("s"))
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 second")
    return value


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: Sequence[str] | None) -> Settings:
    parser = argparse.ArgumentParser(
        description="Benchmark the shop's pages against a Flask hello-world (gunicorn + wrk)."
    )
    parser.add_argument(
        "--products",
        type=positive,
        default=10_000,
        help="products `shop seed-demo` generates on top of its hand-written ones (default 10000)",
    )
    parser.add_argument(
        "--duration",
        type=_seconds,
        default=10,
        help="seconds of load per page, e.g. 10 or 10s (default 10)",
    )
    parser.add_argument(
        "--connections", type=positive, default=32, help="wrk connections (default 32)"
    )
    parser.add_argument("--threads", type=positive, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--warmup",
        type=int,
        default=2,
        help="seconds of unmeasured load before each page (default 2, 0 = none)",
    )
    parser.add_argument(
        "--category",
        default="rings",
        help="category slug to try first for the listing (default rings)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="SQLite file to seed and keep (default: a temp dir, removed after)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the already seeded --db PATH instead of refusing to touch it",
    )
    parser.add_argument(
        "--no-page-cache",
        dest="page_cache",
        action="store_false",
        help="serve the shop with STOREFRONT_LISTING_CACHE_SECONDS=0: every page is rendered",
    )
    parser.add_argument(
        "--no-buyer",
        dest="buyer",
        action="store_false",
        help="skip the buyer-session, search and API rows (only the anonymous pages)",
    )
    parser.add_argument(
        "--country",
        default="DE",
        help="the buyer's chosen country, also the API cart's (default DE)",
    )
    parser.add_argument(
        "--search",
        default="ring",
        help="the words the buyer searches for (default ring; empty: no search row)",
    )
    parser.add_argument(
        "--label", default="", help="words after the date in RESULTS.md's heading, e.g. BEFORE"
    )
    parser.add_argument(
        "--hello-only",
        action="store_true",
        help="measure only the hello-world baseline (no seeding, no shop)",
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help="append a dated section with the table to bench/RESULTS.md",
    )
    ns = parser.parse_args(argv)
    if ns.keep and ns.db is None:
        parser.error("--keep needs --db PATH")
    if ns.hello_only and ns.record:
        parser.error("--record needs the shop's pages too; drop --hello-only")
    if ns.connections < ns.threads:
        parser.error("--connections must be at least --threads")
    if ns.warmup < 0:
        parser.error("--warmup must be 0 or more")
    return Settings(
        products=ns.products,
        duration=ns.duration,
        connections=ns.connections,
        threads=ns.threads,
        warmup=ns.warmup,
        category=ns.category,
        db=ns.db,
        keep=ns.keep,
        record=ns.record,
        hello_only=ns.hello_only,
        page_cache=ns.page_cache,
        buyer=ns.buyer,
        country=ns.country.upper(),
        search=urllib.parse.quote_plus(ns.search),
        label=ns.label,
    )


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop gunicorn


def run(settings: Settings) -> int:
    tool("wrk")  # fail early when wrk is missing
    load_before = load_average()
    rows: list[Row] = []
    products: int | None = None
    with tempfile.TemporaryDirectory(prefix="storefront-bench-") as tmp:
        workdir = Path(tmp)
        shop: tuple[Path, dict[str, str]] | None = None
        if not settings.hello_only:
            shop = prepare_database(settings, workdir)
        with gunicorn("bench.hello:app", dict(os.environ), workdir / "hello.log") as base:
            fetch_200(base, "/")
            rows.append(measure(base, "hello-world", "/", settings))
        if shop is not None:
            db, shop_env = shop
            if not settings.page_cache:
                shop_env = {**shop_env, "STOREFRONT_LISTING_CACHE_SECONDS": "0"}
            shop_log = workdir / "shop.log"
            with gunicorn("wsgi:app", shop_env, shop_log) as base:
                rows.extend(shop_rows(base, settings))
            if "Traceback" in shop_log.read_text(errors="replace"):
                warn(f"the shop's gunicorn log shows errors; its end:\n{tail(shop_log)}")
            products = product_count(db)
            with gunicorn("bench.hello:app", dict(os.environ), workdir / "hello2.log") as base:
                rows.append(measure(base, "hello-world, again after the shop", "/", settings))
    loads = report(table(rows), [verdict(rows), buyer_verdict(rows)], load_before)
    if settings.record:
        record(rows, settings, products, loads)
    return 0


def report(table_text: str, verdicts: Sequence[str], load_before: str) -> tuple[str, str]:
    """Print a run's table, its verdicts and the load average; the load before and after."""
    print()
    print(table_text)
    print()
    for line in verdicts:
        print(line)
    loads = (load_before, load_average())
    print(f"Load average (1, 5, 15 min): {loads[0]} before, {loads[1]} after", flush=True)
    return loads


def main(argv: Sequence[str] | None = None) -> int:
    settings = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    return guarded(run, settings)


def guarded(run: Callable[[object], int], settings) -> int:
    """A bench script's exit status: run's, 1 on a BenchError (said), 130 on Ctrl-C."""
    try:
        return run(settings)
    except BenchError as error:
        log(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        log("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
