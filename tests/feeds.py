"""An ECB-format rates feed served over real HTTP on 127.0.0.1, for the rates tests."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def ecb_document(cubes: str, time: str = "time='2026-11-20'") -> str:
    """An ECB daily feed around the given <Cube currency=... rate=.../> elements."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
    xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
  <Cube>
    <Cube {time}>
      {cubes}
    </Cube>
  </Cube>
</gesmes:Envelope>"""


class FeedServer:
    """Answers each path with the queued (status, body, delay) responses; the last one repeats."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.routes: dict[str, list[tuple[int, str, float]]] = {}
        self.hits: Counter[str] = Counter()
        self.stop = threading.Event()

    def serve(self, path: str, *responses: tuple[int, str, float]) -> str:
        self.routes[path] = list(responses)
        return self.base + path

    def next_response(self, path: str) -> tuple[int, str, float]:
        self.hits[path] += 1
        queue = self.routes.get(path, [(404, "not found", 0)])
        return queue.pop(0) if len(queue) > 1 else queue[0]


@contextmanager
def serving_feeds() -> Iterator[FeedServer]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, body, delay = server.next_response(self.path)
            if delay and server.stop.wait(delay):
                return
            data = body.encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (timeout test)
                pass

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server = FeedServer(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()
