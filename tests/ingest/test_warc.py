"""WARC archives: streamed, HTML responses become articles, other records are counted, broken ones rejected alone."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.ingest import iter_local
from pipeline.ingest.html import parse_html
from pipeline.ingest.warc import WarcSummary, read_warc
from pipeline.records import Article, Reject
from pipeline.settings import Settings
from tests.conftest import EXAMPLES
from tests.ingest.warcs import PAGES, Rec, example_records, page, write_warc

SETTINGS = Settings()
TRAM = "https://metrowire.example/city/2025/04/tram-extension-airport"
UNDATED = (
    b"<html><head><title>Ferry fares frozen | Harbour Times</title></head><body><article>"
    b"<h1>Ferry fares frozen</h1><p>"
    + b"The ferry company said fares would not rise before April, despite higher fuel costs. " * 5
    + b"</p></article></body></html>"
)


def read(path: Path, settings: Settings = SETTINGS) -> tuple[list[Article], list[Reject], WarcSummary]:
    summaries: list[WarcSummary] = []
    items = list(read_warc(path, settings, on_summary=summaries.append))
    assert len(summaries) == 1
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Reject)], summaries[0]


def mixed() -> list[Rec]:
    """Records of every kind, one of them a broken page (an HTML response without any text)."""
    return [
        *example_records(),
        page("https://metrowire.example/empty", b"<html><body><nav><a href='/'>Home</a></nav></body></html>"),
        page("https://harbourtimes.example/ferry-fares", UNDATED, date="2025-11-02T09:30:00+01:00"),
    ]


def test_html_responses_become_articles_and_other_records_are_counted(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    write_warc(archive, mixed())
    articles, rejects, summary = read(archive)
    assert [a.title for a in articles] == [
        "Council approves tram extension to the airport",
        "Paper mill closure leaves 200 without work",
        "Ferry fares frozen",
    ]
    assert {a.source_type for a in articles} == {"warc"}
    assert articles[0].source == f"{archive}#record3"  # warcinfo is record 1, the request record 2
    assert [(r.source, r.reason) for r in rejects] == [(f"{archive}#record10", "no_content")]
    assert summary.skipped == {"warcinfo": 1, "request": 2, "metadata": 1, "non_html": 1, "http_404": 1, "revisit": 1}
    assert (summary.records, summary.articles, summary.rejected) == (11, 3, 1)


def test_target_uri_is_the_url_and_warc_date_the_fallback_date(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc"
    write_warc(archive, mixed(), gzip=False)  # uncompressed archives too
    articles, _, _ = read(archive)
    ferry = articles[-1]
    assert ferry.url == "https://harbourtimes.example/ferry-fares"  # no canonical link: the target URI
    assert ferry.published_at == datetime(2025, 11, 2, 8, 30)  # no date on the page: WARC-Date, as UTC
    assert articles[0].published_at == datetime(2025, 4, 9, 14, 5)  # the page's own date wins


def test_a_record_is_the_same_article_as_the_page_fetched_live(tmp_path: Path) -> None:
    """Same URL and content: the warehouse's article_id/content_hash check skips it on the next run."""
    archive = tmp_path / "crawl.warc.gz"
    html = (PAGES / "metro-wire-tram.html").read_bytes()
    write_warc(archive, [page(TRAM, html)])
    (from_archive,), _, _ = read(archive)
    live = parse_html(html, TRAM, url=TRAM)
    assert (from_archive.article_id, from_archive.content_hash) == (live.article_id, live.content_hash)
    changed = html.replace(b"18,000 passengers", b"21,000 passengers")
    write_warc(archive, [page(TRAM, changed)])
    (revised,), _, _ = read(archive)
    assert revised.article_id == live.article_id and revised.content_hash != live.content_hash  # a revision


def test_a_corrupt_gzip_member_is_one_reject_and_the_rest_loads(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    offsets = write_warc(archive, mixed())
    data = archive.read_bytes()
    # Cut 40 bytes out of the first page's gzip member (record 3): its member now runs into the next one.
    archive.write_bytes(data[: offsets[2] - 40] + data[offsets[2] :])
    articles, rejects, summary = read(archive)
    assert [(r.source, r.reason) for r in rejects][:1] == [(f"{archive}#record3", "bad_record")]
    assert "byte" in rejects[0].detail and rejects[0].detail.isprintable()
    assert [a.title for a in articles] == ["Paper mill closure leaves 200 without work", "Ferry fares frozen"]
    assert summary.articles == 2


@pytest.mark.parametrize("gzipped", [True, False])
def test_a_truncated_archive_yields_what_it_read_and_one_reject(tmp_path: Path, gzipped: bool) -> None:
    archive = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    offsets = write_warc(archive, mixed(), gzip=gzipped)
    data = archive.read_bytes()
    archive.write_bytes(data[: offsets[4] + 400])  # inside the second page (record 6)
    articles, rejects, _ = read(archive)
    assert [a.title for a in articles] == ["Council approves tram extension to the airport"]
    assert [(r.source, r.reason) for r in rejects] == [(f"{archive}#record6", "truncated")]


def test_each_record_is_capped_but_the_archive_is_not(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    big = b"<html><body><article><p>" + b"Container volumes rose again. " * 2000 + b"</p></article></body></html>"
    write_warc(archive, [*mixed(), page("https://example.org/huge", big)])
    small = Settings(max_input_bytes=30_000)
    assert archive.stat().st_size < 30_000 < sum(len(r.payload) for r in mixed()) + len(big)
    articles, rejects, _ = read(archive, small)
    assert len(articles) == 3
    assert [r.reason for r in rejects] == ["no_content", "too_large"]
    assert "NEWS_MAX_INPUT_BYTES" in rejects[-1].detail


def test_content_encoded_payloads_are_decoded(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    html = (PAGES / "metro-wire-tram.html").read_bytes()
    write_warc(archive, [page(TRAM, gzip.compress(html), extra_http=(("Content-Encoding", "gzip"),))])
    (article,), rejects, _ = read(archive)
    assert article.title == "Council approves tram extension to the airport" and not rejects


@pytest.mark.parametrize(
    ("data", "reason", "source_suffix"),
    [(b"", "empty", ""), (b"not a warc at all\n" * 10, "bad_record", "#record1")],
)
def test_what_is_not_an_archive_is_one_reject(tmp_path: Path, data: bytes, reason: str, source_suffix: str) -> None:
    archive = tmp_path / "x.warc"
    archive.write_bytes(data)
    items = list(iter_local([str(archive)], SETTINGS))
    assert [(i.source, i.reason) for i in items if isinstance(i, Reject)] == [(f"{archive}{source_suffix}", reason)]
    assert len(items) == 1


def test_folder_walk_reads_archives(tmp_path: Path) -> None:
    write_warc(tmp_path / "a.warc.gz", mixed())
    items = list(iter_local([str(tmp_path)], SETTINGS))
    assert sum(isinstance(i, Article) for i in items) == 3


def test_example_archive() -> None:
    archive = EXAMPLES / "warc/newsroom-crawl.warc.gz"
    articles, rejects, summary = read(archive)
    assert len(articles) == 2 and not rejects
    assert sum(summary.skipped.values()) == summary.records - 2
