"""Bounded reads, binary detection, dates and source walking."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.ingest import iter_local, split_sources, walk
from pipeline.ingest.common import InputError, looks_binary, parse_datetime, read_bounded
from pipeline.records import Article, Reject
from pipeline.settings import Settings


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk, never read
        fh.truncate(200 * 1024 * 1024)
    with pytest.raises(InputError) as e:
        read_bounded(big, 20_000_000)
    assert e.value.reason == "too_large"
    assert "209,715,200 bytes" in e.value.detail


def test_unreadable_file_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "locked.txt"
    p.write_text("Title\nBody.\n")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    items = list(iter_local([str(p)], Settings(warehouse_dir=tmp_path / "wh")))
    assert len(items) == 1 and isinstance(items[0], Reject)
    assert items[0].reason == "unreadable" and "Permission denied" in items[0].detail


def test_unreadable_file(tmp_path: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("Title\nBody.\n")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running as root: permissions do not stop reads")
        with pytest.raises(InputError) as e:
            read_bounded(p, 1000)
        assert e.value.reason == "unreadable"
    finally:
        p.chmod(0o644)


@pytest.mark.parametrize(
    ("data", "binary"),
    [(b"plain text\n", False), (b"\x00\x01\x02", True), (bytes(range(1, 9)) * 100, True), (b"", False)],
)
def test_looks_binary(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-25", datetime(2025, 11, 25)),
        ("Tue, 25 Nov 2025 08:30:00 +0100", datetime(2025, 11, 25, 7, 30)),
        ("2025-11-25T10:00:00Z", datetime(2025, 11, 25, 10, 0)),
        ("not a date", None),
        ("", None),
    ],
)
def test_parse_datetime(text: str, expected: datetime | None) -> None:
    assert parse_datetime(text) == expected


def test_walk_symlink_loop_and_missing(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("Title\nBody.\n")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    (tmp_path / "self").symlink_to(tmp_path / "self")
    out = list(walk([str(tmp_path / "a"), str(tmp_path / "self"), str(tmp_path / "nope")]))
    files = [p for p in out if isinstance(p, Path)]
    rejects = [r for r in out if isinstance(r, Reject)]
    assert files == [tmp_path / "a" / "x.txt"]
    assert sorted(r.reason for r in rejects) == ["missing", "symlink_loop", "symlink_loop"]


def test_iter_local_mixes_articles_and_rejects(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Title\nA body.\n")
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "README.TXT").write_text("not an article")
    items = list(iter_local([str(tmp_path)], Settings(warehouse_dir=tmp_path / "wh")))
    assert [type(i) for i in items] == [Reject, Article]
    assert isinstance(items[0], Reject) and items[0].reason == "empty"
    assert items[0].data == b"  \n"


def test_split_sources() -> None:
    paths, urls = split_sources(["a.txt", "https://x.test/feed", "file:///etc/passwd", "http://y.test"])
    assert paths == ["a.txt", "file:///etc/passwd"]
    assert urls == ["https://x.test/feed", "http://y.test"]
    rejects = list(walk(["file:///etc/passwd"]))
    assert isinstance(rejects[0], Reject) and rejects[0].reason == "unsupported_scheme"


def test_malformed_url_header_is_a_reject_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("URL: http://[/x\nTitle\n\nBody text.\n")
    items = list(iter_local([str(tmp_path)], Settings(warehouse_dir=tmp_path / "wh")))
    assert len(items) == 1 and isinstance(items[0], Reject)
    assert items[0].reason == "bad_url"


def test_a_reader_failure_costs_one_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ingest as ingest

    def broken(data: bytes, source: str) -> Article:
        raise ValueError("unexpected structure")

    (tmp_path / "a.txt").write_text("Title\n\nBody.\n")
    monkeypatch.setattr(ingest, "parse_text", broken)
    items = list(iter_local([str(tmp_path)], Settings(warehouse_dir=tmp_path / "wh")))
    assert len(items) == 1 and isinstance(items[0], Reject)
    assert items[0].reason == "parse_error" and "unexpected structure" in items[0].detail
    assert items[0].data == b"Title\n\nBody.\n"
