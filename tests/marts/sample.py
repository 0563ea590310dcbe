"""A tiny warehouse in memory: the core tables from `pipeline.schemas`, a few rows each.

Two articles: `a1` dated 2025-11-25 with a URL, `a2` undated (ingested 2025-12-02) from a
local file. Gao Dongsheng (PERSON) of MIIT (ORG) is quoted in both; MIIT itself speaks once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.schemas import TABLES, create_table_sql, to_table

ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = ROOT / "sql"

ARTICLES: list[dict[str, Any]] = [
    {
        "article_id": "a1",
        "source": "https://www.example.com/news/chips.html",
        "source_type": "html",
        "url": "https://www.example.com/news/chips.html",
        "title": "Chip sales climb",
        "published_at": datetime(2025, 11, 25, 9, 30),
        "ingested_at": datetime(2025, 11, 26, 8, 0),
        "language": "en",
        "body": "x" * 400,
        "word_count": 80,
        "content_hash": "h1",
        "extractor_version": "1",
        "run_id": "r1",
        "tone": 0.4,
        "tone_positive": 0.6,
        "tone_negative": 0.1,
    },
    {
        "article_id": "a2",
        "source": "examples/expo.txt",
        "source_type": "text",
        "url": None,
        "title": "  Expo opens  ",
        "published_at": None,
        "ingested_at": datetime(2025, 12, 2, 10, 0),
        "language": "en",
        "body": "y" * 400,
        "word_count": 60,
        "content_hash": "h2",
        "extractor_version": "1",
        "run_id": "r1",
        "tone": -0.2,
        "tone_positive": 0.2,
        "tone_negative": 0.5,
    },
]

ENTITIES = [
    {"entity_id": "e_gao", "canonical_name": "Gao Dongsheng", "entity_type": "PERSON"},
    {"entity_id": "e_miit", "canonical_name": "MIIT", "entity_type": "ORG"},
    {
        "entity_id": "e_china",
        "canonical_name": "China",
        "entity_type": "gpe",
        "geonames_id": 1814991,
        "place_kind": "country",
        "country_code": "cn",
        "latitude": 35.0,
        "longitude": 105.0,
        "geo_confidence": 1.0,
        "geo_evidence": "only candidate",
    },
]

ENTITY_ALIASES = [
    {"entity_id": "e_gao", "alias": "Gao"},
    {"entity_id": "e_gao", "alias": "Gao Dongsheng"},
    {"entity_id": "e_miit", "alias": "the ministry"},
]


def _mention(
    mid: str, article: str, entity: str, etype: str, sentence: int, start: int, tone: float | None = None
) -> dict[str, Any]:
    return {
        "mention_id": mid,
        "article_id": article,
        "entity_id": entity,
        "text": entity,
        "entity_type": etype,
        "sentence_index": sentence,
        "start_char": start,
        "end_char": start + 5,
        "tone": tone,
    }


ENTITY_MENTIONS = [
    _mention("m1", "a1", "e_gao", "PERSON", 0, 0, 0.6),
    _mention("m2", "a1", "e_miit", "ORG", 0, 20, 0.6),
    _mention("m3", "a1", "e_china", "GPE", 1, 50, 0.2),
    _mention("m4", "a1", "e_china", "GPE", 2, 90, -0.4),
    _mention("m5", "a2", "e_gao", "PERSON", 0, 0, -0.3),
    _mention("m6", "a2", "e_china", "GPE", 3, 200),  # no tone: counted, not averaged
]


def _quote(qid: str, article: str, **extra: Any) -> dict[str, Any]:
    row = {
        "quote_id": qid,
        "article_id": article,
        "quote_type": "direct",
        "quote_text": f"text of {qid}",
        "cue": "say",
        "sentence_index": 1,
        "start_char": 10,
        "end_char": 40,
        "confidence": 0.9,
    }
    row.update(extra)
    return row


QUOTES = [
    _quote(
        "q1",
        "a1",
        speaker_text="Gao",
        speaker_entity_id="e_gao",
        speaker_name="Gao Dongsheng",
        speaker_title="chief economist at MIIT",
        speaker_org_entity_id="e_miit",
        tone=0.7,
    ),
    _quote(
        "q2",
        "a2",
        quote_type="Indirect",
        speaker_text="he",
        speaker_entity_id="e_gao",
        speaker_name="Gao Dongsheng",
        speaker_title="chief economist at MIIT",
        speaker_org_entity_id="e_miit",
        tone=0.1,
    ),
    _quote("q3", "a1", speaker_text="the ministry", speaker_entity_id="e_miit", speaker_name="MIIT", tone=-0.5),
    _quote("q4", "a2", speaker_text="an analyst", confidence=0.4),
]


def _metric(mid: str, article: str, **extra: Any) -> dict[str, Any]:
    row = {
        "metric_id": mid,
        "article_id": article,
        "metric_type": "money",
        "raw_text": mid,
        "value": 1.0,
        "unit": "CNY",
        "qualifier": "=",
        "sentence_index": 2,
        "start_char": 100,
        "end_char": 120,
    }
    row.update(extra)
    return row


METRICS = [
    _metric(
        "k1",
        "a1",
        raw_text="1.8 trillion yuan",
        value=1.8e12,
        period="2024",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        subject="total industry sales",
        subject_entity_id="e_china",
    ),
    _metric("k2", "a1", raw_text="$253.3 billion", value=253.3e9, unit="USD", equivalent_of="k1"),
    _metric(
        "k3",
        "a2",
        metric_type="count",
        raw_text="more than 500 enterprises",
        value=500.0,
        unit="enterprises",
        qualifier=">",
        lower_bound=500.0,
        subject="exhibitors",
        subject_entity_id="e_miit",
    ),
]

ARTICLE_THEMES = [
    {"article_id": "a1", "theme": "semiconductors", "score": 0.8, "matched_terms": "chip, semiconductor"},
    {"article_id": "a1", "theme": "international_trade", "score": 0.4, "matched_terms": "export, tariff"},
    {"article_id": "a2", "theme": "semiconductors", "score": 0.6, "matched_terms": "chip, wafer, IC"},
]

QUOTE_THEMES = [
    {"quote_id": "q1", "article_id": "a1", "theme": "semiconductors", "score": 0.5, "matched_terms": "chip"},
    {"quote_id": "q2", "article_id": "a2", "theme": "semiconductors", "score": 0.3, "matched_terms": "wafer"},
    {"quote_id": "q3", "article_id": "a1", "theme": "international_trade", "score": 0.4, "matched_terms": "export"},
]

# `Gao` was an entity of its own until a re-extraction read its mentions as Gao Dongsheng.
ENTITY_REDIRECTS = [
    {
        "old_entity_id": "e_gao_surname",
        "entity_id": "e_gao",
        "mentions": 1,
        "redirected_at": datetime(2025, 12, 2, 10, 0),
        "run_id": "r1",
    }
]

PIPELINE_RUNS = [
    {
        "run_id": "r1",
        "started_at": datetime(2025, 12, 2, 10, 0),
        "finished_at": datetime(2025, 12, 2, 10, 1),
        "status": "SUCCESS",
        "extractor_version": "1",
    }
]

REJECTS = [
    {
        "reject_id": "j1",
        "source": "examples/broken.html",
        "reason": "Unreadable",
        "run_id": "r1",
        "rejected_at": datetime(2025, 12, 2, 10, 0),
    }
]

ROWS: dict[str, list[dict[str, Any]]] = {
    "articles": ARTICLES,
    "entities": ENTITIES,
    "entity_aliases": ENTITY_ALIASES,
    "entity_mentions": ENTITY_MENTIONS,
    "entity_redirects": ENTITY_REDIRECTS,
    "quotes": QUOTES,
    "metrics": METRICS,
    "article_themes": ARTICLE_THEMES,
    "quote_themes": QUOTE_THEMES,
    "pipeline_runs": PIPELINE_RUNS,
    "rejects": REJECTS,
}


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name, schema in TABLES.items():
        con.execute(create_table_sql(name, schema))


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert rows (missing columns are NULL) through an Arrow table built from the schema."""
    con.register("_sample_rows", to_table(rows, TABLES[table]))
    try:
        con.execute(f'insert into "{table}" by name select * from _sample_rows')
    finally:
        con.unregister("_sample_rows")


def sample_warehouse(rows: Mapping[str, list[dict[str, Any]]] = ROWS) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with every core table created and filled with `rows`."""
    con = duckdb.connect()
    create_tables(con)
    for table, table_rows in rows.items():
        insert(con, table, table_rows)
    return con
