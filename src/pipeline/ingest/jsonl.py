"""JSON Lines. (Being built.)"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.ingest.common import InputError
from pipeline.records import Article, Reject


def parse_jsonl(data: bytes, source: str) -> Iterator[Article | Reject]:
    raise InputError("unsupported_format", f"{source}: JSON Lines reading is not built yet")
