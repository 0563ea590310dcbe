"""HTML pages: the main text without boilerplate, and the page's metadata, through trafilatura.

`html_to_text` also turns the HTML fragments found in feed entries into paragraphs.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html
from trafilatura import bare_extraction
from trafilatura.utils import load_html

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
# trafilatura's balance of precision and recall, compared on tests/ingest/fixtures/pages: favor_precision
# kept every article sentence there and let 5 of 30 boilerplate snippets through (subscription promos
# removed) against 7 by default; favor_recall was no different from the default; speed was the same.
FAVOR_PRECISION = True
FAVOR_RECALL = False
# How a page's <title> joins the headline and the site's name: "Headline - Site", "Site | Headline".
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " : ", " :: ", " · ", " • ", " » ", " ~ ", " / ")
HEADLINE_MAX_CHARS = 400
# Registrable-domain parts that are not the site's name (bbc.co.uk -> bbc).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "or", "ne", "edu"})
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def parse_html(data: bytes, source: str, url: str | None = None) -> Article:
    """Bytes of an HTML page to an Article; raises InputError when it holds no article text."""
    decoded = decode_html(data)
    if not decoded.text.strip():
        raise InputError("empty", "the file is empty or whitespace only")
    tree = _load(decoded.text, source)
    candidates = title_candidates(tree, url)  # before trafilatura, which prunes a copy of the tree
    doc = _extract(tree, source, url)
    title = choose_headline(candidates, doc.title or "", doc.sitename, doc.url)
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


def _load(text: str, source: str) -> Any:
    """The page's lxml tree, parsed once for the headline candidates and for trafilatura."""
    try:
        tree = load_html(text)
    except (ValueError, TypeError, RecursionError, etree.LxmlError) as e:
        raise InputError("no_content", f"{source}: the HTML could not be parsed ({type(e).__name__}: {e})") from e
    if tree is None:
        raise InputError("no_content", f"{source}: the HTML could not be parsed into a document")
    return tree


def _extract(tree: Any, source: str, url: str | None) -> Any:
    try:
        doc = bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            favor_precision=FAVOR_PRECISION,
            favor_recall=FAVOR_RECALL,
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
    return _norm(a) == _norm(b)


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


# ------------------------------------------------------------------------ headlines


@dataclass(frozen=True)
class TitleCandidates:
    """What a page says its headline is, by source, and the names the site goes by."""

    jsonld: str | None  # schema.org Article `headline`
    og: str | None  # og:title, else twitter:title
    h1: tuple[str, ...]  # the page's h1 texts, those inside <article>/<main> first
    h2: str | None  # the first h2, a weak candidate for pages without any h1
    title: str | None  # <title>
    site_names: tuple[str, ...]  # og:site_name, JSON-LD publisher and WebSite names, application-name
    hosts: tuple[str, ...]  # from the canonical URL, og:url and the given URL


def title_candidates(tree: Any, url: str | None) -> TitleCandidates:
    """Headline candidates from the page's metadata and headings."""
    headlines, ld_names = _jsonld_titles(tree)
    metas = {
        key: _one_line(value)
        for key in ("og:title", "twitter:title", "og:site_name", "application-name", "og:url")
        if (value := _meta(tree, key))
    }
    h1s = [_one_line(h.text_content()) for h in tree.xpath("//article//h1 | //main//h1")]
    h1s += [_one_line(h.text_content()) for h in tree.xpath("//h1")]
    h2s = [_one_line(h.text_content()) for h in tree.xpath("//h2[1]")]
    title_el = tree.find(".//title")
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    hosts = [_host(u) for u in (url, metas.get("og:url"), canonical[0] if canonical else None)]
    sites = [metas.get("og:site_name"), metas.get("application-name"), *ld_names]
    return TitleCandidates(
        jsonld=headlines[0] if headlines else None,
        og=metas.get("og:title") or metas.get("twitter:title"),
        h1=tuple(dict.fromkeys(h for h in h1s if 0 < len(h) <= HEADLINE_MAX_CHARS)),
        h2=next((h for h in h2s if 0 < len(h) <= HEADLINE_MAX_CHARS), None),
        title=_one_line(title_el.text_content()) if title_el is not None else None,
        site_names=tuple(dict.fromkeys(s for s in sites if s)),
        hosts=tuple(dict.fromkeys(h for h in hosts if h)),
    )


def choose_headline(
    c: TitleCandidates, fallback: str, site_name: str | None = None, page_url: str | None = None
) -> str:
    """The article's headline: the candidate most other sources agree with, without the site's name.

    Each source is one vote: JSON-LD `headline`, og:title, the main h1 and <title>. A <title> or og:title
    agrees with a headline when the headline is what remains once the site's name (or any trailing or
    leading `| Section | Site` segment) is cut off. Ties go to the more deliberate source (JSON-LD, then
    the visible h1, then og:title, then <title>). With no agreement at all the first present one wins.
    """
    sites = tuple(dict.fromkeys([*c.site_names, *([site_name] if site_name else [])]))
    hosts = tuple(dict.fromkeys([*c.hosts, *([h] if (h := _host(page_url)) else [])]))

    def is_site(text: str) -> bool:
        return _is_site_name(text, sites, hosts)

    h1s = [h for h in c.h1 if not is_site(h)]  # a logo in an h1 is not the headline
    # (source, its candidate headlines, the forms other sources may agree with, whether it can win alone)
    sources: list[tuple[str, list[str], set[str], bool]] = []
    if c.jsonld and not is_site(c.jsonld):
        sources.append(("jsonld", [strip_site_affixes(c.jsonld, sites, hosts)], _forms(c.jsonld), True))
    if h1s:
        sources.append(("h1", h1s, {_norm(h) for h in h1s}, True))
    if c.og and not is_site(c.og):
        sources.append(("og", [strip_site_affixes(c.og, sites, hosts)], _forms(c.og), True))
    if c.title and not is_site(c.title):
        sources.append(("title", [strip_site_affixes(c.title, sites, hosts)], _forms(c.title), True))
    if not h1s and c.h2 and not is_site(c.h2):
        sources.append(("h2", [c.h2], {_norm(c.h2)}, False))  # counts only when another source agrees

    best: tuple[int, bool, int, str] | None = None  # (votes, whole, -rank, headline)
    for rank, (name, options, _, strong) in enumerate(sources):
        for text in options:
            votes = sum(_agrees(text, forms) for other, _, forms, _ in sources if other != name)
            if votes or strong:
                whole = not text.endswith(("...", "\u2026"))  # a cut-off JSON-LD headline loses to its full form
                key = (votes, whole, -rank, text)
                if best is None or key[:3] > best[:3]:
                    best = key
    if best is None:
        return strip_site_affixes(" ".join(fallback.split()), sites, hosts)
    return best[3]


def strip_site_affixes(title: str, sites: tuple[str, ...] = (), hosts: tuple[str, ...] = ()) -> str:
    """`Headline - Site`, `Site | Headline`, `Headline | Section | Site - tagline` -> `Headline`.

    Only a segment that names the site (its og:site_name, publisher, or domain) is cut, with what lies
    beyond it; a headline's own dashes and colons (`Exclusive: ...`, `profit doubles - and so does ...`) stay.
    """
    segments = _segments(title)
    if len(segments) < 2:
        return title
    named = [i for i, (a, b) in enumerate(segments) if _is_site_name(title[a:b], sites, hosts)]
    if not named:
        return title
    if named[0] > 0:
        kept = segments[: named[0]]  # the headline comes first: drop the site and anything after it
    else:
        lead = 0
        while lead < len(segments) and lead in named:
            lead += 1
        kept = segments[lead:]  # `Site | Headline`
    joined = _join_segments(title, kept)
    return joined or title


def _segments(title: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of `title` between separators."""
    cuts: list[tuple[int, int]] = []  # (where a separator starts, where it ends)
    for sep in TITLE_SEPARATORS:
        at = title.find(sep)
        while at >= 0:
            cuts.append((at, at + len(sep)))
            at = title.find(sep, at + 1)
    out: list[tuple[int, int]] = []
    start = 0
    for at, after in sorted(cuts):
        if at >= start:  # overlapping separators (` - ` inside ` -- `): the first one wins
            out.append((start, at))
            start = after
    out.append((start, len(title)))
    return [(a, b) for a, b in out if title[a:b].strip()]


def _join_segments(title: str, kept: list[tuple[int, int]]) -> str:
    """The original text spanning the kept segments (separators between them kept as written)."""
    if not kept:
        return ""
    return title[kept[0][0] : kept[-1][1]].strip()


def _forms(text: str) -> set[str]:
    """`text` and every leading or trailing run of its separator-delimited segments, normalized."""
    segments = _segments(text)
    forms = {_norm(text)}
    for k in range(1, len(segments)):
        forms.add(_norm(_join_segments(text, segments[:k])))
        forms.add(_norm(_join_segments(text, segments[k:])))
    return forms


def _agrees(text: str, forms: set[str]) -> bool:
    """Does `text` match one of another source's forms, exactly or as a cut-off (`...`) version of it?"""
    n = _norm(text)
    if n in forms:
        return True
    for form in forms:
        for a, b in ((n, form), (form, n)):
            stem = a.rstrip(".… ")
            if stem != a and len(stem) >= 20 and b.startswith(stem):
                return True
    return False


def _norm(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split()).casefold()


def _site_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _is_site_name(text: str, sites: tuple[str, ...], hosts: tuple[str, ...]) -> bool:
    """Does `text` name the site: its declared name, its domain (`Reuters.com`, `BBC News` for bbc.co.uk)?"""
    key = _site_key(text)
    if not key:
        return False
    words = [w for w in text.split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words).casefold() if len(words) > 1 else ""
    for site in sites:
        skey = _site_key(site)
        site_words = site.split()
        site_initials = "".join(w[0] for w in site_words).casefold() if len(site_words) > 1 else ""
        if skey and (key in (skey, site_initials) or (initials and initials == skey)):
            return True
    for host in hosts:
        label = _domain_label(host)
        if not label:
            continue
        if key == label or key == _site_key(host) or (initials and initials == label):
            return True
        if len(label) >= 3 and key.startswith(label) and len(words) <= 3:  # `BBC News` on bbc.co.uk
            return True
    return False


def _domain_label(host: str) -> str:
    """The name part of a host: edition.cnn.com -> cnn, www.bbc.co.uk -> bbc."""
    labels = [x for x in host.casefold().split(".") if x]
    if len(labels) < 2:
        return ""
    labels = labels[:-1]
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    return _site_key(labels[-1])


def _host(url: str | None) -> str | None:
    if not url or not (clean := web_url(url)):
        return None
    try:
        return urlsplit(clean).hostname
    except ValueError:
        return None


def _meta(tree: Any, key: str) -> str | None:
    for attr in ("property", "name"):
        values = tree.xpath(f"//meta[@{attr}=$key]/@content", key=key)
        if values and str(values[0]).strip():
            return str(values[0])
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _jsonld_titles(tree: Any) -> tuple[list[str], list[str]]:
    """(Article headlines, publisher and WebSite names) from the page's JSON-LD blocks."""
    headlines: list[str] = []
    names: list[str] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue  # a broken block is common and harmless: the other sources still vote
        for obj in _ld_objects(data, depth=0):
            kind = obj.get("@type")
            kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]
            if any(k.endswith(("Article", "BlogPosting", "Report")) for k in kinds):
                if isinstance(obj.get("headline"), str) and obj["headline"].strip():
                    headlines.append(_one_line(obj["headline"]))
                publisher = obj.get("publisher")
                if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                    names.append(_one_line(publisher["name"]))
            elif "WebSite" in kinds and isinstance(obj.get("name"), str):
                names.append(_one_line(obj["name"]))
    return headlines, [n for n in names if n]


def _ld_objects(data: Any, depth: int) -> list[dict[str, Any]]:
    """Every object of a JSON-LD block: top level, lists and `@graph`, bounded in depth."""
    if depth > 4:
        return []
    if isinstance(data, list):
        return [o for item in data for o in _ld_objects(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    return [data, *_ld_objects(data.get("@graph"), depth + 1)]
