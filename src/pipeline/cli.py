"""`news-pipeline`: run the flow, inspect the warehouse, rebuild models, export and report."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console

from pipeline import cli_output
from pipeline.cli_output import Column, Format
from pipeline.settings import Settings

STDOUT = Console()
console = STDOUT  # prose; on stderr when stdout carries CSV, JSON or Markdown (see `_configure_output`)
err = Console(stderr=True)


class CliError(Exception):
    """A failure the user can act on: printed as one line on stderr, exit `code` (2 usage, 1 failure)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class _Output:
    fmt: Format = "table"
    wide: bool = False
    printed: bool = False  # a table was printed: the next one gets a blank line before it


_output = _Output()


def _configure_output(args: argparse.Namespace) -> None:
    """Rows in `--format`; with a machine format, prose lines go to stderr so stdout stays parseable."""
    global console
    _output.fmt = getattr(args, "format", None) or "table"
    _output.wide = bool(getattr(args, "wide", False))
    _output.printed = False
    console = STDOUT if _output.fmt == "table" else err


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


def _table_width() -> tuple[int, bool]:
    """(width, shorten): the terminal's width; a pipe or file gets COLUMNS (else 80) and short ids."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns, False
    columns = os.environ.get("COLUMNS", "")
    return (int(columns) if columns.isdigit() else 80), True


def _print_rows(
    columns: Sequence[str | Column], rows: Sequence[Sequence[Any]], title: str | None = None, note: str = ""
) -> None:
    """Rows to stdout in `--format`; the title, a blank line before it and `note` only in a table."""
    width, shorten = _table_width()
    text = cli_output.render(_output.fmt, columns, rows, width=width, wide=_output.wide, shorten=shorten, title=title)
    if _output.fmt == "table":
        if _output.printed:
            text = "\n" + text
        text += f"{cli_output.wrap(note, width)}\n" if note else ""
        _output.printed = True
    elif note:
        err.print(note, markup=False, highlight=False)
    sys.stdout.write(text)
    sys.stdout.flush()


def _say(line: str) -> None:
    """One line of prose to stdout in a table (stderr with a machine format), wrapped at spaces only."""
    width, _ = _table_width()
    target = sys.stdout if _output.fmt == "table" else sys.stderr
    target.write(cli_output.wrap(line, width, indent="  ") + "\n")


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

    if not settings.db_path.is_file():
        raise CliError(f"no warehouse at {settings.db_path}; run `news-pipeline run SOURCES` first", 2)
    try:
        return connect(settings.db_path, read_only=True, memory_limit=settings.duckdb_memory_limit)
    except Exception as e:  # not a DuckDB file, unreadable, a newer DuckDB's format...
        raise CliError(f"cannot open the warehouse {settings.db_path}: {_one_line(e)}", 2) from e


def _columns_of(con: Any, table: str) -> list[str]:
    """The table's columns in this warehouse (an older one may lack columns until the next run adds them)."""
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = 'main' and table_name = ? "
        "order by ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def _select(con: Any, table: str, wanted: Sequence[str], tail: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """`wanted` columns of `table` (NULL for the ones this warehouse lacks), then `tail` (order, limit)."""
    have = set(_columns_of(con, table))
    if not have:
        return []
    exprs = [f'"{c}"' if c in have else f'null as "{c}"' for c in wanted]
    return list(con.execute(f'select {", ".join(exprs)} from "{table}" {tail}', list(params)).fetchall())


RUN_COLUMNS = (
    "run_id",
    "status",
    "started_at",
    "finished_at",
    "duration_s",
    "articles_new",
    "articles_updated",
    "articles_skipped",
    "articles_rejected",
    "articles_duplicate",
    "articles_quarantined",
    "files_unchanged",
    "data_test_warnings",
    "failed_step",
    "error",
    "warnings",
    "extractor_version",
    "flow_run_id",
)


@dataclass(frozen=True)
class _Run:
    """One `pipeline_runs` row, by name."""

    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    @property
    def ended(self) -> datetime:
        """When the run ended (its start if it has no end), as naive UTC like the warehouse stores it."""
        at: datetime = self["finished_at"] or self["started_at"]
        return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at

    def age(self, now: datetime) -> timedelta:
        return now - self.ended

    def failure(self) -> str:
        """`at step load: ValueError: ...`"""
        step, error = self["failed_step"], self["error"]
        where = f"at step {step}" if step else "at an unknown step"
        return f"{where}: {error}" if error else where

    def counts(self) -> str:
        n = {k: self[k] or 0 for k in ("articles_new", "articles_updated", "articles_rejected")}
        text = f"{n['articles_new']} new, {n['articles_updated']} updated, {n['articles_rejected']} rejected"
        quarantined = self["articles_quarantined"]
        return text + ("" if quarantined is None else f", {quarantined} quarantined")


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _runs(con: Any, limit: int) -> list[_Run]:
    rows = _select(con, "pipeline_runs", RUN_COLUMNS, "order by started_at desc limit ?", [limit])
    return [_Run(dict(zip(RUN_COLUMNS, r, strict=True))) for r in rows]


def _headline(run: _Run, now: datetime) -> list[str]:
    """What an operator looks for first: the last run's outcome, when, how long, and what it did."""
    took = "" if run["duration_s"] is None else f", took {cli_output.human_duration(run['duration_s'])}"
    ago = cli_output.human_duration(run.age(now).total_seconds())
    started = f"{run['started_at']:%Y-%m-%d %H:%M:%S}"
    lines = [
        f"last run {run['run_id']}: {run['status']} {ago} ago (started {started} UTC{took})",
        f"articles: {run.counts()}",
    ]
    if run["status"] != "success":
        lines.append(f"failed {run.failure()}")
    if run["data_test_warnings"]:
        detail = f" ({run['warnings']})" if run["warnings"] else ""
        lines.append(f"data test warnings: {run['data_test_warnings']}{detail}")
    return lines


def _compact_runs(runs: Sequence[_Run]) -> tuple[list[Column], list[list[Any]]]:
    """The runs table that fits 80 columns: short run ids, the start to the minute, the failed step."""
    columns = [
        Column("run", "id"),
        Column("status", "word"),
        Column("started", "word"),
        Column("took", "word"),
        Column("new", "number"),
        Column("updated", "number"),
        Column("rejected", "number"),
        Column("quarantined", "number", optional=True),
        Column("failed", "word"),  # the step; the last run's error is in the headline, all of them with --wide
    ]
    rows = [
        [
            r["run_id"],
            r["status"],
            f"{r['started_at']:%Y-%m-%d %H:%M}",
            None if r["duration_s"] is None else cli_output.human_duration(r["duration_s"]),
            r["articles_new"],
            r["articles_updated"],
            r["articles_rejected"],
            r["articles_quarantined"],
            r["failed_step"],
        ]
        for r in runs
    ]
    return columns, rows


def _check(s: Settings, max_age: timedelta | None) -> tuple[int, str]:
    """(exit code, one line) for monitoring: 0 when the last run succeeded (within `max_age`), else 1."""
    if not s.db_path.is_file():
        return 1, f"CRITICAL: no warehouse at {s.db_path}"
    with _connect_ro(s) as con:
        runs = _runs(con, 1)
    if not runs:
        return 1, f"CRITICAL: no runs yet in {s.db_path}"
    run, now = runs[0], _utcnow()
    ago = cli_output.human_duration(run.age(now).total_seconds())
    if run["status"] != "success":
        return (
            1,
            f"CRITICAL: last run {run['run_id']} {run['status']} {run.failure()} ({ago} ago)",
        )
    if max_age is not None and run.age(now) > max_age:
        limit = cli_output.human_duration(max_age.total_seconds())
        return 1, f"CRITICAL: last run {run['run_id']} is {ago} old (over --max-age {limit})"
    return 0, f"OK: last run {run['run_id']} succeeded {ago} ago: {run.counts()}"


def cmd_status(args: argparse.Namespace) -> int:
    from pipeline.schemas import TABLES

    s = _settings(args)
    if args.check:
        code, line = _check(s, args.max_age)
        print(line)
        return code
    with _connect_ro(s) as con:
        runs = _runs(con, args.limit)
        present = set(
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        )
        counts = [(t, con.execute(f'select count(*) from "{t}"').fetchone()[0]) for t in TABLES if t in present]
    if _output.fmt != "table":  # machine formats: the runs, every column, full values
        _print_rows(list(RUN_COLUMNS), [[r[c] for c in RUN_COLUMNS] for r in runs])
        return 0
    if not runs:
        _say("no runs yet: `news-pipeline run SOURCES` loads the first")
    else:
        for line in _headline(runs[0], _utcnow()):
            _say(line)
        sys.stdout.write("\n")
        if _output.wide:
            _print_rows(list(RUN_COLUMNS), [[r[c] for c in RUN_COLUMNS] for r in runs], title="last runs")
        else:
            _print_rows(*_compact_runs(runs), title="last runs")
    _print_rows([Column("table", "word"), Column("rows", "number")], counts, title="tables")
    return 0


def _read_sql(args: argparse.Namespace) -> str:
    """The SQL from the argument, `-f FILE`, or stdin (`-` for either)."""
    if args.sql is not None and args.file is not None:
        raise CliError("give the SQL as an argument or with -f FILE, not both", 2)
    source = args.file if args.file is not None else args.sql
    if source is None:
        raise CliError("no SQL: give it as an argument, with -f FILE, or on stdin with `-` (query - < report.sql)", 2)
    if source == "-":
        sql = sys.stdin.read()
    elif args.file is not None:
        try:
            sql = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise CliError(f"cannot read the SQL file {source}: {getattr(e, 'strerror', None) or e}", 2) from e
    else:
        sql = source
    if not sql.strip():
        raise CliError("the SQL is empty", 2)
    return sql


COPY_FORMATS = {".parquet": "(FORMAT parquet)", ".csv": "(FORMAT csv, HEADER)"}


def _copy_options(path: str) -> str:
    options = COPY_FORMATS.get(Path(path).suffix.lower())
    if options is None:
        raise CliError(f"--output {path}: the file name must end in .parquet or .csv (the format follows it)", 2)
    return options


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    sql = _read_sql(args)
    options = _copy_options(args.output) if args.output else ""
    s = _settings(args)
    with _connect_ro(s) as con:
        try:
            if args.output:
                # COPY writes the file itself: every row, typed (Parquet), without going through Python.
                body = sql.strip().rstrip(";").strip()
                target = str(Path(args.output)).replace("'", "''")
                written = con.execute(f"COPY ({body}) TO '{target}' {options}").fetchone()
                console.print(f"wrote {written[0] if written else 0} rows to {args.output}", markup=False)
                return 0
            cur = con.execute(sql)
            if cur.description is None:
                return 0
            limit = _limit(args)
            rows = cur.fetchmany(limit + 1) if limit else cur.fetchall()
        except duckdb.Error as e:
            raise CliError(_one_line(e), 1) from e
        more = bool(limit) and len(rows) > limit
        note = f"(first {limit} rows; --limit N for more, --limit 0 for all)" if more else ""
        _print_rows([d[0] for d in cur.description], rows[:limit] if limit else rows, note=note)
    return 0


def _limit(args: argparse.Namespace, table_default: int = 100) -> int:
    """Rows to print (0: all): `--limit`, else `table_default` in a table and every row in a machine format."""
    if args.limit is not None:
        return max(int(args.limit), 0)
    return table_default if _output.fmt == "table" else 0


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
    limit = _limit(args)
    with _connect_ro(s) as con:
        rows = _select(
            con,
            "rejects",
            REJECT_COLUMNS,
            "order by rejected_at desc, source" + (" limit ?" if limit else ""),
            [limit + 1] if limit else [],
        )
    more = bool(limit) and len(rows) > limit
    rows = rows[:limit] if limit else rows
    note = f"(the last {limit} rejects; --limit N for more, --limit 0 for all)" if more else ""
    if _output.fmt != "table" or _output.wide:
        _print_rows(list(REJECT_COLUMNS), rows, title="rejects", note=note)
        return 0
    by_name = [dict(zip(REJECT_COLUMNS, r, strict=True)) for r in rows]
    shown = [c for c in _COMPACT_REJECTS if c.name != "stage" or any(r["stage"] for r in by_name)]
    _print_rows(shown, [[r[c.name] for c in shown] for r in by_name], title="rejects", note=note)
    return 0


REJECT_COLUMNS = (
    "source",
    "reason",
    "stage",
    "detail",
    "rejected_at",
    "stored_path",
    "article_id",
    "content_hash",
    "extractor_version",
    "run_id",
    "reject_id",
)
# The 80-column view: what was rejected, why, and when; where its bytes are kept if there is room.
_COMPACT_REJECTS = (
    Column("source", "path"),
    Column("reason", "word"),
    Column("stage", "word"),
    Column("detail", "text"),
    Column("rejected_at", "time"),
    Column("stored_path", "path", optional=True),
    Column("article_id", "id", optional=True),
)


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
    p.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument(
            "--warehouse", metavar="DIR", help="warehouse folder (default: NEWS_WAREHOUSE_DIR or warehouse/)"
        )
        sp.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="tracebacks for errors")
        return sp

    r = add("run", "run the news_etl flow once over files, folders, feeds and URLs")
    sources_help = "files, folders, feed files, JSON Lines, *.urls lists or http(s) URLs"
    r.add_argument("sources", nargs="+", help=sources_help)
    r.add_argument("--no-wait", action="store_true", help="exit non-zero at once if another run holds the warehouse")
    r.add_argument("--n-process", type=int, help="extraction worker processes (default NEWS_N_PROCESS)")
    r.add_argument("--no-progress", action="store_true", help="no progress bars, even on a terminal")
    _output_options(r)
    r.set_defaults(func=cmd_run)

    sv = add("serve", "serve a Prefect deployment of news_etl that runs on a cron schedule")
    sv.add_argument("sources", nargs="+", help=sources_help)
    sv.add_argument("--cron", required=True, help="when to run, e.g. '*/30 * * * *' (every 30 minutes)")
    sv.add_argument("--name", default="scheduled", help="deployment name (news_etl/NAME; default scheduled)")
    sv.add_argument("--n-process", type=int, help="extraction worker processes (default NEWS_N_PROCESS)")
    sv.set_defaults(func=cmd_serve)

    st = add("status", "show the last runs and table counts")
    st.add_argument("--limit", type=int, default=10, help="runs to list (default 10)")
    st.add_argument(
        "--check",
        action="store_true",
        help="for monitoring: one line, exit 0 if the last run succeeded (within --max-age), else 1",
    )
    st.add_argument("--max-age", type=_duration, metavar="AGE", help="with --check: e.g. 90s, 30m, 2h, 1d")
    _output_options(st)
    st.set_defaults(func=cmd_status)

    q = add("query", "run SQL against the warehouse (read-only) and print the result")
    q.add_argument("sql", nargs="?", help="the SQL, or - to read it from stdin")
    q.add_argument("-f", "--file", metavar="FILE", help="read the SQL from FILE (- for stdin)")
    q.add_argument("--limit", type=int, help="rows to print (default 100 in a table, all otherwise; 0: all)")
    q.add_argument("--output", metavar="FILE", help="write every row to FILE.parquet or FILE.csv (DuckDB COPY)")
    _output_options(q)
    q.set_defaults(func=cmd_query)

    rj = add("rejects", "list inputs that could not be read, with the reason")
    rj.add_argument("--limit", type=int, help="rejects to list (default 100 in a table, all otherwise; 0: all)")
    rj.add_argument(
        "--retry",
        action="store_true",
        help="run the quarantined articles again now (extract_error, data_test, too_long), as a run of their own",
    )
    rj.add_argument("--reason", action="append", metavar="R", help="with --retry: only this reason (repeatable)")
    rj.add_argument("--no-wait", action="store_true", help="with --retry: do not wait for another run")
    rj.add_argument("--no-progress", action="store_true", help="with --retry: no progress bars")
    _output_options(rj)
    rj.set_defaults(func=cmd_rejects)

    m = add("models", "rebuild the SQL models (no re-extraction)")
    m.add_argument("--test", action="store_true", help="also run the data tests")
    m.set_defaults(func=cmd_models)

    ex = add("export", "write the core tables and marts to Parquet for BI tools")
    _output_options(ex)
    ex.set_defaults(func=cmd_export)

    rp = add("report", "write warehouse/report/index.html, a self-contained report")
    rp.set_defaults(func=cmd_report)
    return p


def _duration(value: str) -> timedelta:
    try:
        return cli_output.parse_duration(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def _output_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument(
        "--format",
        choices=cli_output.FORMATS,
        default="table",
        help="table (default), csv, json (JSON Lines: one object per row) or markdown",
    )
    sp.add_argument("--wide", action="store_true", help="table: every column, ids and text in full")


def _one_line(e: BaseException) -> str:
    """An exception as one line: DuckDB's message up to its first blank line (not the caret drawing)."""
    message = str(e).strip().split("\n\n", 1)[0]
    line = " ".join(message.split()) or type(e).__name__
    if type(e).__module__.startswith(("duckdb", "_duckdb")) or isinstance(e, CliError):
        return line
    return f"{type(e).__name__}: {line}"


def main(argv: Sequence[str] | None = None) -> int:
    """Exit codes: 0 ok, 1 a failed command or query (or a failed --check), 2 usage or no warehouse,
    3 the warehouse busy (run --no-wait), 130 interrupted, 141 stdout closed early (`| head`)."""
    args = build_parser().parse_args(argv)
    _configure_output(args)
    prog = f"news-pipeline {args.command}"
    try:
        code: int = args.func(args)
    except CliError as e:
        if args.debug:
            raise
        err.print(f"{prog}: {e}", markup=False, highlight=False, soft_wrap=True)
        return e.code
    except KeyboardInterrupt:
        err.print(f"{prog}: interrupted", markup=False, highlight=False)
        return 130
    except BrokenPipeError:  # `| head` stopped reading: not an error worth a message
        with contextlib.suppress(OSError, ValueError):  # silence the flush at exit too
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as e:  # one line, not a traceback; --debug shows it
        if args.debug:
            raise
        err.print(
            f"{prog}: {_one_line(e)} (--debug shows the traceback)", markup=False, highlight=False, soft_wrap=True
        )
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
