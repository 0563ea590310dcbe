"""One pyarrow schema per table: DuckDB DDL and Parquet both come from it."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa
import pytest

from pipeline.records import Reject
from pipeline.schemas import PRIMARY_KEYS, TABLES, create_table_sql, duckdb_type, to_table


@pytest.mark.parametrize("name", sorted(TABLES))
def test_ddl_matches_schema(name: str) -> None:
    con = duckdb.connect()
    con.execute(create_table_sql(name, TABLES[name]))
    cols = con.execute(
        "select column_name, data_type, is_nullable from information_schema.columns where table_name = ? "
        "order by ordinal_position",
        [name],
    ).fetchall()
    schema = TABLES[name]
    assert [c[0] for c in cols] == schema.names
    for (_, dtype, nullable), field in zip(cols, schema, strict=True):
        assert dtype == duckdb_type(field.type)
        if field.name not in PRIMARY_KEYS[name]:
            assert (nullable == "YES") == field.nullable


def test_primary_key_is_enforced() -> None:
    con = duckdb.connect()
    con.execute(create_table_sql("entities", TABLES["entities"]))
    insert = "insert into entities (entity_id, canonical_name, entity_type) values (?, ?, 'PERSON')"
    con.execute(insert, ["e1", "Gao Dongsheng"])
    with pytest.raises(duckdb.ConstraintException):
        con.execute(insert, ["e1", "Gao"])


def test_to_table_takes_schema_columns_from_records_and_mappings() -> None:
    rows = [
        {"reject_id": "r1", "source": "a", "reason": "empty", "run_id": "x", "rejected_at": datetime(2025, 1, 1)},
        Reject("b", "binary", "detail", b"\x00"),  # a dataclass without some columns: they stay null
    ]
    table = to_table(rows, TABLES["rejects"].remove(0).insert(0, pa.field("reject_id", pa.string())))
    assert table.column("source").to_pylist() == ["a", "b"]
    assert table.column("reject_id").to_pylist() == ["r1", None]
    assert "data" not in table.column_names


def test_unknown_arrow_type_is_refused() -> None:
    with pytest.raises(TypeError):
        duckdb_type(pa.list_(pa.string()))
