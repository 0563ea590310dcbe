"""A self-contained HTML report drawn from the marts, its charts drawn by plotly.

`write_report(con, out_dir)` writes `out_dir/index.html`: top entities, mentions per week,
top speakers with their titles, figures by subject, tone over time of the top entities, the
mean tone of the top speakers' quotes, themes per week, the latest quotes and figures (each
linking to its article's URL, or to the article list at the end of the page) and that list.
The connection may be read-only; the models must have been built (`news-pipeline models`).

The page works offline: plotly.js is inlined once, every figure is a `<div>` plus a call to
`Plotly.newPlot` with its data JSON-encoded by plotly (which escapes `<`, `>` and `/`), and no
element loads anything from the network. Article text is hostile: everything interpolated into
the HTML goes through `html.escape`, and every string handed to plotly is escaped too, because
plotly reads a subset of HTML (`<br>`, `<a href>`, ...) in its labels and decodes entities back.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from pipeline.report_map import geo_assets_script, map_figure

REQUIRED = (
    "article_overview",
    "entity_mentions_daily",
    "entity_trends_weekly",
    "top_speakers",
    "metric_facts",
    "stg_quotes",
    "tone_by_entity_weekly",
    "speaker_tone",
    "theme_trends_weekly",
    "places",
)

PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d")
TYPE_COLOURS = {"PERSON": PALETTE[0], "ORG": PALETTE[1], "GPE": PALETTE[2], "LOC": PALETTE[3]}
OTHER_COLOUR = PALETTE[5]
REST_COLOUR = "#bab0ac"
TREND_SERIES = 5  # entities drawn on their own in "mentions over time"; the rest are summed
THEME_SERIES = 8  # themes drawn on their own in "themes over time"
REST_THEMES = "all other themes"
UNDATED = "undated"
REST = "all other entities"
PLOT_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    # The map's world topojson is on the page (`report_map.geo_assets_script`); never plotly's CDN.
    "topojsonURL": "./",
}

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
select entity_id, canonical_name, entity_type, sum(mentions) as mentions, sum(articles) as article_days
from entity_mentions_daily
group by all
order by mentions desc, canonical_name, entity_id
limit ?
"""
# Mentions per week of publication and entity; undated articles (date_source = 'ingested')
# get week_start = null so they are drawn apart instead of in the week they were ingested.
WEEKLY_SQL = """
select
    case when date_source = 'published' then cast(date_trunc('week', day) as date) end as week_start,
    entity_id,
    sum(mentions) as mentions
from entity_mentions_daily
group by all
"""
TOP_SPEAKERS_SQL = """
select speaker, speaker_title, organisation, quote_count, article_count
from top_speakers
where is_resolved
order by quote_count desc, article_count desc, speaker
limit ?
"""
FIGURES_BY_SUBJECT_SQL = """
select coalesce(subject_entity, subject) as subject, count(*) as figures
from metric_facts
where not is_restatement and coalesce(subject_entity, subject) is not null
group by all
order by figures desc, subject
limit ?
"""
NO_SUBJECT_SQL = """
select count(*) as figures from metric_facts where not is_restatement and coalesce(subject_entity, subject) is null
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
# Tone: the mean tone (-1..1) of the leading entities' mentions per week; undated articles count in
# the week they were ingested (tone_by_entity_weekly).
ENTITY_TONE_SQL = """
select entity_id, week_start, mean_tone, toned_mentions
from tone_by_entity_weekly
where mean_tone is not null and entity_id in (select unnest(?::varchar[]))
"""
SPEAKER_TONE_SQL = """
select speaker, speaker_title, organisation, quotes, toned_quotes, mean_tone, trend
from speaker_tone
where is_resolved and toned_quotes > 0
order by quotes desc, speaker
limit ?
"""
THEMES_WEEKLY_SQL = """
select theme, week_start, articles from theme_trends_weekly
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
    """One horizontal bar: `note` (e.g. a speaker's title) is a second, smaller line under the label;
    bars of the same `group` share a colour and a legend entry."""

    label: str
    value: float
    colour: str = PALETTE[0]
    note: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Chart:
    """A figure and the id of its `<div>`; `figure` is None when there is nothing to draw."""

    div_id: str
    title: str
    figure: go.Figure | None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(value: object, limit: int | None = None) -> str:
    """Text for plotly: shortened, then escaped so plotly shows it as written (it decodes the
    entities back and would otherwise read tags like `<br>` or `<a href>`); `$` is escaped too,
    because plotly hands `$...$` to MathJax."""
    text = "" if value is None else str(value)
    if limit is not None:
        text = _short(text, limit)
    return _e(text).replace("$", "&#36;")


def _number(value: float) -> str:
    if value != value:  # NaN
        return "n/a"
    for size, suffix in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if abs(value) >= size:
            return f"{value / size:,.4g}{suffix}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


# --- charts (plotly figures) ---------------------------------------------------------------


def _layout(fig: go.Figure, title: str, height: int, *, legend: bool) -> None:
    fig.update_layout(
        title={"text": _label(title), "x": 0, "xanchor": "left", "font": {"size": 15}},
        template="simple_white",
        height=height,
        margin={"l": 10, "r": 40, "t": 70 if legend else 40, "b": 40},
        font={"family": "system-ui, sans-serif", "size": 12, "color": "#222"},
        showlegend=legend,
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "title": {"text": ""}},
        hoverlabel={"align": "left"},
    )


_GROUP_ORDER = {name: i for i, name in enumerate([*TYPE_COLOURS, "other"])}


def _category_rows(fig: go.Figure, keys: list[str], ticks: list[str]) -> None:
    """Horizontal bars, one row per key in the given order (top first), labelled with `ticks`."""
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=keys,
        autorange="reversed",
        tickmode="array",
        tickvals=keys,
        ticktext=ticks,
        automargin=True,
        ticks="",
    )


def _count_ticks(peak: float) -> dict[str, Any]:
    """Whole-number ticks on a count axis (plotly would put ticks at 0.5 under a peak of 2)."""
    return {"tick0": 0, "dtick": 1} if peak <= 8 else {}


def bar_figure(title: str, bars: Sequence[Bar], *, value_name: str) -> go.Figure | None:
    """Horizontal bars, top to bottom in the order given; None when there are none.

    Bars are placed on positions `0..n-1` with the labels as tick text, so two bars with the same
    label (e.g. `China` as GPE and as ORG) stay two bars."""
    if not bars:
        return None
    keys = [str(i) for i in range(len(bars))]
    ticks = [
        _label(b.label, 40)
        + (f'<br><span style="font-size:10px;color:#777">{_label(b.note, 48)}</span>' if b.note else "")
        for b in bars
    ]
    fig = go.Figure()
    groups: dict[str | None, list[int]] = {}
    for i, bar in enumerate(bars):
        groups.setdefault(bar.group, []).append(i)
    for group, members in sorted(groups.items(), key=lambda g: _GROUP_ORDER.get(g[0] or "", len(_GROUP_ORDER))):
        fig.add_trace(
            go.Bar(
                orientation="h",
                name=_label(group or value_name),
                x=[bars[i].value for i in members],
                y=[keys[i] for i in members],
                marker={"color": [bars[i].colour for i in members]},
                text=[_number(bars[i].value) for i in members],
                textposition="outside",
                cliponaxis=False,
                hovertext=[
                    _label(bars[i].label) + (f"<br>{_label(bars[i].note)}" if bars[i].note else "") for i in members
                ],
                hovertemplate=f"%{{hovertext}}<br>{_label(value_name)}: %{{x:,}}<extra></extra>",
            )
        )
    row = 40 if any(b.note for b in bars) else 26
    legend = any(b.group for b in bars)
    _layout(fig, title, 90 + (30 if legend else 0) + row * len(bars), legend=legend)
    fig.update_layout(barmode="overlay", bargap=0.25)
    _category_rows(fig, keys, ticks)
    fig.update_xaxes(
        title={"text": _label(value_name)},
        rangemode="tozero",
        showgrid=True,
        automargin=True,
        **_count_ticks(max(b.value for b in bars)),
    )
    return fig


def weekly_figure(
    title: str,
    columns: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    *,
    hidden: Sequence[str] = (),
    unit: str = "mentions",
) -> go.Figure | None:
    """Stacked columns, one per label in `columns` (drawn as categories, in order), from
    `series` ((name, colour, values per column), ...); None when there is nothing to draw.
    Series named in `hidden` start hidden: a click on their legend entry draws them."""
    if not columns or not any(v for name, _, values in series if name not in hidden for v in values):
        return None
    fig = go.Figure()
    for name, colour, values in series:
        fig.add_trace(
            go.Bar(
                name=_label(name, 40),
                x=list(columns),
                y=list(values),
                marker={"color": colour},
                visible="legendonly" if name in hidden else True,
                hovertemplate=f"{_label(name)}<br>%{{x}}: %{{y:,}} {_label(unit)}<extra></extra>",
            )
        )
    _layout(fig, title, 380, legend=True)
    fig.update_layout(barmode="stack", bargap=0.2, legend={"traceorder": "normal"})
    _week_axis(fig, columns)
    peak = max(sum(values[i] for name, _, values in series if name not in hidden) for i in range(len(columns)))
    fig.update_yaxes(
        title={"text": _label(unit)}, rangemode="tozero", showgrid=True, automargin=True, **_count_ticks(peak)
    )
    return fig


def _week_axis(fig: go.Figure, columns: Sequence[str]) -> None:
    """Weeks as categories in the given order, labels slanted."""
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=list(columns), tickangle=-45, automargin=True
    )


def tone_lines_figure(
    title: str, columns: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]]
) -> go.Figure | None:
    """Mean tone per week (-1..1), one line per series; a week without a tone is a gap. None when empty."""
    if not columns or not any(v is not None for _, _, values in series for v in values):
        return None
    fig = go.Figure()
    for name, colour, values in series:
        fig.add_trace(
            go.Scatter(
                name=_label(name, 40),
                x=list(columns),
                y=list(values),
                mode="lines+markers",
                line={"color": colour},
                connectgaps=False,
                hovertemplate=f"{_label(name)}<br>%{{x}}: mean tone %{{y:.2f}}<extra></extra>",
            )
        )
    _layout(fig, title, 380, legend=True)
    _week_axis(fig, columns)
    fig.update_yaxes(title={"text": "mean tone"}, range=[-1.05, 1.05], zeroline=True, showgrid=True, automargin=True)
    return fig


def tone_bar_figure(title: str, bars: Sequence[Bar]) -> go.Figure | None:
    """Horizontal bars of mean tone (-1..1) around zero, labelled like `bar_figure`; None when empty."""
    if not bars:
        return None
    keys = [str(i) for i in range(len(bars))]
    ticks = [
        _label(b.label, 40)
        + (f'<br><span style="font-size:10px;color:#777">{_label(b.note, 48)}</span>' if b.note else "")
        for b in bars
    ]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            name="mean tone",
            x=[b.value for b in bars],
            y=keys,
            marker={"color": [b.colour for b in bars]},
            text=[f"{b.value:+.2f}" for b in bars],
            textposition="outside",
            cliponaxis=False,
            hovertext=[_label(b.label) + (f"<br>{_label(b.group)}" if b.group else "") for b in bars],
            hovertemplate="%{hovertext}<br>mean tone: %{x:.2f}<extra></extra>",
        )
    )
    row = 40 if any(b.note for b in bars) else 26
    _layout(fig, title, 90 + row * len(bars), legend=False)
    _category_rows(fig, keys, ticks)
    fig.update_xaxes(title={"text": "mean tone of quotes"}, range=[-1.1, 1.1], zeroline=True, showgrid=True)
    return fig


def _weeks(dated: Sequence[date], weeks: int) -> list[date]:
    """The last `weeks` weeks up to the latest dated one, every week (gaps included)."""
    if not dated:
        return []
    last = max(dated)
    week = max(min(dated), last - timedelta(weeks=weeks - 1))
    out = []
    while week <= last:
        out.append(week)
        week += timedelta(weeks=1)
    return out


def _trend_series(
    rows: Sequence[dict[str, Any]], top: Sequence[dict[str, Any]], weeks: int
) -> tuple[list[str], list[tuple[str, str, list[float]]]]:
    """Columns (ISO week starts, then `undated`) and one series per leading entity plus the rest."""
    shown = _weeks([r["week_start"] for r in rows if r["week_start"] is not None], weeks)
    labels = [w.isoformat() for w in shown]
    if any(r["week_start"] is None for r in rows):
        labels.append(UNDATED)
    index = {label: i for i, label in enumerate(labels)}
    leaders = {str(r["entity_id"]): str(r["canonical_name"]) for r in top[:TREND_SERIES]}
    names = list(leaders)
    values = {key: [0.0] * len(labels) for key in [*names, ""]}
    for r in rows:
        label = UNDATED if r["week_start"] is None else r["week_start"].isoformat()
        if label in index:
            values[str(r["entity_id"]) if r["entity_id"] in leaders else ""][index[label]] += float(r["mentions"])
    series = [(leaders[key], PALETTE[i % len(PALETTE)], values[key]) for i, key in enumerate(names)]
    if any(values[""]):
        series.append((REST, REST_COLOUR, values[""]))
    return labels, series


def _chart_html(chart: Chart) -> str:
    if chart.figure is None:
        return f'<p class="muted empty-chart" id="{_e(chart.div_id)}">No data yet.</p>'
    return str(
        chart.figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            include_mathjax=False,
            div_id=chart.div_id,
            config=PLOT_CONFIG,
            default_width="100%",
        )
    )


def _inline_script(code: str) -> str:
    """`code` in a `<script>` element; a `</script` inside it would end the element early."""
    return "<script>" + re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE) + "</script>"


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
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
body { padding: 0 1rem; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.muted { color: #777; } .summary span { margin-right: 1.4rem; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #eee; }
blockquote { margin: 0; }
"""


def _check_models(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("select table_name from information_schema.tables where table_schema = 'main'").fetchall()
    missing = sorted(set(REQUIRED) - {str(r[0]) for r in rows})
    if missing:
        raise ReportError(
            f"the report reads the SQL models, and these are missing: {', '.join(missing)}; "
            "build them first with `news-pipeline models`"
        )


def report_charts(
    con: duckdb.DuckDBPyConnection, *, top: int = 15, weeks: int = 26
) -> tuple[Chart, Chart, Chart, Chart]:
    """The four figures of the report, from the marts: top entities, mentions over time,
    top speakers and figures by subject."""
    top_entities = _rows(con, TOP_ENTITIES_SQL, [top])
    entities = [
        Bar(
            str(r["canonical_name"]),
            float(r["mentions"]),
            TYPE_COLOURS.get(str(r["entity_type"]).upper(), OTHER_COLOUR),
            group=str(r["entity_type"]).upper() if str(r["entity_type"]).upper() in TYPE_COLOURS else "other",
        )
        for r in top_entities
    ]
    columns, series = _trend_series(_rows(con, WEEKLY_SQL), top_entities, weeks)
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
        Bar(str(r["subject"]), float(r["figures"]), PALETTE[2]) for r in _rows(con, FIGURES_BY_SUBJECT_SQL, [top])
    ]
    return (
        Chart(
            "chart-top-entities",
            "Top entities",
            bar_figure("Top entities by mentions", entities, value_name="mentions"),
        ),
        Chart(
            "chart-mentions-over-time",
            "Mentions over time",
            weekly_figure("Mentions per week", columns, series, hidden=[REST]),
        ),
        Chart(
            "chart-top-speakers",
            "Top speakers",
            bar_figure("Top speakers by quotes", speakers, value_name="quotes"),
        ),
        Chart(
            "chart-figures-by-subject",
            "Figures by subject",
            bar_figure("Figures by subject", subjects, value_name="figures"),
        ),
    )


def _week_columns(rows: Sequence[dict[str, Any]], weeks: int) -> list[date]:
    return _weeks([r["week_start"] for r in rows if r["week_start"] is not None], weeks)


def tone_and_theme_charts(
    con: duckdb.DuckDBPyConnection, *, top: int = 15, weeks: int = 26
) -> tuple[Chart, Chart, Chart]:
    """Tone over time of the leading entities, the mean tone of the top speakers' quotes, and
    articles per theme and week."""
    leaders = _rows(con, TOP_ENTITIES_SQL, [TREND_SERIES])
    tone_rows = _rows(con, ENTITY_TONE_SQL, [[str(r["entity_id"]) for r in leaders]])
    shown = _week_columns(tone_rows, weeks)
    index = {w: i for i, w in enumerate(shown)}
    tones: dict[str, list[float | None]] = {str(r["entity_id"]): [None] * len(shown) for r in leaders}
    for r in tone_rows:
        if r["week_start"] in index:
            tones[str(r["entity_id"])][index[r["week_start"]]] = round(float(r["mean_tone"]), 4)
    tone_series = [
        (str(r["canonical_name"]), PALETTE[i % len(PALETTE)], tones[str(r["entity_id"])])
        for i, r in enumerate(leaders)
        if any(v is not None for v in tones[str(r["entity_id"])])
    ]
    speakers = [
        Bar(
            str(r["speaker"]),
            round(float(r["mean_tone"]), 4),
            PALETTE[2] if r["mean_tone"] >= 0.05 else PALETTE[3] if r["mean_tone"] <= -0.05 else REST_COLOUR,
            ", ".join(str(x) for x in (r["speaker_title"], r["organisation"]) if x) or None,
            group=f"{r['toned_quotes']} quotes" + (f", {r['trend']}" if r["trend"] else ""),
        )
        for r in _rows(con, SPEAKER_TONE_SQL, [top])
    ]
    theme_rows = _rows(con, THEMES_WEEKLY_SQL)
    theme_weeks = _week_columns(theme_rows, weeks)
    theme_index = {w: i for i, w in enumerate(theme_weeks)}
    totals: dict[str, float] = {}
    for r in theme_rows:
        totals[str(r["theme"])] = totals.get(str(r["theme"]), 0.0) + float(r["articles"])
    leading = sorted(totals, key=lambda t: (-totals[t], t))[:THEME_SERIES]
    counts = {t: [0.0] * len(theme_weeks) for t in [*leading, ""]}
    for r in theme_rows:
        if r["week_start"] in theme_index:
            key = str(r["theme"]) if r["theme"] in leading else ""
            counts[key][theme_index[r["week_start"]]] += float(r["articles"])
    theme_series = [(t.replace("_", " "), PALETTE[i % len(PALETTE)], counts[t]) for i, t in enumerate(leading)]
    if any(counts[""]):
        theme_series.append((REST_THEMES, REST_COLOUR, counts[""]))
    columns = [w.isoformat() for w in shown]
    theme_columns = [w.isoformat() for w in theme_weeks]
    return (
        Chart("chart-entity-tone", "Tone over time", tone_lines_figure("Mean tone per week", columns, tone_series)),
        Chart("chart-speaker-tone", "Speaker tone", tone_bar_figure("Mean tone of quotes by speaker", speakers)),
        Chart(
            "chart-themes-over-time",
            "Themes over time",
            weekly_figure(
                "Articles per theme and week", theme_columns, theme_series, hidden=[REST_THEMES], unit="articles"
            ),
        ),
    )


def render_report(con: duckdb.DuckDBPyConnection, *, top: int = 15, recent: int = 20, weeks: int = 26) -> str:
    """The report's HTML as a string (see `write_report`)."""
    _check_models(con)
    summary = _rows(con, SUMMARY_SQL)[0]
    no_subject = int(_rows(con, NO_SUBJECT_SQL)[0]["figures"])
    entities_chart, weekly_chart, speakers_chart, subjects_chart = report_charts(con, top=top, weeks=weeks)
    tone_chart, speaker_tone_chart, themes_chart = tone_and_theme_charts(con, top=top, weeks=weeks)
    map_chart = Chart("chart-places-map", "Places", map_figure(con, _label))
    charts = (
        entities_chart,
        weekly_chart,
        map_chart,
        speakers_chart,
        subjects_chart,
        tone_chart,
        speaker_tone_chart,
        themes_chart,
    )
    drawn = any(c.figure is not None for c in charts)

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
            (
                f'<a href="{_e(r["url"])}" rel="noopener">{_e(r["title"])}</a>'
                if r["url"] and str(r["url"]).lower().startswith(("http://", "https://"))
                else _e(r["title"])
            )
            + f'<br><span class="muted">{_e(r["source"])}</span>',
            _e(r["entity_count"]),
            _e(r["quote_count"]),
            _e(r["metric_count"]),
        ]
        for r in _rows(con, ARTICLES_SQL)
    ]

    span = f"{summary['first_day']} to {summary['last_day']}" if summary["first_day"] is not None else "no articles"
    generated = datetime.now().strftime("%Y-%m-%d %H:%M")
    # plotly.js once, before the figures that call it; nothing when there is nothing to draw
    plotly_js = _inline_script(get_plotlyjs()) if drawn else ""
    if map_chart.figure is not None:  # the map's world shapes, before plotly.js reads them
        plotly_js = _inline_script(geo_assets_script()) + "\n" + plotly_js
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>News pipeline report</title>
<style>{STYLE}</style>
{plotly_js}
</head>
<body>
<h1>News pipeline report</h1>
<p class="muted">Generated {generated}; articles from {_e(span)}.</p>
<p class="summary">
<span><b>{_e(summary["articles"])}</b> articles ({_e(summary["undated_articles"])} undated)</span>
<span><b>{_e(summary["mentions"])}</b> entity mentions</span>
<span><b>{_e(summary["quotes"])}</b> quotes</span>
<span><b>{_e(summary["figures"])}</b> figures</span>
</p>

<h2 id="top-entities">Top entities</h2>
<p class="muted">Mentions across all articles, coloured by entity type.</p>
{_chart_html(entities_chart)}

<h2 id="mentions-over-time">Mentions over time</h2>
<p class="muted">Entity mentions per week of publication (weeks start on Monday, last {_e(weeks)} weeks
with dated articles), for the {TREND_SERIES} most mentioned entities (click "{REST}" in the legend to add
the rest). Mentions in articles without a publication date are shown apart, in the last column.</p>
{_chart_html(weekly_chart)}

<h2 id="places-map">Places</h2>
<p class="muted">Countries shaded by the mentions of their places (the country itself, its regions and
cities), and the most mentioned cities as points sized by mentions. Places are resolved offline against
GeoNames; country shapes from Natural Earth, drawn without any network access.</p>
{_chart_html(map_chart)}

<h2 id="top-speakers">Top speakers</h2>
<p class="muted">Quotes per resolved speaker, with the title and organisation given most often.</p>
{_chart_html(speakers_chart)}

<h2 id="figures-by-subject">Figures by subject</h2>
<p class="muted">Reported figures per subject (conversions of the same figure counted once;
{_e(f"{no_subject:,}")} figures without a subject are left out).</p>
{_chart_html(subjects_chart)}

<h2 id="tone-over-time">Tone over time</h2>
<p class="muted">Mean tone per week of the {TREND_SERIES} most mentioned entities: each mention takes the
tone of its sentence, from -1 (negative) to 1 (positive), VADER's scale; around 0 is neutral. Articles
without a publication date count in the week they were ingested.</p>
{_chart_html(tone_chart)}

<h2 id="speaker-tone">Speaker tone</h2>
<p class="muted">Mean tone of each resolved speaker's quotes (the tone of the sentences a quote spans),
most quoted first; the hover shows the quotes counted and the trend over time.</p>
{_chart_html(speaker_tone_chart)}

<h2 id="themes-over-time">Themes over time</h2>
<p class="muted">Articles per week carrying each of the {THEME_SERIES} most frequent themes of the taxonomy
(click "{REST_THEMES}" in the legend to add the rest).</p>
{_chart_html(themes_chart)}

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
