"""The pipeline's steps as plain functions: ingest -> extract -> load (+ models) -> export.

Each step streams: articles flow through Parquet on disk between steps, so memory stays flat as
the corpus grows. `flows/news_etl.py` wraps these as Prefect tasks; nothing here imports Prefect.
"""

from __future__ import annotations

import multiprocessing as mp
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.land import LandingWriter, Location, filesystem, is_url, open_landed, run_files
from pipeline.nlp.extract import EXTRACTOR_VERSION, extract_batch
from pipeline.records import Article, ArticleExtraction, Reject
from pipeline.rejects import reject_id, store_reject
from pipeline.settings import Settings
from pipeline.warehouse.db import (
    connect,
    ensure_tables,
    known_articles,
    known_rejects,
    known_sources,
    models_built,
    table_counts,
)
from pipeline.warehouse.load import load_run, record_failure

Progress = Callable[[int], None]
# Rows buffered per table before a Parquet row group is written.
FLUSH_ROWS = 512


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class RunContext:
    run_id: str
    started_at: datetime
    settings: Settings
    extractor_version: str = EXTRACTOR_VERSION
    flow_run_id: str | None = None


def new_run(settings: Settings, flow_run_id: str | None = None) -> RunContext:
    started = utcnow()
    run_id = f"{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    return RunContext(run_id, started, settings, flow_run_id=flow_run_id)


@dataclass(frozen=True)
class IngestStats:
    seen: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0
    duplicates: int = 0
    reject_reasons: dict[str, int] = field(default_factory=dict)
    landed: int = 0  # rows this run landed (articles to extract, new sources, new rejects)


@dataclass(frozen=True)
class ExtractStats:
    articles: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    status: str
    ingest: IngestStats
    rows_loaded: dict[str, int]
    table_counts: dict[str, int]
    seconds: float
    changed: bool


# --------------------------------------------------------------------------- ingest


class _Buffer:
    """Rows per table, flushed to the landing writer in chunks."""

    def __init__(self, writer: LandingWriter) -> None:
        self.writer = writer
        self.rows: dict[str, list[Any]] = {}

    def add(self, table: str, row: Any) -> None:
        rows = self.rows.setdefault(table, [])
        rows.append(row)
        if len(rows) >= FLUSH_ROWS:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for t in [table] if table else list(self.rows):
            if self.rows.get(t):
                self.writer.write(t, self.rows[t])
                self.rows[t] = []


def ingest(ctx: RunContext, items: Iterable[Article | Reject], progress: Progress | None = None) -> IngestStats:
    """Decide per article: new, updated (revised or older extractor), skipped, duplicate; land the rest.

    Writes the landing files for `articles` (only those to extract), `article_sources` and `rejects`.
    """
    s = ctx.settings
    with connect(s.db_path, memory_limit=s.duckdb_memory_limit) as con:
        ensure_tables(con)
        known = known_articles(con)
        sources = known_sources(con)
        rejected_before = known_rejects(con)
    counts = {"seen": 0, "new": 0, "updated": 0, "skipped": 0, "rejected": 0, "duplicates": 0}
    reasons: dict[str, int] = {}
    first_source: dict[str, str] = {}
    storage = s.storage_options(s.landing_dir)
    with LandingWriter(s.landing_dir, ctx.run_id, ctx.started_at.date(), storage) as writer:
        buf = _Buffer(writer)
        for item in items:
            if progress:
                progress(1)
            if isinstance(item, Reject):
                counts["rejected"] += 1
                reasons[item.reason] = reasons.get(item.reason, 0) + 1
                if reject_id(item) not in rejected_before:
                    buf.add("rejects", store_reject(item, s.rejects_dir, ctx.run_id, ctx.started_at))
                continue
            counts["seen"] += 1
            if (item.source, item.article_id) not in sources:  # only what the warehouse does not know yet
                buf.add("article_sources", _source_row(item, ctx.run_id))
            if item.article_id in first_source:
                counts["duplicates"] += 1
                dup = Reject(item.source, "duplicate", f"the same article as {first_source[item.article_id]}")
                if reject_id(dup) not in rejected_before:
                    buf.add("rejects", store_reject(dup, s.rejects_dir, ctx.run_id, ctx.started_at))
                continue
            first_source[item.article_id] = item.source
            k = known.get(item.article_id)
            if k and k.content_hash == item.content_hash and k.extractor_version == ctx.extractor_version:
                counts["skipped"] += 1
                continue
            counts["updated" if k else "new"] += 1
            buf.add("articles", _article_row(item, ctx))
        buf.flush()
        writer.close()
        landed = sum(writer.rows.values())
    return IngestStats(**counts, reject_reasons=reasons, landed=landed)


def _source_row(a: Article, run_id: str) -> dict[str, object]:
    return {"source": a.source, "article_id": a.article_id, "source_type": a.source_type, "run_id": run_id}


def _article_row(a: Article, ctx: RunContext) -> dict[str, object]:
    row = asdict(a)
    row.update(ingested_at=ctx.started_at, extractor_version=ctx.extractor_version, run_id=ctx.run_id)
    return row


# --------------------------------------------------------------------------- extract

_ARTICLE_FIELDS = tuple(Article.__dataclass_fields__)

# One batch of articles and its extraction records, in the batch's order.
Extracted = tuple[list[Article], list[ArticleExtraction]]
# Runs `extract_batch` over batches (here, in a process pool, on a Dask cluster) and yields each
# batch with its records, in the order the batches came in.
BatchRunner = Callable[[Iterable[list[Article]], Settings], Iterator[Extracted]]


def _articles_from_landing(
    path: Location, batch_rows: int, storage_options: dict[str, Any] | None = None
) -> Iterator[list[Article]]:
    pf = open_landed(path, storage_options)
    for batch in pf.iter_batches(batch_size=batch_rows, columns=list(_ARTICLE_FIELDS)):
        yield [Article(**row) for row in batch.to_pylist()]


def landed_articles(ctx: RunContext) -> Iterator[list[Article]]:
    """The run's landed articles (those to extract), in batches of `task_size`."""
    s = ctx.settings
    opts = s.storage_options(s.landing_dir)
    files = run_files(s.landing_dir, ctx.run_id, opts)
    if "articles" in files:
        yield from _articles_from_landing(files["articles"], s.task_size, opts)


def extract_batches(batches: Iterable[list[Article]], s: Settings) -> Iterator[Extracted]:
    """Extraction in this process, or in `n_process` worker processes that return records, not Docs."""
    if s.n_process <= 1:
        for b in batches:
            yield b, extract_batch(b, s.spacy_model, s.batch_size)
        return
    # spawn: a forked child of a process with threads (Prefect, DuckDB) can deadlock.
    with ProcessPoolExecutor(s.n_process, mp_context=mp.get_context("spawn")) as pool:
        window: deque[tuple[list[Article], Future[list[ArticleExtraction]]]] = deque()
        for b in batches:
            window.append((b, pool.submit(extract_batch, b, s.spacy_model, s.batch_size)))
            if len(window) >= 2 * s.n_process:
                done, fut = window.popleft()
                yield done, fut.result()
        while window:
            done, fut = window.popleft()
            yield done, fut.result()


def land_extractions(ctx: RunContext, extracted: Iterable[Extracted], progress: Progress | None = None) -> ExtractStats:
    """Land entities, aliases, mentions, quotes and metrics of extracted batches, in their order.

    Every extraction path (in process, a process pool, a Dask cluster) ends here, so they all land
    the same rows in the same order.
    """
    t0 = time.perf_counter()
    s = ctx.settings
    n = 0
    storage = s.storage_options(s.landing_dir)
    with LandingWriter(s.landing_dir, ctx.run_id, ctx.started_at.date(), storage) as writer:
        buf = _Buffer(writer)
        for articles, results in extracted:
            first_seen = {a.article_id: a.published_at or ctx.started_at for a in articles}
            for x in results:
                seen_at = first_seen.get(x.article_id, ctx.started_at)
                for e in x.entities:
                    buf.add("entities", {**asdict(replace(e, aliases=())), "first_seen_at": seen_at})
                    for alias in e.aliases:
                        buf.add("entity_aliases", {"entity_id": e.entity_id, "alias": alias})
                for m in x.mentions:
                    buf.add("entity_mentions", m)
                for q in x.quotes:
                    buf.add("quotes", q)
                for mt in x.metrics:
                    buf.add("metrics", mt)
                n += 1
                if progress:
                    progress(1)
        buf.flush()
        writer.close()
        rows = dict(writer.rows)
    return ExtractStats(n, rows, time.perf_counter() - t0)


def extract(ctx: RunContext, progress: Progress | None = None, run_batches: BatchRunner | None = None) -> ExtractStats:
    """Parse the run's landed articles and land their entities, mentions, quotes and metrics."""
    runner = run_batches or extract_batches
    return land_extractions(ctx, runner(landed_articles(ctx), ctx.settings), progress)


# --------------------------------------------------------------------------- load


def run_row(
    ctx: RunContext, stats: IngestStats, status: str, rows: dict[str, int], **extra: object
) -> dict[str, object]:
    finished = utcnow()
    row: dict[str, object] = {
        "run_id": ctx.run_id,
        "flow_run_id": ctx.flow_run_id,
        "started_at": ctx.started_at,
        "finished_at": finished,
        "status": status,
        "articles_seen": stats.seen,
        "articles_new": stats.new,
        "articles_updated": stats.updated,
        "articles_skipped": stats.skipped,
        "articles_rejected": stats.rejected,
        "articles_duplicate": stats.duplicates,
        "extractor_version": ctx.extractor_version,
        "duration_s": (finished - ctx.started_at).total_seconds(),
    }
    for table in (
        "articles",
        "entities",
        "entity_aliases",
        "entity_mentions",
        "quotes",
        "metrics",
        "rejects",
    ):
        row[f"rows_{table}"] = rows.get(table, 0)
    row.update(extra)
    return row


def load(
    ctx: RunContext,
    stats: IngestStats,
    after_load: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> dict[str, int]:
    """Load the run's landing files, its run row, and (inside the same transaction) the models."""
    s = ctx.settings
    storage = s.storage_options(s.landing_dir)
    files = run_files(s.landing_dir, ctx.run_id, storage)
    landed = {t: open_landed(p, storage).metadata.num_rows for t, p in files.items()}
    with connect(s.db_path, memory_limit=s.duckdb_memory_limit) as con:
        ensure_tables(con)
        if is_url(s.landing_dir):
            # DuckDB reads the landing URLs through fsspec: no httpfs extension to download.
            con.register_filesystem(filesystem(s.landing_dir, storage))
        if not files and models_built(con, s.sql_dir):
            after_load = None  # nothing changed: the models stand as they are, the run only logs itself
        inserted = load_run(con, files, run_row(ctx, stats, "success", landed), after_load)
    return inserted


def fail(ctx: RunContext, stats: IngestStats, step: str, error: BaseException) -> None:
    """Record a failed run (the data tables were rolled back or never touched)."""
    s = ctx.settings
    with connect(s.db_path, memory_limit=s.duckdb_memory_limit) as con:
        ensure_tables(con)
        record_failure(
            con, run_row(ctx, stats, "failed", {}, failed_step=step, error=f"{type(error).__name__}: {error}")
        )


def counts(settings: Settings) -> dict[str, int]:
    with connect(settings.db_path, memory_limit=settings.duckdb_memory_limit) as con:
        ensure_tables(con)
        return table_counts(con)


# --------------------------------------------------------------------------- models and exports


def build_and_test_models(settings: Settings) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """The SQL models and their data tests, as a step of the load's transaction."""

    def run(con: duckdb.DuckDBPyConnection) -> None:
        from pipeline.models import build_models, run_data_tests

        build_models(con, settings.sql_dir)
        run_data_tests(con, settings.sql_dir)

    return run


def export(settings: Settings) -> dict[str, int]:
    from pipeline.exports import export_all

    target = settings.exports_dir
    with connect(settings.db_path, memory_limit=settings.duckdb_memory_limit) as con:
        return export_all(con, target, storage_options=settings.storage_options(target))


def exports_exist(settings: Settings) -> bool:
    """Have the BI exports been written yet (locally or on object storage)?"""
    target = settings.exports_dir
    if not is_url(target):
        return Path(target).exists()
    fs = filesystem(target, settings.storage_options(target))
    return bool(fs.exists(str(target)))


def changed(stats: IngestStats) -> bool:
    """Did this run bring anything to extract or load (beyond its own run row)?"""
    return stats.landed > 0


def summarize(ctx: RunContext, stats: IngestStats, rows: dict[str, int]) -> RunSummary:
    return RunSummary(
        run_id=ctx.run_id,
        status="success",
        ingest=stats,
        rows_loaded=rows,
        table_counts=counts(ctx.settings),
        seconds=(utcnow() - ctx.started_at).total_seconds(),
        changed=changed(stats),
    )
