"""Card payments for the demo: localstripe (a Stripe stand-in) on 127.0.0.1.

    python -m storefront.shop.demo_payments serve 8420
    python -m storefront.shop.demo_payments register http://127.0.0.1:8420 URL SECRET

localstripe is a demo/test dependency only (`pip install -e '.[demo]'`); the
shop itself never imports it. Its own CLI listens on every interface and
pickles state to a shared file, so this runner binds 127.0.0.1 and keeps
state in memory.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.request


def serve(port: int) -> None:
    from aiohttp import web
    from localstripe import resources
    from localstripe.server import app

    resources.Store.dump_to_disk = lambda self: None  # memory only
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def register(base_url: str, webhook_url: str, secret: str, wait_seconds: float = 10) -> None:
    """Wait for localstripe, then have it sign and send its events to the shop."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            with urllib.request.urlopen(base_url + "/js.stripe.com/v3/", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"localstripe did not answer at {base_url}") from None
            time.sleep(0.2)
    body = json.dumps({"url": webhook_url, "secret": secret}).encode()
    request = urllib.request.Request(
        base_url + "/_config/webhooks/storefront",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=5).close()


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "serve":
        serve(int(args[0]))
    elif command == "register":
        register(*args)
    else:
        raise SystemExit(f"unknown command {command!r}: serve PORT | register BASE URL SECRET")
