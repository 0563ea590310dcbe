"""Shared pieces of every reader: bounded reads, decoding, dates, and building Article records."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dateutil import parser as dateparser

from pipeline.ids import article_id, content_hash
from pipeline.records import Article, Reject

_WORD = re.compile(r"\w+")
# Control characters other than tab, newline, carriage return and form feed mark a binary file.
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


class InputError(Exception):
    """An input that cannot become an article; carries the `rejects` reason and detail."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing before reading anything when it is larger than `max_bytes`."""
    try:
        st = path.stat()
    except OSError as e:
        raise InputError("unreadable", f"cannot stat {path}: {e.strerror or e}") from e
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not_a_file", f"{path} is not a regular file")
    if st.st_size > max_bytes:
        raise InputError(
            "too_large",
            f"{path} is {st.st_size:,} bytes, over the {max_bytes:,}-byte cap (NEWS_MAX_INPUT_BYTES)",
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise InputError("unreadable", f"cannot read {path}: {e.strerror or e}") from e
    if len(data) > max_bytes:  # the file grew while we read it
        raise InputError("too_large", f"{path} is over the {max_bytes:,}-byte cap")
    return data


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB: not text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b in _CONTROL)
    return controls / len(head) > 0.05


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 (BOM stripped); else Windows-1252, else Latin-1. The encoding used is recorded."""
    if looks_binary(data):
        raise InputError("binary", "the file holds binary data (NUL or control bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1")


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def parse_datetime(value: str | None) -> datetime | None:
    """A date or timestamp in any common form, as naive UTC; None when absent or unparseable."""
    if not value or not value.strip():
        return None
    try:
        dt = dateparser.parse(value.strip())
    except (ValueError, OverflowError):
        return None
    if dt is None:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def build_article(
    *,
    source: str,
    source_type: str,
    title: str,
    body: str,
    url: str | None = None,
    subtitle: str | None = None,
    byline: str | None = None,
    published_at: datetime | None = None,
    site_name: str | None = None,
    language: str | None = None,
    encoding: str = "utf-8",
) -> Article:
    """An Article with its ids computed; rejects empty bodies."""
    title = " ".join(title.split())
    body = body.strip()
    if not body:
        raise InputError("empty", "the article has no body text")
    if not title:
        title = " ".join(body.split()[:12])
    try:
        aid = article_id(url, title, body)
    except ValueError as e:  # urlsplit refuses some malformed URLs (`http://[/x`)
        raise InputError("bad_url", f"the article's URL {url!r} cannot be parsed: {e}") from e
    return Article(
        article_id=aid,
        source=source,
        source_type=source_type,
        url=url or None,
        title=title,
        subtitle=subtitle or None,
        byline=byline or None,
        published_at=published_at,
        body=body,
        content_hash=content_hash(body),
        site_name=site_name or None,
        language=language,
        source_encoding=encoding,
        word_count=word_count(body),
    )


def reject(source: str, err: InputError, data: bytes | None = None) -> Reject:
    return Reject(source=source, reason=err.reason, detail=err.detail, data=data)


def is_symlink_loop(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as e:
        return e.errno == 40  # ELOOP
    return False
