"""The CLI on small warehouses built directly (no spaCy, no Prefect): formats, fitting tables,
`status --check`, `query -f/-/--output`, and one-line errors."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.cli import build_parser, main
from pipeline.warehouse.db import connect, ensure_tables
from tests.conftest import ROOT

HASH = "5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f"
OLD_RUN = "20261130T060000-1a2b3c4d"
NEW_RUN = "20261201T060000-9f8e7d6c"
FORMATS = ("table", "csv", "json", "markdown")


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"news-pipeline {command}" in (ROOT / "README.md").read_text()


# ---- warehouses -------------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # the warehouse stores naive UTC


def add_run(wh: Path, run_id: str, ago: timedelta, status: str = "success", **extra: Any) -> None:
    row: dict[str, Any] = {
        "run_id": run_id,
        "started_at": _now() - ago - timedelta(seconds=42),
        "finished_at": _now() - ago,
        "status": status,
        "articles_new": 12,
        "articles_updated": 3,
        "articles_rejected": 2,
        "articles_quarantined": 1,
        "duration_s": 42.0,
        "extractor_version": "x1",
        **extra,
    }
    with connect(wh / "news.duckdb") as con:
        names = ", ".join(row)
        con.execute(f"insert into pipeline_runs ({names}) values ({', '.join('?' for _ in row)})", list(row.values()))


def new_warehouse(wh: Path) -> Path:
    with connect(wh / "news.duckdb") as con:
        ensure_tables(con)
        con.execute(
            "insert into rejects (reject_id, source, reason, detail, stored_path, run_id, rejected_at) values "
            "('r1', 'bad.txt', 'empty', 'the file is empty', null, 'run1', now()::timestamp)"
        )
        con.execute(
            "insert into rejects values ('r2', '/in/feeds/a-rather-long-folder-name/latest-briefs.xml', "
            "'extract_error', 'ValueError: a sentence boundary | fell inside a token', "
            "'/warehouse/rejects/r2.xml', 'run1', now()::timestamp - interval 1 minute, 'extract', ?, ?, 'x1')",
            [HASH, HASH[::-1]],
        )
    return wh


@pytest.fixture()
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "80")  # captured stdout is no terminal: tables are laid out for 80 columns
    wh = new_warehouse(tmp_path)
    add_run(wh, OLD_RUN, timedelta(days=1))
    add_run(wh, NEW_RUN, timedelta(minutes=5), articles_new=7)
    return wh


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def parse(fmt: str, out: str) -> list[dict[str, str]]:
    """Rows of a csv / json / markdown output, as strings by column name."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(out)))
    if fmt == "json":
        return [{k: "" if v is None else str(v) for k, v in json.loads(line).items()} for line in out.splitlines()]
    lines = out.splitlines()
    assert lines[1].startswith("| ---")
    split = [[c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")] for line in lines]
    return [dict(zip(split[0], r, strict=True)) for r in split[2:]]


# ---- formats ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_status_formats(warehouse: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "status", "--warehouse", str(warehouse), "--format", fmt)
    assert code == 0
    rows = parse(fmt, out)
    assert [r["run_id"] for r in rows] == [NEW_RUN, OLD_RUN]  # full ids: machine formats are never shortened
    assert rows[0]["status"] == "success" and rows[0]["articles_new"] == "7"
    assert rows[0]["articles_quarantined"] == "1" and rows[0]["error"] == ""
    assert "T" in rows[0]["started_at"] or fmt != "json"  # ISO 8601 in JSON
    if fmt == "json":
        first = json.loads(out.splitlines()[0])
        assert first["error"] is None and first["articles_new"] == 7
        datetime.fromisoformat(first["started_at"])


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_rejects_formats(warehouse: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "rejects", "--warehouse", str(warehouse), "--format", fmt)
    assert code == 0
    rows = parse(fmt, out)
    assert [r["reject_id"] for r in rows] == ["r1", "r2"]
    assert rows[1]["stage"] == "extract" and rows[1]["article_id"] == HASH
    assert rows[1]["detail"] == "ValueError: a sentence boundary | fell inside a token"  # the pipe survives


@pytest.mark.parametrize("fmt", FORMATS)
def test_query_formats(warehouse: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    sql = "select run_id, articles_new as n, null as nothing from pipeline_runs order by run_id"
    code, out, _ = run(capsys, "query", sql, "--warehouse", str(warehouse), "--format", fmt)
    assert code == 0
    if fmt == "table":
        assert out.splitlines()[0].split() == ["run_id", "n", "nothing"]
        assert out.splitlines()[2].split() == ["1a2b3c4d", "12"]  # not a terminal: ids are shortened
        return
    rows = parse(fmt, out)
    assert [(r["run_id"], r["n"], r["nothing"]) for r in rows] == [(OLD_RUN, "12", ""), (NEW_RUN, "7", "")]


def test_query_json_types(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "select timestamp '2026-12-01 08:00:00' as at, date '2026-12-01' as d, 1.5 as x, null as z, [1, 2] as l"
    code, out, _ = run(capsys, "query", sql, "--warehouse", str(warehouse), "--format", "json")
    assert code == 0
    assert json.loads(out) == {"at": "2026-12-01T08:00:00", "d": "2026-12-01", "x": 1.5, "z": None, "l": [1, 2]}


def test_machine_formats_list_every_row(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "select * from range(150)"
    _, out, _ = run(capsys, "query", sql, "--warehouse", str(warehouse), "--format", "csv")
    assert len(out.splitlines()) == 151
    _, out, _ = run(capsys, "query", sql, "--warehouse", str(warehouse))
    assert "first 100 rows" in out
    _, out, _ = run(capsys, "query", sql, "--warehouse", str(warehouse), "--format", "json", "--limit", "3")
    assert len(out.splitlines()) == 3


# ---- tables that fit --------------------------------------------------------------------------------


def _table_lines(out: str) -> list[str]:
    return out.splitlines()


def test_status_table_leads_with_the_last_run_and_fits_80_columns(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_run(warehouse, "20261201T070000-c0ffee00", timedelta(minutes=1), "failed", failed_step="load", error="boom")
    code, out, _ = run(capsys, "status", "--warehouse", str(warehouse))
    assert code == 0
    lines = _table_lines(out)
    assert all(len(line) <= 80 for line in lines), out
    assert lines[0].startswith("last run 20261201T070000-c0ffee00: failed 1m")
    assert "articles: 12 new, 3 updated, 2 rejected, 1 quarantined" in out
    assert "failed at step load: boom" in out
    table = lines[lines.index("last runs") + 1 :]
    assert table[0].split()[:2] == ["run", "status"]
    assert table[2].split()[:2] == ["c0ffee00", "failed"]  # the run id's random part, the status whole
    assert table[3].split()[:2] == ["9f8e7d6c", "success"]
    assert NEW_RUN not in out
    assert "pipeline_runs" in out and "tables" in lines


def test_rejects_table_fits_keeps_words_and_shows_the_stage(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "rejects", "--warehouse", str(warehouse))
    assert code == 0
    lines = _table_lines(out)
    assert all(len(line) <= 80 for line in lines), out
    assert lines[1].split()[:3] == ["source", "reason", "stage"]
    words = {w for line in lines for w in line.split()}
    assert {"extract_error", "extract", "empty"} <= words
    assert "…test-briefs.xml" in out  # a path keeps its end, the file name
    assert "--wide" in out  # the hidden columns are named


def test_query_table_shortens_hashes_instead_of_wrapping(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "select reject_id, reason, article_id, content_hash, detail from rejects order by reject_id"
    code, out, _ = run(capsys, "query", sql, "--warehouse", str(warehouse))
    assert code == 0
    lines = _table_lines(out)
    assert all(len(line) <= 80 for line in lines), out
    assert HASH not in out and lines[3].split()[:4] == ["r2", "extract_error", HASH[:8], HASH[::-1][:8]]
    assert len(lines) == 4  # header, rule, two rows: nothing wraps


def test_query_table_hides_what_cannot_fit_and_names_it(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "select * from rejects", "--warehouse", str(warehouse))
    assert code == 0
    assert all(len(line) <= 80 for line in _table_lines(out)), out
    assert "more columns:" in out and "content_hash" in out and "--wide shows them" in out


def test_wide_shows_everything(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "query", "select * from rejects", "--warehouse", str(warehouse), "--wide")
    assert HASH in out and "/in/feeds/a-rather-long-folder-name/latest-briefs.xml" in out and "--wide" not in out
    _, out, _ = run(capsys, "status", "--warehouse", str(warehouse), "--wide")
    assert NEW_RUN in out.split("last runs")[1] and "extractor_version" in out


def test_old_warehouse_without_the_new_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with connect(tmp_path / "news.duckdb") as con:
        ensure_tables(con)
        for c in ("articles_quarantined", "files_unchanged", "data_test_warnings", "warnings"):
            con.execute(f"alter table pipeline_runs drop column {c}")
        for c in ("stage", "article_id", "content_hash", "extractor_version"):
            con.execute(f"alter table rejects drop column {c}")
        con.execute("drop table source_files")
    add_run_old = (
        "insert into pipeline_runs (run_id, started_at, status, extractor_version) values (?, ?, 'success', 'x')"
    )
    with connect(tmp_path / "news.duckdb") as con:
        con.execute(add_run_old, [NEW_RUN, _now()])
    code, out, _ = run(capsys, "status", "--warehouse", str(tmp_path))
    assert code == 0 and "last run" in out and "quarantined" not in out.split("last runs")[0]
    code, out, _ = run(capsys, "status", "--warehouse", str(tmp_path), "--format", "json")
    assert code == 0 and json.loads(out)["articles_quarantined"] is None
    assert run(capsys, "status", "--check", "--warehouse", str(tmp_path))[0] == 0
    code, out, _ = run(capsys, "rejects", "--warehouse", str(tmp_path), "--format", "csv")
    assert code == 0 and out.startswith("source,reason,stage,")


# ---- status --check ---------------------------------------------------------------------------------


def test_check_fresh_success(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "status", "--check", "--max-age", "2h", "--warehouse", str(warehouse))
    assert code == 0
    assert out.startswith(f"OK: last run {NEW_RUN} succeeded 5m") and out.count("\n") == 1


def test_check_too_old(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "status", "--check", "--max-age", "1s", "--warehouse", str(warehouse))
    assert code == 1
    assert "is 5m old (over --max-age 1s)" in out and out.count("\n") == 1
    assert run(capsys, "status", "--check", "--max-age", "30m", "--warehouse", str(warehouse))[0] == 0


def test_check_failed_last_run(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_run(warehouse, "20261201T070000-c0ffee00", timedelta(seconds=1), "failed", failed_step="load", error="boom")
    code, out, _ = run(capsys, "status", "--check", "--warehouse", str(warehouse))
    assert code == 1
    assert "last run 20261201T070000-c0ffee00 failed at step load: boom" in out


def test_check_no_runs_and_no_warehouse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "status", "--check", "--warehouse", str(tmp_path / "none"))
    assert code == 1 and "no warehouse" in out
    new_warehouse(tmp_path)
    code, out, _ = run(capsys, "status", "--check", "--warehouse", str(tmp_path))
    assert code == 1 and "no runs yet" in out


def test_check_refuses_a_bad_max_age(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["status", "--check", "--max-age", "2 hours", "--warehouse", str(warehouse)])
    assert e.value.code == 2
    assert "not a duration" in capsys.readouterr().err


# ---- query: SQL from a file or stdin, output files ------------------------------------------------


def test_query(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "select 40 + 2 as answer", "--warehouse", str(warehouse))
    assert code == 0 and "answer" in out and "42" in out


def test_query_from_a_file(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = tmp_path / "report.sql"
    sql.write_text("-- how many runs\nselect count(*) as runs from pipeline_runs;\n")
    code, out, _ = run(capsys, "query", "-f", str(sql), "--warehouse", str(warehouse), "--format", "csv")
    assert code == 0 and out == "runs\n2\n"


@pytest.mark.parametrize("argv", [["-"], ["-f", "-"]])
def test_query_from_stdin(
    warehouse: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("select 'from stdin' as said"))
    code, out, _ = run(capsys, "query", *argv, "--warehouse", str(warehouse), "--format", "json")
    assert code == 0 and json.loads(out) == {"said": "from stdin"}


def test_query_output_csv(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "runs.csv"
    sql = "select run_id, articles_new from pipeline_runs order by run_id;"
    code, out, _ = run(capsys, "query", sql, "--output", str(target), "--warehouse", str(warehouse))
    assert code == 0 and "wrote 2 rows" in out
    with target.open(newline="") as f:
        assert list(csv.reader(f)) == [["run_id", "articles_new"], [OLD_RUN, "12"], [NEW_RUN, "7"]]


def test_query_output_parquet(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "it's here.parquet"  # a quote in the name is escaped
    code, _, _ = run(
        capsys, "query", "select * from range(1000)", "--output", str(target), "--warehouse", str(warehouse)
    )
    assert code == 0
    with duckdb.connect() as con:
        assert con.execute("select count(*) from read_parquet(?)", [str(target)]).fetchone() == (1000,)


def test_query_output_needs_a_known_extension(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "select 1", "--output", "x.xlsx", "--warehouse", str(warehouse))
    assert code == 2 and ".parquet or .csv" in err


def test_query_is_read_only(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "query", "delete from rejects", "--warehouse", str(warehouse))[0] == 1
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from rejects").fetchone() == (2,)


# ---- errors: one line, no traceback -----------------------------------------------------------------


def _one_error_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_query_error_is_one_line(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", "select * from nope", "--warehouse", str(warehouse))
    assert code == 1 and out == ""
    line = _one_error_line(err)
    assert line.startswith("news-pipeline query: Catalog Error:") and "nope" in line


def test_missing_warehouse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["status"], ["rejects"], ["query", "select 1"]):
        code, _, err = run(capsys, *command, "--warehouse", str(tmp_path / "none"))
        assert code == 2
        assert "no warehouse at" in _one_error_line(err)


def test_a_warehouse_that_is_not_duckdb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "news.duckdb").write_text("not a database")
    code, _, err = run(capsys, "status", "--warehouse", str(tmp_path))
    assert code == 2 and "cannot open the warehouse" in _one_error_line(err)


def test_unreadable_sql_file_and_missing_sql(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "-f", str(warehouse / "missing.sql"), "--warehouse", str(warehouse))
    assert code == 2 and "cannot read the SQL file" in _one_error_line(err)
    code, _, err = run(capsys, "query", "--warehouse", str(warehouse))
    assert code == 2 and "no SQL" in _one_error_line(err)
    code, _, err = run(capsys, "query", "select 1", "-f", "x.sql", "--warehouse", str(warehouse))
    assert code == 2 and "not both" in _one_error_line(err)


def test_debug_shows_the_traceback(warehouse: Path) -> None:
    with pytest.raises(Exception, match="nope"):
        main(["--debug", "query", "select * from nope", "--warehouse", str(warehouse)])
    with pytest.raises(Exception, match="no warehouse"):
        main(["status", "--warehouse", str(warehouse / "none"), "--debug"])  # after the command too


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_formats(warehouse: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "export", "--warehouse", str(warehouse), "--format", fmt)
    assert code == 0
    rows = {r["export"]: r["rows"] for r in parse(fmt, out)}
    assert rows["rejects"] == "2" and rows["pipeline_runs"] == "2"
