"""Content-derived identifiers."""

from __future__ import annotations

import pytest

from pipeline.ids import article_id, canonical_url, content_hash, entity_id, entity_key, normalize_text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Soci\u00e9t\u00e9 G\u00e9n\u00e9rale", "societe generale"),
        ("AT&T", "AT and T"),
        ("  Gao   Dongsheng ", "gao dongsheng"),
        ("U.S. Steel", "U S Steel"),
    ],
)
def test_entity_key_folds_case_punctuation_diacritics(a: str, b: str) -> None:
    assert entity_key(a) == entity_key(b)
    assert entity_id(a, "ORG") == entity_id(b, "ORG")


def test_entity_id_depends_on_type() -> None:
    assert entity_id("Washington", "GPE") != entity_id("Washington", "PERSON")


def test_normalize_keeps_paragraphs_collapses_spaces() -> None:
    assert normalize_text("a  b\r\n\r\n c\n\n\n d \u201cq\u201d") == 'a b\n\nc\n\nd "q"'


def test_content_hash_ignores_line_endings_not_paragraphs() -> None:
    assert content_hash("a\r\n\r\nb") == content_hash("a\n\nb")
    assert content_hash("a\n\nb") != content_hash("a b")


def test_canonical_url() -> None:
    assert canonical_url("HTTPS://Example.COM/a/b/#frag") == "https://example.com/a/b"
    assert canonical_url("https://example.com") == "https://example.com/"


def test_article_id_prefers_url() -> None:
    assert article_id("https://x.test/a", "T", "one") == article_id("https://X.test/a/", "U", "two")
    assert article_id(None, "T", "one") != article_id(None, "T", "two")
    assert article_id(None, "Title", "Body") == article_id(None, "title", "Body")
