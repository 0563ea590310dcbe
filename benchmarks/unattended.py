"""Unattended operation at scale: the no-op rerun, publishing the warehouse, and peak memory.

For each corpus, in a fresh temporary folder: a warm-up run and an empty flow, the full run into an empty
warehouse (peak RSS of the whole process tree), the no-op rerun (unchanged files are not opened), and the
cost of publishing the writer's database over `news.duckdb` (median of 5 copies + renames on the filled
warehouse). Results go to `benchmarks/results/<date>-unattended-<corpus>.json`; the figures are copied
into benchmarks/README.md by hand ("Unattended operation").

    .venv/bin/python benchmarks/unattended.py --corpus bbc --corpus synth20k

Bare spaCy is not run here (`benchmarks/run.py` does that): these figures compare the pipeline with itself.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.run import RESULTS_DIR, RunMeasure, git_commit, machine, pipeline_run, resolve_corpus
from benchmarks.synth import DEFAULT_SEED

PUBLISH_REPEATS = 5


def time_publish(warehouse: Path, repeats: int = PUBLISH_REPEATS) -> dict[str, float]:
    """Seconds to publish the writer's database (copy beside `news.duckdb`, fsync, rename), median of `repeats`."""
    from pipeline.warehouse.publish import publish

    work, published = warehouse / ".work" / "news.duckdb", warehouse / "news.duckdb"
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        publish(work, published)
        runs.append(time.perf_counter() - t0)
    return {"median_s": statistics.median(runs), "max_s": max(runs), "bytes": float(published.stat().st_size)}


def summary(m: RunMeasure) -> dict[str, Any]:
    return {
        "total_s": round(m.total_s, 2),
        "run_s": round(m.run_s, 2),
        "startup_s": round(m.startup_s, 2),
        "steps": m.steps,
        "nothing_new": m.nothing_new,
        "peak_rss_tree_bytes": m.peak_rss.tree,
        "peak_rss": asdict(m.peak_rss),
    }


def shorten(sources: Path, paragraphs: int, dest: Path) -> Path:
    """The corpus with each article cut to its title and first `paragraphs` paragraphs: as many files and
    articles, a fraction of the parse (what the no-op rerun and the parent's memory depend on is the count)."""
    for path in sorted(sources.rglob("*.txt")):
        head, _, rest = path.read_text(encoding="utf-8").partition("\n\n")
        kept = "\n\n".join(rest.split("\n\n")[:paragraphs])
        target = dest / path.relative_to(sources)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{head}\n\n{kept}\n", encoding="utf-8")
    return dest


def bench(name: str, sources: Path, n_process: int, work: Path) -> dict[str, Any]:
    def say(msg: str) -> None:
        print(f"[{name}] {msg}", flush=True)

    prefect_home = work / "prefect"
    empty_dir = work / "empty-sources"
    empty_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    say("warm-up run ...")
    pipeline_run(empty_dir, work / "wh-warmup", n_process, prefect_home, work / "warmup.log")
    empty = pipeline_run(empty_dir, work / "wh-empty", n_process, prefect_home, work / "empty.log")
    say(f"empty flow: run {empty.run_s:.1f}s (end to end {empty.total_s:.1f}s)")
    say("full run ...")
    full = pipeline_run(sources, work / "wh", n_process, prefect_home, work / "full.log")
    say(f"full run: {full.total_s:.1f}s, peak RSS of the tree {full.peak_rss.tree / 1e9:.2f} GB, steps {full.steps}")
    noop = pipeline_run(sources, work / "wh", n_process, prefect_home, work / "noop.log")
    say(f"no-op rerun: run {noop.run_s:.1f}s (end to end {noop.total_s:.1f}s), steps {noop.steps}")
    publish = time_publish(work / "wh")
    say(f"publish: {publish['bytes'] / 1e6:.0f} MB in {publish['median_s']:.2f}s (median)")
    return {
        "corpus": name,
        "date": started.date().isoformat(),
        "commit": git_commit(),
        "machine": asdict(machine()),
        "n_process": n_process,
        "empty": summary(empty),
        "full": summary(full),
        "noop": summary(noop),
        "noop_vs_empty_run": round(noop.run_s / empty.run_s, 3),
        "publish": publish,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", action="append", choices=["bbc", "synth20k", "synth100k"])
    p.add_argument("--n-process", type=int, default=2)
    p.add_argument("--limit", type=int, help="only the first N distinct articles (a smoke run)")
    p.add_argument("--paragraphs", type=int, help="cut each article to its first N paragraphs (a cheaper parse)")
    p.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    args = p.parse_args(argv)
    for name in args.corpus or ["bbc"]:
        with tempfile.TemporaryDirectory(prefix=f"bench-unattended-{name}-") as tmp:
            work = Path(tmp)
            sources = resolve_corpus(name, DEFAULT_SEED, args.limit, work)
            if sources is None:
                continue
            if args.paragraphs:
                sources = shorten(sources, args.paragraphs, work / f"{name}-p{args.paragraphs}")
            result = bench(name, sources, args.n_process, work)
            result["paragraphs"] = args.paragraphs
            suffix = (f"-first{args.limit}" if args.limit else "") + (f"-p{args.paragraphs}" if args.paragraphs else "")
            out = args.results_dir / f"{result['date']}-unattended-{name}{suffix}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(result, indent=2) + "\n")
            print(f"[{name}] written {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
