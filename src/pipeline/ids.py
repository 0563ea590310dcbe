"""Content-derived identifiers: the same input always gets the same id."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def make_id(*parts: object) -> str:
    """A 16-byte hex digest of the parts, joined unambiguously."""
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(str(p).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


_PARAGRAPH = re.compile(r"\n\s*\n")


def normalize_text(text: str) -> str:
    """Unicode NFC, unified quotes, whitespace collapsed within paragraphs: the form hashed for identity.

    Paragraph breaks are kept: two texts that differ in where a paragraph ends are different versions.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    paragraphs = (_SPACE.sub(" ", p).strip() for p in _PARAGRAPH.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def content_hash(body: str) -> str:
    return make_id("body", normalize_text(body))


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no trailing slash: one URL, one article."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def article_id(url: str | None, title: str, body: str) -> str:
    """Hash of the canonical URL when there is one, else of the normalized title and body."""
    if url:
        return make_id("url", canonical_url(url))
    return make_id("text", normalize_text(title).lower(), normalize_text(body))


def entity_key(name: str) -> str:
    """Case, punctuation, whitespace and diacritics folded: `Société Générale` == `societe generale`."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("&", " and ")
    cleaned = re.sub(r"[^\w\s]", " ", stripped.casefold())
    return _SPACE.sub(" ", cleaned).strip()


# The coarse class an entity's id hashes: places apart from every other name, so that `Washington` the
# place and `Washington` the person differ, while a name the model labels PERSON in one article and ORG
# in another (`Yukos`) is one entity, whose type the warehouse decides over all its mentions.
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


def type_class(entity_type: str) -> str:
    return "place" if entity_type in _PLACE_TYPES else "name"


def entity_id(canonical_name: str, entity_type: str) -> str:
    """Stable across runs and extractor versions: the normalised canonical name and its type class only."""
    return make_id("entity", type_class(entity_type), entity_key(canonical_name))


def name_entity_id(canonical_name: str) -> str:
    """The id of a name outside the place class, whatever its label (a GPE no gazetteer knows: `Gazprom`)."""
    return make_id("entity", "name", entity_key(canonical_name))


def place_entity_id(geonames_id: int) -> str:
    """A place resolved in the gazetteer: its GeoNames id (`Paris` in France and in Texas are two)."""
    return make_id("entity", "geonames", geonames_id)
