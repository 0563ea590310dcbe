"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org): each item becomes an article; a bad item is rejected alone.

A `.json` file (or a JSON body fetched from a URL) is a JSON Feed when its top-level object declares
`"version": "https://jsonfeed.org/version/1"` or `.../1.1`; any other JSON is read as JSON Lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from pipeline.ingest.common import InputError, build_article, looks_binary, parse_datetime, reject
from pipeline.ingest.html import html_to_text, standfirst, text_to_paragraphs, web_url
from pipeline.ingest.language import detect_language
from pipeline.records import Article, Reject

VERSION_PREFIXES = ("https://jsonfeed.org/version/1", "http://jsonfeed.org/version/1")
# A feed that is not valid JSON still names itself: enough to reject it as a broken feed, not as JSON Lines.
VERSION_HINT = b"jsonfeed.org/version/1"
ITEM_TEXT_FIELDS = (
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "date_published",
    "date_modified",
    "language",
)


def declares_json_feed(obj: object) -> bool:
    version = obj.get("version") if isinstance(obj, dict) else None
    return isinstance(version, str) and version.strip().startswith(VERSION_PREFIXES)


def json_kind(data: bytes) -> str:
    """`jsonfeed` for a JSON Feed (or a broken document that says it is one), else `jsonl`."""
    try:
        obj = json.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError):
        return "jsonfeed" if VERSION_HINT in data[:65536] and b"\n{" not in data else "jsonl"
    return "jsonfeed" if declares_json_feed(obj) else "jsonl"


def parse_json_feed(data: bytes, source: str) -> Iterator[Article | Reject]:
    """Articles from a JSON Feed; raises InputError when the document itself cannot be read."""
    if looks_binary(data):
        raise InputError("binary", "the file holds binary data (NUL or control bytes), not a JSON Feed")
    if not data.strip():
        raise InputError("empty", "the file is empty or whitespace only")
    try:
        feed = json.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except UnicodeDecodeError as e:
        raise InputError("bad_encoding", f"{source}: a JSON Feed must be UTF-8 (byte {e.start} is not)") from e
    except json.JSONDecodeError as e:
        raise InputError("bad_json", f"{source}: not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}") from e
    except RecursionError as e:
        raise InputError("bad_json", f"{source}: the JSON nests too deeply to read") from e
    if not declares_json_feed(feed):
        raise InputError("not_a_feed", f"{source}: no `version` naming https://jsonfeed.org/version/1 or 1.1")
    items = feed.get("items")
    if not isinstance(items, list):
        raise InputError("bad_feed", f"{source}: `items` is missing or not a list")
    if not items:
        raise InputError("empty", f"{source}: the feed has no items")
    context = _FeedContext.of(feed)
    for number, item in enumerate(items, start=1):
        try:
            yield _item_article(item, source, context)
        except InputError as e:
            yield reject(f"{source}#item{number}", e, json.dumps(item, ensure_ascii=False, indent=2).encode())


class _FeedContext:
    """What the feed says for all its items: site name, base URL, language, authors."""

    def __init__(self, site_name: str | None, base: str | None, language: str | None, byline: str | None) -> None:
        self.site_name = site_name
        self.base = base
        self.language = language
        self.byline = byline

    @classmethod
    def of(cls, feed: dict[str, Any]) -> _FeedContext:
        title = feed.get("title")
        base = web_url(feed.get("home_page_url")) or web_url(feed.get("feed_url"))
        language = feed.get("language")
        return cls(
            site_name=" ".join(title.split()) if isinstance(title, str) else None,
            base=base,
            language=_language_code(language),
            byline=_byline(feed),
        )


def _item_article(item: object, source: str, feed: _FeedContext) -> Article:
    if not isinstance(item, dict):
        raise InputError("not_an_object", f"the item is a JSON {type(item).__name__}, not an object")
    fields = _text_fields(item)
    content = text_to_paragraphs(fields["content_text"]) if fields.get("content_text") else ""
    if not content and fields.get("content_html"):
        content = html_to_text(fields["content_html"])
    summary = " ".join(fields.get("summary", "").split())
    body = content or text_to_paragraphs(summary)
    if not body.strip():
        raise InputError("empty", "the item has no `content_text`, `content_html` or `summary` with text in it")
    return build_article(
        source=source,
        source_type="jsonfeed",
        title=fields.get("title", ""),
        body=body,
        url=_item_url(fields, feed.base),
        subtitle=standfirst(summary, body.split("\n\n")) if content and summary else None,
        byline=_byline(item) or feed.byline,
        published_at=_date(fields.get("date_published")) or _date(fields.get("date_modified")),
        site_name=feed.site_name,
        language=_language_code(fields.get("language")) or detect_language(body) or feed.language,
    )


def _text_fields(item: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key in ITEM_TEXT_FIELDS:
        value = item.get(key)
        if value is None:
            continue
        if key == "id" and isinstance(value, int | float):  # 1.0 feeds sometimes use numbers; only an id
            continue
        if not isinstance(value, str):
            raise InputError("bad_field", f"`{key}` is a JSON {type(value).__name__}, not a string")
        fields[key] = value.strip()
    return fields


def _item_url(fields: dict[str, str], base: str | None) -> str | None:
    """`url`, else `external_url`; a relative one is resolved against the feed's home page."""
    for key in ("url", "external_url"):
        value = fields.get(key)
        if not value:
            continue
        absolute = web_url(value) or (web_url(urljoin(base, value)) if base else None)
        if absolute:
            return absolute
        raise InputError("bad_field", f"`{key}` {value[:200]!r} is not an http or https URL")
    return None


def _byline(obj: dict[str, Any]) -> str | None:
    """Names of `authors` (1.1), else `author` (1.0), joined."""
    people = obj.get("authors")
    if not isinstance(people, list):
        people = [obj.get("author")]
    names = [" ".join(p["name"].split()) for p in people if isinstance(p, dict) and isinstance(p.get("name"), str)]
    names = [n for n in names if n]
    return ", ".join(names) if names else None


def _date(value: str | None) -> datetime | None:
    return parse_datetime(value)  # RFC 3339, to naive UTC


def _language_code(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().split("-", 1)[0].split("_", 1)[0].lower() or None
