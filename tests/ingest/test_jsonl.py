"""JSON Lines: one article per line; each bad line is a reject of its own and the rest load."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.ingest import parse_payload
from pipeline.ingest.common import InputError
from pipeline.ingest.jsonl import parse_jsonl
from pipeline.records import Article, Reject
from pipeline.settings import Settings
from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "jsonl/industry-briefs.jsonl"
GOOD = {"title": "Mill output rises", "body": "Steel output rose 4% in May, the mill said."}


def line(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def articles(items: list[Article | Reject]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def rejects(items: list[Article | Reject]) -> list[Reject]:
    return [i for i in items if isinstance(i, Reject)]


def test_example_file() -> None:
    items = list(parse_jsonl(EXAMPLE.read_bytes(), str(EXAMPLE)))
    assert rejects(items) == []
    a, b, c, d = articles(items)
    assert all(x.source == str(EXAMPLE) and x.source_type == "jsonl" for x in articles(items))
    assert a.title == "Brightfield Foods to cut packaging plastic by 40% by 2028"
    assert a.subtitle == "Retailer pressure drives switch to paper trays"
    assert (a.byline, a.site_name) == ("Oliver Grant", "Food Trade Journal")
    assert a.url == "https://foodtrade.example/2025/02/brightfield-packaging"
    assert a.published_at == datetime(2025, 2, 17, 8, 0)
    assert len(a.body.split("\n\n")) == 3
    assert b.body.startswith("Nordsemi raised")  # `text` instead of `body`
    assert b.published_at == datetime(2025, 6, 12, 4, 30)  # +09:00 to naive UTC
    assert c.url is None and c.published_at == datetime(2025, 7, 3)
    assert d.language == "en"


def test_bad_lines_are_rejected_alone_and_good_lines_load() -> None:
    lines = [
        line(GOOD),  # 1
        b'{"title": "Broken", "body": "no closing brace"',  # 2
        b"",  # 3: blank, skipped
        line(["a", "list"]),  # 4
        line({"title": "No body"}),  # 5
        '{"title": "Caf\u00e9", "body": "Ventes en hausse de 5%."}'.encode("latin-1"),  # 6: not UTF-8
        line({"title": 42, "body": "Numbers are not titles."}),  # 7
        line({"title": "Blank body", "body": "   \n  "}),  # 8
        line({"title": "Second good", "text": "Cement demand fell 3%, the group said."}),  # 9
        b"   ",  # 10: whitespace only, skipped
        b"null",  # 11
        line({**GOOD, "url": "http://[/broken"}),  # 12
        line({**GOOD, "url": "file:///etc/passwd"}),  # 13
    ]
    data = b"\n".join(lines)
    items = list(parse_jsonl(data, "f.jsonl"))
    assert [a.title for a in articles(items)] == ["Mill output rises", "Second good"]
    got = {(r.source, r.reason): r.data for r in rejects(items)}
    assert got == {
        ("f.jsonl#L2", "bad_json"): lines[1],
        ("f.jsonl#L4", "not_an_object"): lines[3],
        ("f.jsonl#L5", "missing_body"): lines[4],
        ("f.jsonl#L6", "bad_encoding"): lines[5],
        ("f.jsonl#L7", "bad_field"): lines[6],
        ("f.jsonl#L8", "missing_body"): lines[7],
        ("f.jsonl#L11", "not_an_object"): lines[10],
        ("f.jsonl#L12", "bad_field"): lines[11],
        ("f.jsonl#L13", "bad_field"): lines[12],
    }
    assert all(r.detail for r in rejects(items))


def test_crlf_and_bom_and_no_final_newline() -> None:
    data = b"\xef\xbb\xbf" + line(GOOD) + b"\r\n" + line({**GOOD, "title": "Two"})
    assert [a.title for a in articles(list(parse_jsonl(data, "f.jsonl")))] == ["Mill output rises", "Two"]


def test_missing_title_is_taken_from_the_body() -> None:
    [a] = list(parse_jsonl(line({"body": "Steel output rose 4% in May, the mill said."}), "f.jsonl"))
    assert isinstance(a, Article)
    assert a.title == "Steel output rose 4% in May, the mill said."


def test_single_newlines_separate_paragraphs() -> None:
    [a] = list(parse_jsonl(line({"title": "T", "body": "First one.\nSecond one.\n"}), "f.jsonl"))
    assert isinstance(a, Article)
    assert a.body == "First one.\n\nSecond one."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-14T08:30:00+01:00", datetime(2025, 3, 14, 7, 30)),
        ("Fri, 14 Mar 2025 07:30:00 GMT", datetime(2025, 3, 14, 7, 30)),
        (1741937400, datetime(2025, 3, 14, 7, 30)),
        ("not a date", None),
        (True, None),
        (None, None),
    ],
)
def test_published_at_forms(value: object, expected: datetime | None) -> None:
    [a] = list(parse_jsonl(line({**GOOD, "published_at": value}), "f.jsonl"))
    assert isinstance(a, Article)
    assert a.published_at == expected


def test_other_language_is_detected_or_taken_from_the_line() -> None:
    french = {
        "title": "Le groupe Valor augmente sa production",
        "body": "Le groupe industriel Valor a annoncé mardi une hausse de 12 % de sa production d'acier "
        "au troisième trimestre, portée par la demande des constructeurs automobiles.",
    }
    [a] = list(parse_jsonl(line(french), "fr.jsonl"))
    assert isinstance(a, Article) and a.language == "fr"
    [b] = list(parse_jsonl(line({**GOOD, "language": "nl"}), "nl.jsonl"))
    assert isinstance(b, Article) and b.language == "nl"


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"\xef\xbb\xbf\n"])
def test_empty_file(data: bytes) -> None:
    with pytest.raises(InputError) as e:
        list(parse_jsonl(data, "e.jsonl"))
    assert e.value.reason == "empty"


def test_binary_file_is_one_reject_with_its_bytes(tmp_path: Path) -> None:
    data = b"\x00\x01\x02\x03" * 100
    [r] = list(parse_payload(data, "b.jsonl", ".jsonl", Settings(warehouse_dir=tmp_path)))
    assert isinstance(r, Reject)
    assert (r.source, r.reason, r.data) == ("b.jsonl", "binary", data)


def test_deep_nesting_is_a_bad_line_not_a_crash() -> None:
    data = line(GOOD) + b"\n" + b"[" * 100_000 + b"]" * 100_000
    items = list(parse_jsonl(data, "f.jsonl"))
    assert len(articles(items)) == 1
    [r] = rejects(items)
    assert (r.source, r.reason) == ("f.jsonl#L2", "bad_json")
