"""The writer's private database, published atomically: readers keep their snapshot and never block."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from pipeline.warehouse.publish import ensure_work_db, publish


def make_db(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table t as select range as i from range(?)", [rows])


def count(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return int(con.execute("select count(*) from t").fetchall()[0][0])


def test_publish_replaces_the_file_while_a_reader_keeps_its_snapshot(tmp_path: Path) -> None:
    work, published = tmp_path / ".work" / "news.duckdb", tmp_path / "news.duckdb"
    make_db(work, 3)
    publish(work, published)
    reader = duckdb.connect(str(published), read_only=True)  # held open across the next write and publish
    try:
        # The writer is not blocked by the reader: it writes its own file, then renames over the reader's.
        with duckdb.connect(str(work)) as con:
            con.execute("insert into t select 99")
        publish(work, published)
        assert reader.execute("select count(*) from t").fetchall() == [(3,)]
    finally:
        reader.close()
    assert count(published) == 4
    assert not list(tmp_path.glob(".news.duckdb.*.tmp"))  # no temporary copy left behind


def test_publish_folds_a_left_over_wal_into_the_copy(tmp_path: Path) -> None:
    work, published = tmp_path / ".work" / "news.duckdb", tmp_path / "news.duckdb"
    make_db(work, 2)
    # A writer that dies right after its commit (kill -9) leaves the row in the WAL, not in the file.
    crash = (
        "import os, sys, duckdb; con = duckdb.connect(sys.argv[1]); "
        "con.execute(\"set checkpoint_threshold = '1TB'\"); con.execute('insert into t select 7'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", crash, str(work)], check=True)
    assert work.with_name("news.duckdb.wal").exists()
    publish(work, published)
    assert count(published) == 3


def test_an_older_warehouse_becomes_the_writers_copy(tmp_path: Path) -> None:
    work, published = tmp_path / ".work" / "news.duckdb", tmp_path / "news.duckdb"
    make_db(published, 5)
    ensure_work_db(work, published)
    assert count(work) == 5
    make_db(published, 1)
    ensure_work_db(work, published)  # the writer's copy, once there, is the truth
    assert count(work) == 5
