"""Supplier webhook deliveries per second with one and with two workers (target: 300/s with two).

Runs on PostgreSQL (workers claim with SKIP LOCKED): a fresh database, a supplier
endpoint pointing at a receiver on 127.0.0.1 that answers 200, N outbox events,
then worker processes (the shop's `Worker` with only its `webhooks.deliver` job, as
`flask worker --only webhooks.deliver` runs it) until every event is delivered.
Only 127.0.0.1 is contacted.

    .venv/bin/python bench/webhooks.py [--events 2000] [--record]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
from record import append_section  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "bench_webhooks"
SUPPLIER = "bench-supplier"
TARGET = 300

WORKER = """
import sys
from storefront import create_app
from storefront.db import db
from storefront.worker import Worker

app = create_app({"TESTING": True, "WEBHOOK_BATCH": 50, "WEBHOOK_TIMEOUT_SECONDS": 5})
with app.app_context():
    worker = Worker(sys.argv[1], only=["webhooks.deliver"])
    idle = 0
    while idle < 3:  # three empty rounds in a row: the queue is done
        idle = idle + 1 if worker.run_once().items == 0 else 0
    db.session.remove()
"""


class Receiver(BaseHTTPRequestHandler):
    count = 0
    lock = threading.Lock()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with Receiver.lock:
            Receiver.count += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def fresh_database() -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    return f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"


def prepare(url: str, receiver_url: str, events: int) -> None:
    os.environ["DATABASE_URL"] = url
    from storefront import create_app
    from storefront.db import db
    from storefront.fulfilment.tables import Supplier
    from storefront.schema import upgrade
    from storefront.webhooks import operations
    from storefront.webhooks.tables import OutboxEvent

    app = create_app({"TESTING": True})
    with app.app_context():
        upgrade()
        db.session.add(Supplier(code=SUPPLIER, name="Bench", country="CN"))
        db.session.flush()
        operations.add_endpoint(SUPPLIER, receiver_url, ["order_group.created"])
        db.session.add_all(
            OutboxEvent(
                event_type="order_group.created",
                target=f"supplier:{SUPPLIER}",
                payload={"group_id": n, "lines": [{"sku": "RING-1", "quantity": 1}]},
            )
            for n in range(events)
        )
        db.session.commit()
        operations.fan_out(limit=events)
        db.session.commit()
        db.engine.dispose()


def run(workers: int, events: int, url: str) -> float:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Receiver.count = 0
    prepare(url, f"http://127.0.0.1:{server.server_port}/hook", events)
    env = {**os.environ, "DATABASE_URL": url}
    start = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, f"bench-{n}"], cwd=ROOT, env=env)
        for n in range(workers)
    ]
    for proc in procs:
        proc.wait(timeout=600)
    elapsed = time.perf_counter() - start
    server.shutdown()
    if Receiver.count != events:
        raise SystemExit(f"{Receiver.count} of {events} events arrived")
    return events / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    figures = {}
    for workers in (1, 2):
        figures[workers] = run(workers, args.events, fresh_database())
    lines = [
        "| workers | deliveries/s |",
        "|---|---:|",
        *(f"| {w} | {rate:,.0f} |" for w, rate in figures.items()),
    ]
    verdict = "met" if figures[2] >= TARGET else "MISSED"
    print("\n".join(lines) + f"\n\nTarget (>= {TARGET}/s with two workers): {verdict}.")
    if args.record:
        append_section(
            "Supplier webhooks",
            f"{args.events} events to one endpoint on 127.0.0.1 answering 200, "
            "PostgreSQL, `flask worker` processes (`Worker`, job webhooks.deliver) with batches "
            "of 50; each delivery signed "
            "(Standard Webhooks), logged as an attempt.\n\n"
            + "\n".join(lines)
            + f"\n\nTarget (>= {TARGET}/s with two workers): {verdict}.\n",
        )
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
