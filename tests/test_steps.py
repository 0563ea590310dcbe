"""The steps without Prefect: increments, revisions, replacement, rollback."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from pipeline import steps
from pipeline.ingest import iter_local
from pipeline.settings import Settings


def run_once(settings: Settings, sources: list[str], version: str | None = None) -> steps.IngestStats:
    ctx = steps.new_run(settings)
    if version:
        ctx = replace(ctx, extractor_version=version)
    stats = steps.ingest(ctx, iter_local(sources, settings))
    steps.extract(ctx)
    steps.load(ctx, stats, after_load=steps.build_and_test_models(settings))
    return stats


def q(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(
        "Steel merger agreed\n\nKarin Lindqvist, chief executive of Nordstahl, said the deal would save "
        "about 300 million euros a year.\n"
    )
    (d / "b.txt").write_text("URL: https://news.test/b\nPort volumes rise\n\nRotterdam handled more ships.\n")
    (d / "copy-of-a.txt").write_bytes((d / "a.txt").read_bytes())
    (d / "empty.txt").write_text("\n\n")
    return d


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(warehouse_dir=tmp_path / "wh")


def test_first_run_then_noop(corpus: Path, settings: Settings) -> None:
    s1 = run_once(settings, [str(corpus)])
    assert (s1.seen, s1.new, s1.duplicates, s1.rejected) == (3, 2, 1, 1)
    before = {t: q(settings, f"select * from {t} order by all") for t in ("articles", "entities", "entity_mentions")}
    s2 = run_once(settings, [str(corpus)])
    assert (s2.new, s2.updated, s2.skipped) == (0, 0, 2)
    assert s2.landed == 0  # nothing new to land: the load only adds the run's own row
    after = {t: q(settings, f"select * from {t} order by all") for t in before}
    assert after == before
    assert q(settings, "select count(*) from rejects") == [(2,)]  # empty file + duplicate, once each
    assert q(settings, "select count(*) from pipeline_runs") == [(2,)]


def test_revision_replaces_rows(corpus: Path, settings: Settings) -> None:
    run_once(settings, [str(corpus)])
    (corpus / "b.txt").write_text("URL: https://news.test/b\nPort volumes rise\n\nAntwerp handled fewer ships.\n")
    s = run_once(settings, [str(corpus)])
    assert (s.new, s.updated, s.skipped) == (0, 1, 1)
    bodies = q(settings, "select body from articles where url = 'https://news.test/b'")
    assert bodies == [("Antwerp handled fewer ships.",)]
    names = {r[0] for r in q(settings, "select text from entity_mentions")}
    assert "Antwerp" in names and "Rotterdam" not in names


def test_changed_local_file_replaces_its_article(corpus: Path, settings: Settings) -> None:
    run_once(settings, [str(corpus)])
    (corpus / "a.txt").write_text("Steel merger off\n\nThe talks between the steelmakers collapsed.\n")
    run_once(settings, [str(corpus)])
    titles = sorted(r[0] for r in q(settings, "select title from articles"))
    # copy-of-a.txt still carries the old article, so it stays
    assert titles == ["Port volumes rise", "Steel merger agreed", "Steel merger off"]
    (corpus / "copy-of-a.txt").write_text("Steel merger off\n\nThe talks between the steelmakers collapsed.\n")
    s = run_once(settings, [str(corpus)])
    assert s.duplicates == 1
    titles = sorted(r[0] for r in q(settings, "select title from articles"))
    assert titles == ["Port volumes rise", "Steel merger off"]
    assert q(settings, "select count(*) from entities where canonical_name = 'Nordstahl'") == [(0,)]


def test_new_extractor_version_reprocesses(corpus: Path, settings: Settings) -> None:
    run_once(settings, [str(corpus)])
    s = run_once(settings, [str(corpus)], version="999")
    assert (s.new, s.updated, s.skipped) == (0, 2, 0)
    assert q(settings, "select distinct extractor_version from articles") == [("999",)]


def test_failing_models_roll_back_the_load(corpus: Path, settings: Settings) -> None:
    def broken(con: duckdb.DuckDBPyConnection) -> None:
        raise RuntimeError("model exploded")

    ctx = steps.new_run(settings)
    stats = steps.ingest(ctx, iter_local([str(corpus)], settings))
    steps.extract(ctx)
    with pytest.raises(RuntimeError):
        steps.load(ctx, stats, after_load=broken)
    steps.fail(ctx, stats, "load", RuntimeError("model exploded"))
    assert q(settings, "select count(*) from articles") == [(0,)]
    assert q(settings, "select status, failed_step, error from pipeline_runs") == [
        ("failed", "load", "RuntimeError: model exploded")
    ]
