"""The CLI: every command documented, read-only commands on a small warehouse."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import build_parser, main
from pipeline.schemas import TABLES, create_table_sql
from tests.conftest import ROOT


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"news-pipeline {command}" in (ROOT / "README.md").read_text()


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    with duckdb.connect(str(tmp_path / "news.duckdb")) as con:
        for name, schema in TABLES.items():
            con.execute(create_table_sql(name, schema))
        con.execute("insert into rejects values ('r1', 'bad.txt', 'empty', 'the file is empty', null, 'run1', now())")
    return tmp_path


def test_query(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "select 40 + 2 as answer", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "answer" in out and "42" in out


def test_query_error_is_a_message(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "select * from nope", "--warehouse", str(warehouse)]) == 1
    assert "nope" in capsys.readouterr().err


def test_query_is_read_only(warehouse: Path) -> None:
    assert main(["query", "delete from rejects", "--warehouse", str(warehouse)]) == 1
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from rejects").fetchone() == (1,)


def test_status_and_rejects(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--warehouse", str(warehouse)]) == 0
    assert "pipeline_runs" in capsys.readouterr().out
    assert main(["rejects", "--warehouse", str(warehouse)]) == 0
    assert "bad.txt" in capsys.readouterr().out


def test_missing_warehouse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["status", "--warehouse", str(tmp_path / "none")])
    assert e.value.code == 2
    assert "no warehouse" in capsys.readouterr().err
