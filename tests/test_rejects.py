"""Stored rejects stay inside warehouse/rejects/ and are stored once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pipeline.records import Reject
from pipeline.rejects import reject_id, safe_name, store_reject

NOW = datetime(2025, 1, 1)


@pytest.mark.parametrize(
    "source",
    ["../../etc/passwd", "https://evil.test/../../x?y=/../z", "/tmp/a b/..", "..", "feed.xml#L3", ".bashrc"],
)
def test_names_cannot_escape(tmp_path: Path, source: str) -> None:
    rejects = tmp_path / "rejects"
    row = store_reject(Reject(source, "bad", "detail", b"bytes"), rejects, "run", NOW)
    assert row.stored_path is not None
    stored = Path(row.stored_path)
    assert stored.parent == rejects.resolve()
    assert stored.read_bytes() == b"bytes"
    assert not safe_name(source).startswith(".")
    assert "/" not in safe_name(source)


def test_same_input_same_reject(tmp_path: Path) -> None:
    r = Reject("a.txt", "empty", "the file is empty", b"")
    assert reject_id(r) == reject_id(Reject("a.txt", "empty", "other words", b""))
    assert reject_id(r) != reject_id(Reject("b.txt", "empty", "", b""))
    store_reject(r, tmp_path, "run1", NOW)
    store_reject(r, tmp_path, "run2", NOW)
    assert len(list(tmp_path.iterdir())) == 1


def test_reject_without_bytes_stores_nothing(tmp_path: Path) -> None:
    row = store_reject(Reject("a.txt", "duplicate", "same as b.txt"), tmp_path / "r", "run", NOW)
    assert row.stored_path is None
    assert not (tmp_path / "r").exists()
