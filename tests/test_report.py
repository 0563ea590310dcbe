"""The HTML report: self-contained, charts drawn from the marts, rendered by headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from pipeline.models import build_models
from pipeline.report import ReportError, write_report
from tests.marts.sample import SQL_DIR, sample_warehouse


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    con = sample_warehouse()
    build_models(con, SQL_DIR)
    return write_report(con, tmp_path_factory.mktemp("report"))


def test_report_is_self_contained(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert report.name == "index.html"
    assert "<script" not in page  # inline SVG: nothing to fetch, nothing to run
    assert not re.search(r"""(src|href)=["'](https?:)?//(?!www\.example\.com/news/chips\.html)""", page)
    assert not re.search(r"@import|url\(", page)
    assert [p.name for p in report.parent.iterdir()] == ["index.html"]  # no temp file left


def test_report_draws_the_marts(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    for heading in ("Top entities", "Mentions over time", "Top speakers", "Figures by subject"):
        assert f">{heading}</h2>" in page
    assert page.count("<svg") == 4
    assert "Gao Dongsheng" in page and "chief economist at MIIT" in page
    assert "1.8 trillion yuan" in page and "more than 500 enterprises" in page
    assert "text of q1" in page


def test_quotes_and_figures_link_back_to_their_article(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    # a1 has a URL: link to it; a2 has none: link to its entry in the article list
    assert '<a href="https://www.example.com/news/chips.html" rel="noopener">Chip sales climb</a>' in page
    assert '<a href="#article-a2">Expo opens</a>' in page
    assert 'id="article-a2"' in page


def test_report_needs_the_models(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="news-pipeline models"):
        write_report(sample_warehouse(), tmp_path)


def test_report_of_an_empty_warehouse(tmp_path: Path) -> None:
    con = sample_warehouse({})
    build_models(con, SQL_DIR)
    page = write_report(con, tmp_path).read_text(encoding="utf-8")
    assert page.count("No data yet.") == 4 and "No quotes yet." in page


def test_report_reads_a_read_only_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    con = duckdb.connect(str(db))
    con.close()
    from tests.marts.sample import ROWS, create_tables, insert

    with duckdb.connect(str(db)) as con:
        create_tables(con)
        for table, rows in ROWS.items():
            insert(con, table, rows)
        build_models(con, SQL_DIR)
    with duckdb.connect(str(db), read_only=True) as con:
        assert write_report(con, tmp_path / "report").is_file()


def test_chromium_draws_the_charts(report: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium) so the page cannot be rendered")
    args = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*args, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=180, check=True
    ).stdout
    assert dom.count("<svg") == 4
    bars = re.findall(r'<rect class="bar"[^>]*width="([\d.]+)"', dom)
    assert len(bars) >= 8 and all(float(w) > 0 for w in bars)
    shot = tmp_path / "report.png"
    subprocess.run(
        [*args, f"--screenshot={shot}", "--window-size=1000,1600", report.as_uri()],
        capture_output=True,
        timeout=180,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
