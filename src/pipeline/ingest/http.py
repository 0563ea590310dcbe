"""Fetching articles and feeds over HTTP safely: http(s) only, no private addresses, bounded time and size.

`fetch` makes one attempt (redirects followed by hand, each hop re-checked); the Prefect task that wraps
it decides on retries from `FetchError.retryable`.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import zlib
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from pipeline.records import Article, Reject
from pipeline.settings import Settings

ALLOWED_SCHEMES = frozenset({"http", "https"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
)
JSONL_TYPES = frozenset(
    {"application/json", "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "text/jsonl"}
)
TEXT_TYPES = frozenset({"text/plain"})
ACCEPTED_TYPES = HTML_TYPES | FEED_TYPES | JSONL_TYPES | TEXT_TYPES
ACCEPT_HEADER = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, application/x-ndjson;q=0.8, "
    "text/plain;q=0.5"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# A whole fetch (every redirect hop: connect, headers and body) may take this many times `http_timeout`
# of wall-clock time. `http_timeout` alone bounds each read, so a server that sends one byte just
# inside it, in the headers or the body, would otherwise hold a run forever.
TOTAL_TIME_FACTOR = 3


@dataclass(frozen=True)
class Fetched:
    """One fetched resource: the URL asked for, where it ended after redirects, and its bytes."""

    url: str
    final_url: str
    status: int
    content_type: str  # the Content-Type header as sent ("" when absent)
    data: bytes


class FetchError(Exception):
    """A URL that could not be fetched; `retryable` says whether trying again later may help."""

    def __init__(self, reason: str, detail: str, retryable: bool, status: int | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.retryable = retryable
        self.status = status


def fetch(url: str, settings: Settings) -> Fetched:
    """GET `url` once, following up to `settings.http_max_redirects` redirects, each hop checked."""
    current = url
    timeout = httpx.Timeout(settings.http_timeout)
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": ACCEPT_HEADER,
        "Accept-Encoding": "gzip, deflate",
    }
    total = settings.http_timeout * TOTAL_TIME_FACTOR
    # trust_env=False: no proxy from the environment, so the address checked is the address connected to.
    with (
        _Deadline(total) as deadline,
        httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, headers=headers) as client,
    ):
        try:
            for _ in range(settings.http_max_redirects + 1):
                result = _fetch_hop(client, url, current, settings, deadline)
                if isinstance(result, Fetched):
                    return result
                current = result
        except Exception as e:
            if deadline.expired:  # whatever the cut-off socket raised, the cause is the deadline
                raise deadline.error(url) from e
            raise
    raise FetchError(
        "too_many_redirects",
        f"{url}: more than {settings.http_max_redirects} redirects (NEWS_HTTP_MAX_REDIRECTS)",
        retryable=False,
    )


def fetched_items(f: Fetched, settings: Settings) -> Iterator[Article | Reject]:
    """The articles (or rejects) in a fetched resource, read by the kind its Content-Type names."""
    from pipeline.ingest import parse_payload

    kind = kind_for(media_type(f.content_type))
    for item in parse_payload(f.data, f.url, kind, settings, url=f.final_url):
        if isinstance(item, Article) and item.source_type in {"html", "text"}:
            yield replace(item, source_type="url")
        else:
            yield item


def fetch_error_reject(url: str, err: FetchError) -> Reject:
    """The `rejects` row for a URL that could not be fetched (no bytes to keep)."""
    return Reject(source=url, reason=err.reason, detail=err.detail, data=None)


def media_type(content_type: str) -> str:
    """`text/html; charset=utf-8` -> `text/html`."""
    return content_type.split(";", 1)[0].strip().lower()


def check_url(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL; FetchError for any other scheme or a URL without a host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise FetchError("bad_url", f"{url!r} is not a valid URL: {e}", retryable=False) from e
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchError(
            "unsupported_scheme",
            f"{url}: only http and https URLs are fetched, not {scheme or 'scheme-less'} ones",
            retryable=False,
        )
    if not parts.hostname:
        raise FetchError("bad_url", f"{url!r} has no host name", retryable=False)
    return parts.hostname, port or (443 if scheme == "https" else 80)


def is_blocked_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> bool:
    """True for addresses a fetch must not reach.

    Link-local (cloud metadata at 169.254.169.254), multicast, unspecified and reserved addresses are
    always refused; loopback and private ones only unless `allow_private` (tests serving on 127.0.0.1).
    """
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified or (ip.is_reserved and not ip.is_loopback):
        return True
    if ip.is_loopback or ip.is_private or not ip.is_global:
        return not allow_private
    return False


def resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to for `host`; FetchError when any address it resolves to is blocked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        transient = e.errno in {socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None)}
        raise FetchError("dns_error", f"cannot resolve {host}: {e.strerror or e}", retryable=transient) from e
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise FetchError("dns_error", f"{host} resolves to no address", retryable=True)
    for ip in addresses:
        if is_blocked_address(ip, allow_private):
            raise FetchError(
                "blocked_address",
                f"{host} resolves to {ip}, a loopback, private, link-local or reserved address that is "
                "never fetched (NEWS_HTTP_ALLOW_PRIVATE=true allows loopback and private ones)",
                retryable=False,
            )
    return str(addresses[0])


class _Deadline:
    """A wall-clock limit on one fetch: when it passes, every socket the fetch opened is shut down.

    A shutdown wakes a read blocked in another thread (a close would not), so a server trickling its
    headers or body is cut off on time; the timer thread sleeps until then and is cancelled on exit.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's `trace` request extension: note the socket of each new connection.

        TLS wraps the TCP socket in a new object (the first is detached), so both are noted.
        """
        if event not in {"connection.connect_tcp.complete", "connection.start_tls.complete"}:
            return
        sock = info["return_value"].get_extra_info("socket")
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:  # connected after the deadline: cut it off at once
                _shutdown(sock)

    def check(self, url: str) -> None:
        if self.expired:
            raise self.error(url)

    def error(self, url: str) -> FetchError:
        return FetchError(
            "timeout",
            f"{url}: no complete response within {self.seconds:g}s ({TOTAL_TIME_FACTOR} x NEWS_HTTP_TIMEOUT)",
            retryable=True,
        )

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for an SSLSocket (whose own would drop its TLS state under a reader).
    with suppress(OSError):  # closed or detached: nothing left to wake
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _fetch_hop(client: httpx.Client, original: str, url: str, settings: Settings, deadline: _Deadline) -> Fetched | str:
    """One request: a Fetched, or the absolute URL a redirect points to."""
    deadline.check(url)
    host, port = check_url(url)
    ip = resolve(host, port, settings.http_allow_private)
    pinned, extensions = _pin(url, host, ip)
    try:
        request = client.build_request(
            "GET", pinned, headers={"Host": _host_header(url)}, extensions={**extensions, "trace": deadline.trace}
        )
        response = client.send(request, stream=True)
        try:
            status = response.status_code
            if status in REDIRECT_STATUSES:
                location: str | None = response.headers.get("location")
                if not location:
                    raise FetchError("bad_redirect", f"{url}: HTTP {status} without a Location header", retryable=False)
                return urljoin(url, str(location))
            _check_status(url, response)
            content_type = response.headers.get("content-type", "")
            _check_type(url, content_type)
            _check_length(url, response, settings.max_input_bytes)
            data = _read_body(url, response, settings.max_input_bytes, deadline)
        finally:
            response.close()
    except httpx.TimeoutException as e:
        raise FetchError("timeout", f"{url}: no answer within {settings.http_timeout}s", retryable=True) from e
    except httpx.InvalidURL as e:
        raise FetchError("bad_url", f"{url!r} is not a valid URL: {e}", retryable=False) from e
    except httpx.TransportError as e:
        raise FetchError("connection_error", f"{url}: {type(e).__name__}: {e}", retryable=True) from e
    return Fetched(url=original, final_url=url, status=status, content_type=content_type, data=data)


def _pin(url: str, host: str, ip: str) -> tuple[str, dict[str, Any]]:
    """The URL with its host replaced by the checked address, so a second DNS answer cannot differ.

    TLS still sends and verifies the real host name (SNI), and the Host header carries it.
    """
    parts = urlsplit(url)
    literal = f"[{ip}]" if ":" in ip else ip
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    extensions: dict[str, Any] = {"sni_hostname": host} if parts.scheme.lower() == "https" else {}
    return pinned, extensions


def _host_header(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port else host


def _check_status(url: str, response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    retryable = status == 429 or status >= 500
    raise FetchError(
        "http_error",
        f"{url}: HTTP {status} {response.reason_phrase}"
        + (" (may succeed later)" if retryable else " (the server refuses this URL)"),
        retryable=retryable,
        status=status,
    )


def _check_type(url: str, content_type: str) -> None:
    kind = media_type(content_type)
    if kind and kind not in ACCEPTED_TYPES and not kind.endswith(("+xml", "+json")):
        raise FetchError(
            "unsupported_type",
            f"{url}: Content-Type {kind} is not an article, feed, JSON Lines or text",
            retryable=False,
        )


def _check_length(url: str, response: httpx.Response, cap: int) -> None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise FetchError("too_large", _too_large(url, cap, f"declares {int(declared):,} bytes"), retryable=False)


def _too_large(url: str, cap: int, what: str) -> str:
    return f"{url} {what}, over the {cap:,}-byte cap (NEWS_MAX_INPUT_BYTES)"


def _read_body(url: str, response: httpx.Response, cap: int, deadline: _Deadline) -> bytes:
    """The decoded body, streamed and decompressed piecewise, refused as soon as it passes `cap` bytes."""
    decoder = _Decoder(url, response.headers.get("content-encoding", ""), cap)
    for chunk in response.iter_raw():
        deadline.check(url)
        decoder.feed(chunk)
    # A body without a length ends when the connection does, so a cut-off one looks complete: check.
    deadline.check(url)
    return decoder.finish()


class _Decoder:
    """gzip/deflate/identity decoding that never holds more than `cap + 1` decoded bytes."""

    def __init__(self, url: str, encoding: str, cap: int) -> None:
        self.url = url
        self.cap = cap
        self.parts: list[bytes] = []
        self.size = 0
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip() != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in {"gzip", "x-gzip", "deflate"}):
            raise FetchError(
                "unsupported_encoding",
                f"{url}: Content-Encoding {encoding} is not supported",
                retryable=False,
            )
        self.coding = codings[0] if codings else ""
        self.zlib: zlib._Decompress | None = None
        if self.coding in {"gzip", "x-gzip"}:
            self.zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self.zlib = zlib.decompressobj()
        self.raw_deflate_tried = False

    def feed(self, chunk: bytes) -> None:
        if self.zlib is None:
            self._add(chunk)
            return
        data = chunk
        while data:
            try:
                out = self.zlib.decompress(data, self.cap - self.size + 1)
            except zlib.error as e:
                if self.coding == "deflate" and not self.raw_deflate_tried and self.size == 0:
                    # Some servers send raw deflate without the zlib header.
                    self.raw_deflate_tried = True
                    self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise FetchError("bad_encoding", f"{self.url}: corrupt {self.coding} body: {e}", False) from e
            self._add(out)
            data = self.zlib.unconsumed_tail
            if not out and data:  # no progress although room was left: stop rather than spin
                break

    def finish(self) -> bytes:
        if self.zlib is not None:
            self._add(self.zlib.flush())
        return b"".join(self.parts)

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            detail = "decompresses to more bytes" if self.zlib is not None else "sends more bytes"
            raise FetchError("too_large", _too_large(self.url, self.cap, detail), retryable=False)
        self.parts.append(data)


def kind_for(kind: str) -> str:
    """The `parse_payload` kind for a media type; generic XML and unknown types are sniffed from the bytes."""
    if kind in HTML_TYPES:
        return "html"
    if kind in {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}:
        return "feed"
    if kind == "application/feed+json":
        return "jsonfeed"
    if kind in JSONL_TYPES or kind.endswith("+json"):
        return "json"  # a JSON Feed when the body declares its version, else JSON Lines
    if kind in TEXT_TYPES:
        return "text"
    return "sniff"
