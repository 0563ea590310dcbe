"""The flow with extraction on a Dask LocalCluster gives the same tables as the default runner."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.schemas import TABLES

pytestmark = pytest.mark.usefixtures("prefect_harness")

ARTICLES = {
    "steel.txt": "Steel merger agreed\n\nKarin Lindqvist, chief executive of Nordstahl, said the deal would "
    "save about 300 million euros a year.\n",
    "port.txt": "Date: 2025-03-04\nPort volumes rise\n\nRotterdam handled 13.8 million containers last year, "
    '"a record," said Jan de Vries of the Port of Rotterdam.\n',
    "chips.txt": "Chip sales climb\n\nSales in China rose 12% to 1.8 trillion yuan in the first half of 2025,"
    " the Ministry of Industry and Information Technology said.\n",
    "rail.txt": "Rail strike ends\n\nUnions in France agreed to return to work after talks in Paris, "
    "Transport Minister Claire Martin told reporters.\n",
}


# Stamped by the run, so they differ between two runs of the same input.
RUN_COLUMNS = {"run_id", "ingested_at", "rejected_at", "first_seen_at"}


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, without the run-stamped columns."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for t in TABLES:
            if t == "pipeline_runs":
                continue
            cols = ", ".join(c for c in TABLES[t].names if c not in RUN_COLUMNS)
            out[t] = con.execute(f"select {cols} from {t} order by all").fetchall()
    return out


def test_dask_runner_matches_the_default_runner(tmp_path: Path) -> None:
    from flows.news_etl import news_etl

    src = tmp_path / "in"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text)
    # batch_size=1: four batches, so two workers really share the work and results come back
    # out of order; the landed rows must still be the same, in the same order.
    common = {"batch_size": 1}
    local = news_etl(sources=[str(src)], warehouse_dir=str(tmp_path / "local"), settings_overrides=common)
    dask = news_etl(
        sources=[str(src)],
        warehouse_dir=str(tmp_path / "dask"),
        settings_overrides={**common, "task_runner": "dask", "n_process": 2},
    )
    assert local.ingest.new == dask.ingest.new == len(ARTICLES)
    assert dask.table_counts == local.table_counts
    assert dask.table_counts["entity_mentions"] > 0 and dask.table_counts["metrics"] > 0
    assert snapshot(tmp_path / "dask" / "news.duckdb") == snapshot(tmp_path / "local" / "news.duckdb")

    # The landed extraction files hold the same rows in the same order.
    for table in ("entities", "entity_aliases", "entity_mentions", "quotes", "metrics"):
        a, b = (landed(tmp_path / wh, table) for wh in ("local", "dask"))
        assert a == b, table


def landed(warehouse: Path, table: str) -> list[dict[str, object]]:
    (path,) = (warehouse / "landing" / table).glob("run_date=*/*.parquet")
    rows = pq.read_table(path).to_pylist()
    return [{k: v for k, v in r.items() if k not in RUN_COLUMNS} for r in rows]
