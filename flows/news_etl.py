"""The `news_etl` Prefect flow: thin wiring of `pipeline.steps` into tasks. No logic lives here."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from pipeline import steps
from pipeline.ingest import iter_local, split_sources, url_list_entries
from pipeline.ingest.http import FetchError, Fetched, fetch, fetch_error_reject, fetched_items
from pipeline.records import Article, Reject
from pipeline.settings import Settings
from pipeline.warehouse.lock import warehouse_lock


def _retry_network(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only what a retry can fix: timeouts, connection errors, 5xx, 429."""
    try:
        state.result()
    except FetchError as e:
        return e.retryable
    except Exception:
        return False
    return False


@task(retries=3, retry_delay_seconds=[1, 4, 10], retry_condition_fn=_retry_network, cache_policy=NO_CACHE)
def fetch_url(url: str, settings: Settings) -> Fetched:
    """Fetch one URL (network I/O: the only step with retries)."""
    return fetch(url, settings)


@task(cache_policy=NO_CACHE)
def ingest(ctx: steps.RunContext, paths: list[str], fetched: list[Fetched | Reject]) -> steps.IngestStats:
    """Read every source, skip what is unchanged, land the rest."""
    t0 = time.perf_counter()

    def items() -> Iterator[Article | Reject]:
        yield from iter_local(paths, ctx.settings)
        for f in fetched:
            if isinstance(f, Reject):
                yield f
            else:
                yield from fetched_items(f, ctx.settings)

    stats = steps.ingest(ctx, items())
    get_run_logger().info(
        "ingest: %d articles seen, %d new, %d updated, %d skipped, %d duplicates, %d rejected in %.1fs",
        stats.seen, stats.new, stats.updated, stats.skipped, stats.duplicates, stats.rejected,
        time.perf_counter() - t0,
    )
    return stats


@task(cache_policy=NO_CACHE)
def extract(ctx: steps.RunContext) -> steps.ExtractStats:
    """spaCy over the landed articles, in batches; land entities, mentions, quotes, metrics."""
    stats = steps.extract(ctx)
    get_run_logger().info("extract: %d articles, rows %s in %.1fs", stats.articles, stats.rows, stats.seconds)
    return stats


@task(cache_policy=NO_CACHE)
def load(ctx: steps.RunContext, stats: steps.IngestStats) -> dict[str, int]:
    """One transaction: replace the run's articles, add its run row, rebuild and test the models."""
    t0 = time.perf_counter()
    inserted = steps.load(ctx, stats, after_load=steps.build_and_test_models(ctx.settings))
    get_run_logger().info("load + models: rows %s in %.1fs", inserted, time.perf_counter() - t0)
    return inserted


@task(cache_policy=NO_CACHE)
def export(ctx: steps.RunContext) -> dict[str, int]:
    """Core tables and marts to Parquet for BI, each replaced atomically."""
    t0 = time.perf_counter()
    rows = steps.export(ctx.settings)
    get_run_logger().info("export: %d files in %.1fs", len(rows), time.perf_counter() - t0)
    return rows


def _fetch_all(urls: list[str], settings: Settings) -> list[Fetched | Reject]:
    futures = [(u, fetch_url.submit(u, settings)) for u in urls]
    out: list[Fetched | Reject] = []
    for url, fut in futures:
        state = fut.wait() or fut.state
        try:
            out.append(fut.result())
        except FetchError as e:
            out.append(fetch_error_reject(url, e))
        del state
    return out


@flow(name="news_etl", log_prints=True)
def news_etl(
    sources: list[str],
    warehouse_dir: str | None = None,
    no_wait: bool = False,
    settings_overrides: dict[str, Any] | None = None,
) -> steps.RunSummary:
    """Sources -> ingest -> extract -> land -> load (DuckDB) -> models -> exports."""
    overrides = dict(settings_overrides or {})
    if warehouse_dir:
        overrides["warehouse_dir"] = Path(warehouse_dir)
    settings = Settings(**overrides)
    logger = get_run_logger()
    with warehouse_lock(settings.warehouse_dir, wait=not no_wait, timeout=settings.lock_timeout, on_wait=logger.warning):
        ctx = steps.new_run(settings, flow_run_id=str(flow_run.get_id() or ""))
        paths, urls = split_sources(sources)
        urls += url_list_entries(paths, settings)
        stats = steps.IngestStats()
        step = "fetch"
        try:
            fetched = _fetch_all(urls, settings)
            step = "ingest"
            stats = ingest(ctx, paths, fetched)
            step = "extract"
            extract(ctx)
            step = "load"
            rows = load(ctx, stats)
            step = "export"
            if steps.changed(stats) or not settings.exports_dir.exists():
                export(ctx)
        except BaseException as e:
            steps.fail(ctx, stats, step, e)
            raise
        return steps.summarize(ctx, stats, rows)
