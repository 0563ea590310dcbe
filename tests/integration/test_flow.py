"""The whole news_etl flow under a Prefect test server: examples, the sample article, idempotency."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.schemas import TABLES
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.usefixtures("prefect_harness")


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows except the run log and run-stamped columns."""
    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for t in TABLES:
            if t == "pipeline_runs":
                continue
            cols = [c for c in TABLES[t].names if c not in {"run_id", "ingested_at", "rejected_at"}]
            out[t] = con.execute(f"select {', '.join(cols)} from {t} order by all").fetchall()
    return out


def test_examples_twice(tmp_path: Path) -> None:
    from flows.news_etl import news_etl

    wh = tmp_path / "wh"
    first = news_etl(sources=[str(EXAMPLES)], warehouse_dir=str(wh))
    assert first.ingest.new >= 5
    assert first.ingest.rejected == 0
    counts = first.table_counts
    for t in ("articles", "entities", "entity_aliases", "entity_mentions", "quotes", "metrics"):
        assert counts[t] > 0, t
    db = wh / "news.duckdb"
    snap = snapshot(db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from article_overview").fetchone() == (counts["articles"],)
        enc = con.execute("select source_encoding from articles where source like '%windows-1252%'").fetchone()
        assert enc == ("cp1252",)
    assert (wh / "exports" / "articles").exists() or (wh / "exports" / "articles.parquet").exists()
    assert list((wh / "landing" / "articles").glob("run_date=*/*.parquet"))

    second = news_etl(sources=[str(EXAMPLES)], warehouse_dir=str(wh))
    assert (second.ingest.new, second.ingest.updated) == (0, 0)
    assert second.ingest.skipped == first.ingest.new
    assert snapshot(db) == snap
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*), count(distinct status) from pipeline_runs").fetchone() == (2, 1)


def test_seed_article(tmp_path: Path, shared_dir: Path) -> None:
    from flows.news_etl import news_etl

    src = tmp_path / "seed"
    shutil.copytree(shared_dir / "corpus/seed", src)
    wh = tmp_path / "wh"
    news_etl(sources=[str(src)], warehouse_dir=str(wh))
    with duckdb.connect(str(wh / "news.duckdb"), read_only=True) as con:
        title, subtitle, body = con.execute("select title, subtitle, body from articles").fetchone()  # type: ignore[misc]
        names = {r[0] for r in con.execute("select canonical_name from entities").fetchall()}
        speakers = {r[0] for r in con.execute("select speaker_name from quotes").fetchall()}
        # tone lands with the article (set at load from the run's article_tone) and on each quote
        (tone, positive, negative) = con.execute("select tone, tone_positive, tone_negative from articles").fetchone()  # type: ignore[misc]
        welcome = con.execute("select tone from quotes where quote_text like 'We welcome global%'").fetchone()
        gap = con.execute("select tone from quotes where quote_text like '%technical gap%'").fetchone()
        themes = [r[0] for r in con.execute("select theme from article_themes order by score desc").fetchall()]
        gao = con.execute("select mean_tone from speaker_tone where speaker = 'Gao Dongsheng'").fetchone()
    assert tone > 0 and 0 < negative < positive <= 1
    assert welcome and gap and welcome[0] > 0.05 and gap[0] < welcome[0]
    assert themes[0] == "semiconductors" and "international_cooperation" in themes
    assert gao and gao[0] > 0
    assert title == "China mulls steps to woo more chip MNCs"
    assert subtitle.startswith("Market-oriented")
    assert body.startswith("China welcomes") and body.endswith("sprawling sector.")
    assert {"Gao Dongsheng", "Zhang Li", "Roger Sheng", "Gartner"} <= names
    assert {"Gao Dongsheng", "Zhang Li", "Roger Sheng"} <= speakers


def test_bad_inputs_do_not_stop_the_run(tmp_path: Path) -> None:
    from flows.news_etl import news_etl

    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.txt").write_text("Title\n\nThe port handled 13.8 million containers last year.\n")
    (src / "empty.txt").write_text("")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    summary = news_etl(sources=[str(src)], warehouse_dir=str(tmp_path / "wh"))
    assert (summary.ingest.new, summary.ingest.rejected) == (1, 2)
    stored = sorted(p.name for p in (tmp_path / "wh" / "rejects").iterdir())
    assert len(stored) == 2 and any("binary" in n for n in stored)


def test_run_publishes_a_summary_artifact(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.news_etl import news_etl

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Port report\n\nJeroen Vos said the port handled 13.8 million containers last year.\n")
    summary = news_etl(sources=[str(src)], warehouse_dir=str(tmp_path / "wh"))
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["news-etl-run-summary"]))
        )
    mine = [a for a in artifacts if summary.run_id in (a.description or "")]
    assert len(mine) == 1
    assert "Jeroen Vos" in str(mine[0].data)


def test_second_run_with_no_wait_refuses(tmp_path: Path) -> None:
    import subprocess
    import sys

    from pipeline.cli import main

    wh = tmp_path / "wh"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\nfrom pipeline.warehouse.lock import warehouse_lock\n"
            "with warehouse_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(60)",
            str(wh),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert main(["run", str(EXAMPLES), "--warehouse", str(wh), "--no-wait", "--no-progress"]) == 3
    finally:
        holder.kill()
        holder.wait()
    assert not (wh / "news.duckdb").exists()  # refused before touching anything
