"""A self-contained HTML report drawn from the marts: inline SVG charts, no script, no network.

`write_report(con, out_dir)` writes `out_dir/index.html`: top entities, mentions per week,
top speakers with their titles, figures by subject, the latest quotes and figures (each
linking to its article's URL, or to the article list at the end of the page) and that list.
The connection may be read-only; the models must have been built (`news-pipeline models`).
"""

from __future__ import annotations

import html
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

REQUIRED = (
    "article_overview",
    "entity_mentions_daily",
    "entity_trends_weekly",
    "top_speakers",
    "metric_facts",
    "stg_quotes",
)

PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d")
TYPE_COLOURS = {"PERSON": PALETTE[0], "ORG": PALETTE[1], "GPE": PALETTE[2], "LOC": PALETTE[3]}
UNDATED_COLOUR = "#bab0ac"
WEEKLY_SERIES = (("dated articles", PALETTE[0]), ("undated (ingested)", UNDATED_COLOUR))

# The report's queries: short reads of the marts, kept together here.
SUMMARY_SQL = """
select
    count(*) as articles,
    count(*) filter (where date_source = 'ingested') as undated_articles,
    coalesce(sum(mention_count), 0) as mentions,
    coalesce(sum(quote_count), 0) as quotes,
    coalesce(sum(metric_count), 0) as figures,
    min(article_date) as first_day,
    max(article_date) as last_day
from article_overview
"""
TOP_ENTITIES_SQL = """
select canonical_name, entity_type, sum(mentions) as mentions, sum(articles) as article_days
from entity_mentions_daily
group by all
order by mentions desc, canonical_name
limit ?
"""
WEEKLY_SQL = """
select cast(date_trunc('week', day) as date) as week_start, sum(mentions) as mentions
from entity_mentions_daily
where date_source = 'published'
group by all
order by week_start
"""
UNDATED_SQL = """
select coalesce(sum(mentions), 0) as mentions from entity_mentions_daily where date_source = 'ingested'
"""
TOP_SPEAKERS_SQL = """
select speaker, speaker_title, organisation, quote_count, article_count
from top_speakers
where is_resolved
order by quote_count desc, article_count desc, speaker
limit ?
"""
FIGURES_BY_SUBJECT_SQL = """
select coalesce(subject_entity, subject, 'unspecified') as subject, count(*) as figures
from metric_facts
where not is_restatement
group by all
order by figures desc, subject
limit ?
"""
RECENT_QUOTES_SQL = """
select
    quotes.article_id, articles.url, articles.title, articles.article_date, articles.date_source,
    coalesce(quotes.speaker_name, quotes.speaker_text, 'unknown speaker') as speaker,
    quotes.speaker_title, quotes.quote_type, quotes.quote_text
from stg_quotes as quotes
inner join article_overview as articles on articles.article_id = quotes.article_id
order by articles.article_date desc, quotes.article_id, quotes.start_char
limit ?
"""
RECENT_FIGURES_SQL = """
select
    article_id, article_url, article_title, article_date, date_source,
    raw_text, value, unit, qualifier, period, coalesce(subject_entity, subject) as subject
from metric_facts
where not is_restatement
order by article_date desc, article_id, metric_id
limit ?
"""
ARTICLES_SQL = """
select article_id, url, title, source, article_date, date_source,
    mention_count, entity_count, quote_count, metric_count
from article_overview
order by article_date desc, title
"""


class ReportError(RuntimeError):
    """The report cannot be drawn (the models are missing)."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = PALETTE[0]
    note: str | None = None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: float) -> str:
    if value != value:  # NaN
        return "n/a"
    for size, suffix in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if abs(value) >= size:
            return f"{value / size:,.4g}{suffix}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


# --- charts (inline SVG) -------------------------------------------------------------------


def _empty_chart(title: str, width: int) -> str:
    return (
        f'<svg class="chart" role="img" width="{width}" height="60" viewBox="0 0 {width} 60">'
        f"<title>{_e(title)}</title>"
        f'<text x="8" y="34" class="muted">No data yet.</text></svg>'
    )


def bar_chart(title: str, bars: Sequence[Bar], *, width: int = 720, label_width: int = 300) -> str:
    """Horizontal bars in the order given; a bar's note (e.g. a title) is a second, muted line."""
    if not bars:
        return _empty_chart(title, width)
    row = 36 if any(b.note for b in bars) else 24
    top = 8
    height = top * 2 + row * len(bars)
    plot = width - label_width - 70
    peak = max(b.value for b in bars) or 1.0
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{_e(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = top + i * row
        length = max(1.0, plot * bar.value / peak)
        full = bar.label if bar.note is None else f"{bar.label}, {bar.note}"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" class="label">'
            f"<title>{_e(full)}</title>{_e(_short(bar.label, 40))}</text>"
        )
        if bar.note:
            parts.append(
                f'<text x="{label_width - 8}" y="{y + 29}" text-anchor="end" class="note">'
                f"<title>{_e(full)}</title>{_e(_short(bar.note, 44))}</text>"
            )
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{bar.colour}"><title>{_e(full)}: {_number(bar.value)}</title></rect>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" class="value">{_number(bar.value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_columns(
    title: str,
    columns: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[tuple[str, str]],
    *,
    width: int = 720,
    height: int = 240,
) -> str:
    """Vertical columns over time, each stacked from `series` ((name, colour), ...), with a legend."""
    if not columns:
        return _empty_chart(title, width)
    left, bottom, top = 44, 40, 28
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max(sum(values) for _, values in columns) or 1.0
    step = min(plot_w / len(columns), 60.0)
    every = max(1, math.ceil(72 / step))  # room for one date label
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{_e(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" class="axis"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" class="value">{_number(peak)}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" class="value">0</text>',
    ]
    for i, (name, colour) in enumerate(series):
        key_x = left + i * 150
        parts.append(
            f'<rect x="{key_x}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{key_x + 16}" y="16" class="label">{_e(name)}</text>'
        )
    for i, (label, values) in enumerate(columns):
        x = left + i * step + step * 0.1
        y = float(top + plot_h)
        for (name, colour), value in zip(series, values, strict=True):
            if value <= 0:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{step * 0.8:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{_e(label)} · {_e(name)}: {_number(value)}</title></rect>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + step * 0.4:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'class="value">{_e(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


# --- page ----------------------------------------------------------------------------------


def _anchor(article_id: str) -> str:
    return "article-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in article_id)


def _article_link(article_id: str, url: str | None, title: str | None) -> str:
    """The article's own URL when it is a web address, else its entry in the list below."""
    text = _e(_short(title or article_id, 70))
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noopener">{text}</a>'
    return f'<a href="#{_anchor(article_id)}">{text}</a>'


def _day(value: date | datetime | None, source: str | None) -> str:
    if value is None:
        return ""
    text = value.isoformat()[:10]
    return (
        f'{text} <span class="muted" title="no publication date: ingested on">(ingested)</span>'
        if (source == "ingested")
        else text
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], empty: str) -> str:
    if not rows:
        return f'<p class="muted">{_e(empty)}</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 980px; color: #222; }
body { padding: 0 1rem; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.muted { color: #777; } .summary span { margin-right: 1.4rem; }
.chart .label { font-size: 12px; fill: #333; } .chart .value { font-size: 11px; fill: #555; }
.chart .muted { fill: #777; } .chart .note { font-size: 11px; fill: #777; } .chart .axis { stroke: #999; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #eee; }
blockquote { margin: 0; }
"""


def _weekly_columns(
    dated: dict[date, float], undated: float, weeks: int
) -> list[tuple[str, tuple[float, float]]]:
    """The last `weeks` weeks up to the latest dated one, gaps as zero; undated mentions last, apart."""
    columns: list[tuple[str, tuple[float, float]]] = []
    if dated:
        last = max(dated)
        start = max(min(dated), last - timedelta(weeks=weeks - 1))
        week = start
        while week <= last:
            columns.append((week.isoformat(), (dated.get(week, 0.0), 0.0)))
            week += timedelta(weeks=1)
    if undated:
        columns.append(("undated", (0.0, undated)))
    return columns


def _check_models(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'main'"
    ).fetchall()
    missing = sorted(set(REQUIRED) - {str(r[0]) for r in rows})
    if missing:
        raise ReportError(
            f"the report reads the SQL models, and these are missing: {', '.join(missing)}; "
            "build them first with `news-pipeline models`"
        )


def render_report(con: duckdb.DuckDBPyConnection, *, top: int = 15, recent: int = 20, weeks: int = 26) -> str:
    """The report's HTML as a string (see `write_report`)."""
    _check_models(con)
    summary = _rows(con, SUMMARY_SQL)[0]

    entities = [
        Bar(
            str(r["canonical_name"]),
            float(r["mentions"]),
            TYPE_COLOURS.get(str(r["entity_type"]), PALETTE[5]),
        )
        for r in _rows(con, TOP_ENTITIES_SQL, [top])
    ]
    columns = _weekly_columns(
        {r["week_start"]: float(r["mentions"]) for r in _rows(con, WEEKLY_SQL)},
        float(_rows(con, UNDATED_SQL)[0]["mentions"]),
        weeks,
    )
    speakers = [
        Bar(
            str(r["speaker"]),
            float(r["quote_count"]),
            PALETTE[0],
            ", ".join(str(x) for x in (r["speaker_title"], r["organisation"]) if x) or None,
        )
        for r in _rows(con, TOP_SPEAKERS_SQL, [top])
    ]
    subjects = [
        Bar(str(r["subject"]), float(r["figures"]), PALETTE[2])
        for r in _rows(con, FIGURES_BY_SUBJECT_SQL, [top])
    ]

    quotes = [
        [
            _day(r["article_date"], r["date_source"]),
            _e(r["speaker"])
            + (f'<br><span class="muted">{_e(r["speaker_title"])}</span>' if r["speaker_title"] else ""),
            f"<blockquote>{_e(_short(str(r['quote_text']), 400))}</blockquote>"
            f'<span class="muted">{_e(r["quote_type"])}</span>',
            _article_link(r["article_id"], r["url"], r["title"]),
        ]
        for r in _rows(con, RECENT_QUOTES_SQL, [recent])
    ]
    figures = [
        [
            _day(r["article_date"], r["date_source"]),
            _e(r["raw_text"]),
            _e(f"{r['qualifier']} {_number(float(r['value']))} {r['unit'] or ''}".strip()),
            _e(r["subject"]),
            _e(r["period"]),
            _article_link(r["article_id"], r["article_url"], r["article_title"]),
        ]
        for r in _rows(con, RECENT_FIGURES_SQL, [recent])
    ]
    articles = [
        [
            f'<span id="{_anchor(r["article_id"])}">{_day(r["article_date"], r["date_source"])}</span>',
            (f'<a href="{_e(r["url"])}" rel="noopener">{_e(r["title"])}</a>' if r["url"] else _e(r["title"]))
            + f'<br><span class="muted">{_e(r["source"])}</span>',
            _e(r["entity_count"]),
            _e(r["quote_count"]),
            _e(r["metric_count"]),
        ]
        for r in _rows(con, ARTICLES_SQL)
    ]

    span = (
        f"{summary['first_day']} to {summary['last_day']}"
        if summary["first_day"] is not None
        else "no articles"
    )
    generated = datetime.now().strftime("%Y-%m-%d %H:%M")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>News pipeline report</title>
<style>{STYLE}</style>
</head>
<body>
<h1>News pipeline report</h1>
<p class="muted">Generated {generated}; articles from {_e(span)}.</p>
<p class="summary">
<span><b>{summary["articles"]}</b> articles ({summary["undated_articles"]} undated)</span>
<span><b>{summary["mentions"]}</b> entity mentions</span>
<span><b>{summary["quotes"]}</b> quotes</span>
<span><b>{summary["figures"]}</b> figures</span>
</p>

<h2 id="top-entities">Top entities</h2>
<p class="muted">Mentions across all articles, coloured by type:
{" ".join(f'<span style="color:{c}">■</span> {t}' for t, c in TYPE_COLOURS.items())}
<span style="color:{PALETTE[5]}">■</span> other.</p>
{bar_chart("Top entities by mentions", entities)}

<h2 id="mentions-over-time">Mentions over time</h2>
<p class="muted">Entity mentions per week of publication (weeks start on Monday, last {weeks} weeks
with dated articles). Mentions in articles without a publication date are shown apart, at the end.</p>
{stacked_columns("Mentions per week", columns, WEEKLY_SERIES)}

<h2 id="top-speakers">Top speakers</h2>
<p class="muted">Quotes per resolved speaker, with the title and organisation given most often.</p>
{bar_chart("Top speakers by quotes", speakers)}

<h2 id="figures-by-subject">Figures by subject</h2>
<p class="muted">Reported figures per subject (conversions of the same figure counted once).</p>
{bar_chart("Figures by subject", subjects)}

<h2 id="recent-quotes">Latest quotes</h2>
{_table(["Date", "Speaker", "Quote", "Article"], quotes, "No quotes yet.")}

<h2 id="recent-figures">Latest figures</h2>
{_table(["Date", "As written", "Value", "Subject", "Period", "Article"], figures, "No figures yet.")}

<h2 id="articles">Articles</h2>
{_table(["Date", "Article", "Entities", "Quotes", "Figures"], articles, "No articles yet.")}
</body>
</html>
"""


def write_report(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    """Write `out_dir/index.html` (replaced atomically) and return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    page = render_report(con)
    target = out_dir / "index.html"
    fd, tmp = tempfile.mkstemp(prefix=".index.", suffix=".html.tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
