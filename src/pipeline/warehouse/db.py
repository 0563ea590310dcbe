"""Open the warehouse and make sure every table exists, from the schemas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.schemas import TABLES, create_table_sql, duckdb_type


def connect(db_path: Path, *, read_only: bool = False, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; `memory_limit` caps DuckDB's buffers (it spills to disk beyond), keeping runs flat."""
    if not read_only:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit} if memory_limit else {}
    return duckdb.connect(str(db_path), read_only=read_only, config=config)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables and add columns a newer schema introduced (never drops anything)."""
    for name, schema in TABLES.items():
        con.execute(create_table_sql(name, schema))
        have = {
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'main' and table_name = ?",
                [name],
            ).fetchall()
        }
        for field in schema:
            if field.name not in have:
                con.execute(f'alter table "{name}" add column "{field.name}" {duckdb_type(field.type)}')


@dataclass(frozen=True)
class KnownArticle:
    content_hash: str
    extractor_version: str


def known_articles(con: duckdb.DuckDBPyConnection) -> dict[str, KnownArticle]:
    """article_id -> what is loaded for it: the skip check before any NLP."""
    rows = con.execute("select article_id, content_hash, extractor_version from articles").fetchall()
    return {r[0]: KnownArticle(r[1], r[2]) for r in rows}


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in TABLES:
        row = con.execute(f'select count(*) from "{name}"').fetchone()
        out[name] = int(row[0]) if row else 0
    return out


def known_sources(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(source, article_id) pairs already recorded: a rerun lands only new ones."""
    return {(r[0], r[1]) for r in con.execute("select source, article_id from article_sources").fetchall()}


def known_rejects(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("select reject_id from rejects").fetchall()}


def models_built(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> bool:
    """Does every SQL model of `sql_dir` exist in the warehouse?"""
    names = {p.stem for p in sql_dir.glob("*/*.sql")}
    have = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    return names <= have


def known_files(con: duckdb.DuckDBPyConnection, extractor_version: str) -> dict[str, tuple[int, int, int]]:
    """source -> (size, mtime_ns, articles) of local files last read under this extractor version."""
    rows = con.execute(
        "select source, size, mtime_ns, articles from source_files where extractor_version = ?",
        [extractor_version],
    ).fetchall()
    return {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in rows}


def known_quarantine(
    con: duckdb.DuckDBPyConnection, extractor_version: str, reasons: tuple[str, ...]
) -> dict[str, set[str]]:
    """article_id -> content hashes quarantined under this extractor version: passed over until a retry."""
    marks = ", ".join("?" for _ in reasons)
    rows = con.execute(
        f"select article_id, content_hash from rejects where reason in ({marks}) "
        "and extractor_version = ? and article_id is not null",
        [*reasons, extractor_version],
    ).fetchall()
    out: dict[str, set[str]] = {}
    for aid, digest in rows:
        out.setdefault(aid, set()).add(digest)
    return out
