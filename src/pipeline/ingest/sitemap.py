"""Sitemaps, sitemap indexes and Google News sitemaps as URL sources: they expand to article URLs.

A URL is read as a sitemap when the last segment of its path ends in `.xml` and contains `sitemap`
(`/sitemap.xml`, `/sitemap_index.xml`, `/news-sitemap.xml`, `/sitemaps/sitemap-2025-03.xml`), and every
`<loc>` of a `<sitemapindex>` is one. It is fetched through the same safe fetcher as any URL (SSRF,
size and time limits), checked by defusedxml like a feed (no entity declarations) and parsed without
entity expansion or network access. If its root is not `<urlset>` or `<sitemapindex>` (an RSS feed
named `sitemap.xml`) the fetched document goes on to the ordinary readers, without a second fetch.

An article URL whose `<lastmod>` (else `<news:publication_date>`) is not newer than when the warehouse
last ingested that URL is not fetched again. At most `sitemap_max_urls` article URLs are taken per
run, newest first; indexes are followed `MAX_DEPTH` levels deep and at most `MAX_SITEMAPS` sitemap
documents are fetched per run.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import duckdb
from lxml import etree

from pipeline.ingest.common import InputError, parse_datetime
from pipeline.ingest.feeds import check_xml_safety
from pipeline.ingest.html import web_url
from pipeline.ingest.http import Fetched, FetchError, fetch, fetch_error_reject
from pipeline.records import Reject
from pipeline.settings import Settings
from pipeline.warehouse.db import connect

log = logging.getLogger(__name__)

SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
MAX_DEPTH = 2  # index -> index -> sitemap: deeper nesting is refused
MAX_SITEMAPS = 50  # sitemap documents fetched per run
MAX_ENTRIES = 50_000  # the sitemaps.org limit per file; more is not a sitemap we read


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None  # naive UTC
    published_at: datetime | None  # news:publication_date
    title: str | None  # news:title


@dataclass(frozen=True)
class Sitemap:
    kind: str  # urlset or sitemapindex
    entries: tuple[SitemapEntry, ...]


@dataclass(frozen=True)
class Expansion:
    """URLs to fetch (sitemaps replaced by their articles) and what the sitemaps themselves came to."""

    urls: list[str]
    prefetched: list[Fetched | Reject]  # sitemap-named URLs that were not sitemaps, and sitemap failures
    sitemaps: int = 0  # sitemap documents read
    found: int = 0  # article URLs they listed
    unchanged: int = 0  # not fetched: lastmod not newer than the warehouse's copy
    over_cap: int = 0  # not fetched this run: beyond sitemap_max_urls
    sitemaps_over_cap: int = 0  # sitemap documents not fetched this run: beyond MAX_SITEMAPS


Fetcher = Callable[[str, Settings], Fetched]


def is_sitemap_url(url: str) -> bool:
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    name = path.rsplit("/", 1)[-1].lower()
    return name.endswith(".xml") and "sitemap" in name


def sitemap_root(data: bytes) -> str | None:
    """`urlset` or `sitemapindex` when the document's root element is one, else None (reads one element)."""
    try:
        events = etree.iterparse(
            io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True, load_dtd=False
        )
        for _, element in events:
            name = etree.QName(element).localname
            return name if name in SITEMAP_ROOTS else None
    except (etree.LxmlError, ValueError):
        return None
    return None


def parse_sitemap(data: bytes, source: str) -> Sitemap:
    """The entries of a sitemap or sitemap index; raises InputError for anything else."""
    check_xml_safety(data, source)  # entity declarations refused before any parser sees them
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as e:
        raise InputError("bad_xml", f"{source}: the sitemap is not well-formed XML: {e}") from e
    kind = etree.QName(root).localname
    if kind not in SITEMAP_ROOTS:
        raise InputError("not_a_sitemap", f"{source}: the root element is <{kind}>, not <urlset> or <sitemapindex>")
    child = "url" if kind == "urlset" else "sitemap"
    entries: list[SitemapEntry] = []
    for el in root:
        if not isinstance(el.tag, str) or etree.QName(el).localname != child:
            continue
        if len(entries) >= MAX_ENTRIES:
            raise InputError("too_large", f"{source}: more than {MAX_ENTRIES:,} entries (the sitemaps.org limit)")
        fields = _fields(el)
        url = web_url(fields.get("loc"))
        if url:
            entries.append(
                SitemapEntry(
                    url=url,
                    lastmod=parse_datetime(fields.get("lastmod")),
                    published_at=parse_datetime(fields.get("publication_date")),
                    title=fields.get("title") or None,
                )
            )
    return Sitemap(kind, tuple(entries))


def _fields(el: etree._Element) -> dict[str, str]:
    """Text of an entry's children by local name, one level into `<news:news>` (namespaces vary in the wild)."""
    out: dict[str, str] = {}
    for sub in el.iter():
        if sub is el or not isinstance(sub.tag, str):
            continue
        name = etree.QName(sub).localname
        text = " ".join((sub.text or "").split())
        if text and name not in out:
            out[name] = text
    return out


def known_urls(settings: Settings) -> dict[str, datetime]:
    """URL -> when the warehouse last ingested it (article URLs and the URLs they were fetched from), read-only."""
    db = settings.db_path
    if not db.exists():
        return {}
    query = """
        select url, max(ingested_at) from (
            select url, ingested_at from articles where url is not null
            union all
            select s.source as url, a.ingested_at from article_sources s join articles a using (article_id)
        ) group by url
    """
    try:
        with connect(db, read_only=True) as con:
            return {str(u): t for u, t in con.execute(query).fetchall() if u and t}
    except duckdb.Error as e:  # an old or foreign warehouse: fetch everything rather than fail the run
        log.warning("sitemaps: cannot read known URLs from %s (%s); nothing is skipped", db, e)
        return {}


def expand_sitemaps(
    urls: Iterable[str],
    settings: Settings,
    known: Mapping[str, datetime] | None = None,
    fetcher: Fetcher = fetch,
) -> Expansion:
    """`urls` with each sitemap replaced by the article URLs it lists that are new or changed."""
    urls = list(urls)
    plain = [u for u in urls if not is_sitemap_url(u)]
    roots = [u for u in urls if is_sitemap_url(u)]
    if not roots:
        return Expansion(urls=urls, prefetched=[])
    if known is None:
        known = known_urls(settings)
    walk = _Walk(settings, fetcher)
    for root in roots:
        walk.visit(root, depth=0)
    seen = set(plain)
    fresh: list[SitemapEntry] = []
    unchanged = 0
    for entry in walk.entries:
        if entry.url in seen:
            continue
        seen.add(entry.url)
        if _unchanged(entry, known):
            unchanged += 1
            continue
        fresh.append(entry)
    fresh.sort(key=lambda e: _changed_at(e) or datetime.min, reverse=True)  # newest first: a news run's priority
    taken = fresh[: settings.sitemap_max_urls]
    result = Expansion(
        urls=plain + [e.url for e in taken],
        prefetched=walk.prefetched,
        sitemaps=walk.fetched,
        found=len(walk.entries),
        unchanged=unchanged,
        over_cap=len(fresh) - len(taken),
        sitemaps_over_cap=walk.over_cap,
    )
    log.info(
        "sitemaps: %d read (%d more left for later runs), %d article URLs listed, %d to fetch, %d unchanged, "
        "%d over NEWS_SITEMAP_MAX_URLS=%d",
        result.sitemaps,
        result.sitemaps_over_cap,
        result.found,
        len(taken),
        result.unchanged,
        result.over_cap,
        settings.sitemap_max_urls,
    )
    return result


def _changed_at(entry: SitemapEntry) -> datetime | None:
    return entry.lastmod or entry.published_at


def _unchanged(entry: SitemapEntry, known: Mapping[str, datetime]) -> bool:
    """Known to the warehouse and not modified since it was ingested (no date: fetch, the content hash decides)."""
    seen_at = known.get(entry.url)
    changed = _changed_at(entry)
    return seen_at is not None and changed is not None and changed <= seen_at


class _Walk:
    """Fetches sitemaps depth-first (an index's newest children first) within the depth and count bounds."""

    def __init__(self, settings: Settings, fetcher: Fetcher) -> None:
        self.settings = settings
        self.fetcher = fetcher
        self.entries: list[SitemapEntry] = []
        self.prefetched: list[Fetched | Reject] = []
        self.fetched = 0
        self.over_cap = 0
        self.visited: set[str] = set()

    def visit(self, url: str, depth: int) -> None:
        if url in self.visited:
            return
        self.visited.add(url)
        if self.fetched >= MAX_SITEMAPS:
            self.over_cap += 1  # counted and logged, not rejected: nothing is wrong with it
            return
        try:
            fetched = self.fetcher(url, self.settings)
        except FetchError as e:
            self.prefetched.append(fetch_error_reject(url, e))
            return
        self.fetched += 1
        if depth == 0 and sitemap_root(fetched.data) is None:
            self.prefetched.append(fetched)  # named like a sitemap but is not one: read it as what it is
            return
        try:
            sitemap = parse_sitemap(fetched.data, url)
        except InputError as e:
            self.prefetched.append(Reject(url, e.reason, e.detail, fetched.data))
            return
        if sitemap.kind == "urlset":
            self.entries.extend(sitemap.entries)
            return
        if depth >= MAX_DEPTH:
            self.prefetched.append(
                Reject(url, "sitemap_too_deep", f"{url}: a sitemap index nested over {MAX_DEPTH} levels deep", None)
            )
            return
        children = sorted(sitemap.entries, key=lambda e: e.lastmod or datetime.min, reverse=True)
        for child in children:
            self.visit(child.url, depth + 1)
