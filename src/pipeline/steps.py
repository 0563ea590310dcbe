"""The pipeline's steps as plain functions: ingest -> extract -> load (+ models) -> export.

Each step streams: articles flow through Parquet on disk between steps, so memory stays flat as
the corpus grows. `flows/news_etl.py` wraps these as Prefect tasks; nothing here imports Prefect.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.ingest import iter_local_files
from pipeline.land import LandingWriter, Location, filesystem, is_url, open_landed, run_files
from pipeline.nlp.extract import EXTRACTOR_VERSION, extract_batch
from pipeline.records import Article, ExtractFailure, ExtractResult, Reject, SourceFile
from pipeline.rejects import QUARANTINE_REASONS, article_from_json, quarantine, reject_id, store_reject
from pipeline.settings import Settings
from pipeline.warehouse.db import (
    connect,
    ensure_tables,
    known_articles,
    known_files,
    known_quarantine,
    known_rejects,
    known_sources,
    models_built,
    table_counts,
)
from pipeline.warehouse.load import load_run, quarantine_articles, record_failure
from pipeline.warehouse.publish import ensure_work_db, publish

log = logging.getLogger(__name__)

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
    quarantined: int = 0  # articles read but kept out before parsing (too_long)
    files_unchanged: int = 0  # local files passed over unopened


@dataclass(frozen=True)
class ExtractStats:
    articles: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    quarantined: int = 0  # articles whose parse or extraction failed


@dataclass(frozen=True)
class LoadStats:
    """What the load did beyond inserting: articles a data test kept out, and the tests that warned."""

    rows: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0  # by extraction failures and by data tests together
    warnings: tuple[str, ...] = ()
    publish_seconds: float = 0.0


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    status: str
    ingest: IngestStats
    rows_loaded: dict[str, int]
    table_counts: dict[str, int]
    seconds: float
    changed: bool
    quarantined: int = 0
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- the writer's warehouse


def open_warehouse(s: Settings) -> duckdb.DuckDBPyConnection:
    """The writer's private database (hold the writer lock): readers of `news.duckdb` never block it."""
    ensure_work_db(s.work_db_path, s.db_path)
    con = connect(s.work_db_path, memory_limit=s.duckdb_memory_limit)
    ensure_tables(con)
    return con


def publish_warehouse(s: Settings) -> float:
    """Publish the writer's database as `news.duckdb` for readers (atomic rename); returns the seconds."""
    if not s.work_db_path.exists():
        with open_warehouse(s):
            pass
    return publish(s.work_db_path, s.db_path)


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


# What the ingest step reads: articles, rejects, and markers of the local files read or passed over.
IngestItem = Article | Reject | SourceFile


def local_items(ctx: RunContext, paths: Iterable[str]) -> Iterator[IngestItem]:
    """Articles and rejects of local files; files unchanged since the last run are not opened."""
    with open_warehouse(ctx.settings) as con:
        known = known_files(con, ctx.extractor_version)
    yield from iter_local_files(paths, ctx.settings, known)


def retry_items(ctx: RunContext, reasons: Iterable[str] = QUARANTINE_REASONS) -> list[Article]:
    """The quarantined articles (with these reasons) as they were kept, to run them again."""
    wanted = [r for r in reasons if r in QUARANTINE_REASONS]
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    with open_warehouse(ctx.settings) as con:
        rows = con.execute(
            f"select article_id, any_value(stored_path) from rejects where reason in ({marks}) "
            "and article_id is not null and stored_path is not null group by article_id order by article_id",
            wanted,
        ).fetchall()
    out: list[Article] = []
    for aid, stored in rows:
        try:
            out.append(article_from_json(Path(stored).read_bytes()))
        except (OSError, ValueError, TypeError) as e:
            log.warning("cannot retry article %s: its kept copy %s is unreadable: %s", aid, stored, e)
    return out


def ingest(
    ctx: RunContext,
    items: Iterable[IngestItem],
    progress: Progress | None = None,
    retry: frozenset[str] = frozenset(),
) -> IngestStats:
    """Decide per article: new, updated (revised or older extractor), skipped, duplicate; land the rest.

    Writes the landing files for `articles` (only those to extract), `article_sources`, `rejects` and
    `source_files`. A quarantined article version is skipped unless its id is in `retry`.
    """
    s = ctx.settings
    with open_warehouse(s) as con:
        known = known_articles(con)
        sources = known_sources(con)
        rejected_before = known_rejects(con)
        quarantined = known_quarantine(con, ctx.extractor_version, QUARANTINE_REASONS)
    counts = {"seen": 0, "new": 0, "updated": 0, "skipped": 0, "rejected": 0, "duplicates": 0}
    counts |= {"quarantined": 0, "files_unchanged": 0}
    reasons: dict[str, int] = {}
    first_source: dict[str, str] = {}
    storage = s.storage_options(s.landing_dir)

    def add_reject(buf: _Buffer, r: Reject) -> None:
        counts["rejected"] += 1
        reasons[r.reason] = reasons.get(r.reason, 0) + 1
        if reject_id(r) not in rejected_before:
            buf.add("rejects", store_reject(r, s.rejects_dir, ctx.run_id, ctx.started_at))

    with LandingWriter(s.landing_dir, ctx.run_id, ctx.started_at.date(), storage) as writer:
        buf = _Buffer(writer)
        for item in items:
            if isinstance(item, SourceFile):
                if item.unchanged:
                    counts["files_unchanged"] += 1
                    counts["skipped"] += item.articles
                else:
                    buf.add("source_files", _file_row(item, ctx))
                continue
            if progress:
                progress(1)
            if isinstance(item, Reject):
                add_reject(buf, item)
                continue
            counts["seen"] += 1
            k = known.get(item.article_id)
            held = item.content_hash in quarantined.get(item.article_id, ()) and item.article_id not in retry
            too_long = len(item.body) > s.max_article_chars and not held
            # Only what the warehouse does not know yet, and never a source of an article that is not loaded.
            if (item.source, item.article_id) not in sources and (k or not (held or too_long)):
                buf.add("article_sources", _source_row(item, ctx.run_id))
            if item.article_id in first_source:
                counts["duplicates"] += 1
                dup = Reject(item.source, "duplicate", f"the same article as {first_source[item.article_id]}")
                if reject_id(dup) not in rejected_before:
                    buf.add("rejects", store_reject(dup, s.rejects_dir, ctx.run_id, ctx.started_at))
                continue
            first_source[item.article_id] = item.source
            if k and k.content_hash == item.content_hash and k.extractor_version == ctx.extractor_version:
                counts["skipped"] += 1
                continue
            if held:
                counts["skipped"] += 1  # quarantined before under this extractor: `rejects --retry` runs it
                continue
            if too_long:
                counts["quarantined"] += 1
                detail = (
                    f"the body has {len(item.body):,} characters, over NEWS_MAX_ARTICLE_CHARS "
                    f"({s.max_article_chars:,}); raise it and run `news-pipeline rejects --retry --reason too_long`"
                )
                add_reject(buf, quarantine(item, "too_long", "ingest", detail, ctx.extractor_version))
                continue
            counts["updated" if k else "new"] += 1
            buf.add("articles", _article_row(item, ctx))
        buf.flush()
        writer.close()
        landed = sum(n for t, n in writer.rows.items() if t != "source_files")
    return IngestStats(**counts, reject_reasons=reasons, landed=landed)


def _file_row(f: SourceFile, ctx: RunContext) -> dict[str, object]:
    return {
        "source": f.source,
        "size": f.size,
        "mtime_ns": f.mtime_ns,
        "articles": f.articles,
        "extractor_version": ctx.extractor_version,
        "run_id": ctx.run_id,
    }


def _source_row(a: Article, run_id: str) -> dict[str, object]:
    return {"source": a.source, "article_id": a.article_id, "source_type": a.source_type, "run_id": run_id}


def _article_row(a: Article, ctx: RunContext) -> dict[str, object]:
    row = asdict(a)
    row.update(ingested_at=ctx.started_at, extractor_version=ctx.extractor_version, run_id=ctx.run_id)
    return row


# --------------------------------------------------------------------------- extract

_ARTICLE_FIELDS = tuple(Article.__dataclass_fields__)

# One batch of articles and its extraction results (records, or a failure), in the batch's order.
Extracted = tuple[list[Article], list[ExtractResult]]
# Runs `extract_batch` over batches (here, in a process pool, on a Dask cluster) and yields each
# batch with its records, in the order the batches came in.
BatchRunner = Callable[[Iterable[list[Article]], Settings], Iterator[Extracted]]
WORKER_DIED = (
    "the extraction worker process died on this article (killed, out of memory or crashed), "
    "also when it was tried alone in a fresh worker"
)


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


def _pool(workers: int) -> ProcessPoolExecutor:
    # spawn: a forked child of a process with threads (Prefect, DuckDB) can deadlock.
    return ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"))


# What a worker runs on one batch: `extract_batch` (tests put a stand-in here that crashes on purpose).
Worker = Callable[[Sequence[Article], str, int, int], list[ExtractResult]]


def _submit(
    pool: ProcessPoolExecutor, batch: list[Article], s: Settings, worker: Worker
) -> Future[list[ExtractResult]]:
    return pool.submit(worker, batch, s.spacy_model, s.batch_size, s.parse_chunk_chars)


def extract_batches(
    batches: Iterable[list[Article]], s: Settings, worker: Worker = extract_batch
) -> Iterator[Extracted]:
    """Extraction in `n_process` worker processes that return records, not Docs (or in this process).

    A worker that dies (OOM kill, segfault) costs no other article: the batches it had in flight are
    run again article by article in a fresh worker, and only an article that kills that one too is
    quarantined (stage `worker`).
    """
    if s.extract_in_process:
        for b in batches:
            yield b, worker(b, s.spacy_model, s.batch_size, s.parse_chunk_chars)
        return
    pending = iter(batches)
    window: deque[tuple[list[Article], Future[list[ExtractResult]]]] = deque()
    pool = _pool(s.n_process)
    try:
        while True:
            for b in pending:
                window.append((b, _submit(pool, b, s, worker)))
                if len(window) >= 2 * s.n_process:
                    break
            if not window:
                return
            done, fut = window.popleft()
            try:
                results = fut.result()
            except BrokenProcessPool:
                log.warning("an extraction worker died; retrying its batches article by article")
                pool.shutdown(wait=True, cancel_futures=True)
                suspects = [(done, fut), *window]
                window.clear()
                for batch, f in suspects:
                    yield batch, _finished(f) or _one_by_one(batch, s, worker)
                pool = _pool(s.n_process)
                continue
            yield done, results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _finished(fut: Future[list[ExtractResult]]) -> list[ExtractResult] | None:
    """The result of a batch that completed before its pool broke, else None."""
    if fut.done() and not fut.cancelled() and fut.exception() is None:
        return fut.result()
    return None


def _one_by_one(batch: list[Article], s: Settings, worker: Worker) -> list[ExtractResult]:
    """Each article of a batch alone in a fresh worker: only an article that kills it is lost."""
    out: list[ExtractResult] = []
    pool = _pool(1)
    try:
        for a in batch:
            try:
                out.extend(_submit(pool, [a], s, worker).result())
            except BrokenProcessPool:
                log.warning("article %s (%s) killed the extraction worker twice: quarantined", a.article_id, a.source)
                out.append(ExtractFailure(a.article_id, "worker", "WorkerDied", WORKER_DIED))
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _pool(1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return out


def land_extractions(ctx: RunContext, extracted: Iterable[Extracted], progress: Progress | None = None) -> ExtractStats:
    """Land entities, aliases, mentions, quotes and metrics of extracted batches, in their order.

    Every extraction path (in process, a process pool, a Dask cluster) ends here, so they all land
    the same rows in the same order. An article whose extraction failed is quarantined: a `rejects`
    row (reason `extract_error`, with its stage and error) that also keeps the article out of the load.
    """
    t0 = time.perf_counter()
    s = ctx.settings
    n = failed = 0
    storage = s.storage_options(s.landing_dir)
    with LandingWriter(s.landing_dir, ctx.run_id, ctx.started_at.date(), storage) as writer:
        buf = _Buffer(writer)
        for articles, results in extracted:
            by_id = {a.article_id: a for a in articles}
            for x in results:
                n += 1
                if progress:
                    progress(1)
                if isinstance(x, ExtractFailure):
                    failed += 1
                    buf.add("extract_rejects", _extract_reject(ctx, by_id[x.article_id], x))
                    continue
                a = by_id.get(x.article_id)
                seen_at = (a.published_at if a else None) or ctx.started_at
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
                for th in x.themes:
                    buf.add("article_themes", th)
                for qt in x.quote_themes:
                    buf.add("quote_themes", qt)
                # the article row landed at ingest; the load sets its tone from this landing-only table
                buf.add(
                    "article_tone",
                    {
                        "article_id": x.article_id,
                        "tone": x.tone,
                        "tone_positive": x.tone_positive,
                        "tone_negative": x.tone_negative,
                    },
                )
        buf.flush()
        writer.close()
        rows = dict(writer.rows)
    return ExtractStats(n, rows, time.perf_counter() - t0, failed)


def _extract_reject(ctx: RunContext, a: Article, f: ExtractFailure) -> Any:
    log.warning(
        "article %s (%s) quarantined: %s failed: %s: %s", a.article_id, a.source, f.stage, f.error_type, f.message
    )
    detail = (
        f"extraction failed at stage {f.stage}: {f.error_type}: {f.message}. The article is kept here and "
        "tried again when the extractor version changes, or with `news-pipeline rejects --retry`"
    )
    r = quarantine(a, "extract_error", f.stage, detail, ctx.extractor_version)
    return store_reject(r, ctx.settings.rejects_dir, ctx.run_id, ctx.started_at)


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
    publish: bool = True,
) -> dict[str, int]:
    """Load the run's landing files, its run row, and (inside the same transaction) the models; then
    publish the warehouse for readers (unless the caller publishes it itself)."""
    s = ctx.settings
    storage = s.storage_options(s.landing_dir)
    files = run_files(s.landing_dir, ctx.run_id, storage)
    landed = {t: open_landed(p, storage).metadata.num_rows for t, p in files.items()}
    quarantined = stats.quarantined + landed.get("extract_rejects", 0)
    extra = {"articles_quarantined": quarantined, "files_unchanged": stats.files_unchanged}
    with open_warehouse(s) as con:
        if is_url(s.landing_dir):
            # DuckDB reads the landing URLs through fsspec: no httpfs extension to download.
            con.register_filesystem(filesystem(s.landing_dir, storage))
        if not files and models_built(con, s.sql_dir):
            after_load = None  # nothing changed: the models stand as they are, the run only logs itself
        inserted = load_run(con, files, run_row(ctx, stats, "success", landed, **extra), after_load)
    if publish:
        publish_warehouse(s)
    return inserted


def fail(ctx: RunContext, stats: IngestStats, step: str, error: BaseException) -> None:
    """Record a failed run (the data tables were rolled back or never touched), and publish that."""
    s = ctx.settings
    with open_warehouse(s) as con:
        record_failure(
            con, run_row(ctx, stats, "failed", {}, failed_step=step, error=f"{type(error).__name__}: {error}")
        )
    publish_warehouse(s)


def counts(settings: Settings) -> dict[str, int]:
    with open_warehouse(settings) as con:
        return table_counts(con)


# --------------------------------------------------------------------------- models and exports

# Removing a quarantined article can make another row fail (a metric that restates one of its rows):
# the tests run again, this many times at most, before the failures count as errors.
QUARANTINE_ROUNDS = 3


class ModelsStep:
    """The SQL models and their data tests, as a step of the load's transaction.

    `error` tests that fail raise (the load rolls back: a bug). `quarantine` tests take the articles
    whose rows fail them out of the warehouse, each with a `rejects` row (reason `data_test`), and the
    rest loads. `warn` tests are reported in `warnings` and on the run's `pipeline_runs` row.
    """

    def __init__(self, settings: Settings, ctx: RunContext | None = None) -> None:
        self.settings = settings
        self.ctx = ctx
        self.quarantined = 0
        self.warnings: tuple[str, ...] = ()

    def __call__(self, con: duckdb.DuckDBPyConnection) -> None:
        from pipeline.models import DataTestError, build_models, check_data, discover_data_tests

        sql_dir = self.settings.sql_dir
        build_models(con, sql_dir)
        tests = discover_data_tests(sql_dir)
        for _ in range(QUARANTINE_ROUNDS):
            check = check_data(con, tests)
            if check.errors:
                raise DataTestError(check.errors)
            if not check.quarantine:
                break
            self._quarantine(con, check.quarantine)
            build_models(con, sql_dir)  # marts materialised as tables were built from the removed rows
        else:
            raise DataTestError([q.result for q in check.quarantine])
        self.warnings = tuple(w.describe() for w in check.warnings)
        for w in self.warnings:
            log.warning("data test warning: %s", w)
        if self.ctx is not None:
            con.execute(
                "update pipeline_runs set articles_quarantined = coalesce(articles_quarantined, 0) + ?, "
                "data_test_warnings = ?, warnings = ? where run_id = ?",
                [self.quarantined, len(self.warnings), "\n".join(self.warnings) or None, self.ctx.run_id],
            )

    def _quarantine(self, con: duckdb.DuckDBPyConnection, failed: Iterable[Any]) -> None:
        from pipeline.schemas import REJECTS, to_table

        tests: dict[str, list[str]] = {}
        for q in failed:
            for aid in q.article_ids:
                tests.setdefault(aid, []).append(f"{q.result.model}: {q.result.test}")
        ctx = self.ctx or new_run(self.settings)
        rows = []
        for a in _loaded_articles(con, sorted(tests)):
            detail = (
                f"failed the data test(s) {'; '.join(tests[a.article_id])}; the article is kept here and "
                "tried again when the extractor version changes, or with `news-pipeline rejects --retry`"
            )
            log.warning("article %s (%s) quarantined: %s", a.article_id, a.source, detail)
            r = quarantine(a, "data_test", tests[a.article_id][0].split(":")[0], detail, ctx.extractor_version)
            rows.append(store_reject(r, self.settings.rejects_dir, ctx.run_id, ctx.started_at))
        con.register("_test_rejects", to_table(rows, REJECTS))
        con.execute("insert or ignore into rejects by name select * from _test_rejects")
        con.unregister("_test_rejects")
        quarantine_articles(con, sorted(tests))
        self.quarantined += len(rows)


def _loaded_articles(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[Article]:
    names = list(_ARTICLE_FIELDS)
    cols = ", ".join(f'"{c}"' for c in names)
    rows = con.execute(f"select {cols} from articles where article_id in (select unnest(?::varchar[]))", [ids])
    return [Article(**dict(zip(names, r, strict=True))) for r in rows.fetchall()]


def build_and_test_models(settings: Settings, ctx: RunContext | None = None) -> ModelsStep:
    """The SQL models and their data tests, as a step of the load's transaction (see `ModelsStep`)."""
    return ModelsStep(settings, ctx)


def export(settings: Settings) -> dict[str, int]:
    """The published warehouse to Parquet for BI (read-only: an open reader does not stop it)."""
    from pipeline.exports import export_all

    target = settings.exports_dir
    with connect(settings.db_path, read_only=True, memory_limit=settings.duckdb_memory_limit) as con:
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


def summarize(
    ctx: RunContext,
    stats: IngestStats,
    rows: dict[str, int],
    quarantined: int = 0,
    warnings: tuple[str, ...] = (),
) -> RunSummary:
    return RunSummary(
        run_id=ctx.run_id,
        status="success",
        ingest=stats,
        rows_loaded=rows,
        table_counts=counts(ctx.settings),
        seconds=(utcnow() - ctx.started_at).total_seconds(),
        changed=changed(stats),
        quarantined=quarantined,
        warnings=warnings,
    )
