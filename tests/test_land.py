"""Landing Parquet: one file per table per run, appearing only when complete."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.land import LandingWriter, landing_path, run_files
from pipeline.schemas import REJECTS


def _reject(i: int) -> dict[str, object]:
    from datetime import datetime

    return {
        "reject_id": f"r{i}",
        "source": f"s{i}",
        "reason": "empty",
        "run_id": "run",
        "rejected_at": datetime(2025, 1, 1),
    }


def test_streams_batches_into_one_file(tmp_path: Path) -> None:
    with LandingWriter(tmp_path, "run", date(2025, 1, 2)) as w:
        w.write("rejects", [_reject(1), _reject(2)])
        w.write("rejects", [_reject(3)])
        w.write("quotes", [])
        assert not list(tmp_path.rglob("*.parquet"))  # nothing visible before close
        files = w.close()
    path = landing_path(tmp_path, "rejects", date(2025, 1, 2), "run")
    assert files == {"rejects": path}
    assert path.as_posix().endswith("rejects/run_date=2025-01-02/run.parquet")
    table = pq.read_table(path)
    assert table.num_rows == 3 and table.schema.equals(REJECTS)
    assert run_files(tmp_path, "run") == {"rejects": path}


def test_abort_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), LandingWriter(tmp_path, "run", date(2025, 1, 2)) as w:
        w.write("rejects", [_reject(1)])
        raise RuntimeError("boom")
    assert not list(tmp_path.rglob("*.parquet*"))
    assert run_files(tmp_path, "run") == {}
