"""Parquet exports: every core table and mart, Hive-partitioned by month, replaced atomically."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline.exports import PARTITIONED_TABLES, export_all
from pipeline.models import build_models
from pipeline.schemas import TABLES
from tests.marts.sample import SQL_DIR, sample_warehouse

MARTS = sorted(p.stem for p in (SQL_DIR / "marts").glob("*.sql"))


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = sample_warehouse()
    build_models(con, SQL_DIR)
    return con


def _all_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_exports_every_table_and_mart(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows = export_all(con, str(tmp_path / "exports"))
    assert set(rows) == set(TABLES) | set(MARTS)
    for name, count in rows.items():
        assert con.execute(f'select count(*) from "{name}"').fetchall() == [(count,)], name
    for name in set(rows) - set(PARTITIONED_TABLES):
        assert pq.read_table(tmp_path / "exports" / f"{name}.parquet").num_rows == rows[name]


def test_large_tables_are_partitioned_by_publication_month(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    export_all(con, out)
    for name in PARTITIONED_TABLES:
        months = sorted(p.name for p in (out / name).iterdir())
        assert months == ["pub_month=2025-11", "pub_month=unknown"], name

    # pyarrow reads the folder as one dataset with the partition column back
    quotes = ds.dataset(out / "quotes", format="parquet", partitioning="hive").to_table()
    by_id = dict(zip(quotes["quote_id"].to_pylist(), quotes["pub_month"].to_pylist(), strict=True))
    assert by_id == {"q1": "2025-11", "q3": "2025-11", "q2": "unknown", "q4": "unknown"}
    assert quotes.schema.field("start_char").type == TABLES["quotes"].field("start_char").type

    # and so does DuckDB
    reader = duckdb.connect()
    got = reader.execute(
        "select pub_month, count(*) from read_parquet(?, hive_partitioning = true) group by all order by 1",
        [str(out / "entity_mentions" / "**" / "*.parquet")],
    ).fetchall()
    assert got == [("2025-11", 4), ("unknown", 2)]
    articles = reader.execute(
        "select article_id, published_at is null from read_parquet(?, hive_partitioning = true) "
        "where pub_month = 'unknown'",
        [str(out / "articles" / "*" / "*.parquet")],
    ).fetchall()
    assert articles == [("a2", True)]


def test_export_replaces_the_old_one_and_leaves_no_temp_files(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    export_all(con, out)
    first = _all_files(out)
    con.execute("delete from quotes where article_id = 'a2'")
    con.execute("update articles set published_at = timestamp '2025-12-24 10:00' where article_id = 'a2'")
    rows = export_all(con, out)
    assert rows["quotes"] == 2
    files = _all_files(out)
    assert not [f for f in files if ".tmp" in f or ".old" in f or Path(f).name.startswith(".")]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    # the month that no longer has rows is gone, not left behind from the old export
    assert sorted(p.name for p in (out / "quotes").iterdir()) == ["pub_month=2025-11"]
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["pub_month=2025-11", "pub_month=2025-12"]
    assert pq.read_table(out / "top_speakers.parquet").num_rows == rows["top_speakers"]
    assert sorted(p.name for p in (out / "metrics").iterdir()) == ["pub_month=2025-11", "pub_month=2025-12"]
    assert len(files) == len(first) - 1  # only quotes lost a month


def test_empty_partitioned_table_stays_readable(tmp_path: Path) -> None:
    con = sample_warehouse({})
    build_models(con, SQL_DIR)
    rows = export_all(con, tmp_path)
    assert rows["quotes"] == 0
    table = ds.dataset(tmp_path / "quotes", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 0 and "quote_text" in table.column_names


def test_failed_export_keeps_the_previous_one(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.exports as exports

    export_all(con, tmp_path)
    before = pq.read_table(tmp_path / "entities.parquet")

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(exports.pq.ParquetWriter, "write_batch", explode)
    con.execute("delete from entity_aliases")
    con.execute("delete from entities where entity_id = 'e_china'")
    with pytest.raises(OSError, match="disk full"):
        export_all(con, tmp_path)
    assert pq.read_table(tmp_path / "entities.parquet").equals(before)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_only_named_marts(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows = export_all(con, tmp_path, marts=["top_speakers"])
    assert set(rows) == set(TABLES) | {"top_speakers"}
