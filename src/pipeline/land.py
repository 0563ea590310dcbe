"""Landing: each run streams its rows to one Parquet file per table under warehouse/landing/."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schemas import TABLES, to_table


def landing_path(landing_dir: Path, table: str, run_date: date, run_id: str) -> Path:
    return landing_dir / table / f"run_date={run_date.isoformat()}" / f"{run_id}.parquet"


class LandingWriter:
    """Streams record batches per table; files appear (atomically renamed) only on `close()`.

    A run killed midway leaves `*.parquet.tmp` files that no load ever reads.
    """

    def __init__(self, landing_dir: Path, run_id: str, run_date: date) -> None:
        self.landing_dir = landing_dir
        self.run_id = run_id
        self.run_date = run_date
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._tmp: dict[str, Path] = {}
        self.rows: dict[str, int] = {}

    def write(self, table: str, records: Iterable[Any]) -> int:
        data = to_table(records, TABLES[table])
        return self.write_table(table, data)

    def write_table(self, table: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0
        writer = self._writers.get(table)
        if writer is None:
            final = landing_path(self.landing_dir, table, self.run_date, self.run_id)
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.with_name(final.name + ".tmp")
            writer = pq.ParquetWriter(tmp, TABLES[table], compression="zstd")
            self._writers[table] = writer
            self._tmp[table] = tmp
        writer.write_table(data)
        self.rows[table] = self.rows.get(table, 0) + data.num_rows
        return data.num_rows

    def close(self) -> dict[str, Path]:
        """Finish every file and move it into place; returns table -> final path."""
        out: dict[str, Path] = {}
        for table, writer in self._writers.items():
            writer.close()
            final = landing_path(self.landing_dir, table, self.run_date, self.run_id)
            os.replace(self._tmp[table], final)
            out[table] = final
        self._writers.clear()
        return out

    def abort(self) -> None:
        for table, writer in self._writers.items():
            writer.close()
            self._tmp[table].unlink(missing_ok=True)
        self._writers.clear()

    def __enter__(self) -> LandingWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self.abort()


def run_files(landing_dir: Path, run_id: str) -> dict[str, Path]:
    """The landing files a run wrote, found on disk (the load reads exactly these)."""
    out: dict[str, Path] = {}
    for table in TABLES:
        hits = sorted((landing_dir / table).glob(f"run_date=*/{run_id}.parquet"))
        if hits:
            out[table] = hits[-1]
    return out
