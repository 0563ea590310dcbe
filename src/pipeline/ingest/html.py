"""HTML pages. (Being built.)"""

from __future__ import annotations

from pipeline.ingest.common import InputError
from pipeline.records import Article


def parse_html(data: bytes, source: str, url: str | None = None) -> Article:
    raise InputError("unsupported_format", f"{source}: HTML reading is not built yet")
