"""Local files on a schedule: a file unchanged since it was last read is passed over without being opened."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import pipeline.ingest as ingest
from pipeline.ingest import iter_local, iter_local_files
from pipeline.records import Article, Reject, SourceFile
from pipeline.settings import Settings


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text("Mill reopens\n\nThe paper mill in Tampere reopened on Monday.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "list.urls").write_text("https://news.test/x\n")
    return tmp_path


def markers(items: list[object]) -> dict[str, SourceFile]:
    return {Path(m.source).name: m for m in items if isinstance(m, SourceFile)}


def test_each_file_read_is_followed_by_its_marker(folder: Path) -> None:
    items = list(iter_local_files([str(folder)], Settings(), {}))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Article", "SourceFile", "Reject", "SourceFile"]  # a.txt, then empty.txt; no .urls
    m = markers(items)
    st = (folder / "a.txt").stat()
    assert (m["a.txt"].size, m["a.txt"].mtime_ns, m["a.txt"].articles) == (st.st_size, st.st_mtime_ns, 1)
    assert not m["a.txt"].unchanged and m["empty.txt"].articles == 1  # a reject counts as what the file gave
    assert [type(i) for i in iter_local([str(folder)], Settings())] == [Article, Reject]


def test_an_unchanged_file_is_not_opened(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = markers(list(iter_local_files([str(folder)], Settings(), {})))
    known = {m.source: (m.size, m.mtime_ns, m.articles) for m in first.values()}

    def no_read(path: Path, settings: Settings) -> object:
        raise AssertionError(f"{path} was opened")

    monkeypatch.setattr(ingest, "read_file", no_read)
    again = list(iter_local_files([str(folder)], Settings(), known))
    assert all(isinstance(i, SourceFile) and i.unchanged for i in again)
    assert {Path(i.source).name: i.articles for i in again if isinstance(i, SourceFile)} == {"a.txt": 1, "empty.txt": 1}


def test_a_changed_size_or_modification_time_is_read_again(folder: Path) -> None:
    first = markers(list(iter_local_files([str(folder)], Settings(), {})))
    known = {m.source: (m.size, m.mtime_ns, m.articles) for m in first.values()}
    a = folder / "a.txt"
    st = a.stat()
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # touched: same bytes, read again
    (folder / "empty.txt").write_text("Now with text\n\nThe council approved the budget.\n")
    items = list(iter_local_files([str(folder)], Settings(), known))
    assert [type(i).__name__ for i in items] == ["Article", "SourceFile", "Article", "SourceFile"]
    assert not any(m.unchanged for m in markers(items).values())


def test_an_unreadable_file_is_not_remembered(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(path: Path, settings: Settings) -> object:
        yield Reject(str(path), "unreadable", "permission denied")

    monkeypatch.setattr(ingest, "read_file", unreadable)
    items = list(iter_local_files([str(folder / "a.txt")], Settings(), {}))
    assert [type(i) for i in items] == [Reject]  # no marker: the next run tries it again
