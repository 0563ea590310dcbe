"""Readers never stop a run: the writer works on a private database and publishes it atomically.

Readers (the DuckDB CLI, notebooks, BI drivers) open `warehouse/news.duckdb` read-only, and DuckDB
holds a file lock for as long as they do, which a writer on the same file cannot get. So runs write
to `warehouse/.work/news.duckdb` (under the writer lock, one run at a time) and, after each run,
copy it to a temporary name beside `news.duckdb` and rename it over. A reader that already has the
old file open keeps that inode, a consistent snapshot of the last completed run; a new connection
sees the new state. A crash before the rename leaves the published file as it was.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb


def _wal(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def checkpoint(db: Path) -> None:
    """Fold a left-over write-ahead log into the file, so that copying the file copies everything."""
    if _wal(db).exists():
        with duckdb.connect(str(db)) as con:
            con.execute("checkpoint")


def ensure_work_db(work: Path, published: Path) -> None:
    """Create the writer's copy from the published warehouse the first time (older warehouses had only that)."""
    if work.exists() or not published.exists():
        return
    work.parent.mkdir(parents=True, exist_ok=True)
    checkpoint(published)  # a warehouse written before this design may have a WAL beside it
    tmp = work.with_name(work.name + ".tmp")
    shutil.copyfile(published, tmp)
    os.replace(tmp, work)


def publish(work: Path, published: Path) -> float:
    """Copy the (closed) working database over the published one atomically; returns the seconds it took."""
    t0 = time.perf_counter()
    checkpoint(work)
    tmp = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(work, tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        # A WAL beside the published file would belong to the old file: readers must never replay it.
        _wal(published).unlink(missing_ok=True)
        os.replace(tmp, published)
    finally:
        tmp.unlink(missing_ok=True)
    return time.perf_counter() - t0
