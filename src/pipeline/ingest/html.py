"""HTML pages: the main text without boilerplate, and the page's metadata, through trafilatura.

`html_to_text` also turns the HTML fragments found in feed entries into paragraphs.
"""

from __future__ import annotations

import codecs
import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html
from trafilatura import bare_extraction

from pipeline.ingest.common import Decoded, InputError, build_article, decode_bytes, parse_datetime
from pipeline.ingest.language import detect_language
from pipeline.records import Article

# Only the encoding is read this way (as a browser's pre-scan does); the content goes through trafilatura.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")
# Navigation and page furniture: never article text, even on a page that has nothing else.
PRUNE_XPATH = ["//nav", "//footer", "//*[@role='navigation']", "//*[@role='contentinfo']"]
# htmldate's output with time and offset, so a published time survives as UTC.
DATE_PARAMS: dict[str, Any] = {
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    "original_date": True,
    "extensive_search": True,
}
SUBTITLE_MAX_CHARS = 300
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
SKIP_TAGS = ("script", "style", "noscript", "template", "iframe", "object")


def parse_html(data: bytes, source: str, url: str | None = None) -> Article:
    """Bytes of an HTML page to an Article; raises InputError when it holds no article text."""
    decoded = decode_html(data)
    if not decoded.text.strip():
        raise InputError("empty", "the file is empty or whitespace only")
    doc = _extract(decoded.text, source, url)
    title = (doc.title or "").strip()
    paragraphs = _paragraphs(doc.text or "")
    if paragraphs and title and _same(paragraphs[0], title):
        paragraphs = paragraphs[1:]  # the headline, repeated at the top of the text
    if not paragraphs:
        raise InputError(
            "no_content",
            f"{source}: no article text found in the HTML (only navigation, scripts or markup, "
            "or the page is cut off before its text)",
        )
    body = "\n\n".join(paragraphs)
    page_url = web_url(doc.url) or web_url(url)
    return build_article(
        source=source,
        source_type="html",
        title=title,
        body=body,
        url=page_url,
        subtitle=standfirst(doc.description, paragraphs),
        byline=doc.author,
        published_at=parse_datetime(doc.date),
        site_name=doc.sitename,
        language=detect_language(body),
        encoding=decoded.encoding,
    )


def decode_html(data: bytes) -> Decoded:
    """UTF-8 when the bytes are valid UTF-8; else the charset the page declares; else cp1252/latin-1."""
    decoded = decode_bytes(data)  # raises InputError("binary") for binary data
    if decoded.encoding == "utf-8":
        return decoded
    declared = _declared_charset(data)
    if declared and declared not in {"utf-8", "utf8"}:
        try:
            name = codecs.lookup(declared).name
            return Decoded(data.decode(name), name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decoded


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content): block elements become paragraphs."""
    if not fragment.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for el in list(root.iter(*SKIP_TAGS)):
        el.drop_tree()
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)  # their tails stay
    parts: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            if tag in BLOCK_TAGS:
                parts.append("\n\n")
            elif tag == "br":
                parts.append("\n")
            if tag and el.text:
                parts.append(el.text)
        else:
            if tag in BLOCK_TAGS:
                parts.append("\n\n")
            if el.tail and el is not root:
                parts.append(el.tail)
    return "\n\n".join(_paragraphs_of_blocks("".join(parts)))


def text_to_paragraphs(text: str) -> str:
    """Plain text to the body convention: paragraphs split at blank lines, or at every line when none."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _BLANK_LINE.search(text):
        return "\n\n".join(_paragraphs_of_blocks(text))
    return "\n\n".join(_paragraphs(text))


def _extract(text: str, source: str, url: str | None) -> Any:
    try:
        doc = bare_extraction(
            text,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            prune_xpath=PRUNE_XPATH,
            date_extraction_params=DATE_PARAMS,
        )
    except (ValueError, TypeError, AttributeError, RecursionError, etree.LxmlError) as e:
        raise InputError("no_content", f"{source}: the HTML could not be parsed ({type(e).__name__}: {e})") from e
    if doc is None:
        raise InputError(
            "no_content",
            f"{source}: no article text found in the HTML (only navigation, scripts or markup, "
            "or the page is cut off before its text)",
        )
    return doc


def _paragraphs(text: str) -> list[str]:
    """trafilatura puts one block (paragraph, heading, list item) per line."""
    return [p for p in (" ".join(line.split()) for line in text.split("\n")) if p]


def _paragraphs_of_blocks(text: str) -> list[str]:
    return [p for p in (" ".join(block.split()) for block in _BLANK_LINE.split(text)) if p]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def standfirst(description: str | None, paragraphs: list[str]) -> str | None:
    """The page's description as a standfirst, unless it merely repeats the opening of the text."""
    if not description:
        return None
    desc = " ".join(description.split())
    if not desc or len(desc) > SUBTITLE_MAX_CHARS:
        return None
    opening = " ".join(paragraphs[:2]).casefold()
    probe = desc.rstrip(".…").casefold()
    if probe[:80] in opening:
        return None
    return desc


def web_url(value: object) -> str | None:
    """`value` stripped when it is a well-formed http(s) URL with a host; else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None
