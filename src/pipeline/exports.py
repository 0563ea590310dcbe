"""Parquet exports for BI tools: the core tables and every mart, each replaced atomically.

Small tables go to `<exports_dir>/<name>.parquet`. The large, per-article tables go to a
Hive-partitioned folder `<exports_dir>/<name>/pub_month=YYYY-MM/part-0.parquet`, the month
taken from the article's `published_at` (`pub_month=unknown` for undated articles).

Each export is written to a hidden temporary sibling first and then renamed over the old
one (a folder: old renamed away, new renamed in, old deleted), so a reader never sees half
a file. Paths go through `pyarrow.fs`, so `exports_dir` may also be any fsspec URL such as
`s3://bucket/exports` or `gs://bucket/exports` (wrapped as a pyarrow filesystem, with the same
credentials and `storage_options` as the landing; there a rename is a copy, not atomic).
Nothing here opens, commits or rolls back a transaction: the caller owns it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from pipeline.land import filesystem, is_url
from pipeline.schemas import ARTICLE_TABLES, PRIMARY_KEYS, TABLES

PARTITION_COLUMN = "pub_month"
UNKNOWN_MONTH = "unknown"
PARTITIONED_TABLES: tuple[str, ...] = ARTICLE_TABLES  # articles, entity_mentions, quotes, metrics
BATCH_ROWS = 64_000


@dataclass(frozen=True)
class ExportTarget:
    """Where `exports_dir` lives: a pyarrow filesystem and a path on it."""

    fs: pafs.FileSystem
    root: str

    def path(self, name: str) -> str:
        return f"{self.root.rstrip('/')}/{name}"


def resolve_target(
    exports_dir: str | os.PathLike[str], storage_options: Mapping[str, Any] | None = None
) -> ExportTarget:
    """A local folder (created if missing) or an fsspec URL (s3://, gs://, ...) seen through pyarrow."""
    text = os.fspath(exports_dir)
    fs: pafs.FileSystem
    if is_url(text):
        remote = filesystem(text, storage_options)
        fs, root = pafs.PyFileSystem(pafs.FSSpecHandler(remote)), remote._strip_protocol(text)
    else:
        fs, root = pafs.LocalFileSystem(), os.path.abspath(text.removeprefix("file://"))
    fs.create_dir(root, recursive=True)
    return ExportTarget(fs, root)


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def mart_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every view or table in `main` that is not a core table, a staging model or private (`_x`)."""
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'main' order by table_name"
    ).fetchall()
    names = [str(r[0]) for r in rows]
    return [n for n in names if n not in TABLES and not n.startswith(("stg_", "_"))]


def _core_query(name: str) -> str:
    order = ", ".join(f"t.{_q(c)}" for c in PRIMARY_KEYS[name])
    if name not in PARTITIONED_TABLES:
        return f"select t.* from main.{_q(name)} as t order by {order}"
    # Child rows take their article's month; the join is on the key, so it adds no rows.
    join = "" if name == "articles" else "left join main.articles as a on a.article_id = t.article_id"
    published = "t.published_at" if name == "articles" else "a.published_at"
    month = f"coalesce(strftime({published}, '%Y-%m'), '{UNKNOWN_MONTH}')"
    return (
        f"select t.*, {month} as {PARTITION_COLUMN} from main.{_q(name)} as t {join} "
        f"order by {PARTITION_COLUMN}, {order}"
    )


def _reader(con: duckdb.DuckDBPyConnection, query: str, schema: pa.Schema | None) -> pa.RecordBatchReader:
    reader = con.sql(query).to_arrow_reader(BATCH_ROWS)
    if schema is None:
        return reader
    return reader.cast(schema)


def _export_schema(name: str) -> pa.Schema | None:
    """The core table's schema (plus the partition column) so exports keep its exact types."""
    if name not in TABLES:
        return None
    schema: pa.Schema = TABLES[name]
    # Nullability is a promise about the data, not about a Parquet column; keep it loose for readers.
    schema = pa.schema([f.with_nullable(True) for f in schema])
    if name in PARTITIONED_TABLES:
        schema = schema.append(pa.field(PARTITION_COLUMN, pa.string()))
    return schema


class _Counter:
    """Passes record batches through and counts their rows."""

    def __init__(self, reader: pa.RecordBatchReader) -> None:
        self.reader = reader
        self.rows = 0

    def batches(self) -> Iterator[pa.RecordBatch]:
        for batch in self.reader:
            self.rows += batch.num_rows
            yield batch

    def as_reader(self) -> pa.RecordBatchReader:
        return pa.RecordBatchReader.from_batches(self.reader.schema, self.batches())


def _tmp_name(target: ExportTarget, name: str, kind: str) -> str:
    return target.path(f".{name}.{kind}-{uuid.uuid4().hex[:12]}")


def _exists(fs: pafs.FileSystem, path: str) -> pafs.FileType:
    info: pafs.FileInfo = fs.get_file_info(path)
    return info.type


def _remove(fs: pafs.FileSystem, path: str) -> None:
    kind = _exists(fs, path)
    if kind == pafs.FileType.Directory:
        fs.delete_dir(path)
    elif kind == pafs.FileType.File:
        fs.delete_file(path)


def _move(fs: pafs.FileSystem, src: str, dst: str) -> None:
    """Rename a file or folder: atomic on a local disk; on object storage, copy each object then delete.

    (fsspec's recursive `mv` on object stores also tries to copy the folder markers it lists,
    which are not objects, so folders are moved one file at a time.)
    """
    if isinstance(fs, pafs.LocalFileSystem) or _exists(fs, src) != pafs.FileType.Directory:
        fs.move(src, dst)
        return
    for info in fs.get_file_info(pafs.FileSelector(src, recursive=True)):
        if info.type == pafs.FileType.File:
            rel = info.path[len(src.rstrip("/")) + 1 :]
            fs.copy_file(info.path, f"{dst}/{rel}")
    fs.delete_dir(src)


def _write_file(target: ExportTarget, name: str, reader: pa.RecordBatchReader) -> int:
    final = target.path(f"{name}.parquet")
    tmp = _tmp_name(target, f"{name}.parquet", "tmp")
    counter = _Counter(reader)
    try:
        with pq.ParquetWriter(tmp, reader.schema, filesystem=target.fs) as writer:
            for batch in counter.batches():
                writer.write_batch(batch)
        if _exists(target.fs, final) == pafs.FileType.Directory:
            target.fs.delete_dir(final)
        _move(target.fs, tmp, final)  # a rename over the old file: atomic on a local disk
    except BaseException:
        _remove(target.fs, tmp)
        raise
    return counter.rows


def _write_partitioned(target: ExportTarget, name: str, reader: pa.RecordBatchReader) -> int:
    final = target.path(name)
    tmp = _tmp_name(target, name, "tmp")
    old = _tmp_name(target, name, "old")
    counter = _Counter(reader)
    try:
        ds.write_dataset(
            counter.as_reader(),
            tmp,
            format="parquet",
            filesystem=target.fs,
            partitioning=[PARTITION_COLUMN],
            partitioning_flavor="hive",
            basename_template="part-{i}.parquet",
            existing_data_behavior="error",
            max_rows_per_group=BATCH_ROWS,
        )
        if counter.rows == 0:
            # Keep the folder readable (and its schema known) when the table is empty.
            schema = reader.schema.remove(reader.schema.get_field_index(PARTITION_COLUMN))
            empty = f"{tmp}/{PARTITION_COLUMN}={UNKNOWN_MONTH}"
            target.fs.create_dir(empty, recursive=True)
            pq.write_table(schema.empty_table(), f"{empty}/part-0.parquet", filesystem=target.fs)
        existing = _exists(target.fs, final)
        if existing == pafs.FileType.NotFound:
            _move(target.fs, tmp, final)
        else:
            _move(target.fs, final, old)
            _move(target.fs, tmp, final)
            _remove(target.fs, old)
    except BaseException:
        _remove(target.fs, tmp)
        raise
    return counter.rows


def export_table(con: duckdb.DuckDBPyConnection, target: ExportTarget, name: str) -> int:
    """Write one core table or mart; returns its row count."""
    if name in TABLES:
        reader = _reader(con, _core_query(name), _export_schema(name))
        if name in PARTITIONED_TABLES:
            return _write_partitioned(target, name, reader)
        return _write_file(target, name, reader)
    return _write_file(target, name, _reader(con, f"select * from main.{_q(name)}", None))


def export_all(
    con: duckdb.DuckDBPyConnection,
    exports_dir: str | os.PathLike[str],
    *,
    marts: Sequence[str] | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> dict[str, int]:
    """Export the core tables and every mart (default: all of `mart_names(con)`); rows per export."""
    target = resolve_target(exports_dir, storage_options)
    names = [*TABLES, *(mart_names(con) if marts is None else marts)]
    return {name: export_table(con, target, name) for name in names}
