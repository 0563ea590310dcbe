"""A tiny HTTP server on 127.0.0.1 for fetch tests: fixed routes, and a log of every request it saw."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# (status, headers, body) or a callable that writes the answer itself.
Route = tuple[int, dict[str, str], bytes] | Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Served:
    base: str  # http://127.0.0.1:<port>
    port: int
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9)


def gzip_bomb(decompressed_bytes: int) -> bytes:
    """A small gzip stream of zeros that inflates to `decompressed_bytes`."""
    return gzip.compress(b"\0" * decompressed_bytes, compresslevel=9)


def slow(seconds: float, body: bytes = b"<html><body><p>late</p></body></html>") -> Route:
    def answer(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        _send(h, 200, {"Content-Type": "text/html"}, body)

    return answer


def trickle(interval: float, total_bytes: int) -> Route:
    """Headers at once, then one byte every `interval` seconds (each read is quick; the whole is not)."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        try:
            for _ in range(total_bytes):
                h.wfile.write(b"a")
                h.wfile.flush()
                time.sleep(interval)
        except OSError:
            pass

    return answer


def endless(chunk: bytes = b"x" * 65536) -> Route:
    """A body without Content-Length that never ends (until the client hangs up)."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.end_headers()
        try:
            for _ in range(100_000):
                h.wfile.write(chunk)
        except OSError:
            pass

    return answer


def redirect(location: str, status: int = 302) -> Route:
    return (status, {"Location": location, "Content-Length": "0"}, b"")


def _send(h: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
    h.send_response(status)
    for k, v in headers.items():
        h.send_header(k, v)
    if "Content-Length" not in headers:
        h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    with suppress(OSError):  # the client may hang up first (size caps, timeouts)
        h.wfile.write(body)


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[Served]:
    """Serve `routes` on 127.0.0.1 (a free port) in a thread for the duration of the block."""
    state: Served | None = None

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            assert state is not None
            state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = state.routes.get(self.path)
            if route is None:
                _send(self, 404, {"Content-Type": "text/plain"}, b"not here")
            elif callable(route):
                route(self)
            else:
                _send(self, *route)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    state = Served(base=f"http://127.0.0.1:{port}", port=port, routes=routes)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def trickle_headers(interval: float, count: int) -> object:
    """The status line at once, then a header one byte every `interval` seconds: never a full response."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        try:
            h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            for _ in range(count):
                h.wfile.write(b"a")
                h.wfile.flush()
                time.sleep(interval)
        except OSError:
            pass

    return answer
