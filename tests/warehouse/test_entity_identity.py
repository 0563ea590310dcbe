"""One identity across the warehouse: an entity's type is decided over all its mentions in every article,
its id does not depend on the label one article gave it, and a place keeps its geography across runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from pipeline.ids import entity_id
from pipeline.schemas import TABLES, to_table
from pipeline.warehouse.db import ensure_tables
from pipeline.warehouse.load import load_run

T0 = datetime(2025, 1, 1)
YUKOS = entity_id("Yukos", "ORG")


def _article(aid: str, run: str) -> dict[str, Any]:
    return {
        "article_id": aid,
        "source": f"{aid}.txt",
        "source_type": "text",
        "title": aid,
        "ingested_at": T0,
        "body": "body",
        "word_count": 1,
        "content_hash": f"h-{aid}",
        "extractor_version": "1",
        "run_id": run,
    }


def _mention(aid: str, k: int, etype: str, eid: str = YUKOS) -> dict[str, Any]:
    return {
        "mention_id": f"{aid}-{k}",
        "article_id": aid,
        "entity_id": eid,
        "text": "Yukos",
        "entity_type": etype,
        "sentence_index": 0,
        "start_char": k * 10,
        "end_char": k * 10 + 5,
    }


def _load(
    con: duckdb.DuckDBPyConnection,
    tmp: Path,
    run: str,
    rows: dict[str, list[dict[str, Any]]],
    after_load: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> None:
    files: dict[str, Path | str] = {}
    for table, table_rows in rows.items():
        path = tmp / f"{run}-{table}.parquet"
        pq.write_table(to_table(table_rows, TABLES[table]), path)
        files[table] = path
    run_row = {"run_id": run, "started_at": T0, "status": "SUCCESS", "extractor_version": "1"}
    load_run(con, files, run_row, after_load)


def _yukos(aid: str, run: str, labels: list[str]) -> dict[str, list[dict[str, Any]]]:
    # each article's extraction decided one label for its mentions; the entity row carries it
    return {
        "articles": [_article(aid, run)],
        "entity_mentions": [_mention(aid, k, label) for k, label in enumerate(labels)],
        "entities": [{"entity_id": YUKOS, "canonical_name": "Yukos", "entity_type": labels[0], "first_seen_at": T0}],
    }


def _type(con: duckdb.DuckDBPyConnection, eid: str = YUKOS) -> str:
    row = con.execute("select entity_type from entities where entity_id = ?", [eid]).fetchone()
    assert row is not None
    return str(row[0])


def test_a_label_does_not_change_the_id() -> None:
    assert entity_id("Yukos", "PERSON") == entity_id("Yukos", "ORG") == YUKOS
    assert entity_id("Washington", "GPE") != entity_id("Washington", "PERSON")


def test_type_is_decided_over_every_article(tmp_path: Path) -> None:
    con = duckdb.connect()
    ensure_tables(con)
    _load(con, tmp_path, "r1", _yukos("a1", "r1", ["PERSON", "PERSON"]))
    assert _type(con) == "PERSON"  # all the warehouse has seen so far
    _load(con, tmp_path, "r2", _yukos("a2", "r2", ["ORG", "ORG", "ORG"]))
    assert _type(con) == "ORG"  # 3 ORG mentions against 2 PERSON
    assert con.execute("select count(*) from entities").fetchone() == (1,)
    # the other way: the minority label never wins, and a tie is the same whatever the load order
    _load(con, tmp_path, "r3", _yukos("a3", "r3", ["PERSON"]))
    assert _type(con) == "ORG"  # 3 against 3: ORG before PERSON


def test_a_place_keeps_its_geography_and_its_name(tmp_path: Path) -> None:
    con = duckdb.connect()
    ensure_tables(con)
    uk = "e-uk"
    geo = {"geonames_id": 2635167, "place_kind": "country", "country_code": "GB", "latitude": 54.0, "longitude": -2.0}
    first = {"entity_id": uk, "canonical_name": "United Kingdom", "entity_type": "GPE", "first_seen_at": T0, **geo}
    later = {"entity_id": uk, "canonical_name": "Britain", "entity_type": "GPE", "first_seen_at": T0}
    for run, aid, ent in (("r1", "a1", first), ("r2", "a2", later)):
        _load(con, tmp_path, run, {
            "articles": [_article(aid, run)],
            "entity_mentions": [_mention(aid, 0, "GPE", uk)],
            "entities": [ent],
        })  # fmt: skip
    row = con.execute("select canonical_name, country_code, geonames_id, latitude from entities").fetchall()
    assert row == [("United Kingdom", "GB", 2635167, 54.0)]
