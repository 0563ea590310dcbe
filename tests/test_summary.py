"""The run summary for Prefect artifacts: counts, entities and rejects of one run, as markdown."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import duckdb
import pytest

from pipeline.schemas import TABLES, create_table_sql
from pipeline.summary import md_cell, run_summary_markdown

EVIL = "Evil | Corp\nnext line ![x](https://evil.example/t.png) <script>alert(1)</script> [link](http://x)"
WHEN = datetime(2025, 12, 2, 10, 0)


def _insert(con: duckdb.DuckDBPyConnection, table: str, row: dict[str, Any]) -> None:
    names = ", ".join(f'"{k}"' for k in row)
    marks = ", ".join("?" for _ in row)
    con.execute(f'insert into "{table}" ({names}) values ({marks})', list(row.values()))


def _article(article_id: str, run_id: str) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "source": f"{article_id}.txt",
        "source_type": "text",
        "title": article_id,
        "ingested_at": WHEN,
        "body": "body",
        "word_count": 1,
        "content_hash": f"h-{article_id}",
        "extractor_version": "1",
        "run_id": run_id,
    }


def _run(run_id: str, **counts: Any) -> dict[str, Any]:
    return {"run_id": run_id, "started_at": WHEN, "status": "completed", "extractor_version": "1", **counts}


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """Run r1 loaded a1 (ACME 3 mentions, EVIL 1); run r2 loaded a2 (Beta 2) and rejected 3 inputs."""
    con = duckdb.connect()
    for name, schema in TABLES.items():
        con.execute(create_table_sql(name, schema))
    _insert(con, "pipeline_runs", _run("r1", articles_seen=1, articles_new=1, rows_articles=1))
    _insert(
        con,
        "pipeline_runs",
        _run(
            "r2",
            finished_at=datetime(2025, 12, 2, 10, 5),
            duration_s=300.0,
            articles_seen=1234,
            articles_new=1,
            articles_updated=2,
            articles_skipped=3,
            articles_duplicate=4,
            articles_rejected=3,
            rows_articles=1,
            rows_entity_mentions=2,
            rows_rejects=3,
        ),
    )
    _insert(con, "articles", _article("a1", "r1"))
    _insert(con, "articles", _article("a2", "r2"))
    for entity_id, name, kind in (("e1", "ACME", "ORG"), ("e2", EVIL, "ORG"), ("e3", "Beta", "PERSON")):
        _insert(con, "entities", {"entity_id": entity_id, "canonical_name": name, "entity_type": kind})
    mentions = [("a1", "e1"), ("a1", "e1"), ("a1", "e1"), ("a1", "e2"), ("a2", "e3"), ("a2", "e3")]
    for i, (article_id, entity_id) in enumerate(mentions):
        _insert(
            con,
            "entity_mentions",
            {
                "mention_id": f"m{i}",
                "article_id": article_id,
                "entity_id": entity_id,
                "text": "t",
                "entity_type": "ORG",
                "sentence_index": 0,
                "start_char": i,
                "end_char": i + 1,
            },
        )
    rejects = [
        ("r2", "empty", "b.txt"),
        ("r2", "empty", "a.txt"),
        ("r2", EVIL, "c|d.bin"),
        ("r1", "binary", "x"),
    ]
    for i, (run_id, reason, source) in enumerate(rejects):
        _insert(
            con,
            "rejects",
            {"reject_id": f"j{i}", "source": source, "reason": reason, "run_id": run_id, "rejected_at": WHEN},
        )
    return con


def _section(markdown: str, heading: str) -> list[str]:
    """The lines of the table under `## heading` (header and separator left out)."""
    lines = markdown.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"## {heading}"))
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            rows.append(line)
    return rows[2:]


def _cells(row: str) -> list[str]:
    """A table row's cells, splitting on unescaped pipes only."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def test_run_counts_and_status(con: duckdb.DuckDBPyConnection) -> None:
    md = run_summary_markdown(con, "r2")
    assert md.startswith("# Run r2\n")
    assert "**Status:** completed" in md and "**Duration:** 300.0 s" in md
    assert "**Finished:** 2025\\-12\\-02 10\\:05\\:00" in md
    lines = md.split("\n")
    header = lines.index("| seen | new | updated | skipped | duplicate | rejected |")
    assert lines[header + 2] == "| 1,234 | 1 | 2 | 3 | 4 | 3 |"


def test_table_counts(con: duckdb.DuckDBPyConnection) -> None:
    rows = {_cells(r)[0]: _cells(r)[1:] for r in _section(run_summary_markdown(con, "r2"), "Tables")}
    assert list(rows) == [md_cell(name) for name in TABLES]  # every core table, in schema order
    assert rows["articles"] == ["2", "1"]  # in the warehouse, from this run
    assert rows["entity\\_mentions"] == ["6", "2"]
    assert rows["rejects"] == ["4", "3"]
    assert rows["quotes"] == ["0", "–"]  # the run row says nothing about quotes
    assert rows["article\\_sources"] == ["0", "–"]


def test_top_entities_of_the_runs_articles(con: duckdb.DuckDBPyConnection) -> None:
    r1 = [_cells(r) for r in _section(run_summary_markdown(con, "r1"), "Top entities")]
    assert [c[0] for c in r1] == ["ACME", md_cell(EVIL)]
    assert r1[0] == ["ACME", "ORG", "3", "1"]
    assert [_cells(r)[0] for r in _section(run_summary_markdown(con, "r1", top=1), "Top entities")] == ["ACME"]
    r2 = [_cells(r) for r in _section(run_summary_markdown(con, "r2"), "Top entities")]
    assert r2 == [["Beta", "PERSON", "2", "1"]]


def test_a_run_that_loaded_nothing_shows_the_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "pipeline_runs", _run("r3", articles_seen=2, articles_skipped=2))
    md = run_summary_markdown(con, "r3", top=2)
    assert "## Top entities in the warehouse" in md and "loaded no new or updated articles" in md
    assert [_cells(r)[0] for r in _section(md, "Top entities")] == ["ACME", "Beta"]
    assert "No rejects are recorded under this run's id." in md


def test_rejects_grouped_by_reason(con: duckdb.DuckDBPyConnection) -> None:
    rows = [_cells(r) for r in _section(run_summary_markdown(con, "r2"), "Rejects")]
    assert rows == [["empty", "a\\.txt", "2"], [md_cell(EVIL), "c\\|d\\.bin", "1"]]  # r1's reject is not here


def test_content_is_escaped_for_table_cells(con: duckdb.DuckDBPyConnection) -> None:
    md = run_summary_markdown(con, "r1")
    rows = _section(md, "Top entities")
    assert len(rows) == 2 and all(len(_cells(r)) == 4 for r in rows)  # the pipe did not add a column
    assert "\n" not in md_cell(EVIL) and "next line" in rows[1]  # the newline did not end the row
    # no image, link or HTML can come out of the data: every `<`, `[`, `!` and `(` in it is escaped
    assert not re.search(r"(?<!\\)[<\[!(]", md_cell(EVIL))
    markdown_it = pytest.importorskip("markdown_it")
    page = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    assert "<img" not in page and "<a " not in page and "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "![x](https://evil.example/t.png)" in page
    # each table a header row and its rows: articles (1), tables (one each), entities (2), rejects (1)
    assert page.count("<tr>") == (1 + 1) + (1 + len(TABLES)) + (1 + 2) + (1 + 1)
    assert md_cell("a|b\r\nc\td  e") == "a\\|b c d e"
    assert md_cell("*x* _y_ `z` #1 <b> &amp; \\") == "\\*x\\* \\_y\\_ \\`z\\` \\#1 \\<b\\> \\&amp\\; \\\\"
    assert md_cell(None) == ""
    assert md_cell("x" * 200, limit=10) == "x" * 9 + "…"


def test_parameters_are_bound_not_interpolated(con: duckdb.DuckDBPyConnection) -> None:
    hostile = "r2' or '1'='1"
    md = run_summary_markdown(con, hostile)
    assert "No `pipeline_runs` row for run" in md
    assert "No rejects are recorded under this run's id." in md  # not r1's and r2's rejects
    assert con.execute("select count(*) from rejects").fetchone() == (4,)


def test_failed_run_shows_its_step_and_error(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "pipeline_runs", _run("r4", status="failed", failed_step="load", error="disk full\nat line 3"))
    md = run_summary_markdown(con, "r4")
    assert "**Status:** failed" in md
    assert "**Failed step:** load; **error:** disk full at line 3" in md
    assert "| – | – | – | – | – | – |" in md  # no counts recorded
