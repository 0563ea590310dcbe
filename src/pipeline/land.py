"""Landing: each run streams its rows to one Parquet file per table under warehouse/landing/.

The landing root is a local folder (a `Path`) or any fsspec URL (a `str`: `s3://bucket/landing`,
`gs://...`). Local files are written natively; URLs go through fsspec, with credentials from the
filesystem's usual environment (`AWS_*` for s3fs) and extra `storage_options` from the settings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schemas import LANDING_TABLES, to_table

# A local folder or file (Path) or a URL on an fsspec filesystem (str).
Location = Path | str


def is_url(location: Location | str) -> bool:
    return isinstance(location, str) and "://" in location and not location.startswith("file://")


def filesystem(location: Location, storage_options: Mapping[str, Any] | None = None) -> fsspec.AbstractFileSystem:
    """The fsspec filesystem that holds `location` (fsspec caches instances per options)."""
    if not is_url(location):
        return fsspec.filesystem("file")
    fs, _ = fsspec.core.url_to_fs(str(location), **dict(storage_options or {}))
    return fs


def landing_path(landing_dir: Location, table: str, run_date: date, run_id: str) -> Location:
    parts = (table, f"run_date={run_date.isoformat()}", f"{run_id}.parquet")
    if is_url(landing_dir):
        return "/".join([str(landing_dir).rstrip("/"), *parts])
    return Path(landing_dir).joinpath(*parts)


def open_landed(path: Location, storage_options: Mapping[str, Any] | None = None) -> pq.ParquetFile:
    """A landed Parquet file, local or remote, opened for streaming reads."""
    if not is_url(path):
        return pq.ParquetFile(path)
    return pq.ParquetFile(filesystem(path, storage_options).open(str(path), "rb"))


class LandingWriter:
    """Streams record batches per table; files appear (renamed into place) only on `close()`.

    A run killed midway leaves `*.parquet.tmp` files that no load ever reads. On object storage
    the rename is a server-side copy; the final object still appears whole or not at all.
    """

    def __init__(
        self,
        landing_dir: Location,
        run_id: str,
        run_date: date,
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.landing_dir = landing_dir
        self.run_id = run_id
        self.run_date = run_date
        self._fs = filesystem(landing_dir, storage_options) if is_url(landing_dir) else None
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._files: dict[str, IO[bytes]] = {}
        self._tmp: dict[str, Location] = {}
        self.rows: dict[str, int] = {}

    def write(self, table: str, records: Iterable[Any]) -> int:
        data = to_table(records, LANDING_TABLES[table])
        return self.write_table(table, data)

    def write_table(self, table: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0
        writer = self._writers.get(table)
        if writer is None:
            writer = self._open(table)
        writer.write_table(data)
        self.rows[table] = self.rows.get(table, 0) + data.num_rows
        return int(data.num_rows)

    def _open(self, table: str) -> pq.ParquetWriter:
        final = landing_path(self.landing_dir, table, self.run_date, self.run_id)
        if self._fs is None:
            tmp: Location = Path(final).with_name(Path(final).name + ".tmp")
            Path(tmp).parent.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(tmp, LANDING_TABLES[table], compression="zstd")
        else:
            tmp = f"{final}.tmp"
            f = self._fs.open(tmp, "wb")
            self._files[table] = f
            writer = pq.ParquetWriter(f, LANDING_TABLES[table], compression="zstd")
        self._writers[table] = writer
        self._tmp[table] = tmp
        return writer

    def _finish(self, table: str) -> None:
        self._writers[table].close()
        f = self._files.pop(table, None)
        if f is not None:
            f.close()

    def close(self) -> dict[str, Location]:
        """Finish every file and move it into place; returns table -> final path."""
        out: dict[str, Location] = {}
        for table in list(self._writers):
            self._finish(table)
            final = landing_path(self.landing_dir, table, self.run_date, self.run_id)
            if self._fs is None:
                os.replace(self._tmp[table], final)
            else:
                self._fs.mv(str(self._tmp[table]), str(final))
            out[table] = final
        self._writers.clear()
        return out

    def abort(self) -> None:
        for table in list(self._writers):
            self._finish(table)
            tmp = self._tmp[table]
            if self._fs is None:
                Path(tmp).unlink(missing_ok=True)
            elif self._fs.exists(str(tmp)):
                self._fs.rm(str(tmp))
        self._writers.clear()

    def __enter__(self) -> LandingWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self.abort()


def run_files(
    landing_dir: Location, run_id: str, storage_options: Mapping[str, Any] | None = None
) -> dict[str, Location]:
    """The landing files a run wrote, found in storage (the load reads exactly these)."""
    out: dict[str, Location] = {}
    if not is_url(landing_dir):
        for table in LANDING_TABLES:
            hits = sorted((Path(landing_dir) / table).glob(f"run_date=*/{run_id}.parquet"))
            if hits:
                out[table] = hits[-1]
        return out
    fs = filesystem(landing_dir, storage_options)
    root = str(landing_dir).rstrip("/")
    fs.invalidate_cache()  # another process (a Dask worker, an earlier step) may have written since
    for table in LANDING_TABLES:
        hits = sorted(fs.glob(f"{root}/{table}/run_date=*/{run_id}.parquet"))
        if hits:
            out[table] = fs.unstrip_protocol(hits[-1])
    return out
