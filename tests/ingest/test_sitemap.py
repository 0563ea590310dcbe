"""Sitemaps, sitemap indexes and news sitemaps served from 127.0.0.1: expansion, lastmod skips, bounds, safety."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.ingest import iter_local
from pipeline.ingest.http import Fetched, fetch, fetched_items
from pipeline.ingest.sitemap import (
    MAX_DEPTH,
    expand_sitemaps,
    is_sitemap_url,
    known_urls,
    parse_sitemap,
)
from pipeline.records import Article, Reject
from pipeline.settings import Settings
from pipeline.warehouse.db import connect, ensure_tables
from tests.conftest import EXAMPLES
from tests.ingest.httpserver import Route, Served, serve

LOCAL = Settings(http_allow_private=True)
XML = {"Content-Type": "application/xml"}
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
PAGE = (EXAMPLES / "html/battery-recycling-plant.html").read_bytes()


def urlset(*entries: tuple[str, str | None]) -> bytes:
    rows = "".join(f"<url><loc>{u}</loc>{f'<lastmod>{m}</lastmod>' if m else ''}</url>" for u, m in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{rows}</urlset>'.encode()


def news(base: str) -> bytes:
    """A Google News sitemap: publication dates and titles, no lastmod."""
    rows = "".join(
        f"<url><loc>{base}/news/{n}</loc><news:news><news:publication><news:name>Port Wire</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{day}</news:publication_date>"
        f"<news:title>Story {n}</news:title></news:news></url>"
        for n, day in ((1, "2025-11-20T08:00:00+01:00"), (2, "2025-11-21T09:30:00Z"))
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS} {NEWS_NS}>{rows}</urlset>'.encode()


def index(*children: tuple[str, str | None]) -> bytes:
    rows = "".join(f"<sitemap><loc>{u}</loc>{f'<lastmod>{m}</lastmod>' if m else ''}</sitemap>" for u, m in children)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {NS}>{rows}</sitemapindex>'.encode()


@pytest.fixture
def served() -> Iterator[Served]:
    """An index of a news sitemap and a page sitemap (routes filled in once the port is known)."""
    routes: dict[str, Route] = {}
    with serve(routes) as srv:
        b = srv.base
        routes["/sitemap_index.xml"] = (
            200,
            XML,
            index((f"{b}/news-sitemap.xml", "2025-11-21"), (f"{b}/sitemap-pages.xml", "2025-01-01")),
        )
        routes["/news-sitemap.xml"] = (200, XML, news(b))
        routes["/sitemap-pages.xml"] = (
            200,
            XML,
            urlset((f"{b}/about", "2024-05-01"), (f"{b}/news/1", None), (f"{b}/contact", "2025-02-01T10:00:00Z")),
        )
        yield srv


def test_recognised_by_name() -> None:
    yes = ["https://x.example/sitemap.xml", "https://x.example/sitemap_index.xml", "https://x.example/news-sitemap.xml"]
    no = ["https://x.example/feed.xml", "https://x.example/sitemap", "https://x.example/sitemap.html", "not a url"]
    assert all(is_sitemap_url(u) for u in yes) and not any(is_sitemap_url(u) for u in no)


def test_an_index_expands_to_its_article_urls_newest_first(served: Served) -> None:
    srv = served
    b = srv.base
    plain = "https://other.example/a-page"
    result = expand_sitemaps([plain, f"{b}/sitemap_index.xml"], LOCAL, known={})
    assert result.urls == [plain, f"{b}/news/2", f"{b}/news/1", f"{b}/contact", f"{b}/about"]
    assert (result.sitemaps, result.found, result.unchanged, result.over_cap) == (3, 5, 0, 0)
    assert result.prefetched == []
    # The newest sitemap of the index is fetched first.
    assert srv.paths()[:2] == ["/sitemap_index.xml", "/news-sitemap.xml"]


def test_unchanged_urls_are_not_fetched_again(served: Served) -> None:
    b = served.base
    known = {
        f"{b}/news/1": datetime(2025, 11, 20, 12, 0),  # ingested after its publication date: unchanged
        f"{b}/contact": datetime(2025, 1, 1),  # lastmod 2025-02-01 is newer: fetched again
        f"{b}/about": datetime(2025, 1, 1),  # lastmod 2024-05-01: unchanged
    }
    result = expand_sitemaps([f"{b}/sitemap_index.xml"], LOCAL, known=known)
    assert result.urls == [f"{b}/news/2", f"{b}/contact"]
    assert result.unchanged == 2


def test_fan_out_is_capped_per_run(served: Served) -> None:
    b = served.base
    result = expand_sitemaps([f"{b}/sitemap_index.xml"], Settings(http_allow_private=True, sitemap_max_urls=2), {})
    assert result.urls == [f"{b}/news/2", f"{b}/news/1"] and result.over_cap == 2  # 4 distinct URLs


def test_news_entries_carry_date_and_title() -> None:
    sm = parse_sitemap(news("https://portwire.example"), "news-sitemap.xml")
    assert sm.kind == "urlset"
    first = sm.entries[0]
    assert (first.url, first.published_at, first.title) == (
        "https://portwire.example/news/1",
        datetime(2025, 11, 20, 7, 0),
        "Story 1",
    )


def test_index_depth_is_bounded() -> None:
    routes: dict[str, Route] = {}
    with serve(routes) as srv:
        for level in range(MAX_DEPTH + 2):
            routes[f"/sitemap-{level}.xml"] = (200, XML, index((srv.url(f"/sitemap-{level + 1}.xml"), None)))
        result = expand_sitemaps([srv.url("/sitemap-0.xml")], LOCAL, known={})
    assert result.urls == []
    assert [(r.reason) for r in result.prefetched if isinstance(r, Reject)] == ["sitemap_too_deep"]
    assert result.sitemaps == MAX_DEPTH + 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<urlset><url><loc>https://x.example/&b;</loc></url></urlset>",
            "unsafe_xml",
        ),
        (b"<urlset><url><loc>https://x.example/a</loc></url>", "bad_xml"),
    ],
)
def test_unsafe_or_broken_sitemaps_are_rejected(body: bytes, reason: str) -> None:
    with serve({"/sitemap.xml": (200, XML, body)}) as srv:
        result = expand_sitemaps([srv.url("/sitemap.xml")], LOCAL, known={})
    assert result.urls == []
    assert [r.reason for r in result.prefetched if isinstance(r, Reject)] == [reason]


def test_the_safe_fetcher_guards_sitemaps_and_their_children() -> None:
    with serve({"/sitemap.xml": (200, XML, b"<urlset/>")}) as srv:
        result = expand_sitemaps([srv.url("/sitemap.xml")], Settings(), known={})  # loopback refused
    assert [r.reason for r in result.prefetched if isinstance(r, Reject)] == ["blocked_address"]


def test_a_feed_named_sitemap_is_read_once_as_a_feed() -> None:
    rss = (EXAMPLES / "feeds/port-logistics.xml").read_bytes()
    with serve({"/sitemap.xml": (200, XML, rss)}) as srv:
        result = expand_sitemaps([srv.url("/sitemap.xml")], LOCAL, known={})
        assert srv.paths() == ["/sitemap.xml"]
    assert result.urls == []
    (fetched,) = result.prefetched
    assert isinstance(fetched, Fetched)
    assert all(isinstance(i, Article) for i in fetched_items(fetched, LOCAL))


def test_articles_listed_by_a_sitemap_are_fetched_as_pages(served: Served) -> None:
    srv = served
    srv.routes["/news/2"] = (200, {"Content-Type": "text/html"}, PAGE)
    (url,) = expand_sitemaps([srv.url("/news-sitemap.xml")], LOCAL, known={}).urls[:1]
    (article,) = list(fetched_items(fetch(url, LOCAL), LOCAL))
    assert isinstance(article, Article) and article.source == url and article.source_type == "url"


def test_known_urls_come_from_the_warehouse(tmp_path: Path) -> None:
    s = Settings(warehouse_dir=tmp_path)
    assert known_urls(s) == {}  # no warehouse yet
    with connect(s.db_path) as con:
        ensure_tables(con)
        con.execute(
            "insert into articles (article_id, source, source_type, url, title, ingested_at, body, word_count, "
            "content_hash, extractor_version, run_id) values "
            "('a1', 'https://x.example/fetched', 'url', 'https://x.example/canonical', 't', "
            "timestamp '2025-11-20 10:00:00', 'b', 1, 'h', 'v', 'r')"
        )
        con.execute(
            "insert into article_sources (source, article_id, source_type, run_id) "
            "values ('https://x.example/fetched', 'a1', 'url', 'r')"
        )
    assert known_urls(s) == {
        "https://x.example/canonical": datetime(2025, 11, 20, 10, 0),
        "https://x.example/fetched": datetime(2025, 11, 20, 10, 0),
    }


def test_a_local_sitemap_file_is_a_clear_reject(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml"
    path.write_bytes(urlset(("https://x.example/a", None)))
    (item,) = list(iter_local([str(path)], LOCAL))
    assert isinstance(item, Reject) and item.reason == "sitemap_file" and "URL" in item.detail
