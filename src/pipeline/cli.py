"""`news-pipeline`: run the flow, inspect the warehouse, rebuild models, export and report."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from pipeline.settings import Settings

console = Console()
err = Console(stderr=True)


def _prefect_env() -> None:
    """Embedded defaults for Prefect: no telemetry, state kept in the project, quiet ephemeral server."""
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_LOGGING_LOG_PRINTS", "true")


def _settings(args: argparse.Namespace, **overrides: Any) -> Settings:
    if getattr(args, "warehouse", None):
        overrides["warehouse_dir"] = Path(args.warehouse)
    return Settings(**overrides)


def _print_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(str(c), overflow="fold")
    for r in rows:
        table.add_row(*["" if v is None else str(v) for v in r])
    console.print(table)


def _show_progress(args: argparse.Namespace) -> bool:
    """Bars on a terminal only: a log file or a pipe gets the plain log lines."""
    return bool(console.is_terminal and not args.no_progress)


def cmd_run(args: argparse.Namespace) -> int:
    _prefect_env()
    from flows.news_etl import news_etl
    from pipeline.warehouse.lock import WarehouseBusy

    overrides: dict[str, Any] = {}
    if getattr(args, "n_process", None):
        overrides["n_process"] = args.n_process
    retry = getattr(args, "retry_reasons", None)
    try:
        summary = news_etl(
            sources=[str(s) for s in args.sources],
            warehouse_dir=args.warehouse,
            no_wait=args.no_wait,
            settings_overrides=overrides,
            show_progress=_show_progress(args),
            retry_reasons=retry,
        )
    except WarehouseBusy as e:
        err.print(f"[red]news-pipeline: {e}[/red]")
        return 3
    st = summary.ingest
    _print_rows(["table", "rows"], sorted(summary.table_counts.items()), title="warehouse tables")
    console.print(
        f"articles: {st.new} new, {st.updated} updated, {st.skipped} skipped, "
        f"{st.duplicates} duplicates, {st.rejected} rejected (of {st.seen + st.rejected} inputs)"
    )
    if st.files_unchanged:
        console.print(f"files unchanged since the last run (not read): {st.files_unchanged}")
    if st.reject_reasons:
        console.print("rejected: " + ", ".join(f"{k} {v}" for k, v in sorted(st.reject_reasons.items())))
        console.print("  see them with: news-pipeline rejects")
    if summary.quarantined:
        console.print(
            f"quarantined: {summary.quarantined} article(s) could not be extracted or failed a data test; "
            "the rest loaded. See `news-pipeline rejects`, retry with `news-pipeline rejects --retry`"
        )
    for w in summary.warnings:
        console.print(f"data test warning: {w}")
    console.print(f"run {summary.run_id} finished in {summary.seconds:.1f}s")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _prefect_env()
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.settings import PREFECT_API_URL

    try:
        CronSchedule(cron=args.cron)
    except ValueError:
        err.print(f"news-pipeline serve: {args.cron!r} is not a cron expression (e.g. '*/30 * * * *')")
        return 2

    if not PREFECT_API_URL.value():
        err.print(
            "news-pipeline serve: PREFECT_API_URL is not set, so the schedule and run history live in a "
            "temporary server that ends with this process. For the UI and a lasting history: "
            "`prefect server start`, then PREFECT_API_URL=http://127.0.0.1:4200/api news-pipeline serve ..."
        )
    from flows.serve import serve_forever

    overrides: dict[str, Any] = {}
    if args.n_process:
        overrides["n_process"] = args.n_process
    serve_forever(
        [str(s) for s in args.sources],
        cron=args.cron,
        warehouse_dir=args.warehouse,
        name=args.name,
        settings_overrides=overrides or None,
    )
    return 0


def _connect_ro(settings: Settings) -> Any:
    from pipeline.warehouse.db import connect

    if not settings.db_path.exists():
        err.print(f"news-pipeline: no warehouse at {settings.db_path}; run `news-pipeline run SOURCES` first")
        raise SystemExit(2)
    return connect(settings.db_path, read_only=True, memory_limit=settings.duckdb_memory_limit)


def cmd_status(args: argparse.Namespace) -> int:
    from pipeline.schemas import TABLES

    s = _settings(args)
    with _connect_ro(s) as con:
        cur = con.execute(
            "select run_id, status, strftime(started_at, '%Y-%m-%d %H:%M:%S') as started, "
            "round(duration_s, 1) as seconds, articles_new as new, "
            "articles_updated as updated, articles_skipped as skipped, articles_rejected as rejected, "
            "failed_step, error from pipeline_runs order by started_at desc limit ?",
            [args.limit],
        )
        _print_rows([d[0] for d in cur.description], cur.fetchall(), title="last runs")
        counts = [(t, con.execute(f'select count(*) from "{t}"').fetchone()[0]) for t in TABLES]
        _print_rows(["table", "rows"], counts, title="tables")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    s = _settings(args)
    with _connect_ro(s) as con:
        try:
            cur = con.execute(args.sql)
        except duckdb.Error as e:
            err.print(f"news-pipeline query: {e}")
            return 1
        if cur.description is None:
            return 0
        rows = cur.fetchmany(args.limit)
        _print_rows([d[0] for d in cur.description], rows)
    return 0


def cmd_rejects(args: argparse.Namespace) -> int:
    if args.retry:
        from pipeline.rejects import QUARANTINE_REASONS

        reasons = args.reason or list(QUARANTINE_REASONS)
        unknown = sorted(set(reasons) - set(QUARANTINE_REASONS))
        if unknown:
            err.print(
                f"news-pipeline rejects --retry: {', '.join(unknown)} cannot be retried; "
                f"quarantined articles have the reasons {', '.join(QUARANTINE_REASONS)} "
                "(an unreadable input is read again when its file changes)"
            )
            return 2
        args.sources, args.retry_reasons = [], reasons
        return cmd_run(args)
    s = _settings(args)
    with _connect_ro(s) as con:
        cur = con.execute(
            "select source, reason, detail, stored_path, rejected_at from rejects "
            "order by rejected_at desc, source limit ?",
            [args.limit],
        )
        _print_rows([d[0] for d in cur.description], cur.fetchall(), title="rejects")
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from pipeline.models import build_models, run_data_tests
    from pipeline.steps import open_warehouse, publish_warehouse
    from pipeline.warehouse.lock import warehouse_lock

    s = _settings(args)
    with (
        warehouse_lock(s.warehouse_dir, on_wait=err.print),
        open_warehouse(s) as con,
    ):
        con.begin()
        try:
            built = build_models(con, s.sql_dir)
            if args.test:
                run_data_tests(con, s.sql_dir)
            con.commit()
        except Exception as e:
            con.rollback()
            err.print(f"[red]news-pipeline models: {e}[/red]")
            return 1
        con.close()
        publish_warehouse(s)
    console.print(f"built {len(built)} models" + (", data tests passed" if args.test else ""))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pipeline.steps import export

    s = _settings(args)
    rows = export(s)
    _print_rows(["export", "rows"], sorted(rows.items()), title=f"exports in {s.exports_dir}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report import write_report

    s = _settings(args)
    with _connect_ro(s) as con:
        path = write_report(con, s.warehouse_dir / "report")
    console.print(f"report written to {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="news-pipeline", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument(
            "--warehouse", metavar="DIR", help="warehouse folder (default: NEWS_WAREHOUSE_DIR or warehouse/)"
        )
        return sp

    r = add("run", "run the news_etl flow once over files, folders, feeds and URLs")
    sources_help = "files, folders, feed files, JSON Lines, *.urls lists or http(s) URLs"
    r.add_argument("sources", nargs="+", help=sources_help)
    r.add_argument("--no-wait", action="store_true", help="exit non-zero at once if another run holds the warehouse")
    r.add_argument("--n-process", type=int, help="extraction worker processes (default NEWS_N_PROCESS)")
    r.add_argument("--no-progress", action="store_true", help="no progress bars, even on a terminal")
    r.set_defaults(func=cmd_run)

    sv = add("serve", "serve a Prefect deployment of news_etl that runs on a cron schedule")
    sv.add_argument("sources", nargs="+", help=sources_help)
    sv.add_argument("--cron", required=True, help="when to run, e.g. '*/30 * * * *' (every 30 minutes)")
    sv.add_argument("--name", default="scheduled", help="deployment name (news_etl/NAME; default scheduled)")
    sv.add_argument("--n-process", type=int, help="extraction worker processes (default NEWS_N_PROCESS)")
    sv.set_defaults(func=cmd_serve)

    st = add("status", "show the last runs and table counts")
    st.add_argument("--limit", type=int, default=10)
    st.set_defaults(func=cmd_status)

    q = add("query", "run SQL against the warehouse (read-only) and print the result")
    q.add_argument("sql")
    q.add_argument("--limit", type=int, default=100)
    q.set_defaults(func=cmd_query)

    rj = add("rejects", "list inputs that could not be read, with the reason")
    rj.add_argument("--limit", type=int, default=100)
    rj.add_argument(
        "--retry",
        action="store_true",
        help="run the quarantined articles again now (extract_error, data_test, too_long), as a run of their own",
    )
    rj.add_argument("--reason", action="append", metavar="R", help="with --retry: only this reason (repeatable)")
    rj.add_argument("--no-wait", action="store_true", help="with --retry: do not wait for another run")
    rj.add_argument("--no-progress", action="store_true", help="with --retry: no progress bars")
    rj.set_defaults(func=cmd_rejects)

    m = add("models", "rebuild the SQL models (no re-extraction)")
    m.add_argument("--test", action="store_true", help="also run the data tests")
    m.set_defaults(func=cmd_models)

    ex = add("export", "write the core tables and marts to Parquet for BI tools")
    ex.set_defaults(func=cmd_export)

    rp = add("report", "write warehouse/report/index.html, a self-contained report")
    rp.set_defaults(func=cmd_report)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
