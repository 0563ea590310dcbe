"""WARC and WARC.gz archives (Common Crawl CC-NEWS, wget, browsertrix), streamed record by record with warcio.

The archive is never read whole: warcio iterates over the open file and each record's payload is read
up to `max_input_bytes`. Every HTML `response` record with HTTP 200 goes through the HTML reader, with
its `WARC-Target-URI` as the page's URL (a canonical link in the page wins, as for a fetched page, so
the same page read live or from an archive is one article) and its `WARC-Date` as the published date
when the page has none. Other records are counted, not rejected. A broken record is a reject of its own
(`file.warc.gz#record<n>`) and reading resumes at the next record that parses; a truncated archive
yields what it read and one reject for its tail.
"""

from __future__ import annotations

import logging
import stat
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from pipeline.ingest.common import InputError, parse_datetime, reject
from pipeline.ingest.html import web_url
from pipeline.records import Article, Reject
from pipeline.settings import Settings

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/1."
SCAN_CHUNK = 1 << 20
# What warcio raises on a record it cannot parse (bad headers, a cut or corrupt gzip member).
CAP_SETTING = "NEWS_MAX_INPUT_BYTES"
TRUNCATED = "the archive ends inside this record (a cut download?); the records before it loaded"
RECORD_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    zlib.error,
    EOFError,
    ValueError,
    LookupError,
    AttributeError,  # warcio on a record cut inside its headers
    TypeError,
)


@dataclass(frozen=True)
class WarcSummary:
    """One archive's outcome: records seen, articles, rejects, and records passed over by kind."""

    source: str
    records: int
    articles: int
    rejected: int
    skipped: dict[str, int] = field(default_factory=dict)  # warcinfo, request, metadata, revisit, non_html, http_404


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_warc(
    path: Path, settings: Settings, on_summary: Callable[[WarcSummary], None] | None = None
) -> Iterator[Article | Reject]:
    """Articles and rejects from one archive, streamed; the summary is logged and passed to `on_summary`."""
    source = str(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise InputError("not_a_file", f"{path} is not a regular file")
        fh = path.open("rb")
    except OSError as e:
        yield reject(source, InputError("unreadable", f"cannot open {path}: {e.strerror or e}"))
        return
    except InputError as e:
        yield reject(source, e)
        return
    reader = _Reader(source, fh, st.st_size, settings.max_input_bytes)
    with fh:
        if st.st_size == 0:
            yield reject(source, InputError("empty", f"{path} is an empty file, not a WARC archive"))
            return
        yield from reader.items(settings)
    summary = reader.summary()
    log.info(
        "%s: %d records, %d articles, %d rejected, skipped %s",
        source,
        summary.records,
        summary.articles,
        summary.rejected,
        dict(sorted(summary.skipped.items())) or "none",
    )
    if on_summary:
        on_summary(summary)


class _Reader:
    """State of one archive's pass: record numbers, counts, and where to resume after a broken record."""

    def __init__(self, source: str, fh: IO[bytes], size: int, cap: int) -> None:
        self.source = source
        self.fh = fh
        self.size = size
        self.cap = cap
        self.gzipped = fh.read(2) == GZIP_MAGIC[:2]
        fh.seek(0)
        self.number = 0
        self.articles = 0
        self.rejected = 0
        self.skipped: Counter[str] = Counter()

    def summary(self) -> WarcSummary:
        return WarcSummary(self.source, self.number, self.articles, self.rejected, dict(self.skipped))

    def items(self, settings: Settings) -> Iterator[Article | Reject]:
        start: int | None = 0
        while start is not None and start < self.size:
            self.fh.seek(start)
            iterator = ArchiveIterator(self.fh)  # its offsets are file positions: it starts where fh is
            record_start = -1
            try:
                for record in iterator:
                    record_start = iterator.offset
                    self.number += 1
                    if record.format != "warc":  # warcio falls back to ARC on anything it cannot read as WARC
                        raise ArchiveLoadFailed(f"not a WARC record (read as {record.format})")
                    items = list(self._record(record, settings))  # one page at most, under the size cap
                    iterator.read_to_end()
                    if _cut_short(record, iterator):
                        # The archive ends inside this record: its page is partial, so it is not loaded.
                        self.articles -= sum(isinstance(i, Article) for i in items)
                        self.rejected -= sum(isinstance(i, Reject) for i in items)
                        yield self._reject("truncated", TRUNCATED)
                        return
                    yield from items
            except RECORD_ERRORS as e:
                # The record at `iterator.offset` is broken: one reject, then resume at the next record start.
                broken_at = iterator.offset
                if broken_at != record_start:  # not the record just counted: a new one
                    self.number += 1
                yield self._reject("bad_record", f"unreadable WARC record at byte {broken_at:,}: {_why(e)}")
                start = self._resync(broken_at + 1)
                continue
            except OSError as e:
                yield self._reject("unreadable", f"cannot read {self.source} at byte {iterator.offset:,}: {e}")
                return
            end = iterator.offset  # where the last whole record ended
            if end < self.size and self._has_data_after(end):
                self.number += 1
                yield self._reject("truncated", f"{TRUNCATED} (bytes {end:,} to {self.size:,} could not be read)")
            return

    def _record(self, record: Any, settings: Settings) -> Iterator[Article | Reject]:
        kind = str(record.rec_type)
        if kind != "response":
            self.skipped[kind] += 1
            return
        http = record.http_headers
        if http is None:
            self.skipped["non_http"] += 1
            return
        status = http.get_statuscode()
        if status != "200":
            self.skipped[f"http_{status}"] += 1
            return
        media = (http.get_header("Content-Type") or "").split(";", 1)[0].strip().lower()
        if media not in HTML_TYPES:
            self.skipped["non_html"] += 1
            return
        try:
            data = record.content_stream().read(self.cap + 1)
        except RECORD_ERRORS as e:
            yield self._reject("bad_record", f"the record's payload cannot be decoded: {_why(e)}")
            return
        if len(data) > self.cap:
            yield self._reject("too_large", f"the record's page is over the {self.cap:,}-byte cap ({CAP_SETTING})")
            return
        yield from self._page(data, record, settings)

    def _page(self, data: bytes, record: Any, settings: Settings) -> Iterator[Article | Reject]:
        from pipeline.ingest import parse_payload

        source = f"{self.source}#record{self.number}"
        target = web_url(record.rec_headers.get_header("WARC-Target-URI"))
        captured = parse_datetime(record.rec_headers.get_header("WARC-Date"))
        for item in parse_payload(data, source, "html", settings, url=target):
            if isinstance(item, Reject):
                self.rejected += 1
                yield item
            else:
                self.articles += 1
                yield replace(item, source_type="warc", published_at=item.published_at or captured)

    def _reject(self, reason: str, detail: str, data: bytes | None = None) -> Reject:
        self.rejected += 1
        return reject(f"{self.source}#record{self.number}", InputError(reason, detail), data)

    def _has_data_after(self, offset: int) -> bool:
        """Anything but padding after `offset`? (Some writers end an archive with blank lines.)"""
        self.fh.seek(offset)
        return bool(self.fh.read(SCAN_CHUNK).strip(b"\r\n\x00"))

    def _resync(self, offset: int) -> int | None:
        """The byte offset of the next record start at or after `offset` that warcio can read; None at the end."""
        marker = GZIP_MAGIC if self.gzipped else WARC_MAGIC
        pos = offset
        while pos < self.size:
            self.fh.seek(pos)
            chunk = self.fh.read(SCAN_CHUNK + len(marker))
            hit = chunk.find(marker)
            if hit < 0:
                pos += SCAN_CHUNK
                continue
            candidate = pos + hit
            if self._starts_record(candidate):
                return candidate
            pos = candidate + 1
        return None

    def _starts_record(self, offset: int) -> bool:
        self.fh.seek(offset)
        try:
            next(iter(ArchiveIterator(self.fh)))
        except (StopIteration, OSError, *RECORD_ERRORS):
            return False
        return True


def _cut_short(record: Any, iterator: ArchiveIterator) -> bool:
    """Did the file end inside this record (no WARC headers, payload short of its length, gzip member unfinished)?"""
    if record.rec_type is None:
        return True
    if getattr(record.raw_stream, "limit", 0) > 0:  # read to the end, yet bytes of the record are missing
        return True
    member = iterator.reader.decompressor if iterator.reader else None
    return member is not None and not getattr(member, "eof", True)


def _why(e: Exception) -> str:
    """The error, printable: warcio quotes the bytes it choked on, which for gzip are binary."""
    text = "".join(ch if ch.isascii() and ch.isprintable() else "?" for ch in " ".join(str(e).split()))
    text = text[:120]
    return f"{type(e).__name__}: {text}" if text else type(e).__name__
