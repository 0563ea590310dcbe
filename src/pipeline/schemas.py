"""One pyarrow schema per table. Parquet files and DuckDB DDL are both generated from these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

TS = pa.timestamp("us")

ARTICLES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("source_type", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("title", pa.string(), nullable=False),
        pa.field("subtitle", pa.string()),
        pa.field("byline", pa.string()),
        pa.field("published_at", TS),
        pa.field("ingested_at", TS, nullable=False),
        pa.field("language", pa.string()),
        pa.field("body", pa.string(), nullable=False),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("extractor_version", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("source_encoding", pa.string()),
        pa.field("site_name", pa.string()),
        # Set at load from the run's `article_tone` (articles land at ingest, before extraction): -1..1,
        # and the shares of words in positive / negative sentences (nlp/tone.py).
        pa.field("tone", pa.float64()),
        pa.field("tone_positive", pa.float64()),
        pa.field("tone_negative", pa.float64()),
    ]
)

ENTITIES = pa.schema(
    [
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("canonical_name", pa.string(), nullable=False),
        pa.field("entity_type", pa.string(), nullable=False),
        pa.field("first_seen_at", TS),
        # Places and demonyms' countries, resolved offline (nlp/places.py); NULL where unknown.
        pa.field("geonames_id", pa.int64()),
        pa.field("place_kind", pa.string()),  # country, region, city, continent
        pa.field("country_code", pa.string()),
        pa.field("admin1", pa.string()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        pa.field("geo_confidence", pa.float64()),
        pa.field("geo_evidence", pa.string()),
    ]
)

ENTITY_ALIASES = pa.schema(
    [
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("alias", pa.string(), nullable=False),
    ]
)

ENTITY_MENTIONS = pa.schema(
    [
        pa.field("mention_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("entity_type", pa.string(), nullable=False),
        pa.field("sentence_index", pa.int32(), nullable=False),
        pa.field("start_char", pa.int32(), nullable=False),
        pa.field("end_char", pa.int32(), nullable=False),
        pa.field("tone", pa.float64()),  # -1..1, the tone of the mention's sentence
    ]
)

QUOTES = pa.schema(
    [
        pa.field("quote_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("quote_type", pa.string(), nullable=False),
        pa.field("quote_text", pa.string(), nullable=False),
        pa.field("cue", pa.string()),
        pa.field("speaker_text", pa.string()),
        pa.field("speaker_entity_id", pa.string()),
        pa.field("speaker_name", pa.string()),
        pa.field("speaker_title", pa.string()),
        pa.field("speaker_org_entity_id", pa.string()),
        pa.field("sentence_index", pa.int32(), nullable=False),
        pa.field("start_char", pa.int32(), nullable=False),
        pa.field("end_char", pa.int32(), nullable=False),
        pa.field("confidence", pa.float64(), nullable=False),
        pa.field("confidence_reason", pa.string()),
        pa.field("tone", pa.float64()),  # -1..1, the tone of the sentences the quote spans
    ]
)

# Themes of the taxonomy file (nlp/themes.toml or NEWS_THEMES_FILE) found in an article.
ARTICLE_THEMES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("theme", pa.string(), nullable=False),
        pa.field("score", pa.float64(), nullable=False),
        pa.field("matched_terms", pa.string(), nullable=False),
    ]
)

# Themes whose terms match inside a quote (nlp/themes.py): what a speaker talks about.
QUOTE_THEMES = pa.schema(
    [
        pa.field("quote_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("theme", pa.string(), nullable=False),
        pa.field("score", pa.float64(), nullable=False),
        pa.field("matched_terms", pa.string(), nullable=False),
    ]
)

# The article tone found by extraction, landed per run and applied to `articles` at load.
ARTICLE_TONE = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("tone", pa.float64()),
        pa.field("tone_positive", pa.float64()),
        pa.field("tone_negative", pa.float64()),
    ]
)

METRICS = pa.schema(
    [
        pa.field("metric_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("metric_type", pa.string(), nullable=False),
        pa.field("raw_text", pa.string(), nullable=False),
        pa.field("value", pa.float64(), nullable=False),
        pa.field("unit", pa.string()),
        pa.field("qualifier", pa.string(), nullable=False),
        pa.field("lower_bound", pa.float64()),
        pa.field("upper_bound", pa.float64()),
        pa.field("period", pa.string()),
        pa.field("period_start", pa.date32()),
        pa.field("period_end", pa.date32()),
        pa.field("subject", pa.string()),
        pa.field("subject_entity_id", pa.string()),
        pa.field("equivalent_of", pa.string()),
        pa.field("sentence_index", pa.int32(), nullable=False),
        pa.field("start_char", pa.int32(), nullable=False),
        pa.field("end_char", pa.int32(), nullable=False),
        pa.field("base_value", pa.float64()),
        pa.field("base_unit", pa.string()),
    ]
)

# An entity_id that no longer exists (a re-extraction read its mentions under another id) and the entity it
# became, so that a saved query on the old id can follow it. One hop: `entity_id` is always a current entity.
ENTITY_REDIRECTS = pa.schema(
    [
        pa.field("old_entity_id", pa.string(), nullable=False),
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("mentions", pa.int64()),  # the old id's mentions that were re-read as `entity_id`
        pa.field("redirected_at", TS),  # `started_at` of the run that last set `entity_id`
        pa.field("run_id", pa.string()),
    ]
)

PIPELINE_RUNS = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("flow_run_id", pa.string()),
        pa.field("started_at", TS, nullable=False),
        pa.field("finished_at", TS),
        pa.field("status", pa.string(), nullable=False),
        pa.field("articles_seen", pa.int64()),
        pa.field("articles_new", pa.int64()),
        pa.field("articles_updated", pa.int64()),
        pa.field("articles_skipped", pa.int64()),
        pa.field("articles_rejected", pa.int64()),
        pa.field("articles_duplicate", pa.int64()),
        pa.field("rows_articles", pa.int64()),
        pa.field("rows_entities", pa.int64()),
        pa.field("rows_entity_aliases", pa.int64()),
        pa.field("rows_entity_mentions", pa.int64()),
        pa.field("rows_quotes", pa.int64()),
        pa.field("rows_metrics", pa.int64()),
        pa.field("rows_rejects", pa.int64()),
        pa.field("extractor_version", pa.string(), nullable=False),
        pa.field("failed_step", pa.string()),
        pa.field("error", pa.string()),
        pa.field("duration_s", pa.float64()),
        # Unattended operation: articles quarantined this run (extract errors, failed row expectations),
        # files skipped unopened, and what the `warn` data tests reported.
        pa.field("articles_quarantined", pa.int64()),
        pa.field("files_unchanged", pa.int64()),
        pa.field("data_test_warnings", pa.int64()),
        pa.field("warnings", pa.string()),
    ]
)

REJECTS = pa.schema(
    [
        pa.field("reject_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("stored_path", pa.string()),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("rejected_at", TS, nullable=False),
        # Quarantined articles (reasons extract_error, data_test, too_long): what failed and for which
        # article version, so the same version is not tried again until the extractor changes.
        pa.field("stage", pa.string()),
        pa.field("article_id", pa.string()),
        pa.field("content_hash", pa.string()),
        pa.field("extractor_version", pa.string()),
    ]
)

# Which source carried which article: lets a changed local file replace the article it produced.
ARTICLE_SOURCES = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_type", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)

# The local files a run has read, so that an unchanged file (same path, size and modification time, same
# extractor version) is passed over on the next run without being opened or hashed.
SOURCE_FILES = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
        pa.field("articles", pa.int64(), nullable=False),
        pa.field("extractor_version", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)

TABLES: dict[str, pa.Schema] = {
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
    "article_sources": ARTICLE_SOURCES,
    "source_files": SOURCE_FILES,
}

# Landed per run but not tables of their own: the extract step's quarantined articles (`rejects` rows
# that the load also uses to keep those articles out). The ingest step lands `rejects` in the same run.
LANDING_ONLY: dict[str, pa.Schema] = {"extract_rejects": REJECTS, "article_tone": ARTICLE_TONE}
LANDING_TABLES: dict[str, pa.Schema] = {**TABLES, **LANDING_ONLY}

# Primary keys; the loader deduplicates and the data tests check uniqueness on these.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id",),
    "entities": ("entity_id",),
    "entity_aliases": ("entity_id", "alias"),
    "entity_mentions": ("mention_id",),
    "entity_redirects": ("old_entity_id",),
    "quotes": ("quote_id",),
    "metrics": ("metric_id",),
    "article_themes": ("article_id", "theme"),
    "quote_themes": ("quote_id", "theme"),
    "pipeline_runs": ("run_id",),
    "rejects": ("reject_id",),
    "article_sources": ("source", "article_id"),
    "source_files": ("source",),
}

# Tables whose rows belong to one article and are replaced with it.
ARTICLE_TABLES = ("articles", "entity_mentions", "quotes", "metrics", "article_themes", "quote_themes")

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
    TS: "TIMESTAMP",
    pa.bool_(): "BOOLEAN",
}


def duckdb_type(t: pa.DataType) -> str:
    try:
        return _DUCK_TYPES[t]
    except KeyError as e:
        raise TypeError(f"no DuckDB type for {t}") from e


def create_table_sql(name: str, schema: pa.Schema) -> str:
    """`CREATE TABLE IF NOT EXISTS` from the Arrow schema, with its primary key."""
    cols = [f'"{f.name}" {duckdb_type(f.type)}{"" if f.nullable else " NOT NULL"}' for f in schema]
    key = ", ".join(f'"{c}"' for c in PRIMARY_KEYS[name])
    cols.append(f"PRIMARY KEY ({key})")
    return f'CREATE TABLE IF NOT EXISTS "{name}" (\n  ' + ",\n  ".join(cols) + "\n)"


def _getter(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return obj.get
    return lambda name: getattr(obj, name, None)


def to_table(records: Iterable[Any], schema: pa.Schema) -> pa.Table:
    """Records (dataclasses or mappings) to a table with exactly the schema's columns; extra fields drop."""
    getters = [_getter(r) for r in records]
    columns = {f.name: [g(f.name) for g in getters] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)
