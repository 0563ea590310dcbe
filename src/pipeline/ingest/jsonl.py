"""JSON Lines: one article per line; a bad line is rejected on its own and the good ones load."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from pipeline.ingest.common import InputError, build_article, looks_binary, parse_datetime, reject
from pipeline.ingest.html import text_to_paragraphs, web_url
from pipeline.ingest.language import detect_language
from pipeline.records import Article, Reject

TEXT_FIELDS = ("title", "body", "text", "url", "source", "subtitle", "byline", "language")


def parse_jsonl(data: bytes, source: str) -> Iterator[Article | Reject]:
    """Articles from the lines of a JSON Lines file; each bad line becomes a Reject `<file>#L<n>`."""
    if looks_binary(data):
        raise InputError("binary", "the file holds binary data (NUL or control bytes), not JSON Lines")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise InputError("empty", "the file is empty or whitespace only")
    for number, raw in enumerate(data.split(b"\n"), start=1):
        line = raw.rstrip(b"\r")
        if not line.strip():
            continue
        try:
            yield parse_line(line, source)
        except InputError as e:
            yield reject(f"{source}#L{number}", e, raw)


def parse_line(line: bytes, source: str) -> Article:
    """One JSON object to an Article; raises InputError for what cannot be one."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            "bad_encoding", f"the line is not valid UTF-8 (byte {e.start}); JSON Lines must be UTF-8"
        ) from e
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError("bad_json", f"the line is not valid JSON: {e.msg} at column {e.colno}") from e
    except RecursionError as e:
        raise InputError("bad_json", "the line nests too deeply to read") from e
    if not isinstance(obj, dict):
        raise InputError("not_an_object", f"the line is a JSON {type(obj).__name__}, not an object")
    fields = _text_fields(obj)
    body = fields.get("body") or fields.get("text") or ""
    if not body.strip():
        raise InputError("missing_body", "the object has no `body` or `text` with text in it")
    body = text_to_paragraphs(body)
    url = fields.get("url") or None
    if url and not web_url(url):
        raise InputError("bad_field", f"`url` {url[:200]!r} is not an http or https URL")
    return build_article(
        source=source,
        source_type="jsonl",
        title=fields.get("title", ""),
        body=body,
        url=url,
        subtitle=fields.get("subtitle"),
        byline=fields.get("byline"),
        published_at=_published_at(obj.get("published_at")),
        site_name=fields.get("source"),
        language=fields.get("language") or detect_language(body),
    )


def _text_fields(obj: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key in TEXT_FIELDS:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError("bad_field", f"`{key}` is a JSON {type(value).__name__}, not a string")
        fields[key] = value.strip()
    return fields


def _published_at(value: object) -> datetime | None:
    """An ISO or RFC date string, or a Unix timestamp in seconds, as naive UTC."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        return parse_datetime(value)
    return None
