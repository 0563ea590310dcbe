"""The safe fetcher against a server on 127.0.0.1: statuses, timeouts, size caps, types and redirects."""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from pipeline.ingest import http as fetcher
from pipeline.ingest.http import (
    Fetched,
    FetchError,
    fetch,
    fetch_error_reject,
    fetched_items,
    is_blocked_address,
)
from pipeline.records import Article, Reject
from pipeline.settings import Settings
from tests.conftest import EXAMPLES
from tests.ingest.httpserver import (
    Served,
    endless,
    gzip_bomb,
    gzipped,
    redirect,
    serve,
    slow,
    trickle,
    trickle_headers,
)

ARTICLE = (EXAMPLES / "html/battery-recycling-plant.html").read_bytes()
FEED = (EXAMPLES / "feeds/port-logistics.xml").read_bytes()
JSONL = (EXAMPLES / "jsonl/industry-briefs.jsonl").read_bytes()
CAP = 200_000


@pytest.fixture(scope="module")
def server() -> Iterator[Served]:
    routes: dict[str, object] = {
        "/article": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE),
        "/feed": (200, {"Content-Type": "application/rss+xml"}, FEED),
        "/feed-as-xml": (200, {"Content-Type": "text/xml"}, FEED),
        "/jsonl": (200, {"Content-Type": "application/x-ndjson"}, JSONL),
        "/text": (200, {"Content-Type": "text/plain"}, b"Mill output rises\n\nSteel output rose 4% in May."),
        "/untyped": (200, {}, ARTICLE),
        "/gzip": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, gzipped(ARTICLE)),
        "/bomb": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, gzip_bomb(50_000_000)),
        "/brotli": (200, {"Content-Type": "text/html", "Content-Encoding": "br"}, b"\x0b\x02\x80hi\x03"),
        "/big-declared": (200, {"Content-Type": "text/html"}, b"a" * (CAP + 1)),
        "/big-undeclared": endless(),
        "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        "/pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7\n"),
        "/empty-page": (200, {"Content-Type": "text/html"}, b"   \n"),
        "/missing": (404, {"Content-Type": "text/plain"}, b"gone"),
        "/gone": (410, {"Content-Type": "text/plain"}, b"gone"),
        "/error": (500, {"Content-Type": "text/plain"}, b"oops"),
        "/unavailable": (503, {"Content-Type": "text/plain"}, b"later"),
        "/busy": (429, {"Content-Type": "text/plain", "Retry-After": "30"}, b"slow down"),
        "/slow": slow(2.5),
        "/trickle": trickle(0.2, 60),
        "/trickle-headers": trickle_headers(0.2, 60),
        "/no-location": (302, {"Content-Length": "0"}, b""),
        "/loop": redirect("/loop"),
        "/hop3": redirect("/hop2", 301),
        "/hop2": redirect("/hop1", 307),
        "/hop1": redirect("/article", 308),
        "/to-file": redirect("file:///etc/passwd"),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
        "/to-ftp": redirect("ftp://127.0.0.1/x"),
    }
    for hop in range(6):  # each hop answers within a read timeout; the chain does not
        routes[f"/drag{hop}"] = slow_redirect(0.4, f"/drag{hop + 1}")
    with serve(routes) as s:  # type: ignore[arg-type]
        s.routes["/to-loopback"] = redirect(f"http://127.0.0.1:{s.port}/article")
        s.routes["/to-localhost"] = redirect(f"http://localhost:{s.port}/article")
        yield s


def slow_redirect(seconds: float, location: str) -> object:
    def answer(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return answer


def settings(tmp_path: Path, **kw: object) -> Settings:
    base: dict[str, object] = {
        "warehouse_dir": tmp_path,
        "http_allow_private": True,
        "http_timeout": 1.0,
        "max_input_bytes": CAP,
    }
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


def fetch_error(url: str, s: Settings) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(url, s)
    return info.value


# ---- successes --------------------------------------------------------------------------------------


def test_fetches_a_page_with_an_honest_user_agent(server: Served, tmp_path: Path) -> None:
    s = settings(tmp_path, user_agent="news-pipeline-test/1.0 (+mailto:data@example.invalid)")
    f = fetch(server.url("/article"), s)
    assert f == Fetched(server.url("/article"), server.url("/article"), 200, "text/html; charset=utf-8", ARTICLE)
    path, headers = server.requests[-1]
    assert path == "/article"
    assert headers["user-agent"] == "news-pipeline-test/1.0 (+mailto:data@example.invalid)"
    assert headers["host"] == f"127.0.0.1:{server.port}"
    assert "gzip" in headers["accept-encoding"]


def test_gzip_body_is_decoded(server: Served, tmp_path: Path) -> None:
    assert fetch(server.url("/gzip"), settings(tmp_path)).data == ARTICLE


def test_redirect_chain_is_followed_and_final_url_kept(server: Served, tmp_path: Path) -> None:
    f = fetch(server.url("/hop3"), settings(tmp_path))
    assert f.url == server.url("/hop3")
    assert f.final_url == server.url("/article")
    assert f.data == ARTICLE


def test_redirects_are_capped(server: Served, tmp_path: Path) -> None:
    e = fetch_error(server.url("/hop3"), settings(tmp_path, http_max_redirects=2))
    assert (e.reason, e.retryable) == ("too_many_redirects", False)
    e = fetch_error(server.url("/loop"), settings(tmp_path))
    assert e.reason == "too_many_redirects"
    assert server.paths().count("/loop") == 6  # the first request and 5 redirects, then it stops


def test_redirect_without_location(server: Served, tmp_path: Path) -> None:
    assert fetch_error(server.url("/no-location"), settings(tmp_path)).reason == "bad_redirect"


# ---- statuses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "retryable"),
    [("/missing", 404, False), ("/gone", 410, False), ("/error", 500, True), ("/unavailable", 503, True),
     ("/busy", 429, True)],
)  # fmt: skip
def test_http_errors_say_whether_to_retry(
    server: Served, tmp_path: Path, path: str, status: int, retryable: bool
) -> None:
    e = fetch_error(server.url(path), settings(tmp_path))
    assert (e.reason, e.status, e.retryable) == ("http_error", status, retryable)
    assert str(status) in e.detail


def test_slow_server_times_out_as_retryable(server: Served, tmp_path: Path) -> None:
    start = time.monotonic()
    e = fetch_error(server.url("/slow"), settings(tmp_path, http_timeout=0.5))
    assert (e.reason, e.retryable) == ("timeout", True)
    assert time.monotonic() - start < 2.0


def test_trickling_body_is_cut_off_by_the_total_deadline(server: Served, tmp_path: Path) -> None:
    start = time.monotonic()
    e = fetch_error(server.url("/trickle"), settings(tmp_path, http_timeout=0.5))
    assert (e.reason, e.retryable) == ("timeout", True)
    assert time.monotonic() - start < 0.5 * fetcher.TOTAL_TIME_FACTOR + 1.0  # not the 12 s it would take


def test_trickling_headers_are_cut_off_by_the_total_deadline(server: Served, tmp_path: Path) -> None:
    start = time.monotonic()
    e = fetch_error(server.url("/trickle-headers"), settings(tmp_path, http_timeout=0.5))
    assert (e.reason, e.retryable) == ("timeout", True)
    assert "1.5s" in e.detail
    assert time.monotonic() - start < 0.5 * fetcher.TOTAL_TIME_FACTOR + 1.0  # not the 12 s it would take


def test_the_deadline_spans_every_redirect_hop(server: Served, tmp_path: Path) -> None:
    start = time.monotonic()
    e = fetch_error(server.url("/drag0"), settings(tmp_path, http_timeout=0.5))
    assert (e.reason, e.retryable) == ("timeout", True)
    assert time.monotonic() - start < 0.5 * fetcher.TOTAL_TIME_FACTOR + 1.0  # not 6 hops x 0.4 s


def test_trickling_https_headers_are_cut_off_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TLS replaces the TCP socket object: the deadline must shut down the one reads block on."""
    import functools
    import shutil
    import ssl
    import subprocess
    import threading
    from http.server import ThreadingHTTPServer

    import httpx

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    client_tls = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(httpx, "Client", functools.partial(httpx.Client, verify=client_tls))
    answer = trickle_headers(0.2, 60)  # no body chunk to check the deadline at: only a shutdown wakes the read

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answer(self)  # type: ignore[operator]

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.socket = server_tls.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        start = time.monotonic()
        e = fetch_error(f"https://127.0.0.1:{httpd.server_address[1]}/trickle", settings(tmp_path, http_timeout=0.5))
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert (e.reason, e.retryable) == ("timeout", True)
    assert time.monotonic() - start < 0.5 * fetcher.TOTAL_TIME_FACTOR + 1.0


def test_a_fast_fetch_leaves_no_timer_behind(server: Served, tmp_path: Path) -> None:
    import threading

    before = threading.active_count()
    for _ in range(5):
        fetch(server.url("/article"), settings(tmp_path))
    time.sleep(0.05)  # a cancelled Timer thread exits at once
    assert threading.active_count() <= before


def test_connection_refused_is_retryable(tmp_path: Path) -> None:
    with serve({}) as s:
        url = s.url("/article")
    e = fetch_error(url, settings(tmp_path))  # the server is gone: nothing listens on that port now
    assert (e.reason, e.retryable) == ("connection_error", True)


# ---- size caps --------------------------------------------------------------------------------------


def test_declared_oversize_is_refused(server: Served, tmp_path: Path) -> None:
    e = fetch_error(server.url("/big-declared"), settings(tmp_path))
    assert (e.reason, e.retryable) == ("too_large", False)
    assert "NEWS_MAX_INPUT_BYTES" in e.detail


def test_undeclared_oversize_stops_while_streaming(server: Served, tmp_path: Path) -> None:
    start = time.monotonic()
    e = fetch_error(server.url("/big-undeclared"), settings(tmp_path))
    assert e.reason == "too_large"
    assert time.monotonic() - start < 3.0  # stopped at the cap, not after 6 GB


def test_gzip_bomb_stops_at_the_cap_after_decompression(server: Served, tmp_path: Path) -> None:
    assert len(server.routes["/bomb"][2]) < CAP  # type: ignore[index]  # small on the wire
    e = fetch_error(server.url("/bomb"), settings(tmp_path))
    assert (e.reason, e.retryable) == ("too_large", False)
    assert "decompresses" in e.detail


def test_bounded_decoder_never_holds_more_than_the_cap() -> None:
    decoder = fetcher._Decoder("u", "gzip", 1000)
    with pytest.raises(FetchError, match="too_large"):
        decoder.feed(gzip_bomb(10_000_000))
    assert decoder.size <= 1001
    assert sum(map(len, decoder.parts)) <= 1000


def test_unsupported_content_encoding(server: Served, tmp_path: Path) -> None:
    assert fetch_error(server.url("/brotli"), settings(tmp_path)).reason == "unsupported_encoding"


# ---- content types ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/image", "/pdf"])
def test_wrong_content_type_is_refused(server: Served, tmp_path: Path, path: str) -> None:
    e = fetch_error(server.url(path), settings(tmp_path))
    assert (e.reason, e.retryable) == ("unsupported_type", False)


def test_fetched_page_becomes_a_url_article(server: Served, tmp_path: Path) -> None:
    s = settings(tmp_path)
    items = list(fetched_items(fetch(server.url("/hop1"), s), s))
    assert len(items) == 1
    a = items[0]
    assert isinstance(a, Article)
    assert (a.source, a.source_type) == (server.url("/hop1"), "url")
    assert a.title == "Northvale opens Europe's largest battery recycling plant"
    assert a.url == "https://industry-ledger.example/2025/03/northvale-battery-recycling"  # canonical link


@pytest.mark.parametrize(
    ("path", "count", "source_type"),
    [("/feed", 3, "rss"), ("/feed-as-xml", 3, "rss"), ("/jsonl", 4, "jsonl"), ("/text", 1, "url"),
     ("/untyped", 1, "url")],
)  # fmt: skip
def test_kind_follows_the_content_type(server: Served, tmp_path: Path, path: str, count: int, source_type: str) -> None:
    s = settings(tmp_path)
    items = list(fetched_items(fetch(server.url(path), s), s))
    assert len(items) == count
    assert all(isinstance(i, Article) and i.source_type == source_type for i in items)
    assert all(i.source == server.url(path) for i in items)


def test_fetched_empty_page_is_a_reject_with_its_bytes(server: Served, tmp_path: Path) -> None:
    s = settings(tmp_path)
    [r] = list(fetched_items(fetch(server.url("/empty-page"), s), s))
    assert isinstance(r, Reject)
    assert (r.source, r.reason, r.data) == (server.url("/empty-page"), "empty", b"   \n")


def test_fetch_error_reject() -> None:
    r = fetch_error_reject("https://x.example/a", FetchError("http_error", "HTTP 404 Not Found", False, 404))
    assert r == Reject("https://x.example/a", "http_error", "HTTP 404 Not Found", None)


# ---- schemes and addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/", "javascript:alert(1)",
     "data:text/html,<p>x</p>", "/relative/path"],
)  # fmt: skip
def test_only_http_and_https(tmp_path: Path, url: str) -> None:
    e = fetch_error(url, settings(tmp_path))
    assert (e.reason, e.retryable) == ("unsupported_scheme", False)


def test_url_without_host(tmp_path: Path) -> None:
    assert fetch_error("http:///nohost", settings(tmp_path)).reason == "bad_url"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "::1", "fc00::1",
     "::ffff:127.0.0.1"],
)  # fmt: skip
def test_private_addresses_blocked_unless_allowed(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert is_blocked_address(ip, allow_private=False)
    assert not is_blocked_address(ip, allow_private=True)


@pytest.mark.parametrize(
    "address", ["169.254.169.254", "fe80::1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "::ffff:169.254.169.254"]
)
def test_link_local_and_reserved_always_blocked(address: str) -> None:
    assert is_blocked_address(ipaddress.ip_address(address), allow_private=True)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111"])
def test_public_addresses_allowed(address: str) -> None:
    assert not is_blocked_address(ipaddress.ip_address(address), allow_private=False)


def test_loopback_refused_before_connecting(server: Served, tmp_path: Path) -> None:
    before = len(server.requests)
    e = fetch_error(server.url("/article"), settings(tmp_path, http_allow_private=False))
    assert (e.reason, e.retryable) == ("blocked_address", False)
    assert len(server.requests) == before  # no request reached the server


def test_hostname_resolving_to_loopback_is_refused(server: Served, tmp_path: Path) -> None:
    e = fetch_error(f"http://localhost:{server.port}/article", settings(tmp_path, http_allow_private=False))
    assert e.reason == "blocked_address"
    assert "127.0.0.1" in e.detail or "::1" in e.detail


@pytest.fixture()
def public_name(monkeypatch: pytest.MonkeyPatch) -> str:
    """`news.example.test` resolves (as if by public DNS) to the test server; every other name resolves
    for real, through the real blocking rules."""
    real = fetcher.resolve

    def fake(host: str, port: int, allow_private: bool) -> str:
        return "127.0.0.1" if host == "news.example.test" else real(host, port, allow_private)

    monkeypatch.setattr(fetcher, "resolve", fake)
    return "news.example.test"


def test_connects_to_the_address_it_checked(server: Served, tmp_path: Path, public_name: str) -> None:
    url = f"http://{public_name}:{server.port}/article"
    f = fetch(url, settings(tmp_path, http_allow_private=False))
    assert f.final_url == url and f.data == ARTICLE
    assert server.requests[-1][1]["host"] == f"{public_name}:{server.port}"


@pytest.mark.parametrize("path", ["/to-loopback", "/to-localhost"])
def test_redirect_to_private_address_is_refused(server: Served, tmp_path: Path, public_name: str, path: str) -> None:
    s = settings(tmp_path, http_allow_private=False)
    before = len(server.requests)
    e = fetch_error(f"http://{public_name}:{server.port}{path}", s)
    assert (e.reason, e.retryable) == ("blocked_address", False)
    assert server.paths()[before:] == [path]  # the redirect target was never requested


def test_redirect_to_metadata_address_refused_even_when_private_allowed(server: Served, tmp_path: Path) -> None:
    e = fetch_error(server.url("/to-metadata"), settings(tmp_path, http_allow_private=True))
    assert e.reason == "blocked_address"
    assert "169.254.169.254" in e.detail


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp"])
def test_redirect_to_other_scheme_is_refused(server: Served, tmp_path: Path, path: str) -> None:
    e = fetch_error(server.url(path), settings(tmp_path))
    assert e.reason == "unsupported_scheme"


# ---- in the flow -------------------------------------------------------------------------------------


class _Records(logging.Handler):
    """Every record that reaches Prefect's loggers (they do not propagate to the root, so caplog misses them)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_flow_run_that_fetches_logs_no_warning(server: Served, tmp_path: Path, prefect_harness: None) -> None:
    """The fetch bounds its own time, so the task has no Prefect timeout (whose worker-thread warning was noise)."""
    from flows.news_etl import news_etl

    # Not capfd: Prefect's console handler keeps the stream it first sees, and capfd closes its stream after
    # the test, which breaks every later test's logging.
    handler = _Records()
    logger = logging.getLogger("prefect")
    logger.addHandler(handler)
    try:
        summary = news_etl(
            sources=[server.url("/article")],
            warehouse_dir=str(tmp_path / "wh"),
            settings_overrides={"http_allow_private": True},
        )
    finally:
        logger.removeHandler(handler)
    assert summary.ingest.new == 1
    messages = [r.getMessage() for r in handler.records]
    assert any("fetch: 1 URLs, 1 fetched" in m for m in messages)
    assert [m for r, m in zip(handler.records, messages, strict=True) if r.levelno >= logging.WARNING] == []
