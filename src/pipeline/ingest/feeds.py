"""RSS and Atom feeds through feedparser, after defusedxml has checked the XML is safe to parse.

Each entry becomes an article (its full content where the feed carries it, else its summary); an entry
without text is rejected on its own. With `settings.fetch_linked_pages` the entry's page is fetched
through the safe fetcher for the full text.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from pipeline.ingest.common import InputError, build_article, looks_binary, reject
from pipeline.ingest.html import html_to_text, parse_html, standfirst, text_to_paragraphs, web_url
from pipeline.ingest.language import detect_language
from pipeline.records import Article, Reject
from pipeline.settings import Settings

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def parse_feed(data: bytes, source: str, settings: Settings) -> Iterator[Article | Reject]:
    """Articles from an RSS or Atom feed; raises InputError when the feed itself cannot be read."""
    if looks_binary(data):
        raise InputError("binary", "the file holds binary data (NUL or control bytes), not a feed")
    if not data.strip():
        raise InputError("empty", "the file is empty or whitespace only")
    check_xml_safety(data, source)
    # A file object, never bytes or str: feedparser would open a string as a URL or a local path.
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except (UnicodeError, LookupError, ValueError) as e:  # feedparser's own decoding can give up
        raise InputError("bad_xml", f"{source}: the feed cannot be decoded: {e}") from e
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            raise InputError("bad_xml", f"{source}: malformed feed with no entries: {parsed.get('bozo_exception')}")
        raise InputError("empty", f"{source}: the feed has no entries")
    version = str(parsed.get("version") or "")
    source_type = "atom" if version.startswith("atom") else "rss"
    feed_info = parsed.get("feed") or {}
    site_name = _plain(feed_info.get("title"), feed_info.get("title_detail")) or None
    feed_language = _language_code(feed_info.get("language"))
    encoding = str(parsed.get("encoding") or "utf-8")
    for number, entry in enumerate(entries, start=1):
        try:
            yield _entry_article(entry, source, source_type, site_name, feed_language, encoding, settings)
        except InputError as e:
            yield reject(f"{source}#entry{number}", e, _entry_bytes(entry))


def check_xml_safety(data: bytes, source: str) -> None:
    """Refuse XML that declares entities or reaches for external resources, before any parser expands them.

    Entity declarations are what the billion-laughs expansion and XXE file reads are made of; real feeds
    do not need them.
    """
    try:
        defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise InputError(
            "unsafe_xml",
            f"{source}: the feed declares XML entities or external references ({type(e).__name__}); "
            "they are refused so that entity expansion or a local-file read cannot happen",
        ) from e
    except (ParseError, LookupError, UnicodeError):
        # Malformed, or in an encoding expat does not know: feedparser's lenient parser will try. It only
        # reads declarations before the first element, so refuse any entity declared there.
        m = _FIRST_ELEMENT.search(data)
        prolog = data[: m.start()] if m else data
        if b"<!entity" in prolog.lower():
            raise InputError("unsafe_xml", f"{source}: the feed declares XML entities; they are refused") from None


def _entry_article(
    entry: Any,
    source: str,
    source_type: str,
    site_name: str | None,
    feed_language: str | None,
    encoding: str,
    settings: Settings,
) -> Article:
    title = _plain(entry.get("title"), entry.get("title_detail"))
    link = web_url(entry.get("link"))
    content = _content_text(entry)
    summary = _detail_text(entry.get("summary_detail"), entry.get("summary"))
    body = content or summary
    subtitle = standfirst(summary, body.split("\n\n")) if content and summary else None
    published_at = _entry_date(entry)
    byline = _byline(entry)
    page: Article | None = None
    if link and settings.fetch_linked_pages:
        page = _linked_page(link, settings)
    if page is not None and len(page.body) > len(body):
        body = page.body
        title = title or page.title
        published_at = published_at or page.published_at
        byline = byline or page.byline
    if not body.strip():
        raise InputError("empty", f"entry {title or link or '(untitled)'!r} has no content or summary text")
    return build_article(
        source=source,
        source_type=source_type,
        title=title,
        body=body,
        url=link,
        subtitle=subtitle,
        byline=byline,
        published_at=published_at,
        site_name=site_name,
        language=detect_language(body) or feed_language,
        encoding=encoding,
    )


def _content_text(entry: Any) -> str:
    """The longest full-content block of the entry, as paragraphs."""
    best = ""
    for block in entry.get("content") or []:
        text = _detail_text(block, block.get("value"))
        if len(text) > len(best):
            best = text
    return best


def _detail_text(detail: Any, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    kind = str((detail or {}).get("type") or "text/html")
    if kind in HTML_CONTENT_TYPES:
        return html_to_text(value)
    return text_to_paragraphs(value)


def _plain(value: Any, detail: Any) -> str:
    """A one-line field (title): markup removed, whitespace collapsed."""
    return " ".join(_detail_text(detail, value).split())


def _byline(entry: Any) -> str | None:
    detail = entry.get("author_detail") or {}
    name = detail.get("name") or entry.get("author")
    return str(name).strip() if name else None


def _entry_date(entry: Any) -> datetime | None:
    """feedparser gives dates as UTC struct_time; naive UTC here."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return datetime(*t[:6])
            except (TypeError, ValueError):
                continue
    return None


def _language_code(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().split("-", 1)[0].split("_", 1)[0].lower() or None


def _linked_page(link: str, settings: Settings) -> Article | None:
    """The entry's page through the safe fetcher, or None when it cannot be fetched or read."""
    from pipeline.ingest.http import FetchError, fetch, kind_for, media_type

    try:
        fetched = fetch(link, settings)
    except FetchError:
        return None
    if kind_for(media_type(fetched.content_type)) not in {"html", "sniff"}:
        return None
    try:
        return parse_html(fetched.data, link, url=fetched.final_url)
    except InputError:
        return None


def _entry_bytes(entry: Any) -> bytes:
    """What the feed said about a rejected entry (feedparser keeps no byte offsets), as JSON."""
    keys = ("id", "title", "link", "published", "updated", "author", "summary", "content")
    kept = {k: entry.get(k) for k in keys if entry.get(k)}
    return json.dumps(kept, ensure_ascii=False, default=str, indent=2).encode("utf-8")
