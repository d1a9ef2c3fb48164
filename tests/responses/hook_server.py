"""A webhook receiver for the tests on 127.0.0.1: records every POST, answers with the
statuses it is told (200 by default), and can be told to be slow."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self) -> None:
        self.received: list[dict] = []
        self.headers: list[dict] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self.lock = threading.Lock()
        self.base = ""

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.headers.clear()
            self.statuses.clear()
            self.delay = 0.0

    def url(self, path: str = "/hook") -> str:
        return self.base + path

    def next_status(self) -> int:
        with self.lock:
            return self.statuses.pop(0) if self.statuses else 200


def start_receiver():
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            status = receiver.next_status()
            with receiver.lock:
                receiver.received.append(json.loads(body or b"null"))
                receiver.headers.append(dict(self.headers))
            if receiver.delay:
                time.sleep(receiver.delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"server error")
            except OSError:
                pass  # the client gave up (timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return receiver, server, thread
