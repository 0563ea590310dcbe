"""Plain-text articles in the sample article's form: headers, title, optional subtitle, paragraphs."""

from __future__ import annotations

import re

from pipeline.ingest.common import InputError, build_article, decode_bytes, normalize_newlines, parse_datetime
from pipeline.ingest.language import detect_language
from pipeline.records import Article

HEADER = re.compile(r"^(date|source|url|byline|author)\s*:\s*(.*)$", re.IGNORECASE)
_FINAL_PUNCT = tuple('.!?:;"\u201d\u2019)')
SUBTITLE_MAX_CHARS = 160


def parse_text(data: bytes, source: str) -> Article:
    """Bytes of a `.txt` article to an Article; raises InputError for what cannot be one."""
    decoded = decode_bytes(data)
    lines = normalize_newlines(decoded.text).split("\n")
    headers, rest = _split_headers(lines)
    content = [ln.strip() for ln in rest]
    non_empty = [i for i, ln in enumerate(content) if ln]
    if not non_empty:
        raise InputError("empty", "the file is empty or whitespace only")
    title = content[non_empty[0]]
    remaining = content[non_empty[0] + 1 :]
    subtitle, paragraphs = _subtitle_and_paragraphs(remaining)
    if not paragraphs:
        raise InputError("empty", "the file has a title but no body text")
    body = "\n\n".join(paragraphs)
    return build_article(
        source=source,
        source_type="text",
        title=title,
        body=body,
        url=headers.get("url"),
        subtitle=subtitle,
        byline=headers.get("byline") or headers.get("author"),
        published_at=parse_datetime(headers.get("date")),
        site_name=headers.get("source"),
        language=detect_language(body),
        encoding=decoded.encoding,
    )


def _split_headers(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """`Key: value` lines at the very top (blank lines among them allowed)."""
    headers: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        m = HEADER.match(line)
        if not m:
            break
        headers[m.group(1).lower()] = m.group(2).strip()
        i += 1
    return headers, lines[i:]


def _is_subtitle(line: str, has_more: bool) -> bool:
    return has_more and 0 < len(line) <= SUBTITLE_MAX_CHARS and not line.endswith(_FINAL_PUNCT)


def _subtitle_and_paragraphs(lines: list[str]) -> tuple[str | None, list[str]]:
    non_empty = [ln for ln in lines if ln]
    subtitle: str | None = None
    wrapped = len(non_empty) > 1 and non_empty[1][:1].islower()
    if non_empty and not wrapped and _is_subtitle(non_empty[0], len(non_empty) > 1):
        subtitle = non_empty[0]
        non_empty = non_empty[1:]
    return subtitle, _join_wrapped(non_empty)


def _join_wrapped(lines: list[str]) -> list[str]:
    """Each line is a paragraph, except a hard-wrapped line: no final punctuation, next starts lower-case."""
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and not paragraphs[-1].endswith(_FINAL_PUNCT) and line[:1].islower():
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs
