"""JSON Feed 1.0 and 1.1 files and URLs: one article per item, a bad item rejected alone."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from pipeline.ingest import iter_local, parse_payload
from pipeline.ingest.http import fetch, fetched_items
from pipeline.records import Article, Reject
from pipeline.settings import Settings
from tests.conftest import EXAMPLES
from tests.ingest.httpserver import serve

SETTINGS = Settings()
EXAMPLE = EXAMPLES / "jsonfeed/harbour-desk.json"
V1 = "https://jsonfeed.org/version/1"
V11 = "https://jsonfeed.org/version/1.1"
TEXT = "The port handled 13.8 million containers last year, 4% more than the year before."


def feed(items: list[Any], version: str = V11, **extra: Any) -> bytes:
    return json.dumps({"version": version, "title": "Port Wire", "items": items, **extra}, indent=2).encode()


def read(data: bytes, name: str = "feed.json") -> tuple[list[Article], list[Reject]]:
    items = list(parse_payload(data, name, Path(name).suffix, SETTINGS))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Reject)]


def test_example_feed() -> None:
    items = list(iter_local([str(EXAMPLE)], SETTINGS))
    assert all(isinstance(i, Article) for i in items) and len(items) == 3
    html_item, text_item, summary_item = items
    assert isinstance(html_item, Article) and isinstance(text_item, Article) and isinstance(summary_item, Article)
    assert html_item.title == "Hamburg switches on shore power for container ships"
    assert html_item.body.count("\n\n") == 2 and "<p>" not in html_item.body  # content_html as paragraphs
    assert html_item.subtitle == "A 48-million-euro installation lets ships switch off their generators at berth."
    assert (html_item.byline, html_item.site_name, html_item.source_type) == (
        "Jonas Richter",
        "Harbour Desk",
        "jsonfeed",
    )
    assert html_item.published_at == datetime(2025, 11, 18, 8, 0)  # +01:00 as naive UTC
    assert text_item.url == "https://harbourdesk.example/2025/11/antwerp-lng-bunkering"  # relative, resolved
    assert summary_item.url == "https://shipping-news.example/rotterdam-dredging"  # external_url
    assert summary_item.body.startswith("The Port of Rotterdam will spend")  # only a summary
    assert summary_item.byline == "Harbour Desk newsroom"  # the feed's authors


def test_version_1_0_author_and_content_text_first() -> None:
    item = {
        "id": 1,
        "url": "https://portwire.example/a",
        "title": "Volumes up",
        "content_text": TEXT,
        "content_html": "<p>ignored when content_text is present</p>",
        "date_published": "2025-03-01T10:00:00-05:00",
        "author": {"name": "Ana Costa"},
    }
    (a,), rejects = read(feed([item], version=V1))
    assert not rejects
    assert (a.body, a.byline, a.published_at) == (TEXT, "Ana Costa", datetime(2025, 3, 1, 15, 0))


def test_a_bad_item_is_rejected_alone() -> None:
    items: list[Any] = [
        {"id": "1", "title": "Good", "content_text": TEXT, "url": "https://portwire.example/1"},
        "not an object",
        {"id": "3", "title": "No text at all", "url": "https://portwire.example/3"},
        {"id": "4", "title": 42, "content_text": TEXT},
        {"id": "5", "content_text": TEXT, "url": "ftp://portwire.example/5"},
        {"id": "6", "title": "Also good", "summary": TEXT + " Again.", "url": "https://portwire.example/6"},
    ]
    articles, rejects = read(feed(items))
    assert [a.title for a in articles] == ["Good", "Also good"]
    assert [(r.source, r.reason) for r in rejects] == [
        ("feed.json#item2", "not_an_object"),
        ("feed.json#item3", "empty"),
        ("feed.json#item4", "bad_field"),
        ("feed.json#item5", "bad_field"),
    ]
    assert json.loads(rejects[1].data or b"")["id"] == "3"  # the item's own JSON is kept


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "bad_json"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}', "bad_feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "empty"),
    ],
)
def test_a_broken_feed_is_one_reject(data: bytes, reason: str) -> None:
    articles, rejects = read(data)
    assert not articles and [(r.source, r.reason) for r in rejects] == [("feed.json", reason)]


def test_other_json_is_still_json_lines() -> None:
    line = json.dumps({"title": "A brief", "body": TEXT}).encode()
    articles, rejects = read(line + b"\n" + line.replace(b"A brief", b"Another") + b"\n", "briefs.json")
    assert [(a.title, a.source_type) for a in articles] == [("A brief", "jsonl"), ("Another", "jsonl")]
    assert not rejects


def test_a_feed_is_sniffed_without_a_json_suffix(tmp_path: Path) -> None:
    path = tmp_path / "feed"
    path.write_bytes(feed([{"id": "1", "title": "Sniffed", "content_text": TEXT}]))
    (a,) = list(iter_local([str(path)], SETTINGS))
    assert isinstance(a, Article) and a.source_type == "jsonfeed" and a.title == "Sniffed"


@pytest.mark.parametrize("content_type", ["application/feed+json", "application/json; charset=utf-8"])
def test_a_feed_url(content_type: str) -> None:
    body = feed([{"id": "1", "title": "Fetched", "content_text": TEXT, "url": "https://portwire.example/f"}])
    s = Settings(http_allow_private=True)
    with serve({"/feed.json": (200, {"Content-Type": content_type}, body)}) as srv:
        fetched = fetch(srv.url("/feed.json"), s)
    (a,) = list(fetched_items(fetched, s))
    assert isinstance(a, Article)
    assert (a.title, a.source_type, a.url, a.source) == (
        "Fetched",
        "jsonfeed",
        "https://portwire.example/f",
        fetched.url,
    )
