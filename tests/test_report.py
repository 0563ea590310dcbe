"""The HTML report: self-contained, charts drawn by plotly from the marts, rendered by headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import pytest
from plotly.offline import get_plotlyjs

from pipeline.models import build_models
from pipeline.report import ReportError, render_report, write_report
from tests.marts.sample import ROWS, SQL_DIR, create_tables, insert, sample_warehouse

ARTICLE_URL = "https://www.example.com/news/chips.html"
CHARTS = (
    "chart-top-entities",
    "chart-mentions-over-time",
    "chart-places-map",
    "chart-top-speakers",
    "chart-figures-by-subject",
    "chart-entity-tone",
    "chart-speaker-tone",
    "chart-themes-over-time",
)
LINE_CHARTS = ("chart-entity-tone",)  # lines, no bars
MAP = "chart-places-map"  # shapes and points, no bars
# attributes through which an element can load or navigate somewhere
URL_ATTRS = {"src", "href", "srcset", "data", "action", "formaction", "poster", "background", "xlink:href"}

# Article content is hostile: markup in names, titles, quotes and URLs must come out as text.
EVIL = "<b>bold</b> <img src=x onerror=alert(1)></script><script>alert(2)</script> $x$ | a"
HOSTILE_ROWS: dict[str, list[dict[str, Any]]] = {
    **ROWS,
    "articles": [
        *ROWS["articles"],
        {
            **ROWS["articles"][0],
            "article_id": "a3",
            "url": "javascript:alert(5)",
            "source": "evil.html",
            "title": "<img src=y onerror=alert(6)>",
            "content_hash": "h3",
            "published_at": datetime(2025, 11, 26, 9, 0),
        },
    ],
    "entities": [*ROWS["entities"], {"entity_id": "e_evil", "canonical_name": EVIL, "entity_type": "ORG"}],
    "entity_mentions": [
        *ROWS["entity_mentions"],
        *(
            {
                "mention_id": f"mx{i}",
                "article_id": "a3",
                "entity_id": "e_evil",
                "text": EVIL,
                "entity_type": "ORG",
                "sentence_index": 0,
                "start_char": 10 * i,
                "end_char": 10 * i + 5,
            }
            for i in range(4)
        ),
    ],
    "quotes": [
        *ROWS["quotes"],
        {
            "quote_id": "qx",
            "article_id": "a3",
            "quote_type": "direct",
            "quote_text": "</td></table><script>alert(4)</script>",
            "speaker_text": EVIL,
            "speaker_entity_id": "e_evil",
            "speaker_name": EVIL,
            "speaker_title": '<a href="javascript:alert(3)">chief</a>',
            "sentence_index": 0,
            "start_char": 0,
            "end_char": 30,
            "confidence": 0.9,
        },
    ],
    "metrics": [
        *ROWS["metrics"],
        {
            "metric_id": "kx",
            "article_id": "a3",
            "metric_type": "count",
            "raw_text": "<script>alert(7)</script>",
            "value": 3.0,
            "unit": "<i>units</i>",
            "qualifier": "=",
            "subject": EVIL,
            "sentence_index": 0,
            "start_char": 0,
            "end_char": 5,
        },
    ],
}


class _Elements(HTMLParser):
    """Every element's tag and attributes, and the text of each `<script>` and `<style>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style"):
            self._open = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            self.scripts[-1] += data
        elif self._open == "style":
            self.styles[-1] += data


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


def _outside_links(parsed: _Elements) -> list[tuple[str, str, str]]:
    """(tag, attribute, value) of every reference that is not to a place on the page itself."""
    return [
        (tag, name, value)
        for tag, attrs in parsed.elements
        for name, value in attrs.items()
        if name in URL_ATTRS and not value.startswith("#")
    ]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


def _dump_dom(page: Path, profile: Path) -> str:
    """The page's DOM after headless Chromium ran its scripts (offline: nothing to fetch)."""
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium), so the charts cannot be rendered")
    args = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        page.as_uri(),
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout


def _drawn_bars(dom: str) -> dict[str, int]:
    """Per chart div id: how many bars of non-zero size plotly drew as SVG paths."""
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'<div id="(chart-[a-z-]+)"', dom)]
    counts: dict[str, int] = {}
    for i, (start, chart) in enumerate(starts):
        chunk = dom[start : starts[i + 1][0] if i + 1 < len(starts) else len(dom)]
        assert 'class="main-svg"' in chunk, f"{chart} has no plotly SVG"
        boxes = re.findall(r'<g class="point"><path d="M([\d.]+),([\d.]+)V([\d.]+)H([\d.]+)V[\d.]+Z"', chunk)
        counts[chart] = sum(
            1 for x0, y0, y1, x1 in boxes if abs(float(x1) - float(x0)) > 0 and abs(float(y1) - float(y0)) > 0
        )
    return counts


def _tick_labels(page: str, chart: str) -> list[str]:
    """The labels of a bar chart's bars, top to bottom, from the figure's JSON in the page."""
    start = page.index(f'<div id="{chart}"')
    match = re.search(r'"ticktext":(\[.*?\])', page[start:])
    assert match is not None
    return [str(t) for t in json.loads(match.group(1))]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    con = sample_warehouse()
    build_models(con, SQL_DIR)
    return write_report(con, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    con = sample_warehouse(HOSTILE_ROWS)
    build_models(con, SQL_DIR)
    return write_report(con, tmp_path_factory.mktemp("hostile"))


def test_report_is_self_contained(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    parsed = _parse(page)
    assert report.name == "index.html"
    assert [p.name for p in report.parent.iterdir()] == ["index.html"]  # no temp file left
    # nothing is fetched: no script, stylesheet, image or frame with a source; the only outside
    # links are the articles' own pages
    assert not [a for tag, a in parsed.elements if tag == "script" and "src" in a]
    assert not [tag for tag, _ in parsed.elements if tag in ("link", "img", "iframe", "object", "embed", "base")]
    assert _outside_links(parsed) == [("a", "href", ARTICLE_URL)] * 4  # 2 quotes, a figure, the list
    assert not any(re.search(r"@import|url\(", css) for css in parsed.styles)
    # the map's world shapes, then plotly.js inlined exactly once, before the figures that call it
    plotly_js = get_plotlyjs()
    assert page.count(plotly_js) == 1
    assert [plotly_js in s for s in parsed.scripts] == [False, True] + [False] * len(CHARTS)
    assert parsed.scripts[0].startswith("window.PlotlyGeoAssets")
    assert all("Plotly.newPlot" in s for s in parsed.scripts[2:])
    # plotly.js would fetch its world topojson from its CDN: the page never names it
    assert "cdn.plot.ly" not in page.replace(plotly_js, "")


def test_report_draws_the_marts(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    for heading in (
        "Top entities",
        "Mentions over time",
        "Top speakers",
        "Figures by subject",
        "Tone over time",
        "Speaker tone",
        "Themes over time",
        "Places",
    ):
        assert f">{heading}</h2>" in page
    assert re.findall(r'<div id="(chart-[a-z-]+)" class="plotly-graph-div"', page) == list(CHARTS)
    assert page.count("Plotly.newPlot(") == len(CHARTS)
    assert '"semiconductors"' in page and '"international trade"' in page  # themes, as legend names
    assert "mean tone" in page
    assert "Gao Dongsheng" in page and "chief economist at MIIT" in page  # a speaker and the title
    assert '"undated"' in page and '"2025-11-24"' in page  # the week of a1 and a2's undated column
    assert "1.8 trillion yuan" in page and "more than 500 enterprises" in page
    assert "text of q1" in page
    assert "No data yet." not in page


def test_quotes_and_figures_link_back_to_their_article(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    # a1 has a URL: link to it; a2 has none: link to its entry in the article list
    assert f'<a href="{ARTICLE_URL}" rel="noopener">Chip sales climb</a>' in page
    assert '<a href="#article-a2">Expo opens</a>' in page
    assert 'id="article-a2"' in page


def test_report_needs_the_models(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="news-pipeline models"):
        write_report(sample_warehouse(), tmp_path)


def test_report_of_an_empty_warehouse(tmp_path: Path) -> None:
    con = sample_warehouse({})
    build_models(con, SQL_DIR)
    page = write_report(con, tmp_path).read_text(encoding="utf-8")
    assert page.count("No data yet.") == len(CHARTS) and "No quotes yet." in page
    assert "<script" not in page  # nothing to draw: plotly.js is left out


def test_report_reads_a_read_only_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    with duckdb.connect(str(db)) as con:
        create_tables(con)
        for table, rows in ROWS.items():
            insert(con, table, rows)
        build_models(con, SQL_DIR)
    with duckdb.connect(str(db), read_only=True) as con:
        assert write_report(con, tmp_path / "report").is_file()


def test_same_names_stay_apart_and_options_are_honoured() -> None:
    rows = {
        **ROWS,
        "entities": [
            *ROWS["entities"],
            {"entity_id": "e_x", "canonical_name": "MIIT", "entity_type": "PERSON"},
        ],
    }
    rows["entity_mentions"] = [
        *ROWS["entity_mentions"],
        {**ROWS["entity_mentions"][0], "mention_id": "mx", "entity_id": "e_x", "entity_type": "PERSON"},
    ]
    con = sample_warehouse(rows)
    build_models(con, SQL_DIR)
    page = render_report(con, top=2, recent=1)
    assert _tick_labels(page, "chart-top-entities") == ["China", "Gao Dongsheng"]  # top=2
    # the ORG and the PERSON named MIIT: two bars, not one
    assert _tick_labels(render_report(con), "chart-top-entities") == [
        "China",
        "Gao Dongsheng",
        "MIIT",
        "MIIT",
    ]
    assert page.count("<blockquote>") == 1  # recent=1


def test_hostile_content_stays_text(hostile_report: Path) -> None:
    page = hostile_report.read_text(encoding="utf-8")
    parsed = _parse(page)
    tags = {tag for tag, _ in parsed.elements}
    assert "img" not in tags and "i" not in tags
    assert len(parsed.scripts) == 2 + len(CHARTS)  # map shapes, plotly.js and the figures, nothing injected
    assert all("<script>alert" not in s for s in parsed.scripts[1:])  # plotly encodes `<` in its JSON
    assert "javascript:" not in " ".join(v for _, a in parsed.elements for v in a.values())
    assert _outside_links(parsed) == [("a", "href", ARTICLE_URL)] * 4  # a3's javascript: URL is no link
    assert "&lt;img src=y onerror=alert(6)&gt;" in page  # a3's title, as text
    assert "&lt;/td&gt;&lt;/table&gt;&lt;script&gt;alert(4)&lt;/script&gt;" in page


def test_chromium_draws_the_charts(report: Path, tmp_path: Path) -> None:
    dom = _dump_dom(report, tmp_path / "profile")
    # one plotly plot per figure in the page, each with its SVG, each with its bars
    assert dom.count('class="plot-container plotly"') == len(CHARTS)
    bars = _drawn_bars(dom)
    assert list(bars) == list(CHARTS)
    # China, Gao Dongsheng, MIIT; 3 entities in a1's week + 2 undated; 2 speakers; 2 subjects;
    # tone lines (no bars); Gao's and MIIT's mean tone; 2 themes in a1's week + 1 in a2's
    assert bars == {
        "chart-top-entities": 3,
        "chart-mentions-over-time": 5,
        "chart-places-map": 0,
        "chart-top-speakers": 2,
        "chart-figures-by-subject": 2,
        "chart-entity-tone": 0,
        "chart-speaker-tone": 2,
        "chart-themes-over-time": 3,
    }
    tone = dom[dom.index('<div id="chart-entity-tone"') : dom.index('<div id="chart-speaker-tone"')]
    assert tone.count('class="js-line"') >= 3  # a line per leading entity with a tone


def test_chromium_shows_hostile_text_as_text(hostile_report: Path, tmp_path: Path) -> None:
    dom = _dump_dom(hostile_report, tmp_path / "profile")
    assert dom.count('class="plot-container plotly"') == len(CHARTS)
    assert all(n > 0 for chart, n in _drawn_bars(dom).items() if chart not in (*LINE_CHARTS, MAP))
    parsed = _parse(dom)
    assert "img" not in {tag for tag, _ in parsed.elements}  # no markup from the data became an element
    assert not [a for tag, a in parsed.elements if tag == "a" and a.get("href", "").startswith("javascript:")]
    # plotly drew the entity's name as written (shortened), markup and all, in its SVG tick labels
    chart = dom[dom.index('<div id="chart-top-entities"') : dom.index('<div id="chart-mentions-over-time"')]
    assert "&lt;b&gt;bold&lt;/b&gt; &lt;img src=x onerror=alert(1)" in chart
    assert "font-weight:bold" not in chart.replace(" ", "")


def test_chromium_draws_the_map_offline(report: Path, tmp_path: Path) -> None:
    dom = _dump_dom(report, tmp_path / "profile")
    chunk = dom[dom.index('<div id="chart-places-map"') : dom.index('<div id="chart-top-speakers"')]
    # the countries of the topojson on the page, and China shaded by its mentions
    assert chunk.count('class="choroplethlocation"') == 1
    # land and country borders drawn from the embedded shapes (long paths), nothing fetched
    for layer in ("land", "countries"):
        drawn = re.search(rf'<g class="layer {layer}"><path d="(M[^"]+)"', chunk)
        assert drawn is not None and len(drawn.group(1)) > 10_000, layer
