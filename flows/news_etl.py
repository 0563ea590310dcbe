"""The `news_etl` Prefect flow: thin wiring of `pipeline.steps` into tasks. No logic lives here."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run

from flows.progress import RunProgress, run_progress
from pipeline import steps
from pipeline.ingest import split_sources, url_list_entries
from pipeline.ingest.http import Fetched, FetchError, fetch, fetch_error_reject, fetched_items
from pipeline.ingest.sitemap import expand_sitemaps
from pipeline.nlp.extract import extract_batch
from pipeline.records import Article, ExtractFailure, ExtractResult, Reject
from pipeline.settings import Settings
from pipeline.summary import run_summary_markdown
from pipeline.warehouse.db import connect
from pipeline.warehouse.lock import warehouse_lock

# No task here is cached (cache_policy=NO_CACHE everywhere): every step reads or writes state that
# lives outside its inputs (the sources on disk or the web, the warehouse, the run's landing files),
# so a cache keyed on the inputs would replay a stale result. Incremental work is decided by the
# warehouse itself (content hashes, extractor version), which is the only safe "cache" here.


def _retry_network(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only what a retry can fix: timeouts, connection errors, 5xx, 429."""
    try:
        state.result()
    except FetchError as e:
        return e.retryable
    except Exception:
        return False
    return False


# No `timeout_seconds`: `fetch` bounds its own wall-clock time (TOTAL_TIME_FACTOR x NEWS_HTTP_TIMEOUT,
# pipeline/ingest/http.py) and size, and a Prefect timeout in a worker thread cannot interrupt blocking I/O
# anyway (it only logged a warning per fetch). Retries: only what a retry can fix (see `_retry_network`).
@task(
    retries=3,
    retry_delay_seconds=[1, 4, 10],
    retry_condition_fn=_retry_network,
    cache_policy=NO_CACHE,
)
def fetch_url(url: str, settings: Settings) -> Fetched:
    """Fetch one URL (network I/O: the only step with retries and a timeout)."""
    return fetch(url, settings)


@task(cache_policy=NO_CACHE)
def ingest(
    ctx: steps.RunContext,
    paths: list[str],
    fetched: list[Fetched | Reject],
    progress: steps.Progress | None = None,
    retry_reasons: list[str] | None = None,
) -> steps.IngestStats:
    """Read every source, skip what is unchanged, land the rest (and the quarantined articles to retry)."""
    t0 = time.perf_counter()
    retried = steps.retry_items(ctx, retry_reasons) if retry_reasons else []

    def items() -> Iterator[steps.IngestItem]:
        yield from steps.local_items(ctx, paths)
        for f in fetched:
            if isinstance(f, Reject):
                yield f
            else:
                yield from fetched_items(f, ctx.settings)
        yield from retried

    stats = steps.ingest(ctx, items(), progress=progress, retry=frozenset(a.article_id for a in retried))
    get_run_logger().info(
        "ingest: %d articles seen, %d new, %d updated, %d skipped (%d files unchanged), %d duplicates, "
        "%d rejected, %d retried in %.1fs",
        stats.seen,
        stats.new,
        stats.updated,
        stats.skipped,
        stats.files_unchanged,
        stats.duplicates,
        stats.rejected,
        len(retried),
        time.perf_counter() - t0,
    )
    return stats


def _log_extract(stats: steps.ExtractStats, where: str) -> None:
    get_run_logger().info(
        "extract (%s): %d articles, %d quarantined, rows %s in %.1fs",
        where,
        stats.articles,
        stats.quarantined,
        stats.rows,
        stats.seconds,
    )


@task(cache_policy=NO_CACHE)
def extract(ctx: steps.RunContext, progress: steps.Progress | None = None) -> steps.ExtractStats:
    """spaCy over the landed articles, in batches; land entities, mentions, quotes, metrics."""
    stats = steps.extract(ctx, progress=progress)
    _log_extract(stats, f"{ctx.settings.n_process} process(es)")
    return stats


# ------------------------------------------------------------------------ extraction on Dask


@task(cache_policy=NO_CACHE)
def extract_batch_task(articles: list[Article], model: str, batch_size: int, chunk_chars: int) -> list[ExtractResult]:
    """One batch through spaCy on a Dask worker; only records come back, never Docs."""
    return extract_batch(articles, model, batch_size, chunk_chars)


def dask_task_runner(settings: Settings) -> Any:
    """A DaskTaskRunner on `NEWS_DASK_ADDRESS`, else on a LocalCluster of `n_process` processes."""
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={
            "n_workers": settings.n_process,
            "threads_per_worker": 1,
            "processes": True,
            "host": "127.0.0.1",
            "dashboard_address": ":0",  # a free port, logged by the runner
        },
    )


def _submit(b: list[Article], s: Settings) -> PrefectFuture[list[ExtractResult]]:
    return extract_batch_task.submit(b, s.spacy_model, s.batch_size, s.parse_chunk_chars)


def _result(done: list[Article], fut: PrefectFuture[list[ExtractResult]], s: Settings) -> list[ExtractResult]:
    """A batch's results; a batch whose task failed (a worker lost) runs again one article per task."""
    try:
        return fut.result()
    except Exception as e:
        get_run_logger().warning(
            "extraction batch failed (%s: %s); retrying it article by article", type(e).__name__, e
        )
    out: list[ExtractResult] = []
    for a, f in [(a, _submit([a], s)) for a in done]:
        try:
            out.extend(f.result())
        except Exception as e:
            out.append(ExtractFailure(a.article_id, "worker", type(e).__name__, str(e)[:1000]))
    return out


def _submit_in_order(batches: Iterable[list[Article]], s: Settings) -> Iterator[steps.Extracted]:
    """Batches to the flow's task runner, a bounded window in flight, results back in batch order."""
    window: deque[tuple[list[Article], PrefectFuture[list[ExtractResult]]]] = deque()
    in_flight = 2 * max(s.n_process, 2)
    for b in batches:
        window.append((b, _submit(b, s)))
        if len(window) >= in_flight:
            done, fut = window.popleft()
            yield done, _result(done, fut, s)
    while window:
        done, fut = window.popleft()
        yield done, _result(done, fut, s)


@flow(name="extract_on_dask", validate_parameters=False)
def extract_on_dask(ctx: steps.RunContext, progress: steps.Progress | None = None) -> steps.ExtractStats:
    """Extraction batches as tasks on a Dask cluster; their records land here, in batch order."""
    stats = steps.extract(ctx, progress=progress, run_batches=_submit_in_order)
    _log_extract(stats, "dask")
    return stats


def _extract(ctx: steps.RunContext, bars: RunProgress, total: int) -> steps.ExtractStats:
    progress = bars.step("extract", total=total)
    if ctx.settings.task_runner == "dask" and total:
        runner = dask_task_runner(ctx.settings)
        result: steps.ExtractStats = extract_on_dask.with_options(task_runner=runner)(ctx, progress)
        return result
    return extract(ctx, progress)


# ------------------------------------------------------------------------ load and export


@task(cache_policy=NO_CACHE)
def load(ctx: steps.RunContext, stats: steps.IngestStats) -> steps.LoadStats:
    """One transaction: replace the run's articles, add its run row, rebuild and test the models; publish."""
    t0 = time.perf_counter()
    models = steps.build_and_test_models(ctx.settings, ctx)
    inserted = steps.load(ctx, stats, after_load=models, publish=False)
    logger = get_run_logger()
    logger.info("load + models: rows %s in %.1fs", inserted, time.perf_counter() - t0)
    if models.quarantined or models.warnings:
        logger.warning("data tests: %d article(s) quarantined, %d warning(s)", models.quarantined, len(models.warnings))
    t1 = time.perf_counter()
    seconds = steps.publish_warehouse(ctx.settings)
    size = ctx.settings.db_path.stat().st_size / 1e6
    logger.info("publish: %.1f MB in %.2fs (%.1fs)", size, seconds, time.perf_counter() - t1)
    return steps.LoadStats(inserted, models.quarantined, models.warnings, seconds)


@task(cache_policy=NO_CACHE)
def export(ctx: steps.RunContext) -> dict[str, int]:
    """Core tables and marts to Parquet for BI, each replaced atomically."""
    t0 = time.perf_counter()
    rows = steps.export(ctx.settings)
    get_run_logger().info("export: %d files, %d rows in %.1fs", len(rows), sum(rows.values()), time.perf_counter() - t0)
    return rows


def _fetch_all(urls: list[str], settings: Settings) -> list[Fetched | Reject]:
    if not urls:
        return []
    t0 = time.perf_counter()
    futures = [(u, fetch_url.submit(u, settings)) for u in urls]
    out: list[Fetched | Reject] = []
    for url, fut in futures:
        fut.wait()
        try:
            out.append(fut.result())
        except FetchError as e:
            out.append(fetch_error_reject(url, e))
    failed = sum(isinstance(f, Reject) for f in out)
    get_run_logger().info(
        "fetch: %d URLs, %d fetched, %d failed in %.1fs",
        len(urls),
        len(urls) - failed,
        failed,
        time.perf_counter() - t0,
    )
    return out


@flow(name="news_etl", log_prints=True)
def news_etl(
    sources: list[str],
    warehouse_dir: str | None = None,
    no_wait: bool = False,
    settings_overrides: dict[str, Any] | None = None,
    show_progress: bool = False,
    retry_reasons: list[str] | None = None,
) -> steps.RunSummary:
    """Sources -> ingest -> extract -> land -> load (DuckDB) -> models -> exports."""
    overrides = dict(settings_overrides or {})
    if warehouse_dir:
        overrides["warehouse_dir"] = Path(warehouse_dir)
    settings = Settings(**overrides)
    logger = get_run_logger()
    with warehouse_lock(
        settings.warehouse_dir, wait=not no_wait, timeout=settings.lock_timeout, on_wait=logger.warning
    ):
        ctx = steps.new_run(settings, flow_run_id=str(flow_run.get_id() or ""))
        paths, urls = split_sources(sources)
        urls += url_list_entries(paths, settings)
        stats = steps.IngestStats()
        step = "fetch"
        try:
            with run_progress(show_progress) as bars:
                sitemaps = expand_sitemaps(urls, settings)  # sitemap URLs -> the article URLs they list
                fetched = _fetch_all(sitemaps.urls, settings) + sitemaps.prefetched
                step = "ingest"
                stats = ingest(ctx, paths, fetched, bars.step("ingest"), retry_reasons)
                step = "extract"
                extracted = _extract(ctx, bars, stats.new + stats.updated)
            step = "load"
            loaded = load(ctx, stats)
            step = "export"
            if steps.changed(stats) or not steps.exports_exist(settings):
                export(ctx)
        except BaseException as e:
            steps.fail(ctx, stats, step, e)
            raise
        logger.info("run %s: %s", ctx.run_id, "completed" if steps.changed(stats) else "nothing new")
        publish_summary(ctx)
        quarantined = stats.quarantined + extracted.quarantined + loaded.quarantined
        if quarantined:
            logger.info("run %s: %d article(s) quarantined; see `news-pipeline rejects`", ctx.run_id, quarantined)
        return steps.summarize(ctx, stats, loaded.rows, quarantined, loaded.warnings)


@task(cache_policy=NO_CACHE)
def publish_summary(ctx: steps.RunContext) -> None:
    """The run's summary (counts, new articles, top entities, rejects) as a Prefect markdown artifact."""
    with connect(ctx.settings.db_path, read_only=True, memory_limit=ctx.settings.duckdb_memory_limit) as con:
        markdown = run_summary_markdown(con, ctx.run_id)
    create_markdown_artifact(key="news-etl-run-summary", markdown=markdown, description=f"run {ctx.run_id}")
