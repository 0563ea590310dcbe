"""WARC throughput: a synthetic ~1 GB archive streamed through the WARC reader, against the HTML reader alone.

The archive is built in a temporary folder from the project's own HTML pages (`examples/html/` and
`tests/ingest/fixtures/pages/`), each repeated under distinct URLs. Real news pages weigh 100-300 KB,
most of it inline scripts and styles, so every page is padded with a `<script>` state blob of
`--pad-kb` kilobytes (random tokens, so gzip cannot shrink it to nothing). Each page is a `request`
plus a `response` record, and every tenth one is a 404, as in a crawl. The archive is deleted at the end.

    .venv/bin/python benchmarks/warc_bench.py            # ~1 GB, a few minutes on 2 cores
    .venv/bin/python benchmarks/warc_bench.py --size-mb 50
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psutil
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pipeline.ingest.html import parse_html  # noqa: E402
from pipeline.ingest.warc import WarcSummary, read_warc  # noqa: E402
from pipeline.records import Article  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

PAGE_DIRS = [ROOT / "examples/html", ROOT / "tests/ingest/fixtures/pages"]


@dataclass(frozen=True)
class Built:
    path: Path
    bytes: int
    records: int
    pages: int
    seconds: float


def pages(pad_kb: int, seed: int = 17) -> list[bytes]:
    """The project's HTML pages, each with a script blob of `pad_kb` KB before </head>."""
    rnd = random.Random(seed)
    out = []
    for folder in PAGE_DIRS:
        for path in sorted(folder.glob("*.html")):
            blob = base64.b64encode(rnd.randbytes(pad_kb * 768)).decode()
            script = f'<script id="__STATE__" type="application/json">{{"state": "{blob}"}}</script>'
            out.append(path.read_bytes().replace(b"</head>", script.encode() + b"</head>", 1))
    return out


def page_url(n: int) -> str:
    """The same URLs in the archive and the baseline: htmldate reads a date in the URL and then searches less."""
    return f"https://bench.example/{n % 97}/2025/story-{n}"


def build(folder: Path, size_mb: int, pad_kb: int) -> Built:
    t0 = time.perf_counter()
    path = folder / "synthetic.warc.gz"
    bodies = pages(pad_kb)
    target = size_mb * 1_000_000
    records = n = 0
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "benchmarks/warc_bench.py"}))
        records += 1
        while fh.tell() < target:
            url = page_url(n)
            body = bodies[n % len(bodies)]
            status = "404 Not Found" if n % 10 == 9 else "200 OK"
            req = StatusAndHeaders(f"GET {url} HTTP/1.1", [("User-Agent", "bench")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
            records += 2
            n += 1
    return Built(path, path.stat().st_size, records, n, time.perf_counter() - t0)


def html_alone(bodies: list[bytes], count: int) -> float:
    """Pages per second through parse_html on the same bytes, no archive."""
    t0 = time.perf_counter()
    for i in range(count):
        parse_html(bodies[i % len(bodies)], f"page{i}", url=page_url(i))
    return count / (time.perf_counter() - t0)


def stream(built: Built, settings: Settings) -> dict[str, float | int | str]:
    proc = psutil.Process()
    summaries: list[WarcSummary] = []
    samples: list[tuple[int, int]] = []  # (records read so far, RSS)
    articles = 0
    t0 = time.perf_counter()
    for item in read_warc(built.path, settings, on_summary=summaries.append):
        if isinstance(item, Article):
            articles += 1
            if articles % 250 == 0:
                samples.append((articles, proc.memory_info().rss))
    seconds = time.perf_counter() - t0
    summary = summaries[0]
    rss = [r for _, r in samples] or [proc.memory_info().rss]
    tenth = rss[max(0, len(rss) // 10 - 1)]
    return {
        "seconds": round(seconds, 1),
        "records": summary.records,
        "articles": summary.articles,
        "rejected": summary.rejected,
        "skipped": str(summary.skipped),
        "records_per_s": round(summary.records / seconds, 1),
        "articles_per_s": round(summary.articles / seconds, 1),
        "mb_per_s": round(built.bytes / 1e6 / seconds, 1),
        "rss_at_10pct_mb": round(tenth / 1e6),
        "rss_at_end_mb": round(rss[-1] / 1e6),
        "rss_max_sampled_mb": round(max(rss) / 1e6),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=int, default=1024, help="archive size on disk (default 1024)")
    ap.add_argument("--pad-kb", type=int, default=96, help="inline script per page, KB (default 96)")
    ap.add_argument("--baseline-pages", type=int, default=600, help="pages for the HTML-reader-alone rate")
    ap.add_argument("--dir", type=Path, default=None, help="where to build the archive (default: a temp dir)")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="warc-bench-", dir=args.dir))
    try:
        built = build(folder, args.size_mb, args.pad_kb)
        print(
            f"built {built.path.name}: {built.bytes / 1e6:,.0f} MB, {built.records:,} records, "
            f"{built.pages:,} pages in {built.seconds:.0f}s",
            flush=True,
        )
        before = html_alone(pages(args.pad_kb), args.baseline_pages)
        result = stream(built, Settings())
        after = html_alone(pages(args.pad_kb), args.baseline_pages)  # before and after: the machine is shared
        rate = (before + after) / 2
        print(f"HTML reader alone: {before:.1f} / {after:.1f} pages/s before / after, {args.baseline_pages} pages")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # KB on Linux
        print("WARC reader:", result)
        print(
            f"articles/s through the WARC reader ÷ HTML reader alone: {float(result['articles_per_s']) / rate:.2f}; "
            f"peak RSS of the process (ru_maxrss): {peak:,.0f} MB"
        )
        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM; {date.today():%Y-%m-%d}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # a 1 GB archive must not stay behind


if __name__ == "__main__":
    main()
