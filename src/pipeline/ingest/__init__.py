"""Turn sources (files, folders, feeds, JSON Lines, URLs) into Article records or Rejects, lazily."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pipeline.ingest.common import InputError, is_symlink_loop, read_bounded, reject
from pipeline.ingest.jsonfeed import json_kind
from pipeline.ingest.text import parse_text
from pipeline.ingest.warc import is_warc, read_warc
from pipeline.records import Article, Reject, SourceFile
from pipeline.settings import Settings

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})  # a JSON Feed when it declares the jsonfeed.org version, else JSON Lines
URL_LIST_SUFFIXES = frozenset({".urls"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | URL_LIST_SUFFIXES
# Files a folder walk passes over without a reject: not articles, and not mistakes.
IGNORED_NAMES = frozenset({"README", "README.TXT", "README.md", ".gitkeep", ".DS_Store"})

Item = Article | Reject


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def split_sources(sources: Iterable[str]) -> tuple[list[str], list[str]]:
    """(local paths, URLs); URL list files (`*.urls`) contribute their URLs."""
    paths: list[str] = []
    urls: list[str] = []
    for s in sources:
        if "://" in s and not is_url(s):
            paths.append(s)  # file://, ftp:// ... become a clear reject downstream
        elif is_url(s):
            urls.append(s)
        else:
            paths.append(s)
    return paths, urls


def walk(paths: Iterable[str]) -> Iterator[Path | Reject]:
    """Every file under the given paths, sorted, without following symlinked folders into loops."""
    for raw in paths:
        if "://" in raw:
            yield Reject(raw, "unsupported_scheme", f"{raw}: only local paths, http and https are read")
            continue
        p = Path(raw)
        if is_symlink_loop(p):
            yield Reject(raw, "symlink_loop", f"{raw} is a symbolic link loop")
        elif p.is_dir():
            yield from _walk_dir(p)
        elif p.exists() or p.is_symlink():
            yield p
        else:
            yield Reject(raw, "missing", f"{raw} does not exist")


def _walk_dir(root: Path) -> Iterator[Path | Reject]:
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=None):
        st = os.stat(dirpath)
        if (st.st_dev, st.st_ino) in seen:  # a symlinked folder that leads back up: stop here
            dirnames[:] = []
            yield Reject(dirpath, "symlink_loop", f"{dirpath} leads back into a folder already read")
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name in IGNORED_NAMES or name.startswith("."):
                continue
            path = Path(dirpath) / name
            if is_symlink_loop(path):
                yield Reject(str(path), "symlink_loop", f"{path} is a symbolic link loop")
            else:
                yield path


def read_file(path: Path, settings: Settings) -> Iterator[Item]:
    """One local file to its articles (one for text/HTML, many for feeds and JSON Lines)."""
    source = str(path)
    if is_warc(path):  # streamed record by record: an archive may be far larger than max_input_bytes
        yield from read_warc(path, settings)
        return
    try:
        data = read_bounded(path, settings.max_input_bytes)
    except InputError as e:
        yield reject(source, e)
        return
    yield from parse_payload(data, source, path.suffix.lower(), settings)


def parse_payload(data: bytes, source: str, kind: str, settings: Settings, url: str | None = None) -> Iterator[Item]:
    """Bytes of one input, by kind (a file suffix such as `.txt`, or `html`/`feed`/`jsonl`/`json`/`jsonfeed`/`text`)."""
    kind = _kind(kind, data)
    try:
        if kind == "text":
            yield parse_text(data, source)
        elif kind == "html":
            from pipeline.ingest.html import parse_html

            yield parse_html(data, source, url=url)
        elif kind == "feed":
            from pipeline.ingest.feeds import parse_feed
            from pipeline.ingest.sitemap import sitemap_root

            if sitemap_root(data):
                raise InputError(
                    "sitemap_file",
                    f"{source}: a sitemap lists URLs, not articles; give its http(s) URL as a source to "
                    "fetch the articles it lists (URLs whose file name holds `sitemap` and ends in .xml)",
                )
            yield from parse_feed(data, source, settings)
        elif kind == "jsonfeed":
            from pipeline.ingest.jsonfeed import parse_json_feed

            yield from parse_json_feed(data, source)
        elif kind == "jsonl":
            from pipeline.ingest.jsonl import parse_jsonl

            yield from parse_jsonl(data, source)
        else:
            raise InputError("unsupported_format", f"{source}: unknown input kind {kind!r}")
    except InputError as e:
        yield reject(source, e, data)
    except (ValueError, TypeError, LookupError, RecursionError, MemoryError) as e:
        # A reader bug on hostile input must cost one input, not the unattended run: keep it as a reject.
        yield reject(source, InputError("parse_error", f"{source}: {type(e).__name__}: {e}"), data)


def _kind(kind: str, data: bytes) -> str:
    if kind in TEXT_SUFFIXES:
        return "text"
    if kind in HTML_SUFFIXES:
        return "html"
    if kind in FEED_SUFFIXES:
        return "feed"
    if kind in JSONL_SUFFIXES:
        return "jsonl"
    if kind in JSON_SUFFIXES or kind == "json":
        return json_kind(data)
    if kind in {"text", "html", "feed", "jsonl", "jsonfeed"}:
        return kind
    return sniff(data)


def sniff(data: bytes) -> str:
    """Guess a file's kind from its first bytes when its name does not say."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        return "html" if b"<html" in head else "feed"
    if head.startswith(b"{"):
        return json_kind(data)
    return "text"


def iter_local(paths: Iterable[str], settings: Settings) -> Iterator[Item]:
    """Articles and rejects from local files and folders, in a stable order (every file read)."""
    for item in iter_local_files(paths, settings, {}):
        if not isinstance(item, SourceFile):
            yield item


# source -> (size, mtime_ns, articles) of the local files read before under this extractor version.
KnownFiles = Mapping[str, tuple[int, int, int]]
# Reasons a read may give differently next time without the file changing: such files are read again.
TRANSIENT_REASONS = frozenset({"unreadable"})


def iter_local_files(paths: Iterable[str], settings: Settings, known: KnownFiles) -> Iterator[Item | SourceFile]:
    """`iter_local` for a scheduled run: a `SourceFile` marker follows each file's items, and a file whose
    size and modification time are those of `known` is passed over without being opened or hashed."""
    for entry in walk(paths):
        if isinstance(entry, Reject):
            yield entry
            continue
        if entry.suffix.lower() in URL_LIST_SUFFIXES:
            continue  # URL lists are expanded by `url_list_entries` and fetched by the flow
        try:
            st = entry.stat()
        except OSError:
            yield from read_file(entry, settings)  # the reader turns the error into a reject
            continue
        source = str(entry)
        before = known.get(source)
        if before is not None and before[:2] == (st.st_size, st.st_mtime_ns):
            yield SourceFile(source, st.st_size, st.st_mtime_ns, before[2], unchanged=True)
            continue
        n, transient = 0, False
        for item in read_file(entry, settings):
            n += 1
            transient = transient or (isinstance(item, Reject) and item.reason in TRANSIENT_REASONS)
            yield item
        if not transient:
            yield SourceFile(source, st.st_size, st.st_mtime_ns, n)


def url_list_entries(paths: Iterable[str], settings: Settings) -> list[str]:
    """URLs listed one per line in `*.urls` files (blank lines and `#` comments ignored)."""
    urls: list[str] = []
    for entry in walk(paths):
        if isinstance(entry, Path) and entry.suffix.lower() in URL_LIST_SUFFIXES:
            try:
                text = read_bounded(entry, settings.max_input_bytes).decode("utf-8", "replace")
            except InputError:
                continue
            urls.extend(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
    return urls
