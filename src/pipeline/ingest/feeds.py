"""RSS and Atom feeds. (Being built.)"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.ingest.common import InputError
from pipeline.records import Article, Reject
from pipeline.settings import Settings


def parse_feed(data: bytes, source: str, settings: Settings) -> Iterator[Article | Reject]:
    raise InputError("unsupported_format", f"{source}: feed reading is not built yet")
