"""localstripe (a stateful Stripe stand-in) in its own process on 127.0.0.1, and
what Stripe and a buyer do against it in the payment tests.

Its CLI listens on every interface and pickles its state to a fixed file in
/tmp shared by every instance; this runner binds 127.0.0.1 on a free port and
keeps the state in memory only, so parallel runs never see each other's data.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator

import requests
import stripe
from werkzeug.serving import make_server

RUNNER = """
import socket, sys
from aiohttp import web
from localstripe import resources
from localstripe.server import app

resources.Store.dump_to_disk = lambda self: None  # memory only: no shared pickle
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.bind(("127.0.0.1", 0))
print(sock.getsockname()[1], flush=True)
web.run_app(app, sock=sock, print=None, access_log=None, handle_signals=True)
"""


def _wait_until_up(base_url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"localstripe exited with {process.returncode}")
        try:
            # the Stripe.js stand-in needs no key: a cheap "are you there"
            with urllib.request.urlopen(base_url + "/js.stripe.com/v3/", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("localstripe did not answer in time")
        time.sleep(0.05)


@contextlib.contextmanager
def running_localstripe(timeout: float = 20) -> Iterator[str]:
    """Start localstripe, yield its base URL (http://127.0.0.1:PORT), stop it after."""
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNER],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = int(process.stdout.readline().strip() or 0)
        if not port:
            raise RuntimeError("localstripe did not start")
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_up(base_url, process, timeout)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


# what Stripe and the buyer do, against that localstripe ------------------------------

WEBHOOK_SECRET = "whsec_dGVzdC1vbmx5LXdlYmhvb2stc2VjcmV0"


class CardHolder:
    """What Stripe.js does for the buyer: attach a test card and confirm the intent."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.client = stripe.StripeClient(
            "sk_test_buyer", base_addresses={"api": base_url}, max_network_retries=0
        )

    def pays(self, intent_id: str, card: str = "pm_card_visa") -> dict:
        # localstripe's confirm takes no payment_method ("Not implemented"): attach first
        self.client.v1.payment_intents.update(intent_id, params={"payment_method": card})
        return self.client.v1.payment_intents.confirm(intent_id).to_dict()

    def intent(self, intent_id: str) -> dict:
        expand = {"expand": ["latest_charge"]}  # the charge itself, not its id
        return self.client.v1.payment_intents.retrieve(intent_id, params=expand).to_dict()

    def refunded(self, intent_id: str) -> list[int]:
        listed = self.client.v1.refunds.list(params={"payment_intent": intent_id})
        return sorted(r["amount"] for r in listed.to_dict()["data"])


def stripe_event(kind: str, obj: dict, event_id: str | None = None) -> dict:
    """An event as Stripe would send it, for the types localstripe never sends."""
    return {
        "id": event_id or f"evt_{kind.replace('.', '_')}_{obj['id']}",
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "data": {"object": obj},
    }


def sign(body: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    return stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)


def deliver(client, event: dict, **signing):
    """POST the event to /webhooks/stripe through a Flask test client, signed."""
    body = json.dumps(event)
    return client.post(
        "/webhooks/stripe",
        data=body,
        headers={"Stripe-Signature": sign(body, **signing), "Content-Type": "application/json"},
    )


@contextlib.contextmanager
def sending_webhooks_to(app, base_url: str, events: list[str]) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 and have localstripe sign and send it these events."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/webhooks/stripe"
    config = base_url + "/_config/webhooks/storefront"
    body = {"url": url, "secret": WEBHOOK_SECRET, "events": events}
    try:
        requests.post(config, json=body, timeout=5).raise_for_status()
        yield url
    finally:
        # localstripe cannot forget a webhook: have it listen to nothing from now on
        body["events"] = ["storefront.nothing"]
        requests.post(config, json=body, timeout=5).raise_for_status()
        server.shutdown()


@contextlib.contextmanager
def app_paying_through(app, base_url: str) -> Iterator:
    """`app` set to pay through the localstripe at `base_url` (demo keys, test only)."""
    settings = {
        "STRIPE_SECRET_KEY": "sk_test_storefront",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_storefront",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": base_url,
        "STRIPE_JS_URL": base_url + "/js.stripe.com/v3/",
    }
    saved = {name: app.config.get(name) for name in settings}
    app.config.update(settings)
    try:
        yield app
    finally:
        app.config.update(saved)
