"""Unattended operation, step by step (no Prefect): one bad article is quarantined and the rest loads.

Each case checks the `rejects` row (reason, stage, the kept article), that the good articles are loaded,
that the run row counts the quarantine, and how the next run and `retry` treat the article.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from pipeline import steps
from pipeline.records import Article, ArticleExtraction, ExtractResult
from pipeline.settings import Settings
from tests.conftest import ROOT

GOOD = {
    "a.txt": "Steel merger agreed\n\nKarin Lindqvist, chief executive of Nordstahl, said the deal would save "
    "about 300 million euros a year.\n",
    "b.txt": "Port volumes rise\n\nRotterdam handled 14.5 million containers in 2024, the port authority said.\n",
    "c.txt": "Rail strike called off\n\nUnion leaders said on Monday that talks with the operator would resume.\n",
}
ZEBRA = "Zoo welcomes a zebra\n\nThe zebra arrived in Leeds on Tuesday, keepers said.\n"


def q(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def run(settings: Settings, sources: list[str], retry: list[str] | None = None) -> steps.RunSummary:
    """One run as the flow does it: local items, ingest, extract, load with the models, summary."""
    ctx = steps.new_run(settings)
    retried = steps.retry_items(ctx, retry) if retry else []
    items = [*steps.local_items(ctx, sources), *retried]
    stats = steps.ingest(ctx, items, retry=frozenset(a.article_id for a in retried))
    extracted = steps.extract(ctx)
    models = steps.build_and_test_models(settings, ctx)
    rows = steps.load(ctx, stats, after_load=models)
    total = stats.quarantined + extracted.quarantined + models.quarantined
    return steps.summarize(ctx, stats, rows, total, models.warnings)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for name, text in GOOD.items():
        (d / name).write_text(text)
    return d


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(warehouse_dir=tmp_path / "wh", extract_in_process=True)


def titles(settings: Settings) -> list[object]:
    return [r[0] for r in q(settings, "select title from articles order by title")]


def test_an_extractor_error_quarantines_that_article_only(
    corpus: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.nlp.extract as extract

    real = extract.extract_metrics

    def flaky(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "zebra" in doc.text:
            raise IndexError("[E040] simulated read past the end of the Doc")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(extract, "extract_metrics", flaky)
    (corpus / "zebra.txt").write_text(ZEBRA)
    summary = run(settings, [str(corpus)])

    assert summary.quarantined == 1
    assert titles(settings) == ["Port volumes rise", "Rail strike called off", "Steel merger agreed"]
    [(source, reason, stage, detail, stored, aid)] = q(
        settings, "select source, reason, stage, detail, stored_path, article_id from rejects"
    )
    assert (Path(str(source)).name, reason, stage) == ("zebra.txt", "extract_error", "metrics")
    assert "IndexError" in str(detail) and "[E040]" in str(detail)
    kept = json.loads(Path(str(stored)).read_text())
    assert kept["article_id"] == aid and "zebra arrived in Leeds" in kept["body"]
    assert q(settings, "select articles_quarantined, status from pipeline_runs") == [(1, "success")]
    # No row of the quarantined article anywhere, and no source row pointing at a missing article.
    for table in ("entity_mentions", "quotes", "metrics", "article_sources"):
        assert q(settings, f"select count(*) from {table} where article_id = '{aid}'") == [(0,)]

    # The next run passes over the same version (the file is not even reopened) ...
    again = run(settings, [str(corpus)])
    assert again.quarantined == 0 and again.ingest.files_unchanged == 4
    # ... a retry with the extractor fixed loads it and clears its quarantine.
    monkeypatch.setattr(extract, "extract_metrics", real)
    retried = run(settings, [], retry=["extract_error"])
    assert retried.ingest.new == 1 and retried.quarantined == 0
    assert "Zoo welcomes a zebra" in titles(settings)
    assert q(settings, "select count(*) from rejects") == [(0,)]


def test_a_new_extractor_version_tries_a_quarantined_article_again(
    corpus: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.nlp.extract as extract

    monkeypatch.setattr(extract, "extract_quotes", lambda *a, **k: (_ for _ in ()).throw(ValueError("boom")))
    run(settings, [str(corpus)])
    assert q(settings, "select count(*), min(stage) from rejects where reason = 'extract_error'") == [(3, "quotes")]
    monkeypatch.undo()

    ctx = replace(steps.new_run(settings), extractor_version="9.9.9")
    stats = steps.ingest(ctx, list(steps.local_items(ctx, [str(corpus)])))
    assert (stats.new, stats.files_unchanged) == (3, 0)  # a new version reads every file again


def test_too_long_is_rejected_before_parsing_and_retried_when_allowed(corpus: Path, tmp_path: Path) -> None:
    (corpus / "long.txt").write_text("A very long report\n\n" + "The committee met again today. " * 400)
    small = Settings(warehouse_dir=tmp_path / "wh", extract_in_process=True, max_article_chars=5_000)
    summary = run(small, [str(corpus)])
    assert summary.quarantined == 1 and len(titles(small)) == 3
    [(reason, stage, detail)] = q(small, "select reason, stage, detail from rejects")
    assert (reason, stage) == ("too_long", "ingest") and "NEWS_MAX_ARTICLE_CHARS" in str(detail)

    allowed = small.model_copy(update={"max_article_chars": 5_000_000})
    retried = run(allowed, [], retry=["too_long"])
    assert retried.ingest.new == 1 and "A very long report" in titles(allowed)
    assert q(allowed, "select count(*) from rejects") == [(0,)]


def _sql_with_zebra_test(tmp_path: Path, severity: str | None) -> Path:
    sql = tmp_path / "sql"
    shutil.copytree(ROOT / "sql", sql)
    tests = sql / "staging" / "stg_quotes.tests.toml"
    text = tests.read_text().replace("[expect]\n", "[expect]\nno_zebras = \"quote_text not ilike '%zebra%'\"\n", 1)
    if severity:
        text += f'\n[severity]\n"expect.no_zebras" = "{severity}"\n'
    tests.write_text(text)
    return sql


def test_a_failed_row_expectation_quarantines_its_article_and_the_rest_loads(corpus: Path, tmp_path: Path) -> None:
    (corpus / "zebra.txt").write_text(ZEBRA)
    s = Settings(warehouse_dir=tmp_path / "wh", extract_in_process=True, sql_dir=_sql_with_zebra_test(tmp_path, None))
    summary = run(s, [str(corpus)])
    assert summary.quarantined == 1
    assert "Zoo welcomes a zebra" not in titles(s) and len(titles(s)) == 3
    [(reason, stage, detail)] = q(s, "select reason, stage, detail from rejects")
    assert (reason, stage) == ("data_test", "stg_quotes") and "no_zebras" in str(detail)
    assert q(s, "select articles_quarantined from pipeline_runs") == [(1,)]
    assert q(s, "select count(*) from stg_quotes where quote_text ilike '%zebra%'") == [(0,)]


def test_a_warn_test_only_reports(corpus: Path, tmp_path: Path) -> None:
    (corpus / "zebra.txt").write_text(ZEBRA)
    s = Settings(warehouse_dir=tmp_path / "wh", extract_in_process=True, sql_dir=_sql_with_zebra_test(tmp_path, "warn"))
    summary = run(s, [str(corpus)])
    assert summary.quarantined == 0 and "Zoo welcomes a zebra" in titles(s)
    assert len(summary.warnings) == 1 and "no_zebras" in summary.warnings[0]
    [(n, text)] = q(s, "select data_test_warnings, warnings from pipeline_runs")
    assert n == 1 and "no_zebras" in str(text)
    assert q(s, "select count(*) from rejects") == [(0,)]


def test_an_error_test_still_fails_the_load_and_leaves_the_warehouse_as_it_was(corpus: Path, tmp_path: Path) -> None:
    from pipeline.models import DataTestError

    (corpus / "zebra.txt").write_text(ZEBRA)
    s = Settings(
        warehouse_dir=tmp_path / "wh", extract_in_process=True, sql_dir=_sql_with_zebra_test(tmp_path, "error")
    )
    with pytest.raises(DataTestError, match="no_zebras"):
        run(s, [str(corpus)])
    assert not s.db_path.exists() or titles(s) == []


def test_basis_points_load_as_percentage_points(corpus: Path, settings: Settings) -> None:
    (corpus / "rates.txt").write_text(
        "Central bank lifts rates\n\nThe central bank raised its main rate by 52 basis points on Thursday, "
        "its largest increase since 2008.\n"
    )
    summary = run(settings, [str(corpus)])
    assert summary.quarantined == 0 and "Central bank lifts rates" in titles(settings)
    assert q(settings, "select value, unit from metrics where raw_text ilike '%basis points%'") == [(0.52, "pp")]


# --------------------------------------------------------------------------- a worker that dies


def crashing_worker(articles: list[Article], model: str, batch_size: int, chunk_chars: int) -> list[ExtractResult]:
    """Stands in for `extract_batch` in a worker process: dies outright on an article about a zebra."""
    if any("zebra" in a.body for a in articles):
        os._exit(9)  # as the OOM killer or a segfault would: no exception, the process is gone
    return [ArticleExtraction(a.article_id, (), (), (), ()) for a in articles]


def _article(n: int, body: str) -> Article:
    return Article(f"id{n}", f"s{n}", "text", None, f"t{n}", None, None, None, body, f"h{n}")


def test_a_dead_worker_costs_only_the_article_that_kills_it(tmp_path: Path) -> None:
    s = Settings(warehouse_dir=tmp_path / "wh", n_process=2)
    batches = [
        [_article(1, "fine"), _article(2, "a zebra"), _article(3, "fine")],
        [_article(4, "fine")],
        [_article(5, "fine"), _article(6, "fine")],
    ]
    out = list(steps.extract_batches(batches, s, worker=crashing_worker))
    assert [b for b, _ in out] == batches  # every batch back, in order
    results = {r.article_id: r for _, rs in out for r in rs}
    assert sorted(results) == [f"id{n}" for n in range(1, 7)]
    failed = {aid: r for aid, r in results.items() if not isinstance(r, ArticleExtraction)}
    assert list(failed) == ["id2"]
    assert failed["id2"].stage == "worker" and "died" in failed["id2"].message  # type: ignore[union-attr]
