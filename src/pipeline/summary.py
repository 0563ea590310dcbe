"""A markdown summary of one run, for a Prefect artifact (`create_markdown_artifact`).

`run_summary_markdown(con, run_id)` reads the warehouse only: the run's `pipeline_runs` row
(status, articles new/updated/skipped/duplicate/rejected), rows per table, the entities most
mentioned in the articles the run loaded, and the run's rejects grouped by reason.

Names, sources and reasons come from article content or from the inputs, so every such value is
escaped for a markdown table cell: whitespace (newlines included) collapses to one space and
every ASCII punctuation mark is backslash-escaped, so a `|` cannot split a cell and nothing can
become a link, an image or HTML. Values reach DuckDB as bound parameters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb

from pipeline.schemas import TABLES

RUN_SQL = "select * from pipeline_runs where run_id = ?"
# Entities in the articles this run loaded (new or updated); `articles.run_id` is the last run
# that loaded each article.
RUN_ENTITIES_SQL = """
select entities.canonical_name, entities.entity_type,
    count(*) as mentions, count(distinct mentions.article_id) as articles
from entity_mentions as mentions
inner join entities on entities.entity_id = mentions.entity_id
inner join articles on articles.article_id = mentions.article_id
where articles.run_id = ?
group by entities.entity_id, entities.canonical_name, entities.entity_type
order by mentions desc, entities.canonical_name, entities.entity_id
limit ?
"""
ALL_ENTITIES_SQL = """
select entities.canonical_name, entities.entity_type,
    count(*) as mentions, count(distinct mentions.article_id) as articles
from entity_mentions as mentions
inner join entities on entities.entity_id = mentions.entity_id
group by entities.entity_id, entities.canonical_name, entities.entity_type
order by mentions desc, entities.canonical_name, entities.entity_id
limit ?
"""
REJECTS_SQL = """
select reason, count(*) as rejects, min(source) as example
from rejects
where run_id = ?
group by reason
order by rejects desc, reason
"""

ARTICLE_COUNTS = (
    ("seen", "articles_seen"),
    ("new", "articles_new"),
    ("updated", "articles_updated"),
    ("skipped", "articles_skipped"),
    ("duplicate", "articles_duplicate"),
    ("rejected", "articles_rejected"),
)
CELL_LIMIT = 120
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_SPACE = re.compile(r"[\s\x00-\x1f\x7f]+")


def md_cell(value: object, limit: int = CELL_LIMIT) -> str:
    """`value` as literal text in a markdown table cell: one line, punctuation escaped, shortened."""
    if value is None:
        return ""
    text = _SPACE.sub(" ", str(value)).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return _PUNCTUATION.sub(r"\\\1", text)


def _number(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}" if isinstance(value, int | float) else md_cell(value)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: int = 0) -> list[str]:
    """A markdown table; the last `numeric` columns are right-aligned."""
    aligns = [" --- "] * (len(headers) - numeric) + [" ---: "] * numeric
    return [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join(aligns) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _when(value: object) -> str:
    return md_cell(value.isoformat(sep=" ", timespec="seconds") if isinstance(value, datetime) else value)


def _table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    """Rows per core table; None for a table this warehouse does not have."""
    present = {
        str(r[0])
        for r in con.execute("select table_name from information_schema.tables where table_schema = 'main'").fetchall()
    }
    counts: dict[str, int | None] = {}
    for name in TABLES:  # identifiers from our own schema list, never from input
        row = con.execute(f'select count(*) from "{name}"').fetchone() if name in present else None
        counts[name] = int(row[0]) if row is not None else None
    return counts


def run_summary_markdown(con: duckdb.DuckDBPyConnection, run_id: str, top: int = 10) -> str:
    """A markdown summary of run `run_id`: its status and article counts, rows per table, the
    `top` entities by mentions in the articles it loaded, and its rejects by reason."""
    runs = _rows(con, RUN_SQL, [run_id])
    run = runs[0] if runs else None
    lines = [f"# Run {md_cell(run_id)}", ""]

    if run is None:
        lines += [f"No `pipeline_runs` row for run {md_cell(run_id)}.", ""]
    else:
        facts = [
            f"**Status:** {md_cell(run.get('status'))}",
            f"**Started:** {_when(run.get('started_at'))}",
            f"**Finished:** {_when(run.get('finished_at')) or '–'}",
        ]
        if run.get("duration_s") is not None:
            facts.append(f"**Duration:** {float(run['duration_s']):,.1f} s")
        facts.append(f"**Extractor version:** {md_cell(run.get('extractor_version'))}")
        lines += ["  \n".join(facts), ""]
        if run.get("failed_step") or run.get("error"):
            step, error = md_cell(run.get("failed_step")), md_cell(run.get("error"), 500)
            lines += [f"**Failed step:** {step}; **error:** {error}", ""]
        lines += ["## Articles", ""]
        lines += _table(
            [name for name, _ in ARTICLE_COUNTS],
            [[_number(run.get(column)) for _, column in ARTICLE_COUNTS]],
            numeric=len(ARTICLE_COUNTS),
        )
        lines.append("")

    lines += ["## Tables", ""]
    table_rows = []
    for name, count in _table_counts(con).items():
        from_run = run.get(f"rows_{name}") if run is not None else None
        table_rows.append([md_cell(name), _number(count), _number(from_run)])
    lines += _table(["table", "rows", "rows from this run"], table_rows, numeric=2)
    lines.append("")

    entities = _rows(con, RUN_ENTITIES_SQL, [run_id, top])
    if entities:
        lines += ["## Top entities in this run's articles", ""]
    else:
        entities = _rows(con, ALL_ENTITIES_SQL, [top])
        lines += ["## Top entities in the warehouse", "", "This run loaded no new or updated articles.", ""]
    if entities:
        lines += _table(
            ["entity", "type", "mentions", "articles"],
            [
                [
                    md_cell(r["canonical_name"]),
                    md_cell(r["entity_type"]),
                    _number(r["mentions"]),
                    _number(r["articles"]),
                ]
                for r in entities
            ],
            numeric=2,
        )
    else:
        lines.append("No entities yet.")
    lines.append("")

    rejects = _rows(con, REJECTS_SQL, [run_id])
    lines += ["## Rejects", ""]
    if rejects:
        lines += _table(
            ["reason", "for example", "rejects"],
            [[md_cell(r["reason"]), md_cell(r["example"]), _number(r["rejects"])] for r in rejects],
            numeric=1,
        )
    else:
        lines.append(
            "No rejects are recorded under this run's id."
            + (
                " (An input rejected before keeps the id of the run that first recorded it.)"
                if run is not None and (run.get("articles_rejected") or run.get("articles_duplicate"))
                else ""
            )
        )
    lines.append("")
    return "\n".join(lines)
