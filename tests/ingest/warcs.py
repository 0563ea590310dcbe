"""Small WARC archives written with warcio's WARCWriter, for tests and for `examples/warc/`.

`python -m tests.ingest.warcs examples/warc/newsroom-crawl.warc.gz` rewrites the example archive.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGES = Path(__file__).parent / "fixtures" / "pages"
DATE = "2025-11-20T06:15:00Z"


@dataclass(frozen=True)
class Rec:
    """One record to write: its WARC type, target URI, payload and (for responses) HTTP status and type."""

    kind: str
    url: str
    payload: bytes = b""
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"
    date: str = DATE
    extra_http: tuple[tuple[str, str], ...] = ()


def page(url: str, html: bytes, **kw: Any) -> Rec:
    return Rec("response", url, html, **kw)


def write_warc(path: Path, records: Iterable[Rec], gzip: bool = True) -> list[int]:
    """Write the records; returns each record's start offset and, last, the file's size."""
    offsets: list[int] = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests.ingest.warcs"}))
        for rec in records:
            offsets.append(fh.tell())
            writer.write_record(_record(writer, rec))
        offsets.append(fh.tell())
    return offsets


def _record(writer: WARCWriter, rec: Rec) -> Any:
    warc_headers = {"WARC-Date": rec.date}
    if rec.kind in {"response", "revisit"}:
        headers = [("Content-Type", rec.content_type), ("Content-Length", str(len(rec.payload))), *rec.extra_http]
        http = StatusAndHeaders(rec.status, headers, protocol="HTTP/1.1")
        if rec.kind == "revisit":
            return writer.create_revisit_record(
                rec.url,
                digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                refers_to_uri=rec.url,
                refers_to_date=rec.date,
                http_headers=http,
            )
        return writer.create_warc_record(
            rec.url, "response", payload=io.BytesIO(rec.payload), http_headers=http, warc_headers_dict=warc_headers
        )
    if rec.kind == "request":
        http = StatusAndHeaders(f"GET {rec.url} HTTP/1.1", [("User-Agent", "tests")], is_http_request=True)
        return writer.create_warc_record(
            rec.url, "request", payload=io.BytesIO(b""), http_headers=http, warc_headers_dict=warc_headers
        )
    return writer.create_warc_record(
        rec.url,
        rec.kind,
        payload=io.BytesIO(rec.payload),
        warc_content_type="application/warc-fields",
        warc_headers_dict=warc_headers,
    )


def example_records() -> list[Rec]:
    """The example archive: two articles, and the records a crawl also holds that are not articles."""
    tram = "https://metrowire.example/city/2025/04/tram-extension-airport"
    mill = "https://valleygazette.example/2025/08/paper-mill-closure"
    return [
        Rec("request", tram),
        page(tram, (PAGES / "metro-wire-tram.html").read_bytes()),
        Rec("metadata", tram, b"outlinks: https://metrowire.example/city\r\n"),
        Rec("request", mill),
        page(mill, (PAGES / "valley-gazette-mill.html").read_bytes(), date="2025-08-14T17:02:11Z"),
        page("https://metrowire.example/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain"),
        page("https://metrowire.example/old-page", b"<html><body>Gone</body></html>", status="404 Not Found"),
        Rec("revisit", tram),
    ]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/warc/newsroom-crawl.warc.gz")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_warc(target, example_records())
    print(f"wrote {target} ({target.stat().st_size:,} bytes)")
