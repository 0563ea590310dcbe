"""Plain-text articles: headers, title, subtitle, paragraphs, encodings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pipeline.ingest.common import InputError
from pipeline.ingest.text import parse_text
from tests.conftest import EXAMPLES


def test_title_subtitle_and_paragraphs() -> None:
    raw = b"Chip MNCs welcomed\nOpen market in focus\nFirst paragraph here.\nSecond one.\n\n\n\n"
    a = parse_text(raw, "x.txt")
    assert a.title == "Chip MNCs welcomed"
    assert a.subtitle == "Open market in focus"
    assert a.body == "First paragraph here.\n\nSecond one."
    assert a.word_count == 5


def test_no_subtitle_when_second_line_is_a_sentence() -> None:
    a = parse_text(b"Title\n\nThe first paragraph is a sentence.\n\nAnother.\n", "x.txt")
    assert a.subtitle is None
    assert a.body.startswith("The first paragraph")


def test_header_lines() -> None:
    raw = b"Date: 2025-11-25\nSource: China Daily\nURL: https://Example.com/a/\nByline: Ma Si\n\nTitle\nBody text.\n"
    a = parse_text(raw, "x.txt")
    assert a.published_at == datetime(2025, 11, 25)
    assert a.site_name == "China Daily"
    assert a.byline == "Ma Si"
    assert a.url == "https://Example.com/a/"
    assert a.title == "Title"


def test_url_decides_identity_and_body_decides_content_hash() -> None:
    a = parse_text(b"URL: https://example.com/a\nTitle\nBody one.\n", "a.txt")
    b = parse_text(b"URL: https://EXAMPLE.com/a/\nTitle changed\nBody two.\n", "b.txt")
    assert a.article_id == b.article_id
    assert a.content_hash != b.content_hash


def test_identical_copies_share_an_id() -> None:
    raw = b"Title\nSame body.\n"
    assert parse_text(raw, "a.txt").article_id == parse_text(raw.replace(b"\n", b"\r\n"), "b.txt").article_id


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("Title\n\u00a3100 fee\u2014paid.\n".encode(), "utf-8"),
        (b"\xef\xbb\xbfTitle\n\xc2\xa3100 fee.\n", "utf-8"),
        ("Title\n\u201cQuoted\u201d \u00a3100 fee.\n".encode("cp1252"), "cp1252"),
        (b"Title\r\n\xa3100 fee.\r\n", "cp1252"),
    ],
)
def test_encodings(raw: bytes, encoding: str) -> None:
    a = parse_text(raw, "x.txt")
    assert a.source_encoding == encoding
    assert a.title == "Title"
    assert "\u00a3100" in a.body
    assert "\r" not in a.body and "\ufeff" not in a.title


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t\n  ", "empty"),
        (b"Only a title\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_rejects(raw: bytes, reason: str) -> None:
    with pytest.raises(InputError) as e:
        parse_text(raw, "x.txt")
    assert e.value.reason == reason


def test_hard_wrapped_lines_join() -> None:
    a = parse_text(b"Title\n\nThe minister said the plan would\ncut costs sharply.\n", "x.txt")
    assert a.body == "The minister said the plan would cut costs sharply."


def test_examples_read(tmp_path: Path) -> None:
    files = sorted((EXAMPLES / "text").glob("*.txt"))
    assert len(files) >= 5
    arts = [parse_text(f.read_bytes(), str(f)) for f in files]
    assert any(a.source_encoding == "cp1252" for a in arts)
    assert any(a.published_at is not None for a in arts)
    assert all(a.language == "en" for a in arts)


def test_seed_article(shared_dir: Path) -> None:
    a = parse_text((shared_dir / "corpus/seed/china-chip-mncs.txt").read_bytes(), "seed")
    assert a.title == "China mulls steps to woo more chip MNCs"
    assert a.subtitle == "Market-oriented, law-based, internationalized environment in development focus"
    assert a.body.startswith("China welcomes") and a.body.endswith("sprawling sector.")


def test_bbc_latin1(shared_dir: Path) -> None:
    a = parse_text((shared_dir / "corpus/bbc/sport/199.txt").read_bytes(), "199")
    assert a.source_encoding == "cp1252"
    assert "\u00a3" in a.body and "\ufffd" not in a.body
