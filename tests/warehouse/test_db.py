"""Opening the warehouse: tables from the schemas, additive migrations, the skip-check state."""

from __future__ import annotations

from pathlib import Path

from pipeline.schemas import TABLES
from pipeline.warehouse.db import (
    connect,
    ensure_tables,
    known_articles,
    known_rejects,
    known_sources,
    models_built,
    table_counts,
)


def test_ensure_tables_creates_everything_and_is_idempotent(tmp_path: Path) -> None:
    with connect(tmp_path / "w" / "news.duckdb", memory_limit="256MB") as con:
        ensure_tables(con)
        ensure_tables(con)
        assert table_counts(con) == dict.fromkeys(TABLES, 0)
        assert con.execute("select current_setting('memory_limit')").fetchall()[0][0].startswith("244")


def test_a_column_added_to_a_schema_is_added_to_an_old_warehouse(tmp_path: Path) -> None:
    with connect(tmp_path / "news.duckdb") as con:
        ensure_tables(con)
        con.execute("alter table articles drop column site_name")
        ensure_tables(con)
        names = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_name='articles'"
            ).fetchall()
        ]
    assert "site_name" in names


def test_known_state(tmp_path: Path) -> None:
    with connect(tmp_path / "news.duckdb") as con:
        ensure_tables(con)
        con.execute(
            "insert into articles (article_id, source, source_type, title, ingested_at, body, word_count, "
            "content_hash, extractor_version, run_id) values ('a1', 's', 'text', 't', now(), 'b', 1, 'h1', '1', 'r')"
        )
        con.execute("insert into article_sources values ('s', 'a1', 'text', 'r')")
        con.execute(
            "insert into rejects by name select 'x1' as reject_id, 'bad' as source, 'empty' as reason, "
            "'r' as run_id, now() as rejected_at"
        )
        known = known_articles(con)
        assert (known["a1"].content_hash, known["a1"].extractor_version) == ("h1", "1")
        assert known_sources(con) == {("s", "a1")}
        assert known_rejects(con) == {"x1"}


def test_models_built(tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    (sql / "marts").mkdir(parents=True)
    (sql / "marts" / "m1.sql").write_text("select 1 as x")
    with connect(tmp_path / "news.duckdb") as con:
        assert not models_built(con, sql)
        con.execute("create view m1 as select 1 as x")
        assert models_built(con, sql)
